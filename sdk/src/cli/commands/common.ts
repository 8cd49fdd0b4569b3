import type { DecodedEvent, WriteResult } from "../../internal/write.js";
import type { TokenInfo } from "../context.js";

/** A transaction as the JSON document shows it: hash, block, gas and its decoded events. */
export function txData(result: WriteResult): Record<string, unknown> {
  return {
    hash: result.hash,
    blockNumber: result.blockNumber,
    gasUsed: result.gasUsed,
    events: result.events.map((e: DecodedEvent) => ({ contract: e.contract, name: e.name, args: e.args })),
  };
}

/** `tx 0xabc… in block 12 (51,234 gas)`. */
export function txLine(result: WriteResult): string {
  return `tx ${result.hash} in block ${result.blockNumber} (${result.gasUsed.toLocaleString("en-US")} gas)`;
}

/** The approval line, when an approval was sent first. */
export function approvalLines(approval: WriteResult | undefined, amount: bigint, token: TokenInfo): string[] {
  return approval === undefined ? [] : [`approved ${token.format(amount)}: ${txLine(approval)}`];
}

/** Options every command that takes an amount has. */
export interface AmountOptions {
  wei?: boolean;
}

/** `--no-approve`: commander sets `approve: false`. */
export interface ApproveOptions {
  approve: boolean;
}

/** `1 seat`, `3 seats`. */
export function seatsText(n: bigint): string {
  return n === 1n ? "1 seat" : `${n} seats`;
}
