import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export type ExpireReturnType = WriteResult;
export type ExpireErrorType = "TaskManagerNotExpired" | "TaskManagerWrongPhase";

/** Refunds a task that got no committee by its `expiresAt` (`TaskManager.expire`; anyone). */
export async function expire(client: CohortClient, params: { taskId: bigint }): Promise<ExpireReturnType> {
  return await writeContract(client, "manager", "expire", [uintArg("taskId", params.taskId, 1n)]);
}
