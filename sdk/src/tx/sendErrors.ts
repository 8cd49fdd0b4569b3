import { RpcError } from "../errors/rpc.js";

/**
 * What a failed `eth_sendRawTransaction` means for the queue. `known`: the node has it already (a retry after a lost
 * answer). `nonceTooLow`: the nonce is used (this transaction or another was mined). `underpriced`: another
 * transaction holds the nonce in the mempool at a higher price. `funds`: the account cannot pay. `network`: the
 * node could not be reached, so nothing is known. `rejected`: the node refuses this transaction for good.
 */
export type SendErrorKind = "known" | "nonceTooLow" | "underpriced" | "funds" | "network" | "rejected";

/** Messages of geth, Erigon, Nethermind, Besu and Hardhat for the same conditions. */
const PATTERNS: [SendErrorKind, RegExp][] = [
  ["known", /known transaction|already known|already imported|alreadyknown|transaction already exists/i],
  ["nonceTooLow", /nonce too low|nonce has already been used|old nonce|nonce is too low|oldnonce/i],
  ["underpriced", /underpriced|replacement fee too low|fee too low to replace/i],
  ["funds", /insufficient funds|insufficient balance/i],
];

export function classifySendError(error: unknown): SendErrorKind {
  if (error instanceof RpcError) return "network";
  const message = (error as { message?: unknown } | undefined)?.message;
  const text = typeof message === "string" ? message : String(error);
  for (const [kind, pattern] of PATTERNS) if (pattern.test(text)) return kind;
  return "rejected";
}
