import { JsonRpcApiProvider, Network } from "ethers";
import type { JsonRpcError, JsonRpcPayload, JsonRpcResult } from "ethers";

import { RpcTransport, type JsonRpcRequest, type TransportOptions } from "./transport.js";

/** The node answered a call with a JSON-RPC error (not a transport failure: those are `RpcError`s). */
export class JsonRpcCallError extends Error {
  override name = "JsonRpcCallError";
  readonly method: string;
  readonly code: number;
  readonly data: unknown;

  constructor(method: string, error: { code: number; message: string; data?: unknown }) {
    super(`${method}: ${error.message}`);
    this.method = method;
    this.code = error.code;
    this.data = error.data;
  }
}

/**
 * An ethers provider whose every request goes through an `RpcTransport` (retries, backoff, failover), so SDK actions
 * and reads made with it survive the same faults as the agents' own calls. One request per HTTP call (no batches):
 * a batch fails or succeeds as a whole, and a retry should repeat only what failed.
 */
export class ResilientProvider extends JsonRpcApiProvider {
  readonly transport: RpcTransport;
  #id = 1_000_000;

  constructor(transport: RpcTransport, chainId: bigint) {
    const network = Network.from(chainId);
    // No ethers-level cache: agents poll the head every few hundred milliseconds and must not read a stale one.
    super(network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 });
    this.transport = transport;
  }

  /** Asks the first URL that answers for its chain id, then builds the provider on it. */
  static async connect(options: TransportOptions): Promise<ResilientProvider> {
    const transport = new RpcTransport(options);
    const response = await transport.request({ jsonrpc: "2.0", id: 0, method: "eth_chainId", params: [] });
    if (!("result" in response) || typeof response.result !== "string") {
      throw new Error(`eth_chainId failed: ${JSON.stringify(response)}`);
    }
    return new ResilientProvider(transport, BigInt(response.result));
  }

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<(JsonRpcResult | JsonRpcError)[]> {
    const list = Array.isArray(payload) ? payload : [payload];
    return (await Promise.all(list.map((p) => this.transport.request(p as JsonRpcRequest)))) as (
      JsonRpcResult | JsonRpcError
    )[];
  }

  /**
   * A raw JSON-RPC call through the transport: the result, or a `JsonRpcCallError` with the node's own code, message
   * and data (ethers' error formatting would hide the message a transaction queue must read, "nonce too low" say).
   */
  async request<T>(method: string, params: unknown[]): Promise<T> {
    const response = await this.transport.request({ jsonrpc: "2.0", id: ++this.#id, method, params });
    if ("error" in response) throw new JsonRpcCallError(method, response.error);
    return response.result as T;
  }

  override destroy(): void {
    this.transport.close();
    super.destroy();
  }
}
