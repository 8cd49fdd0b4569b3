import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";
import { ensureAllowance } from "./approve.js";

export interface StakeParameters {
  /** Token amount, in the token's smallest unit. */
  amount: bigint;
  /** Approve the pool for exactly the missing allowance first (default false: the caller approved already). */
  approve?: boolean;
}

export interface StakeReturnType extends WriteResult {
  /** The approval sent first, if any. */
  approval: WriteResult | undefined;
  /** The worker's active stake after the call. */
  active: bigint;
}

export type StakeErrorType =
  "SecurityPoolBelowMinimumStake" | "SecurityPoolStakeTooLarge" | "ERC20InsufficientAllowance";

/** Adds stake to the pool for the signer (`SecurityPool.stake`). Its weight may wait for the draw window to close. */
export async function stake(client: CohortClient, params: StakeParameters): Promise<StakeReturnType> {
  const amount = uintArg("amount", params.amount, 1n);
  const approval = params.approve ? await ensureAllowance(client, client.addresses.securityPool, amount) : undefined;
  const result = await writeContract(client, "pool", "stake", [amount]);
  const staked = result.events.find((e) => e.name === "Staked");
  return { ...result, approval, active: (staked?.args.active as bigint | undefined) ?? 0n };
}
