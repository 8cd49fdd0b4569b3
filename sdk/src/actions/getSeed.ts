import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { RandomnessStatus, nameOf } from "../types.js";

export interface GetSeedReturnType {
  taskId: bigint;
  requestId: bigint;
  status: number;
  statusName: string;
  /** Whether the value can be used now (a draw can read it). */
  ready: boolean;
  /** The first block at which anyone could know the value; 0 while it is not ready. */
  knownFrom: bigint;
  /** Blockhash sources: the block whose hash is the value. Undefined for a VRF source, which has no target block. */
  target: bigint | undefined;
}

/** The randomness request serving a task's next draw and where it stands (`statusOf`, `randomnessOf`, `targetOf`). */
export async function getSeed(client: CohortClient, params: { taskId: bigint }): Promise<GetSeedReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const { requestId } = toPlain<{ requestId: bigint }>(await readContract(client, "manager", "taskOf", [taskId]));
  const [status, randomness, target] = await Promise.all([
    readContract<bigint>(client, "randomness", "statusOf", [requestId]),
    readContract<unknown>(client, "randomness", "randomnessOf", [requestId]).then((r) =>
      toPlain<{ ready: boolean; value: string; knownFrom: bigint }>(r),
    ),
    // Only the blockhash source has `targetOf`; a VRF source reverts on the unknown selector.
    readContract<bigint>(client, "randomness", "targetOf", [requestId]).catch(() => undefined),
  ]);
  return {
    taskId,
    requestId,
    status: Number(status),
    statusName: nameOf(RandomnessStatus, status),
    ready: randomness.ready,
    knownFrom: randomness.knownFrom,
    target,
  };
}
