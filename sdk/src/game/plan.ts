import type { Trace } from "./trace.js";

/** `IBisectionGameTypes.Side`. */
export const Side = { None: 0, Defender: 1, Challenger: 2 } as const;
export type Side = (typeof Side)[keyof typeof Side];

/** `IBisectionGameTypes.Resolution`. */
export const Resolution = { None: 0, NoSteps: 1, OneStep: 2, Timeout: 3 } as const;
export type Resolution = (typeof Resolution)[keyof typeof Resolution];

/** What the planner needs of a game (`BisectionGame.gameOf`, numbers as bigints, as ethers returns them). */
export interface GameView {
  steps: bigint;
  lo: bigint;
  hi: bigint;
  loHash: string;
  pending: string;
  turn: bigint | number;
  turnStart: bigint;
  defenderClock: bigint;
  challengerClock: bigint;
  winner: bigint | number;
}

/**
 * The next thing a side should do. `move`: send `move(gameId, answer, next)` (`lo`, `hi`: the interval it leaves).
 * `prove`: one step is left; send `prove(gameId, preState)` with the state at `index` (anyone may, whoever's turn it
 * is, and a side whose trace is true wins by it). `timeout`: `loser`'s clock ran out; anyone may call `timeout`.
 * `wait`: the other side's turn, until `deadline`. `done`: the game has ended.
 */
export type Plan =
  | { kind: "move"; answer: string; next: string; lo: number; hi: number }
  | { kind: "prove"; index: number; preState: Uint8Array }
  | { kind: "timeout"; loser: Side }
  | { kind: "wait"; deadline: bigint }
  | { kind: "done"; winner: Side };

const ZERO = "0x" + "0".repeat(64);

/** The index a move posts at for the interval [lo, hi] (the contract's `lo + (hi - lo) / 2`). */
export function midOf(lo: number, hi: number): number {
  return lo + Math.floor((hi - lo) / 2);
}

/** The side to move and the last block it may act in (`BisectionGame.deadlineOf`). */
export function deadlineOf(game: GameView): { side: Side; deadline: bigint } {
  const side = Number(game.turn) as Side;
  const clock = side === Side.Defender ? game.defenderClock : game.challengerClock;
  return { side, deadline: game.turnStart + clock };
}

/**
 * What `side` should do next in `game`, playing `trace` (its view of the trace: an honest side passes the program's
 * true one), for a transaction mined in block `block`. Pure: the caller sends what it returns. A side whose trace is
 * true wins every game it plays this way: it only agrees with true hashes, and proves the last step.
 */
export function planMove(game: GameView, side: Side, trace: Trace, block: bigint): Plan {
  const winner = Number(game.winner) as Side;
  if (winner !== Side.None) return { kind: "done", winner };
  const lo = Number(game.lo);
  const hi = Number(game.hi);
  const pending = game.pending.toLowerCase();
  const { side: toMove, deadline } = deadlineOf(game);
  const atOneStep = pending === ZERO && hi - lo === 1;
  // Past the deadline only a timeout decides: a move or a proof would be refused.
  if (block > deadline) return { kind: "timeout", loser: toMove };
  if (atOneStep) return { kind: "prove", index: lo, preState: trace.stateAt(lo) };
  if (toMove !== side) return { kind: "wait", deadline };
  const mid = midOf(lo, hi);
  const answer = trace.hashAt(mid);
  if (pending === ZERO) return { kind: "move", answer, next: ZERO, lo, hi };
  const [newLo, newHi] = answer.toLowerCase() === pending ? [mid, hi] : [lo, mid];
  const next = newHi - newLo > 1 ? trace.hashAt(midOf(newLo, newHi)) : ZERO;
  return { kind: "move", answer, next, lo: newLo, hi: newHi };
}

/** The moves a game over `steps` steps takes at most: one per halving plus the first (none for one step). */
export function maxMoves(steps: number): number {
  return steps <= 1 ? 0 : Math.ceil(Math.log2(steps)) + 1;
}
