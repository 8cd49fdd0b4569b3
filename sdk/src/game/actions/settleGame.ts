import { uintArg } from "../../internal/validate.js";
import { writeContract, type WriteResult } from "../../internal/write.js";
import type { GameClient } from "../client.js";

export type SettleGameErrorType = "TaskManagerWrongPhase" | "TaskManagerGameNotOver";

/** Applies the outcome of a task's ended game and opens the next challenge window (`settleGame`; anyone). */
export async function settleGame(client: GameClient, params: { taskId: bigint }): Promise<WriteResult> {
  return await writeContract(client.cohort, "manager", "settleGame", [uintArg("taskId", params.taskId, 1n)]);
}
