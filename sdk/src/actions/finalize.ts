import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface FinalizeReturnType extends WriteResult {
  /** False while a task with many records still settles in batches: call again. */
  done: boolean;
}

export type FinalizeErrorType = "TaskManagerWrongPhase";

/** Settles a task after its challenge window: slashes, releases, pays (`TaskManager.finalize`; anyone). */
export async function finalize(client: CohortClient, params: { taskId: bigint }): Promise<FinalizeReturnType> {
  const result = await writeContract<boolean>(client, "manager", "finalize", [uintArg("taskId", params.taskId, 1n)]);
  return { ...result, done: result.returnValue };
}
