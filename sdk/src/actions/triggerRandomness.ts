import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export type TriggerRandomnessReturnType = WriteResult & { requestId: bigint };
export type TriggerRandomnessErrorType = "VrfRandomnessTriggerTooEarly" | "VrfRandomnessAlreadyTriggered";

/** Sends the VRF request serving a task's next draw (VRF sources only; anyone, once its `notBefore` has passed). */
export async function triggerRandomness(
  client: CohortClient,
  params: { taskId: bigint },
): Promise<TriggerRandomnessReturnType> {
  const info = toPlain<{ requestId: bigint }>(
    await readContract(client, "manager", "taskOf", [uintArg("taskId", params.taskId, 1n)]),
  );
  const result = await writeContract(client, "randomness", "trigger", [info.requestId]);
  return { ...result, requestId: info.requestId };
}
