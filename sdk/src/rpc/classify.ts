/** Why one try of a call failed in a way another try (maybe on another endpoint) may cure. */
export interface Failure {
  code: string;
  message: string;
}

/**
 * JSON-RPC error messages that mean "this node, now" rather than "this request": rate limits, a node that has not
 * seen a block yet (load-balanced providers), a node still syncing. The same request may succeed elsewhere or later.
 */
const TRANSIENT_MESSAGE = /rate limit|too many requests|header not found|unknown block|not synced|syncing|try again/i;
/** JSON-RPC codes of the same kind: -32005 limit exceeded (EIP-1474), -32603 internal error on some gateways. */
const TRANSIENT_CODES = new Set([-32005]);
/** eth_getLogs errors that say the range is too wide; the scanner shrinks the range, so they are not retried here. */
export const RANGE_LIMIT_MESSAGE =
  /range|too many (results|logs)|more than \d+ (results|logs)|limit exceeded|response size|query timeout|block range|exceed/i;

/** A failure for an HTTP answer that should be retried, or undefined for a JSON-RPC answer to hand back. */
export function classifyResponse(status: number, body: unknown, method: string): Failure | undefined {
  if (status === 429) return { code: "RATE_LIMITED", message: "HTTP 429" };
  if (status >= 500 && !isRpcBody(body)) return { code: "SERVER_ERROR", message: `HTTP ${status}` };
  if (!isRpcBody(body)) return { code: "BAD_RESPONSE", message: `HTTP ${status}, not a JSON-RPC answer` };
  if ("error" in body && body.error !== null && typeof body.error === "object") {
    const { code, message } = body.error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : "";
    // A range complaint from eth_getLogs goes back to the scanner, which halves the range: retrying cannot help.
    if (method === "eth_getLogs" && RANGE_LIMIT_MESSAGE.test(text)) return undefined;
    if ((typeof code === "number" && TRANSIENT_CODES.has(code)) || TRANSIENT_MESSAGE.test(text)) {
      return { code: "TRANSIENT_RPC_ERROR", message: text || `JSON-RPC error ${String(code)}` };
    }
  }
  return undefined;
}

/** A failure for a request that threw: a timeout, a refused or reset connection, a body cut short. */
export function classifyThrown(error: unknown, timedOut: boolean, timeoutMs: number): Failure {
  if (timedOut) return { code: "TIMEOUT", message: `no answer within ${timeoutMs} ms` };
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : "NETWORK_ERROR";
  const message = typeof cause?.message === "string" ? cause.message : (error as Error | undefined)?.message;
  return { code, message: message ?? String(error) };
}

function isRpcBody(body: unknown): body is { jsonrpc: string; result?: unknown; error?: unknown } {
  return body !== null && typeof body === "object" && ("result" in body || "error" in body);
}
