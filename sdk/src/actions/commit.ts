import type { CohortClient } from "../client/create.js";
import { computeCommitment } from "../domain/commitment.js";
import { NotAssignedError } from "../errors/task.js";
import { deriveSalt } from "../internal/salt.js";
import { requireSigner } from "../internal/signer.js";
import { bytes32Arg, uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";
import { getAssignment } from "./getAssignment.js";

export interface CommitParameters {
  taskId: bigint;
  resultHash: string;
  /** Default: derived from the signer's signature (`deriveSalt`), so the reveal can recompute it from the key alone. */
  salt?: string;
}

export interface CommitReturnType extends WriteResult {
  round: bigint;
  index: bigint;
  commitment: string;
  salt: string;
}

export type CommitErrorType =
  "NotAssignedError" | "TaskManagerWrongPhase" | "TaskManagerNotSeatHolder" | "TaskManagerWrongRecordStatus";

/** Commits the signer's result for its seats in the task's current round (`TaskManager.commit`). */
export async function commit(client: CohortClient, params: CommitParameters): Promise<CommitReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const resultHash = bytes32Arg("resultHash", params.resultHash);
  const signer = requireSigner(client, "TaskManager.commit");
  const member = await signer.getAddress();
  const assignment = await getAssignment(client, { taskId, member });
  if (!assignment.found) throw new NotAssignedError(taskId, member, assignment.round);
  const fields = { chainId: client.chainId, manager: client.addresses.taskManager, taskId, round: assignment.round };
  const salt =
    params.salt === undefined
      ? await deriveSalt(signer, { ...fields, index: assignment.index })
      : bytes32Arg("salt", params.salt);
  const commitment = computeCommitment({ ...fields, member, resultHash, salt });
  const result = await writeContract(client, "manager", "commit", [taskId, assignment.index, commitment]);
  return { ...result, round: assignment.round, index: assignment.index, commitment, salt };
}
