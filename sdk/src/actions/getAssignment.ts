import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { addressArg, uintArg } from "../internal/validate.js";
import { RecordStatus, nameOf, type Assignment } from "../types.js";

export interface GetAssignmentReturnType extends Assignment {
  /** The task's current round (the round the assignment belongs to). */
  round: bigint;
  statusName: string;
}

/** A member's live record in the task's current round, if any (`assignmentOf`). */
export async function getAssignment(
  client: CohortClient,
  params: { taskId: bigint; member: string },
): Promise<GetAssignmentReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const member = addressArg("member", params.member);
  const [assignment, info] = await Promise.all([
    readContract<unknown>(client, "manager", "assignmentOf", [taskId, member]).then((r) => toPlain<Assignment>(r)),
    readContract<unknown>(client, "manager", "taskOf", [taskId]).then((r) => toPlain<{ round: bigint }>(r)),
  ]);
  return { ...assignment, round: info.round, statusName: nameOf(RecordStatus, assignment.record.status) };
}
