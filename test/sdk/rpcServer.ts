import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in JSON-RPC node on a loopback port, for the SDK's failure paths: `answer` maps a request to the reply
 * (a JSON-RPC body, a raw HTTP reply, or `"hang"` for none). Batches are answered element by element.
 */
export type Reply =
  | { result: unknown }
  | { error: { code: number; message: string; data?: unknown } }
  | { status: number; body: string }
  | "hang";

export interface FakeNode {
  url: string;
  /** Methods asked for, in order. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeNode(answer: (method: string, params: unknown[]) => Reply): Promise<FakeNode> {
  const calls: string[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as
        { id: number; method: string; params: unknown[] } | { id: number; method: string; params: unknown[] }[];
      const requests = Array.isArray(body) ? body : [body];
      const replies = requests.map((r) => {
        calls.push(r.method);
        return [r, answer(r.method, r.params ?? [])] as const;
      });
      if (replies.some(([, reply]) => reply === "hang")) {
        hanging.push(res);
        return;
      }
      const http = replies.find(([, reply]) => typeof reply === "object" && "status" in reply);
      if (http !== undefined) {
        const reply = http[1] as { status: number; body: string };
        res.writeHead(reply.status, { "content-type": "text/html" }).end(reply.body);
        return;
      }
      const out = replies.map(([r, reply]) => ({ jsonrpc: "2.0", id: r.id, ...(reply as object) }));
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(Array.isArray(body) ? out : out[0]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
