import type { CohortClient } from "../client/create.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface ClaimCreditReturnType extends WriteResult {
  amount: bigint;
}

export type ClaimCreditErrorType = "TaskManagerNothingToClaim";

/** Pulls the signer's credit in the manager: refunds, challengers' payouts, dust (`TaskManager.claimCredit`). */
export async function claimCredit(client: CohortClient): Promise<ClaimCreditReturnType> {
  const result = await writeContract<bigint>(client, "manager", "claimCredit", []);
  return { ...result, amount: result.returnValue };
}
