import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface RequestUnstakeParameters {
  amount: bigint;
}

export interface RequestUnstakeReturnType extends WriteResult {
  /** The block from which `withdraw` pays this and all earlier unbonding stake. */
  unbondingEnd: bigint;
}

export type RequestUnstakeErrorType = "SecurityPoolInsufficientFreeStake" | "SecurityPoolBelowMinimumStake";

/** Moves free (unlocked) active stake into unbonding (`SecurityPool.requestUnstake`); it stays slashable until then. */
export async function requestUnstake(
  client: CohortClient,
  params: RequestUnstakeParameters,
): Promise<RequestUnstakeReturnType> {
  const result = await writeContract(client, "pool", "requestUnstake", [uintArg("amount", params.amount, 1n)]);
  const event = result.events.find((e) => e.name === "UnstakeRequested");
  return { ...result, unbondingEnd: (event?.args.unbondingEnd as bigint | undefined) ?? 0n };
}
