import { Contract, ZeroAddress } from "ethers";
import type { Logger } from "pino";

import { bisectionGameAbi } from "../abi/index.js";
import type { CohortClient } from "../client/create.js";
import { CohortError } from "../errors/base.js";
import { ContractRevertError } from "../errors/contract.js";
import { readContract, toPlain } from "../internal/read.js";
import type { Head } from "../tx/fees.js";
import type { TxQueue, TxRequest } from "../tx/queue.js";
import type { GameChallengeInfo, GameInfo, TaskGameInfo } from "./actions/reads.js";
import { deadlineOf, planMove, Side } from "./plan.js";
import { GAME_RACE_ERRORS, gameCallOf } from "./player.js";
import type { Trace } from "./trace.js";

/**
 * How the agents play a game: every turn is planned again from the game's state on chain (`planMove`) and sent
 * through the agent's transaction queue under a key that names the game and its move number, so a repeated look, or
 * a look after a restart, never sends the same move twice, and a move already on its way is followed, not replaced.
 */

/** The task manager's `MAX_GAMES`. */
export const MAX_GAMES = 3n;

/** Refusals that mean another party got there first (a defender already assigned, the game already settled). */
const TASK_RACE_ERRORS = new Set(["TaskManagerGameDefended", "TaskManagerWrongPhase", "TaskManagerGameNotOver"]);

/** The deployment's game contract, for reads and for encoding calls (the queue signs them). */
export interface AgentGame {
  address: string;
  contract: Contract;
}

/** Binds the manager's bisection game, or undefined if the deployment has none. */
export async function bindAgentGame(client: CohortClient): Promise<AgentGame | undefined> {
  const address = await readContract<string>(client, "manager", "bisectionGame");
  if (address === ZeroAddress) return undefined;
  return { address, contract: new Contract(address, bisectionGameAbi, client.provider) };
}

/** A task's game settings, and (once one was opened) its latest game challenge and that game's state. */
export interface CurrentGame {
  info: TaskGameInfo;
  /** The latest game's number within the task (0: none yet). */
  game: bigint;
  challenge: GameChallengeInfo | undefined;
  state: GameInfo | undefined;
}

export async function readCurrentGame(client: CohortClient, game: AgentGame, taskId: bigint): Promise<CurrentGame> {
  const info = toPlain<TaskGameInfo>(await readContract(client, "manager", "taskGameOf", [taskId]));
  if (info.games === 0n) return { info, game: 0n, challenge: undefined, state: undefined };
  const challenge = toPlain<GameChallengeInfo>(
    await readContract(client, "manager", "gameChallengeOf", [taskId, info.games]),
  );
  const state = toPlain<GameInfo>(await game.contract.getFunction("gameOf").staticCall(challenge.gameId));
  return { info, game: info.games, challenge, state };
}

/** The side `account` plays in the game of `challenge` (`None` if it is not a party). */
export function sideOf(challenge: GameChallengeInfo | undefined, account: string): Side {
  if (challenge === undefined) return Side.None;
  if (challenge.challenger.toLowerCase() === account.toLowerCase()) return Side.Challenger;
  if (challenge.defender.toLowerCase() === account.toLowerCase()) return Side.Defender;
  return Side.None;
}

export interface GameTurnContext {
  client: CohortClient;
  queue: TxQueue;
  game: AgentGame;
  log: Logger;
}

/** What a turn did: `sent` names the call put in the queue (or already on its way), `note` why. */
export interface GameTurn {
  sent: "move" | "prove" | "timeout" | "settleGame" | undefined;
  note: string;
  /** The game has ended (resolved in the game contract). */
  ended: boolean;
}

/**
 * One turn of `side` in the task's running game: the move on its turn, the proof at one step (anyone's turn), the
 * timeout once the other side's clock ran out, and, once the game has ended, `settleGame` on the manager.
 */
export async function takeGameTurn(
  ctx: GameTurnContext,
  params: { taskId: bigint; current: CurrentGame; side: Side; trace: Trace; head: Head },
): Promise<GameTurn> {
  const { current, side, taskId, head } = params;
  const { challenge, state } = current;
  if (challenge === undefined || state === undefined) return { sent: undefined, note: "no game", ended: false };
  const gameId = challenge.gameId;
  const plan = planMove(state, side, params.trace, BigInt(head.number + 1));
  let request: TxRequest;
  let sent: GameTurn["sent"];
  if (plan.kind === "done") {
    sent = "settleGame";
    request = {
      key: `settleGame:${taskId}:${current.game}`,
      label: "settleGame",
      taskId,
      to: ctx.client.addresses.taskManager,
      data: ctx.client.manager.interface.encodeFunctionData("settleGame", [taskId]),
    };
  } else {
    const call = gameCallOf(gameId, plan, side);
    if (call === undefined) {
      return { sent: undefined, note: plan.kind === "wait" ? "the other side's turn" : "waiting", ended: false };
    }
    sent = call.kind;
    request = {
      key: call.kind === "move" ? `move:${gameId}:${state.moves}` : `${call.kind}:${gameId}`,
      label: call.kind === "timeout" ? "timeoutGame" : call.kind,
      taskId,
      to: ctx.game.address,
      data: ctx.game.contract.interface.encodeFunctionData(call.fn, call.args),
      // A move or a proof must land while the side to move still has time: fees rise as that block nears.
      ...(call.kind === "timeout" ? {} : { deadline: Number(deadlineOf(state).deadline) }),
    };
  }
  try {
    await ctx.queue.submit(request, head);
    ctx.log.info({ gameId: gameId.toString(), call: request.label, lo: state.lo, hi: state.hi }, "game call queued");
  } catch (error) {
    const race =
      error instanceof ContractRevertError &&
      (GAME_RACE_ERRORS.has(error.errorName) || TASK_RACE_ERRORS.has(error.errorName));
    if (race || (error instanceof CohortError && error.name === "TxQueueFullError")) {
      ctx.log.debug({ gameId: gameId.toString(), call: request.label, err: (error as Error).message }, "not now");
      return { sent: undefined, note: "the game moved on", ended: plan.kind === "done" };
    }
    throw error;
  }
  return { sent, note: `game ${gameId}: ${request.label}`, ended: plan.kind === "done" };
}
