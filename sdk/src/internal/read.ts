import type { CohortClient } from "../client/create.js";
import { toCohortError } from "../errors/decode.js";
import type { ContractKey } from "./write.js";

const NAMES: Record<ContractKey, string> = {
  pool: "SecurityPool",
  manager: "TaskManager",
  token: "StakeToken",
  randomness: "Randomness",
};

/**
 * Calls a view (at the latest block, or at `blockTag`); a revert or an RPC failure comes back as the SDK's typed
 * error.
 */
export async function readContract<T>(
  client: CohortClient,
  key: ContractKey,
  fn: string,
  args: unknown[] = [],
  blockTag?: "latest" | "pending",
): Promise<T> {
  try {
    const call = client[key].getFunction(fn);
    return (await (blockTag === undefined ? call.staticCall(...args) : call.staticCall(...args, { blockTag }))) as T;
  } catch (error) {
    throw toCohortError(error, { errors: client.errors, functionName: `${NAMES[key]}.${fn}`, url: client.url });
  }
}

/** A struct returned by ethers as a `Result`, as a plain object (nested structs and arrays included). */
export function toPlain<T>(value: unknown): T {
  if (value !== null && typeof value === "object" && "toObject" in value && typeof value.toObject === "function") {
    // An empty Result is an empty array (a Solidity struct has members). ethers names every element of a decoded
    // array "_", so a one-element array passes `toObject` as `{ _: element }`: that, too, is an array.
    const length = (value as { length?: number }).length;
    try {
      const obj = length === 0 ? undefined : (value.toObject() as Record<string, unknown>);
      if (obj !== undefined && !("_" in obj)) {
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, toPlain(v)])) as T;
      }
    } catch {
      // A Result with unnamed or repeated names (an array of two or more): fall through to an array.
    }
  }
  if (value !== null && typeof value === "object" && "toArray" in value && typeof value.toArray === "function") {
    return (value.toArray() as unknown[]).map((v) => toPlain(v)) as T;
  }
  return value as T;
}
