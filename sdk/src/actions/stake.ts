import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { simulateContract, writeContract, type WriteResult } from "../internal/write.js";
import { approveFor } from "./approve.js";

export interface StakeParameters {
  /** Token amount, in the token's smallest unit. */
  amount: bigint;
  /**
   * Approve the pool for exactly the missing allowance first, once a simulation shows that only the allowance is
   * missing (default false: the caller approved already).
   */
  approve?: boolean;
}

export interface StakeReturnType extends WriteResult {
  /** The approval sent first, if any. */
  approval: WriteResult | undefined;
  /** The worker's active stake after the call. */
  active: bigint;
}

export type StakeErrorType =
  | "SecurityPoolBelowMinimumStake"
  | "SecurityPoolStakeTooLarge"
  | "ERC20InsufficientAllowance"
  | "ERC20InsufficientBalance";

/** Adds stake to the pool for the signer (`SecurityPool.stake`). Its weight may wait for the draw window to close. */
export async function stake(client: CohortClient, params: StakeParameters): Promise<StakeReturnType> {
  const amount = uintArg("amount", params.amount, 1n);
  const approval = params.approve
    ? await approveFor(client, {
        spender: client.addresses.securityPool,
        amount,
        functionName: "SecurityPool.stake",
        simulate: () => simulateContract(client, "pool", "stake", [amount]),
      })
    : undefined;
  const result = await writeContract(client, "pool", "stake", [amount]);
  const staked = result.events.find((e) => e.name === "Staked");
  return { ...result, approval, active: (staked?.args.active as bigint | undefined) ?? 0n };
}
