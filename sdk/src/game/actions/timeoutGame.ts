import { uintArg } from "../../internal/validate.js";
import { type GameClient, type GameWriteResult, gameTarget } from "../client.js";
import type { Side } from "../plan.js";
import { writeContract } from "../../internal/write.js";

export type TimeoutGameErrorType = "BisectionGameClockRunning" | "BisectionGameAlreadyResolved";

/** Ends a game whose side to move ran out of time (`BisectionGame.timeout`; anyone). */
export async function timeoutGame(
  client: GameClient,
  params: { gameId: bigint },
): Promise<GameWriteResult & { winner: Side }> {
  const result = await writeContract<bigint>(client.cohort, gameTarget(client), "timeout", [
    uintArg("gameId", params.gameId, 1n),
  ]);
  return { ...result, winner: Number(result.returnValue) as Side };
}
