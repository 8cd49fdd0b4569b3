import { InvalidArgumentError } from "../errors/base.js";
import { uintArg } from "../internal/validate.js";
import { NoQuorumRule } from "../types.js";

/**
 * Seat math, mirrored from the contracts so that a client can plan before it sends: how many seats a stake backs, the
 * escalation ladder a task gets, the least challenge bond, and how long a task can live. `test/vectors/seats.json`
 * holds vectors; `test/sdk/seats.chain.test.ts` checks them against the deployed contracts' views.
 */

// ─── The contracts' bounds (TaskManagerStorage) ─────────────────────────────────────────────────────────────────

/** The most seats a task's first committee has. */
export const MAX_SEATS = 64n;
/** The most seats any round has, escalation rounds included (`2 * 64 + 1`). */
export const MAX_ROUND_SEATS = 129n;
/** The most escalation rounds (challenges) a task's rules may allow. */
export const MAX_ESCALATIONS = 3n;
export const MAX_REPLACEMENT_DRAWS = 3n;
export const MAX_REDRAWS = 3n;
export const MIN_WINDOW_BLOCKS = 1n;
export const MAX_WINDOW_BLOCKS = 100_000n;
/** The most bytes of inline input or URI a task carries. */
export const MAX_INPUT_BYTES = 16_384;
/** The most result bytes a reveal carries. */
export const MAX_RESULT_BYTES = 16_384;

// ─── Stake and seats ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The most seats a worker's free (active, unlocked) stake can still back: `floor(free / seatBond)`. A draw that lands
 * more seats on a worker than this gets a `Declined` record (`SecurityPool.tryLockSeats`).
 */
export function seatCapacity(free: bigint, seatBond: bigint): bigint {
  return uintArg("free", free) / uintArg("seatBond", seatBond, 1n);
}

/** The stake `seats` seats lock: `seats * seatBond`. */
export function seatLock(seats: bigint, seatBond: bigint): bigint {
  return uintArg("seats", seats) * uintArg("seatBond", seatBond);
}

/** The smallest strict majority of `seats` (`seats / 2 + 1`): the least quorum a task may ask for. */
export function strictMajority(seats: bigint): bigint {
  return uintArg("seats", seats, 1n) / 2n + 1n;
}

// ─── The escalation ladder ──────────────────────────────────────────────────────────────────────────────────────

/** One round of the escalation ladder: ladder step `step` (0 for the first committee) and its size and quorum. */
export interface LadderRound {
  step: number;
  seats: bigint;
  quorum: bigint;
}

/**
 * The escalations a task of `seats` seats gets (`TaskManager._escalationsFitting`): its rules' `maxEscalations`, less
 * any step whose round (`seats`, `2 seats + 1`, ...) would pass `MAX_ROUND_SEATS`. This is `taskOf().maxEscalations`.
 */
export function escalationsFitting(seats: bigint, maxEscalations: bigint): bigint {
  let s = uintArg("seats", seats, 1n);
  const max = uintArg("maxEscalations", maxEscalations);
  let escalations = 0n;
  while (escalations < max && 2n * s + 1n <= MAX_ROUND_SEATS) {
    s = 2n * s + 1n;
    escalations++;
  }
  return escalations;
}

/**
 * Every round a task can go through, in ladder order: its first committee (`seats`, `quorum`), then one round of
 * `2 s + 1` seats and quorum `s + 1` per challenge, as many as `escalationsFitting` allows. 9 seats with 3 escalations:
 * 9, 19, 39, 79 seats; 64 seats: 64 and 129, whatever the rules allow.
 */
export function escalationLadder(seats: bigint, quorum: bigint, maxEscalations: bigint): LadderRound[] {
  const s0 = uintArg("seats", seats, 1n);
  uintArg("quorum", quorum, strictMajority(s0), s0);
  const rounds: LadderRound[] = [{ step: 0, seats: s0, quorum }];
  let s = s0;
  for (let k = 1n; k <= escalationsFitting(s0, maxEscalations); k++) {
    rounds.push({ step: Number(k), seats: 2n * s + 1n, quorum: s + 1n });
    s = 2n * s + 1n;
  }
  return rounds;
}

// ─── Challenges ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface BondFloorInput {
  /** Seats of the round whose result would be challenged (`taskOf().seats`). */
  seats: bigint;
  /** Challenges accepted so far (`taskOf().escalations`): 0 for the first committee's result. */
  escalations?: bigint;
  /** The task's reward. */
  reward: bigint;
  /** The task's `config.challengeBondPerSeat`. */
  challengeBondPerSeat: bigint;
}

/**
 * The least bond a challenge of the current proposed result needs (`taskOf().challengeBondFloor`): the next round's
 * `2 s + 1` seats, each priced at the larger of `challengeBondPerSeat` and the task's own reward per first-round seat
 * rounded up (the `Config.challengeBondPerSeat` NatSpec). The first round's seats are recovered from the ladder:
 * `s_k + 1 = (s_0 + 1) 2^k`.
 */
export function challengeBondFloor(input: BondFloorInput): bigint {
  const seats = uintArg("seats", input.seats, 1n);
  const escalations = uintArg("escalations", input.escalations ?? 0n, 0n, MAX_ESCALATIONS);
  const reward = uintArg("reward", input.reward);
  const perSeatFloor = uintArg("challengeBondPerSeat", input.challengeBondPerSeat);
  const divisor = 1n << escalations;
  if ((seats + 1n) % divisor !== 0n || (seats + 1n) / divisor < 2n) {
    throw new InvalidArgumentError("seats", `${seats} seats is no round of a ladder after ${escalations} escalations`, {
      meta: { seats, escalations },
    });
  }
  const firstSeats = (seats + 1n) / divisor - 1n;
  const ownPrice = (reward + firstSeats - 1n) / firstSeats;
  return (2n * seats + 1n) * (ownPrice > perSeatFloor ? ownPrice : perSeatFloor);
}

// ─── A task's life ──────────────────────────────────────────────────────────────────────────────────────────────

export interface LifeBoundRequest {
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  /** `NoQuorumRule.Redraw` (0) or `Refund` (1), or their names. */
  noQuorumRule: number | bigint | "redraw" | "refund";
}

export interface LifeBoundConfig {
  maxReplacementDraws: bigint;
  maxEscalations: bigint;
  maxRedraws: bigint;
}

/**
 * `TaskManager.lifeBound`: the most blocks a task posted now can live if someone moves it on at each step. Per draw,
 * three epochs for the seed plus the commit window; `1 + maxReplacementDraws` draws and a reveal window per round;
 * `1 + maxEscalations` ladder steps plus, under `Redraw`, `maxRedraws` fresh rounds; `1 + maxEscalations` challenge
 * windows. It takes the rules' `maxEscalations` as configured (not as a task's seats cap it), as the contract does.
 * `createTask` refuses a task whose bound passes the pool's unbonding period, and sets `expiresAt = block + bound`.
 */
export function lifeBound(request: LifeBoundRequest, config: LifeBoundConfig, epochBlocks: bigint): bigint {
  const commit = uintArg("commitBlocks", request.commitBlocks);
  const reveal = uintArg("revealBlocks", request.revealBlocks);
  const challenge = uintArg("challengeBlocks", request.challengeBlocks);
  const epoch = uintArg("epochBlocks", epochBlocks);
  const perDraw = 3n * epoch + commit;
  const perRound = (1n + uintArg("maxReplacementDraws", config.maxReplacementDraws)) * perDraw + reveal;
  const steps = 1n + uintArg("maxEscalations", config.maxEscalations);
  const rounds =
    noQuorumRuleOf(request.noQuorumRule) === NoQuorumRule.Redraw
      ? steps + uintArg("maxRedraws", config.maxRedraws)
      : steps;
  return rounds * perRound + steps * challenge;
}

function noQuorumRuleOf(rule: LifeBoundRequest["noQuorumRule"]): number {
  if (rule === "redraw") return NoQuorumRule.Redraw;
  if (rule === "refund") return NoQuorumRule.Refund;
  return Number(uintArg("noQuorumRule", rule, 0n, 1n));
}
