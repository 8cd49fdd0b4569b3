import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { addressArg } from "../internal/validate.js";
import type { StakeInfo } from "../types.js";

export interface GetStakeReturnType extends StakeInfo {
  /** Active stake not locked by seats: what `requestUnstake` can take. */
  free: bigint;
  /** Seats the free stake could still back (`free / seatBond`). */
  freeSeats: bigint;
}

/** A worker's stake in the pool (`SecurityPool.stakeOf`), with what is free. */
export async function getStake(client: CohortClient, params: { worker: string }): Promise<GetStakeReturnType> {
  const worker = addressArg("worker", params.worker);
  const [info, parameters] = await Promise.all([
    readContract<unknown>(client, "pool", "stakeOf", [worker]).then((r) => toPlain<StakeInfo>(r)),
    readContract<unknown>(client, "pool", "parameters").then((r) => toPlain<{ seatBond: bigint }>(r)),
  ]);
  const free = info.active - info.locked;
  return { ...info, free, freeSeats: parameters.seatBond === 0n ? 0n : free / parameters.seatBond };
}
