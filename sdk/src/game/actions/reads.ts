import { readContract, toPlain } from "../../internal/read.js";
import { uintArg } from "../../internal/validate.js";
import type { GameClient } from "../client.js";
import type { GameView } from "../plan.js";

/** `IBisectionGameTypes.Game`, as the SDK returns it. */
export interface GameInfo extends GameView {
  arbiter: string;
  verifier: string;
  defender: string;
  challenger: string;
  defenderHiHash: string;
  challengerHiHash: string;
  extensionBlocks: bigint;
  moves: bigint;
  resolution: bigint;
}

/** `ITaskManagerTypes.TaskGameInfo`. */
export interface TaskGameInfo {
  verifier: string;
  clockBlocks: bigint;
  extensionBlocks: bigint;
  games: bigint;
  topGame: bigint;
  gameBondFloor: bigint;
}

/** `ITaskManagerTypes.GameChallenge`. */
export interface GameChallengeInfo {
  challenger: string;
  bond: bigint;
  claimedResult: string;
  defendedResult: string;
  gameId: bigint;
  defender: string;
  defenderRound: bigint;
  defenderIndex: bigint;
  outcome: bigint;
  payout: bigint;
}

/** A game (`BisectionGame.gameOf`; zeroes for an unknown id). */
export async function getGame(client: GameClient, params: { gameId: bigint }): Promise<GameInfo> {
  const id = uintArg("gameId", params.gameId, 1n);
  return toPlain<GameInfo>(await client.game.getFunction("gameOf").staticCall(id));
}

/** A task's game settings and state (`TaskManager.taskGameOf`). */
export async function getTaskGame(client: GameClient, params: { taskId: bigint }): Promise<TaskGameInfo> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  return toPlain<TaskGameInfo>(await readContract(client.cohort, "manager", "taskGameOf", [taskId]));
}

/** Game challenge `game` of a task (`TaskManager.gameChallengeOf`). */
export async function getGameChallenge(
  client: GameClient,
  params: { taskId: bigint; game: bigint },
): Promise<GameChallengeInfo> {
  const args = [uintArg("taskId", params.taskId, 1n), uintArg("game", params.game, 1n)];
  return toPlain<GameChallengeInfo>(await readContract(client.cohort, "manager", "gameChallengeOf", args));
}
