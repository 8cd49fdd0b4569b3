import type { CohortClient } from "../client/create.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface WithdrawReturnType extends WriteResult {
  amount: bigint;
}

export type WithdrawErrorType = "SecurityPoolNothingToWithdraw" | "SecurityPoolStillUnbonding";

/** Pays out the signer's unbonding stake once its period is over (`SecurityPool.withdraw`). */
export async function withdraw(client: CohortClient): Promise<WithdrawReturnType> {
  const result = await writeContract<bigint>(client, "pool", "withdraw", []);
  return { ...result, amount: result.returnValue };
}
