import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export type ReplaceNoShowsReturnType = WriteResult;
export type ReplaceNoShowsErrorType = "TaskManagerWrongPhase";

/** Penalizes members that missed the commit deadline and arms a replacement draw (`replaceNoShows`; anyone). */
export async function replaceNoShows(
  client: CohortClient,
  params: { taskId: bigint },
): Promise<ReplaceNoShowsReturnType> {
  return await writeContract(client, "manager", "replaceNoShows", [uintArg("taskId", params.taskId, 1n)]);
}
