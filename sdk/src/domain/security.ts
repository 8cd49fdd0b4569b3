import { InvalidArgumentError } from "../errors/base.js";
import { CommitteeTargetUnreachableError } from "../errors/domain.js";
import { MAX_SEATS } from "./seats.js";

/**
 * How safe a committee is. Seats are drawn stake-weighted with replacement (DESIGN.md, rule 3), so the seats an
 * adversary holding a share `p` of the stake gets in a committee of `n` are Binomial(n, p), and it carries a result
 * when it holds at least the quorum. The tails are computed in log space from their largest term, so that a 1e-12 or
 * a 1e-300 tail keeps its relative precision (about 1e-13 at a few hundred seats) and large committees do not
 * overflow; `test/vectors/security.json` holds exact rational references.
 */

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1, 0 <= k <= n. */
function logPmf(n: number, k: number, p: number): number {
  const j = Math.min(k, n - k);
  let logChoose = 0;
  for (let i = 1; i <= j; i++) logChoose += Math.log((n - j + i) / i);
  return logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X = k) for X ~ Binomial(n, p); 0 for a `k` that is not an integer in [0, n]. */
export function binomialPmf(n: number, k: number, p: number): number {
  checkTrials(n);
  checkShare("p", p);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logPmf(n, k, p));
}

/**
 * ln P(X >= k) for X ~ Binomial(n, p): finite far below the smallest double (`-Infinity` only when the tail is 0).
 * Above the mean the tail is summed upward from its first term; at or below it, where the tail is at least about one
 * half, as one minus the head. Either way the sum starts at its largest term and the terms only shrink, so it stops
 * once the rest cannot matter.
 */
export function binomialTailLog(n: number, k: number, p: number): number {
  checkTrials(n);
  checkShare("p", p);
  if (!Number.isInteger(k)) throw new InvalidArgumentError("k", `expected an integer, got ${k}`, { meta: { k } });
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p === 0) return -Infinity;
  if (p === 1) return 0;
  const q = 1 - p;
  if (k > n * p) {
    let term = 1;
    let sum = 1;
    for (let i = k; i < n; i++) {
      const ratio = ((n - i) * p) / ((i + 1) * q);
      term *= ratio;
      sum += term;
      // Ratios fall as i grows: below 1/2, everything left is less than this term.
      if (ratio < 0.5 && term < sum * 1e-17) break;
    }
    return logPmf(n, k, p) + Math.log(sum);
  }
  let term = 1;
  let sum = 1;
  for (let i = k - 1; i > 0; i--) {
    const ratio = (i * q) / ((n - i + 1) * p);
    term *= ratio;
    sum += term;
    if (ratio < 0.5 && term < sum * 1e-17) break;
  }
  return Math.log1p(-Math.min(1, Math.exp(logPmf(n, k - 1, p)) * sum));
}

/**
 * P(X >= k) for X ~ Binomial(n, p): the chance that a share `p` of the stake holds at least `k` of `n` seats drawn
 * stake-weighted with replacement. `k <= 0` gives 1, `k > n` gives 0.
 */
export function binomialTail(n: number, k: number, p: number): number {
  return Math.min(1, Math.exp(binomialTailLog(n, k, p)));
}

/**
 * The chance that an adversary with `adversaryShare` of the stake holds at least `quorum` of `seats` seats, and so
 * decides the committee's result.
 */
export function committeeFailure(seats: number | bigint, quorum: number | bigint, adversaryShare: number): number {
  const n = count("seats", seats, 1);
  return binomialTail(n, count("quorum", quorum, 1, n), adversaryShare);
}

// ─── The escalation ladder ──────────────────────────────────────────────────────────────────────────────────────

/** A committee of `seats` seats whose result needs `quorum` of them (a `LadderRound` of `seats.ts` fits). */
export interface LadderStep {
  seats: number | bigint;
  quorum: number | bigint;
}

/** The chance that a share `p` carries one step of the ladder. */
export function stepCaptured(step: LadderStep, p: number): number {
  return committeeFailure(step.seats, step.quorum, p);
}

/**
 * The chance that a wrong result ends final when an honest watchtower challenges every wrong proposal: the adversary
 * must carry every step of the ladder, here with the same share `p` at each (ignoring that earlier members are
 * excluded from later rounds).
 */
export function wrongFinalAtP(ladder: readonly LadderStep[], p: number): number {
  return ladder.reduce((acc, step) => acc * stepCaptured(step, p), 1);
}

// ─── Sizing a committee ─────────────────────────────────────────────────────────────────────────────────────────

export interface SuggestCommitteeOptions {
  /** The share of the stake the adversary controls, in [0, 1]. */
  adversaryShare: number;
  /** The highest acceptable chance that it carries the quorum, in [0, 1] (1e-9, say). */
  target: number;
  /** The largest committee to consider (default `MAX_SEATS`, the most a task may ask for). */
  maxSeats?: number;
  /**
   * Only odd sizes (default false). With a strict-majority quorum an even committee `2m` is as hard to capture as the
   * odd one above it (both need `m + 1`), but a tie there stalls the round; `odd` trades a seat for that.
   */
  odd?: boolean;
}

export interface CommitteeSuggestion {
  seats: bigint;
  /** The smallest strict majority, `seats / 2 + 1`. */
  quorum: bigint;
  /** The chance that the adversary holds the quorum: at most the target. */
  failure: number;
  /**
   * The chance that the adversary holds enough seats to keep the others short of the quorum by not revealing: the
   * round ends without a result (a redraw or a refund), not with a wrong one.
   */
  stall: number;
}

/**
 * The smallest committee whose strict-majority quorum a share `adversaryShare` of the stake carries with chance at
 * most `target`. Sizes are tried from 1 up; the chance does not fall monotonically in the size (an odd size is
 * weaker than the even size below it), so the answer is the first size that meets the target.
 */
export function suggestCommittee(options: SuggestCommitteeOptions): CommitteeSuggestion {
  const p = checkShare("adversaryShare", options.adversaryShare);
  const target = checkShare("target", options.target);
  const maxSeats = count("maxSeats", options.maxSeats ?? Number(MAX_SEATS), 1, 100_000);
  const step = options.odd ? 2 : 1;
  let best = { seats: 1n, quorum: 1n, failure: p };
  for (let n = 1; n <= maxSeats; n += step) {
    const quorum = Math.floor(n / 2) + 1;
    const failure = binomialTail(n, quorum, p);
    if (failure <= target) {
      return { seats: BigInt(n), quorum: BigInt(quorum), failure, stall: binomialTail(n, n - quorum + 1, p) };
    }
    if (failure < best.failure) best = { seats: BigInt(n), quorum: BigInt(quorum), failure };
  }
  throw new CommitteeTargetUnreachableError(p, target, maxSeats, best);
}

// ─── Checks ─────────────────────────────────────────────────────────────────────────────────────────────────────

function checkTrials(n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError("n", `expected a non-negative integer, got ${n}`, { meta: { n } });
  }
}

function checkShare(name: string, value: number): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(name, `expected a probability in [0, 1], got ${String(value)}`, {
      meta: { value: String(value) },
    });
  }
  return value;
}

function count(name: string, value: number | bigint, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(name, `expected an integer in [${min}, ${max}], got ${String(value)}`, {
      meta: { value: String(value), min, max },
    });
  }
  return n;
}
