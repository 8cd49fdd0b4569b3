import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What `GET /status` returns, and `GET /health` too with 200 when `healthy` and 503 when not. */
export type StatusReport = { healthy: boolean } & Record<string, unknown>;

/**
 * A loopback HTTP endpoint for supervisors (a container's health check, a test): `GET /health` and `GET /status`
 * answer the agent's status as JSON. Nothing else is served, and nothing can be changed through it.
 */
export class HealthServer {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async listen(host: string, port: number, status: () => StatusReport): Promise<HealthServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? "/").split("?")[0];
      if (request.method !== "GET" || (path !== "/health" && path !== "/status")) {
        response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      let report: StatusReport;
      try {
        report = status();
      } catch (error) {
        report = { healthy: false, error: (error as Error).message };
      }
      const code = path === "/health" && !report.healthy ? 503 : 200;
      response.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(report, bigintsAsStrings));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return new HealthServer(server);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

export function bigintsAsStrings(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
