import { getBytes, hexlify } from "ethers";

import type { CohortClient } from "../client/create.js";
import { resultHashOf } from "../domain/commitment.js";
import { InvalidArgumentError } from "../errors/base.js";
import { NotAssignedError, ResultHashMismatchError } from "../errors/task.js";
import { deriveSalt } from "../internal/salt.js";
import { requireSigner } from "../internal/signer.js";
import { bytes32Arg, uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";
import { getAssignment } from "./getAssignment.js";

export interface RevealParameters {
  taskId: bigint;
  /** The result hash; computed from `result` when omitted. */
  resultHash?: string;
  /** The result bytes, emitted with the reveal (small results); must hash to `resultHash`. */
  result?: Uint8Array | string;
  /** The salt used at commit; default: derived again from the signer (`deriveSalt`). */
  salt?: string;
}

export interface RevealReturnType extends WriteResult {
  round: bigint;
  index: bigint;
  resultHash: string;
  /** Seats that revealed this result so far in the round, the caller's included. */
  seatsForResult: bigint;
}

export type RevealErrorType = "TaskManagerWrongPhase" | "TaskManagerRevealMismatch" | "TaskManagerResultHashMismatch";

/** Reveals the committed result (`TaskManager.reveal`). */
export async function reveal(client: CohortClient, params: RevealParameters): Promise<RevealReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const resultBytes = params.result === undefined ? new Uint8Array() : getBytes(params.result);
  let resultHash: string;
  if (params.resultHash !== undefined) {
    resultHash = bytes32Arg("resultHash", params.resultHash);
    if (params.result !== undefined && resultHashOf(resultBytes) !== resultHash) {
      throw new ResultHashMismatchError(resultHash, resultHashOf(resultBytes));
    }
  } else if (params.result !== undefined) {
    resultHash = resultHashOf(resultBytes);
  } else {
    throw new InvalidArgumentError("resultHash", "give the result hash or the result bytes");
  }
  const signer = requireSigner(client, "TaskManager.reveal");
  const member = await signer.getAddress();
  const assignment = await getAssignment(client, { taskId, member });
  if (!assignment.found) throw new NotAssignedError(taskId, member, assignment.round);
  const salt =
    params.salt === undefined
      ? await deriveSalt(signer, {
          chainId: client.chainId,
          manager: client.addresses.taskManager,
          taskId,
          round: assignment.round,
          index: assignment.index,
        })
      : bytes32Arg("salt", params.salt);
  const result = await writeContract(client, "manager", "reveal", [
    taskId,
    assignment.index,
    resultHash,
    salt,
    hexlify(resultBytes),
  ]);
  const event = result.events.find((e) => e.name === "Revealed");
  return {
    ...result,
    round: assignment.round,
    index: assignment.index,
    resultHash,
    seatsForResult: (event?.args.seatsForResult as bigint | undefined) ?? 0n,
  };
}
