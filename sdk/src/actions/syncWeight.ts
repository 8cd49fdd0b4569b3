import type { CohortClient } from "../client/create.js";
import { addressArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface SyncWeightReturnType extends WriteResult {
  weight: bigint;
}

export type SyncWeightErrorType = "SecurityPoolWeightsFrozen";

/** Applies a worker's deferred weight change after a draw window (`SecurityPool.syncWeight`; anyone may call it). */
export async function syncWeight(client: CohortClient, params: { worker: string }): Promise<SyncWeightReturnType> {
  const result = await writeContract<bigint>(client, "pool", "syncWeight", [addressArg("worker", params.worker)]);
  return { ...result, weight: result.returnValue };
}
