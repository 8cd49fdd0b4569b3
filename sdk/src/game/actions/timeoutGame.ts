import { uintArg } from "../../internal/validate.js";
import type { GameClient } from "../client.js";
import type { Side } from "../plan.js";
import { type GameWriteResult, writeGame } from "../write.js";

export type TimeoutGameErrorType = "BisectionGameClockRunning" | "BisectionGameAlreadyResolved";

/** Ends a game whose side to move ran out of time (`BisectionGame.timeout`; anyone). */
export async function timeoutGame(
  client: GameClient,
  params: { gameId: bigint },
): Promise<GameWriteResult & { winner: Side }> {
  const result = await writeGame<bigint>(client, "timeout", [uintArg("gameId", params.gameId, 1n)]);
  return { ...result, winner: Number(result.returnValue) as Side };
}
