import type { Logger } from "pino";

import { RpcError } from "../errors/rpc.js";
import { backoffDelay, sleep } from "./backoff.js";
import { classifyResponse, classifyThrown, type Failure } from "./classify.js";

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: number | string; result: unknown }
  | { jsonrpc: "2.0"; id: number | string; error: { code: number; message: string; data?: unknown } };

export interface TransportOptions {
  /** The endpoints, in order of preference. */
  urls: string[];
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  /** Tries per call across all endpoints before giving up with an `RpcError`. */
  maxAttempts?: number;
  /** First backoff and its cap, in milliseconds (doubling, with jitter). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long a failed endpoint is passed over while others are healthy. */
  cooldownMs?: number;
  /** An endpoint whose head is this many blocks behind another's recent head is treated as failing. */
  staleHeadBlocks?: number;
  logger?: Logger;
}

interface Endpoint {
  url: string;
  /** Until when it is passed over (ms since the epoch). */
  downUntil: number;
  failures: number;
  head: number | undefined;
  headAt: number;
}

/** Counters for the health report and the benchmark's RPC calls per task. */
export interface TransportStats {
  requests: number;
  byMethod: Record<string, number>;
  retries: number;
  failovers: number;
  failures: number;
}

/** How recent another endpoint's head must be to call this one's stale. */
const HEAD_FRESH_MS = 15_000;

/**
 * JSON-RPC over HTTP with retries, backoff and failover across several URLs. A call that fails for a reason another
 * try may cure (a refused or dropped connection, a timeout, HTTP 429 or 5xx, a rate limit, a node that does not know
 * a block yet, a head far behind another endpoint's) is retried on the next healthy endpoint, with exponential
 * backoff once every endpoint has been tried; an answer that another try would repeat (a revert, a bad parameter, a
 * log-range limit, which the scanner handles by shrinking its range) is returned as it is.
 */
export class RpcTransport {
  readonly stats: TransportStats = { requests: 0, byMethod: {}, retries: 0, failovers: 0, failures: 0 };
  readonly #endpoints: Endpoint[];
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #cooldownMs: number;
  readonly #staleHeadBlocks: number;
  readonly #logger: Logger | undefined;
  #preferred = 0;
  #closed = false;
  readonly #inflight = new Set<AbortController>();

  constructor(options: TransportOptions) {
    if (options.urls.length === 0) throw new RangeError("RpcTransport needs at least one URL");
    this.#endpoints = options.urls.map((url) => ({ url, downUntil: 0, failures: 0, head: undefined, headAt: 0 }));
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoffMs = options.backoffMs ?? 200;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.#cooldownMs = options.cooldownMs ?? 10_000;
    this.#staleHeadBlocks = options.staleHeadBlocks ?? 8;
    this.#logger = options.logger;
  }

  get urls(): string[] {
    return this.#endpoints.map((e) => e.url);
  }

  /** The endpoint calls go to first. */
  get currentUrl(): string {
    return (this.#endpoints[this.#preferred] as Endpoint).url;
  }

  /** Sends one request, retrying and failing over as the class comment says. */
  async request(payload: JsonRpcRequest): Promise<JsonRpcResponse> {
    this.stats.requests++;
    this.stats.byMethod[payload.method] = (this.stats.byMethod[payload.method] ?? 0) + 1;
    let last: Failure | undefined;
    const tried = new Set<number>();
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      if (this.#closed) break;
      const index = this.#pick();
      const endpoint = this.#endpoints[index] as Endpoint;
      if (attempt > 0) {
        this.stats.retries++;
        // A fresh endpoint is tried at once; once all have failed this call, wait before going round again.
        if (tried.has(index)) await sleep(backoffDelay(attempt, this.#backoffMs, this.#maxBackoffMs));
        else this.stats.failovers++;
      }
      tried.add(index);
      const outcome = await this.#send(endpoint, payload);
      if ("response" in outcome) {
        const stale = this.#staleHead(endpoint, payload, outcome.response);
        if (stale === undefined || tried.size >= this.#endpoints.length) {
          this.#healthy(endpoint, index);
          return outcome.response;
        }
        last = stale;
      } else {
        last = outcome.failure;
      }
      this.#failed(endpoint, index, last, payload.method);
    }
    this.stats.failures++;
    const failure = last ?? { code: "CLOSED", message: "the transport was closed" };
    throw new RpcError(failure.code, `${payload.method} failed after ${this.#maxAttempts} tries: ${failure.message}`, {
      url: this.currentUrl,
      meta: { method: payload.method, urls: this.urls },
    });
  }

  /** Aborts requests in flight and refuses new ones (shutdown). */
  close(): void {
    this.#closed = true;
    for (const controller of this.#inflight) controller.abort();
  }

  async #send(
    endpoint: Endpoint,
    payload: JsonRpcRequest,
  ): Promise<{ response: JsonRpcResponse } | { failure: Failure }> {
    const controller = new AbortController();
    this.#inflight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error("timeout")), this.#timeoutMs);
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const verdict = classifyResponse(response.status, body, payload.method);
      if (verdict !== undefined) return { failure: verdict };
      return { response: body as JsonRpcResponse };
    } catch (error) {
      return { failure: classifyThrown(error, controller.signal.aborted && !this.#closed, this.#timeoutMs) };
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(controller);
    }
  }

  /** The first endpoint not cooling down, starting from the preferred one; if all are, the one that recovers first. */
  #pick(): number {
    const now = Date.now();
    const n = this.#endpoints.length;
    for (let k = 0; k < n; k++) {
      const i = (this.#preferred + k) % n;
      if ((this.#endpoints[i] as Endpoint).downUntil <= now) return i;
    }
    let best = 0;
    this.#endpoints.forEach((e, i) => {
      if (e.downUntil < (this.#endpoints[best] as Endpoint).downUntil) best = i;
    });
    return best;
  }

  #healthy(endpoint: Endpoint, index: number): void {
    endpoint.failures = 0;
    endpoint.downUntil = 0;
    // Stay on an endpoint that works rather than flapping back to the first one.
    this.#preferred = index;
  }

  #failed(endpoint: Endpoint, index: number, failure: Failure, method: string): void {
    endpoint.failures++;
    endpoint.downUntil = Date.now() + Math.min(this.#cooldownMs, this.#cooldownMs * endpoint.failures);
    if (index === this.#preferred) this.#preferred = (index + 1) % this.#endpoints.length;
    this.#logger?.warn({ url: endpoint.url, method, code: failure.code, err: failure.message }, "rpc call failed");
  }

  /**
   * A head (`eth_blockNumber`, or the latest block's header) far below what another endpoint reported recently means this endpoint is lagging or
   * serving a stale cache: fail over. With one endpoint, or when every endpoint lags, the answer stands; the scanner
   * never moves its cursor past a block it has not seen a header for, so a stale head only delays it.
   */
  #staleHead(endpoint: Endpoint, payload: JsonRpcRequest, response: JsonRpcResponse): Failure | undefined {
    const head = headOf(payload, response);
    if (head === undefined) return undefined;
    const now = Date.now();
    endpoint.head = head;
    endpoint.headAt = now;
    const best = Math.max(
      ...this.#endpoints
        .filter((e) => e !== endpoint && e.head !== undefined && now - e.headAt < HEAD_FRESH_MS)
        .map((e) => e.head as number),
    );
    if (Number.isFinite(best) && best - head > this.#staleHeadBlocks) {
      return { code: "STALE_HEAD", message: `head ${head} is ${best - head} blocks behind another endpoint's` };
    }
    return undefined;
  }
}

/** The head block number an answer reports, for `eth_blockNumber` and `eth_getBlockByNumber("latest")`. */
function headOf(payload: JsonRpcRequest, response: JsonRpcResponse): number | undefined {
  if (!("result" in response)) return undefined;
  const params = Array.isArray(payload.params) ? payload.params : [];
  if (payload.method === "eth_blockNumber" && typeof response.result === "string")
    return Number(BigInt(response.result));
  if (payload.method === "eth_getBlockByNumber" && params[0] === "latest") {
    const number = (response.result as { number?: unknown } | null)?.number;
    if (typeof number === "string") return Number(BigInt(number));
  }
  return undefined;
}
