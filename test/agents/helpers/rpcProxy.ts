import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../helpers/prng.js";

/** What the proxy does wrong, per request (rates in [0, 1], drawn from a seeded generator). */
export interface FaultPlan {
  /** eth_getLogs over more blocks than this gets a provider's range-limit error (-32005). */
  maxLogRange?: number;
  /** Held without an answer until the client gives up. */
  timeoutRate?: number;
  /** Connection closed without an answer, before the node sees the request. */
  dropRate?: number;
  /** Forwarded to the node, then the connection closed before the answer (the node acted; the client cannot know). */
  dropAfterForwardRate?: number;
  /** eth_blockNumber / the latest header answered with a head `staleBy` blocks old. */
  staleHeadRate?: number;
  staleBy?: number;
  /** Every request refused (HTTP 503), as a node that is down behind its load balancer. */
  down?: boolean;
}

export interface FaultCounts {
  requests: number;
  rangeErrors: number;
  timeouts: number;
  drops: number;
  dropsAfterForward: number;
  staleHeads: number;
  refused: number;
}

/**
 * A loopback JSON-RPC proxy in front of a node that injects the faults of public RPC providers. The plan can be
 * changed while it runs (`proxy.plan = {...}`).
 */
export class RpcProxy {
  plan: FaultPlan;
  readonly counts: FaultCounts = {
    requests: 0,
    rangeErrors: 0,
    timeouts: 0,
    drops: 0,
    dropsAfterForward: 0,
    staleHeads: 0,
    refused: 0,
  };
  readonly #target: string;
  readonly #server: Server;
  readonly #held = new Set<ServerResponse>();
  #rng: () => number;
  #head = 0;

  private constructor(target: string, plan: FaultPlan, seed: number) {
    this.#target = target;
    this.plan = plan;
    this.#rng = mulberry32(seed);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(target: string, plan: FaultPlan = {}, seed = 1): Promise<RpcProxy> {
    const proxy = new RpcProxy(target, plan, seed);
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", () => resolve()));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.#held) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    this.counts.requests++;
    const p = this.plan;
    if (p.down) {
      this.counts.refused++;
      res.writeHead(503).end("service unavailable");
      return;
    }
    let payload: { id: unknown; method: string; params: unknown[] };
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (this.#roll(p.dropRate)) {
      this.counts.drops++;
      res.socket?.destroy();
      return;
    }
    if (this.#roll(p.timeoutRate)) {
      this.counts.timeouts++;
      this.#held.add(res); // never answered; the client's timeout fires, the socket is closed at stop
      return;
    }
    if (payload.method === "eth_getLogs" && p.maxLogRange !== undefined) {
      const filter = (payload.params[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      const from = Number(BigInt(filter.fromBlock ?? "0x0"));
      const to =
        filter.toBlock === undefined || filter.toBlock === "latest" ? this.#head : Number(BigInt(filter.toBlock));
      if (to - from + 1 > p.maxLogRange) {
        this.counts.rangeErrors++;
        return json(res, {
          jsonrpc: "2.0",
          id: payload.id,
          error: { code: -32005, message: `query exceeds max block range ${p.maxLogRange}` },
        });
      }
    }
    let forwarded = payload;
    const stale = this.#head > 0 && this.#roll(p.staleHeadRate);
    const staleHead = Math.max(0, this.#head - (p.staleBy ?? 20));
    if (stale && payload.method === "eth_getBlockByNumber" && payload.params[0] === "latest") {
      forwarded = { ...payload, params: [`0x${staleHead.toString(16)}`, ...payload.params.slice(1)] };
    }
    let answer: string;
    try {
      const response = await fetch(this.#target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(forwarded),
      });
      answer = await response.text();
    } catch {
      res.writeHead(502).end();
      return;
    }
    this.#track(payload.method, payload.params, answer);
    if (this.#roll(p.dropAfterForwardRate)) {
      this.counts.dropsAfterForward++;
      res.socket?.destroy();
      return;
    }
    if (stale && payload.method === "eth_blockNumber") {
      this.counts.staleHeads++;
      return json(res, { jsonrpc: "2.0", id: payload.id, result: `0x${staleHead.toString(16)}` });
    }
    if (stale && forwarded !== payload) this.counts.staleHeads++;
    res.writeHead(200, { "content-type": "application/json" }).end(answer);
  }

  /** Remembers the real head, from the answers that carry it. */
  #track(method: string, params: unknown[], answer: string): void {
    try {
      const result = (JSON.parse(answer) as { result?: unknown }).result;
      if (method === "eth_blockNumber" && typeof result === "string") this.#head = Number(BigInt(result));
      if (method === "eth_getBlockByNumber" && params[0] === "latest") {
        const n = (result as { number?: string } | null)?.number;
        if (n !== undefined) this.#head = Number(BigInt(n));
      }
    } catch {
      // not JSON: nothing to learn
    }
  }

  #roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.#rng() < rate;
  }
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
