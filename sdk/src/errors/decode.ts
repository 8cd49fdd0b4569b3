import type { Interface, Result } from "ethers";

import { CohortError } from "./base.js";
import { ContractRevertError, TransactionError } from "./contract.js";
import { RpcError } from "./rpc.js";

export interface DecodeContext {
  /** Every error of every contract the call can reach (a pool error can bubble up through the task manager). */
  errors: Interface;
  /** `Contract.function`, for the message. */
  functionName?: string;
  url?: string;
  transactionHash?: string;
}

/** ethers error codes that mean the node or the connection failed, not the contract. */
const RPC_CODES = new Set(["NETWORK_ERROR", "TIMEOUT", "SERVER_ERROR", "BAD_DATA", "UNKNOWN_ERROR"]);
/** System error codes of a failed connection. */
const SYSTEM_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
]);
/** ethers error codes of a transaction that could not be sent or was not mined as sent. */
const TRANSACTION_CODES = new Set([
  "INSUFFICIENT_FUNDS",
  "NONCE_EXPIRED",
  "REPLACEMENT_UNDERPRICED",
  "TRANSACTION_REPLACED",
  "ACTION_REJECTED",
]);

/**
 * Turns whatever a provider, a signer or ethers threw into the SDK's typed errors: a revert with data becomes a
 * `ContractRevertError` with the custom error decoded against every contract's ABI, a connection or server failure
 * an `RpcError`, a funds or nonce problem a `TransactionError`. Anything else is wrapped as a plain `CohortError`.
 */
export function toCohortError(error: unknown, context: DecodeContext): CohortError {
  if (error instanceof CohortError) return error;
  const revertData = findRevertData(error);
  if (revertData !== undefined || isRevert(error)) return decodeRevert(revertData, error, context);

  const code = findCode(error);
  if (code !== undefined && TRANSACTION_CODES.has(code)) {
    return new TransactionError(code, shortMessageOf(error), { cause: error });
  }
  if (code !== undefined && (RPC_CODES.has(code) || SYSTEM_CODES.has(code))) {
    // ethers reports a JSON-RPC error it does not recognize as "could not coalesce error": the node's own message and
    // code are what tell a rate limit from a missing block, so they lead.
    const node = findJsonRpcError(error);
    const message = node === undefined ? shortMessageOf(error) : `${node.message} (${node.code})`;
    return new RpcError(code, `RPC failure (${code}): ${message}`, {
      cause: error,
      url: context.url,
      ...(node === undefined ? {} : { meta: { jsonRpcCode: node.code, jsonRpcMessage: node.message } }),
    });
  }
  return new CohortError(shortMessageOf(error), { cause: error });
}

function decodeRevert(data: string | undefined, error: unknown, context: DecodeContext): ContractRevertError {
  const base = {
    data,
    ...(context.functionName === undefined ? {} : { functionName: context.functionName }),
    ...(context.transactionHash === undefined ? {} : { transactionHash: context.transactionHash }),
  };
  if (data !== undefined && data.length >= 10) {
    try {
      const parsed = context.errors.parseError(data);
      if (parsed) {
        return new ContractRevertError(
          {
            ...base,
            errorName: parsed.name,
            args: namedArgs(
              parsed.args,
              parsed.fragment.inputs.map((i) => i.name),
            ),
          },
          { cause: error },
        );
      }
    } catch {
      // Data that does not decode against its own selector is reported raw below.
    }
    return new ContractRevertError(
      { ...base, errorName: "UnknownRevert", args: { selector: data.slice(0, 10) } },
      { cause: error, details: `revert data ${data} matches no error of the Cohort contracts` },
    );
  }
  return new ContractRevertError(
    { ...base, errorName: "UnknownRevert", args: {} },
    { cause: error, details: shortMessageOf(error) },
  );
}

function namedArgs(args: Result, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  names.forEach((name, i) => {
    out[name === "" ? String(i) : name] = normalize(args[i]);
  });
  return out;
}

function normalize(value: unknown): unknown {
  if (value !== null && typeof value === "object" && "toArray" in value && typeof value.toArray === "function") {
    return (value.toArray() as unknown[]).map(normalize);
  }
  return value;
}

/** The first hex revert payload found on the error or its nested causes (ethers, EDR and JSON-RPC shapes differ). */
function findRevertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 64) {
    const current = queue.shift();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    const data = record.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data;
    if (data !== null && typeof data === "object") queue.push(data);
    for (const key of ["error", "info", "cause", "revert", "payload"]) queue.push(record[key]);
  }
  return undefined;
}

/** The node's JSON-RPC error object (`{ code: number, message }`) on the error or its nested causes, if any. */
function findJsonRpcError(error: unknown): { code: number; message: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const inner = (current as { error?: unknown }).error;
    if (inner !== null && typeof inner === "object") {
      const { code, message } = inner as { code?: unknown; message?: unknown };
      if (typeof code === "number" && typeof message === "string") return { code, message };
    }
    current = (current as { cause?: unknown }).cause ?? inner;
  }
  return undefined;
}

function isRevert(error: unknown): boolean {
  const code = findCode(error);
  if (code === "CALL_EXCEPTION") return true;
  return /revert/i.test(shortMessageOf(error)) && code !== "NETWORK_ERROR";
}

function findCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return undefined;
}

function shortMessageOf(error: unknown): string {
  if (error !== null && typeof error === "object") {
    const short = (error as { shortMessage?: unknown }).shortMessage;
    if (typeof short === "string") return short;
    const message = (error as { message?: unknown }).message;
    if (typeof message === "string") return message.split("\n")[0] ?? message;
  }
  return String(error);
}
