/** The head block as the queue sees it. */
export interface Head {
  number: number;
  hash: string;
  /** The head's base fee; the next block's is at most 12.5% higher (EIP-1559). */
  baseFeePerGas: bigint;
}

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

export interface FeePolicyOptions {
  /** The tip offered first (default 1 gwei). */
  priorityFee?: bigint;
  /** Never offer more than this per gas (default 1,000 gwei): a spending limit, not a target. */
  maxFeeCap?: bigint;
  /** Fee increase of an ordinary replacement, in percent (default 12.5; at least 10, what nodes require). */
  bumpPercent?: number;
  /** Within this many blocks of its deadline a transaction is urgent: larger bumps (default 3). */
  urgentBlocks?: number;
}

const GWEI = 1_000_000_000n;
/** Nodes (geth, Hardhat) accept a replacement only if both fees rise by at least 10%. */
const MIN_BUMP_PERCENT = 10;

/**
 * EIP-1559 fees: first offer, and replacements of a transaction that is stuck (not mined after a few blocks, or
 * priced under the base fee after a spike). A replacement raises both fees by at least `bumpPercent`, by 50% within
 * `urgentBlocks` of the deadline, and doubles them in the last block before it; it always covers twice the current
 * base fee, so one replacement clears a spike.
 */
export class FeePolicy {
  readonly priorityFee: bigint;
  readonly maxFeeCap: bigint;
  readonly bumpPercent: number;
  readonly urgentBlocks: number;

  constructor(options: FeePolicyOptions = {}) {
    this.priorityFee = options.priorityFee ?? GWEI;
    this.maxFeeCap = options.maxFeeCap ?? 1_000n * GWEI;
    this.bumpPercent = Math.max(MIN_BUMP_PERCENT, options.bumpPercent ?? 12.5);
    this.urgentBlocks = options.urgentBlocks ?? 3;
  }

  /** The first offer: the tip, plus twice the base fee (room for six full blocks of base-fee growth). */
  initial(head: Head, deadline: number | undefined): Fees {
    const urgent = deadline !== undefined && deadline - head.number <= this.urgentBlocks;
    const tip = urgent ? this.priorityFee * 2n : this.priorityFee;
    return this.#capped({ maxPriorityFeePerGas: tip, maxFeePerGas: head.baseFeePerGas * (urgent ? 3n : 2n) + tip });
  }

  /** The replacement of an attempt priced `previous`, or undefined if the cap leaves no room for a valid bump. */
  bump(previous: Fees, head: Head, deadline: number | undefined): Fees | undefined {
    const percent = this.percentFor(head, deadline);
    const tip = atLeast(raise(previous.maxPriorityFeePerGas, percent), previous.maxPriorityFeePerGas + 1n);
    const maxFee = atLeast(raise(previous.maxFeePerGas, percent), head.baseFeePerGas * 2n + tip);
    const fees = this.#capped({ maxPriorityFeePerGas: tip, maxFeePerGas: maxFee });
    if (fees.maxFeePerGas < raise(previous.maxFeePerGas, MIN_BUMP_PERCENT)) return undefined;
    if (fees.maxPriorityFeePerGas < raise(previous.maxPriorityFeePerGas, MIN_BUMP_PERCENT)) return undefined;
    return fees;
  }

  /** The bump in percent for a transaction with this deadline at this head. */
  percentFor(head: Head, deadline: number | undefined): number {
    if (deadline === undefined) return this.bumpPercent;
    const left = deadline - head.number;
    if (left <= 1) return Math.max(this.bumpPercent, 100);
    if (left <= this.urgentBlocks) return Math.max(this.bumpPercent, 50);
    return this.bumpPercent;
  }

  /** Whether an attempt priced `fees` can be included in the next block at all. */
  underpriced(fees: Fees, head: Head): boolean {
    return fees.maxFeePerGas < head.baseFeePerGas;
  }

  #capped(fees: Fees): Fees {
    const maxFee = fees.maxFeePerGas > this.maxFeeCap ? this.maxFeeCap : fees.maxFeePerGas;
    const tip = fees.maxPriorityFeePerGas > maxFee ? maxFee : fees.maxPriorityFeePerGas;
    return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip };
  }
}

/** `value * (100 + percent) / 100`, rounded up (so a 10% bump is never a hair under 10%). */
export function raise(value: bigint, percent: number): bigint {
  const scaled = BigInt(Math.round(percent * 100));
  return (value * (10_000n + scaled) + 9_999n) / 10_000n;
}

function atLeast(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
