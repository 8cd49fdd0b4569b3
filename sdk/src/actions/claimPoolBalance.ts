import type { CohortClient } from "../client/create.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface ClaimPoolBalanceReturnType extends WriteResult {
  amount: bigint;
}

export type ClaimPoolBalanceErrorType = "SecurityPoolNothingToClaim";

/** Pulls what slashes credited to the signer in the pool (`SecurityPool.claim`): bounties, honest shares, treasury. */
export async function claimPoolBalance(client: CohortClient): Promise<ClaimPoolBalanceReturnType> {
  const result = await writeContract<bigint>(client, "pool", "claim", []);
  return { ...result, amount: result.returnValue };
}
