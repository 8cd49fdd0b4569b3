import type { CohortClient } from "../client/create.js";
import { bytes32Arg, uintArg } from "../internal/validate.js";
import { readContract, toPlain } from "../internal/read.js";
import { simulateContract, writeContract, type WriteResult } from "../internal/write.js";
import { approveFor } from "./approve.js";

export interface ChallengeParameters {
  taskId: bigint;
  /** The result hash the challenger claims is right instead of the proposed one. */
  claimedResult: string;
  /** Default: the task's current floor (`challengeBondFloor`). */
  bond?: bigint;
  /** Approve the manager for exactly the missing allowance for the bond, once only the allowance is missing. */
  approve?: boolean;
}

export interface ChallengeReturnType extends WriteResult {
  /** The ladder step the challenge opened. */
  step: bigint;
  bond: bigint;
  approval: WriteResult | undefined;
}

export type ChallengeErrorType =
  | "TaskManagerChallengeWindowClosed"
  | "TaskManagerAlreadyChallenged"
  | "TaskManagerNoEscalationLeft"
  | "TaskManagerChallengeBondTooLow"
  | "TaskManagerClaimNotDifferent";

/** Challenges the proposed result with a bond, opening an escalation round (`TaskManager.challenge`). */
export async function challenge(client: CohortClient, params: ChallengeParameters): Promise<ChallengeReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const claimedResult = bytes32Arg("claimedResult", params.claimedResult);
  const bond =
    params.bond === undefined
      ? toPlain<{ challengeBondFloor: bigint }>(await readContract(client, "manager", "taskOf", [taskId]))
          .challengeBondFloor
      : uintArg("bond", params.bond);
  const approval = params.approve
    ? await approveFor(client, {
        spender: client.addresses.taskManager,
        amount: bond,
        functionName: "TaskManager.challenge",
        simulate: () => simulateContract(client, "manager", "challenge", [taskId, claimedResult, bond]),
      })
    : undefined;
  const result = await writeContract<bigint>(client, "manager", "challenge", [taskId, claimedResult, bond]);
  return { ...result, step: result.returnValue, bond, approval };
}
