/**
 * The in-process Hardhat network as a JSON-RPC endpoint on 127.0.0.1: the agents speak JSON-RPC over HTTP, and the
 * in-process network has no port of its own. Every request (single or batch) is handed to the network's provider;
 * its errors go back as JSON-RPC errors with their code and data, so the SDK decodes reverts as it does against a
 * node.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The part of an EIP-1193 provider the bridge uses. */
export interface RequestProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface RpcBridge {
  url: string;
  /** Requests answered, by method (for the run's figures). */
  calls: Map<string, number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function startRpcBridge(provider: RequestProvider): Promise<RpcBridge> {
  const calls = new Map<string, number>();
  const answer = async (req: JsonRpcRequest) => {
    const id = req.id ?? null;
    if (typeof req.method !== "string") {
      return { jsonrpc: "2.0", id, error: { code: -32600, message: "Invalid request: no method" } };
    }
    calls.set(req.method, (calls.get(req.method) ?? 0) + 1);
    try {
      const params = Array.isArray(req.params) ? req.params : [];
      const result = await provider.request({ method: req.method, params });
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown; data?: unknown };
      const code = typeof err.code === "number" ? err.code : -32603;
      const error: Record<string, unknown> = { code, message: String(err.message ?? e) };
      if (err.data !== undefined) error.data = err.data;
      return { jsonrpc: "2.0", id, error };
    }
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (e) {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: String(e) } }));
        return;
      }
      const out = Array.isArray(body)
        ? await Promise.all(body.map((r) => answer(r as JsonRpcRequest)))
        : await answer(body as JsonRpcRequest);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
    })();
  });
  // Agents keep connections alive; without this, close() would wait for them.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body above ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
