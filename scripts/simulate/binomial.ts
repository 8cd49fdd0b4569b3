/**
 * The prediction math of the adversarial simulation (`npm run simulate`): binomial tails, the escalation ladder, the
 * probability that a colluding share of the stake carries every step of it, and the agreement test between a
 * measured rate and its prediction. Pure functions, no network: unit-tested in `test/simulate.binomial.test.ts`. The
 * binomial math and the ladder are the SDK's (`sdk/src/domain`); this file keeps the simulation's own statistics and
 * its `RangeError` contract for bad arguments.
 */

import {
  binomialPmf as sdkBinomialPmf,
  binomialTail as sdkBinomialTail,
  escalationLadder as sdkEscalationLadder,
  wrongFinalAtP as sdkWrongFinalAtP,
} from "../../sdk/src/domain/index.js";

/** P(X = k) for X ~ Binomial(n, p) (the SDK's, `sdk/src/domain/security.ts`). */
export function binomialPmf(n: number, k: number, p: number): number {
  checkTrials(n);
  checkProbability(p);
  return sdkBinomialPmf(n, k, p);
}

/**
 * P(X >= k) for X ~ Binomial(n, p): the chance that a colluding share `p` of the stake holds at least `k` of `n`
 * seats drawn stake-weighted with replacement. `k <= 0` gives 1, `k > n` gives 0. The SDK's tail, computed in log
 * space so that tiny tails keep their relative precision.
 */
export function binomialTail(n: number, k: number, p: number): number {
  checkTrials(n);
  checkProbability(p);
  if (!Number.isInteger(k)) throw new RangeError(`binomialTail: k must be an integer, got ${k}`);
  return sdkBinomialTail(n, k, p);
}

/** One step of the escalation ladder: a committee of `seats` seats whose result needs `quorum` of them. */
export interface LadderStep {
  seats: number;
  quorum: number;
}

/**
 * The escalation ladder of a task: its first committee (`seats`, `quorum`), then up to `maxEscalations` rounds of
 * `2 s + 1` seats with quorum `s + 1` for a challenged round of `s` seats, capped as the contract caps them (no round
 * above 129 seats: the SDK's `escalationLadder`). 9 seats with 3 escalations: 9, 19, 39, 79 seats, quorums 5, 10, 20,
 * 40.
 */
export function escalationLadder(seats: number, quorum: number, maxEscalations: number): LadderStep[] {
  if (!Number.isInteger(seats) || seats < 1) throw new RangeError(`escalationLadder: bad seats ${seats}`);
  if (!Number.isInteger(quorum) || quorum <= Math.floor(seats / 2) || quorum > seats)
    throw new RangeError(`escalationLadder: quorum ${quorum} is not a strict majority of ${seats}`);
  if (!Number.isInteger(maxEscalations) || maxEscalations < 0)
    throw new RangeError(`escalationLadder: bad maxEscalations ${maxEscalations}`);
  return sdkEscalationLadder(BigInt(seats), BigInt(quorum), BigInt(maxEscalations)).map((r) => ({
    seats: Number(r.seats),
    quorum: Number(r.quorum),
  }));
}

/** The chance that a colluding share `p` carries one ladder step: P(Binomial(seats, p) >= quorum). */
export function stepCaptured(step: LadderStep, p: number): number {
  return binomialTail(step.seats, step.quorum, p);
}

/**
 * The chance that a wrong result is final when an honest watchtower challenges every wrong proposal: every step of
 * the ladder must be carried, here with the same adversarial share `p` at every step (no exclusion effect). This is
 * the figure the defaults are chosen by.
 */
export function wrongFinalAtP(ladder: LadderStep[], p: number): number {
  checkProbability(p);
  return sdkWrongFinalAtP(ladder, p);
}

/**
 * The adversarial share of the stake still eligible for a task's next escalation round: every worker's weight, minus
 * the members of earlier rounds (excluded from later committees); `null` when nothing is eligible.
 */
export function eligibleAdversarialShare(
  weights: ReadonlyMap<string, bigint>,
  adversarial: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
): number | null {
  let total = 0n;
  let bad = 0n;
  for (const [worker, weight] of weights) {
    if (excluded.has(worker)) continue;
    total += weight;
    if (adversarial.has(worker)) bad += weight;
  }
  if (total === 0n) return null;
  return Number(bad) / Number(total);
}

/** The standard error of a rate with probability `predicted` measured over `trials` independent trials. */
export function standardError(predicted: number, trials: number): number {
  checkProbability(predicted);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`standardError: bad trials ${trials}`);
  return Math.sqrt((predicted * (1 - predicted)) / trials);
}

/**
 * Whether a measured rate agrees with its prediction: `|measured - predicted| <= 3 SE + 0.5 / trials`. The measured
 * rate is a count over `trials`, so it moves in steps of `1 / trials`; the `0.5 / trials` term is the continuity
 * correction for that discreteness (without it a prediction of, say, 1e-9 would "disagree" with any count but 0
 * only by luck, and a count of 1 out of 30 against a prediction of 0.01 would fail although it is the nearest count).
 */
export function agrees(measured: number, predicted: number, trials: number): boolean {
  const tolerance = 3 * standardError(predicted, trials) + 0.5 / trials;
  return Math.abs(measured - predicted) <= tolerance;
}

/**
 * The chance that `agrees` rejects a rate measured over `trials` trials although every trial is an independent
 * event of probability `predicted` (the model is right): the test's false-alarm rate, computed exactly.
 */
export function falseAlarm(predicted: number, trials: number): number {
  let p = 0;
  for (let x = 0; x <= trials; x++) if (!agrees(x / trials, predicted, trials)) p += binomialPmf(trials, x, predicted);
  return Math.min(1, p);
}

function checkTrials(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial: n must be a non-negative integer, got ${n}`);
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial: p must lie in [0, 1], got ${p}`);
}
