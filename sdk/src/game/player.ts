import { hexlify } from "ethers";

import { CohortError } from "../errors/base.js";
import { ContractRevertError } from "../errors/contract.js";
import { toCohortError } from "../errors/decode.js";
import { getGame } from "./actions/reads.js";
import { writeContract } from "../internal/write.js";
import { type GameClient, gameTarget } from "./client.js";
import { type Plan, planMove, Resolution, Side } from "./plan.js";
import type { Trace } from "./trace.js";

/** What a player sent. */
export interface PlayerAction {
  kind: "move" | "prove" | "timeout";
  hash: string;
  gasUsed: bigint;
  plan: Plan;
}

export interface PlayOnceParameters {
  gameId: bigint;
  /** The side the client's signer plays. */
  side: Side;
  /** Its trace: the program's true one for an honest player (`particleTrace(input)`). */
  trace: Trace;
}

export interface PlayOnceReturnType {
  plan: Plan;
  /** What was sent, if anything (nothing while the other side is to move, or once the game has ended). */
  action: PlayerAction | undefined;
}

/**
 * Reverts that mean the game moved on between the read and the send (the other side moved, proved, or timed out
 * first): the player reads the game again rather than fail. The agents treat them the same way.
 */
export const GAME_RACE_ERRORS: ReadonlySet<string> = new Set([
  "BisectionGameAlreadyResolved",
  "BisectionGameNotYourTurn",
  "BisectionGameNotAtOneStep",
  "BisectionGameAtOneStep",
  "BisectionGameClockRunning",
]);

/** A call of the game contract that a plan asks `side` to send. */
export interface GameCall {
  kind: "move" | "prove" | "timeout";
  fn: "move" | "prove" | "timeout";
  args: unknown[];
}

/**
 * The game call `plan` asks `side` to send in game `gameId`, or undefined when there is none (the other side's turn,
 * the game over, or a timeout only the other side would gain by). The player sends it directly; the agents put it
 * in their transaction queue.
 */
export function gameCallOf(gameId: bigint, plan: Plan, side: Side): GameCall | undefined {
  if (plan.kind === "move") return { kind: "move", fn: "move", args: [gameId, plan.answer, plan.next] };
  if (plan.kind === "prove") return { kind: "prove", fn: "prove", args: [gameId, hexlify(plan.preState)] };
  if (plan.kind === "timeout" && plan.loser !== side) return { kind: "timeout", fn: "timeout", args: [gameId] };
  return undefined;
}

/**
 * Reads the game once and does what the plan says for `side`: a move on its turn, the one-step proof when one step
 * is left (on either side's turn: a true trace wins by it), the timeout when the other side ran out of time.
 */
export async function playOnce(client: GameClient, params: PlayOnceParameters): Promise<PlayOnceReturnType> {
  const game = await getGame(client, { gameId: params.gameId });
  let block: bigint;
  try {
    block = BigInt(await client.cohort.provider.getBlockNumber()) + 1n;
  } catch (error) {
    throw toCohortError(error, { errors: client.cohort.errors, url: client.cohort.url });
  }
  const plan = planMove(game, params.side, params.trace, block);
  const call = gameCallOf(params.gameId, plan, params.side);
  if (call === undefined) return { plan, action: undefined };
  try {
    const sent = await writeContract(client.cohort, gameTarget(client), call.fn, call.args);
    return { plan, action: { kind: call.kind, hash: sent.hash, gasUsed: sent.gasUsed, plan } };
  } catch (error) {
    if (error instanceof ContractRevertError && GAME_RACE_ERRORS.has(error.errorName))
      return { plan, action: undefined };
    throw error;
  }
}

export interface PlayGameParameters extends PlayOnceParameters {
  /**
   * Called when there is nothing to send (the other side's turn); the player reads the game again when it resolves.
   * Default: wait `pollMs`. A test on an automining node mines a block here.
   */
  wait?: (deadline: bigint) => Promise<void>;
  /** Default 2,000 ms (about a sixth of a mainnet block). */
  pollMs?: number;
  /** Stops the loop (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** The most rounds (reads) before giving up with `GamePlayTimeoutError` (default 100,000). */
  maxRounds?: number;
  onAction?: (action: PlayerAction) => void;
}

export interface PlayGameReturnType {
  winner: Side;
  resolution: Resolution;
  actions: PlayerAction[];
}

/** The player gave up before the game ended (`maxRounds` reads). */
export class GamePlayTimeoutError extends CohortError {
  override name = "GamePlayTimeoutError";
  constructor(gameId: bigint, rounds: number) {
    super(`Game ${gameId} did not end within ${rounds} rounds`, { meta: { gameId, rounds } });
  }
}

/**
 * Plays `side` of a game to its end with `playOnce`: every move on its turn, the proof at one step, the timeout when
 * the other side stops answering. With a true trace it wins (unless its own transactions cannot land in time).
 */
export async function playGame(client: GameClient, params: PlayGameParameters): Promise<PlayGameReturnType> {
  const actions: PlayerAction[] = [];
  const pollMs = params.pollMs ?? 2_000;
  const wait = params.wait ?? (() => new Promise<void>((resolve) => setTimeout(resolve, pollMs)));
  const rounds = params.maxRounds ?? 100_000;
  for (let round = 0; round < rounds; round++) {
    params.signal?.throwIfAborted();
    const { plan, action } = await playOnce(client, params);
    if (plan.kind === "done") {
      const game = await getGame(client, { gameId: params.gameId });
      return { winner: plan.winner, resolution: Number(game.resolution) as Resolution, actions };
    }
    if (action !== undefined) {
      actions.push(action);
      params.onAction?.(action);
    } else {
      await wait(plan.kind === "wait" ? plan.deadline : 0n);
    }
  }
  throw new GamePlayTimeoutError(params.gameId, rounds);
}
