import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface DrawCommitteeReturnType extends WriteResult {
  /** False when the seed could not serve the current window and was re-armed for the next one. */
  drawn: boolean;
  /** The seats assigned by this draw, one entry per member record. */
  assigned: { member: string; round: bigint; index: bigint; seats: bigint }[];
}

export type DrawCommitteeErrorType = "TaskManagerWrongPhase" | "TaskManagerSeedNotReady" | "TaskManagerTaskExpired";

/** Draws the task's pending seats from its seed inside a draw window (`TaskManager.drawCommittee`; anyone). */
export async function drawCommittee(
  client: CohortClient,
  params: { taskId: bigint },
): Promise<DrawCommitteeReturnType> {
  const result = await writeContract<boolean>(client, "manager", "drawCommittee", [
    uintArg("taskId", params.taskId, 1n),
  ]);
  const assigned = result.events
    .filter((e) => e.name === "SeatsAssigned")
    .map((e) => ({
      member: e.args.member as string,
      round: e.args.round as bigint,
      index: e.args.index as bigint,
      seats: e.args.seats as bigint,
    }));
  return { ...result, drawn: result.events.some((e) => e.name === "CommitteeDrawn"), assigned };
}
