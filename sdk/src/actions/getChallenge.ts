import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { ChallengeOutcome, nameOf, type ChallengeInfo } from "../types.js";

/** Challenge `step` of a task (step `k` opened ladder step `k`), with its outcome's name. */
export async function getChallenge(
  client: CohortClient,
  params: { taskId: bigint; step: bigint },
): Promise<ChallengeInfo & { outcomeName: string }> {
  const info = toPlain<ChallengeInfo>(
    await readContract(client, "manager", "challengeOf", [
      uintArg("taskId", params.taskId, 1n),
      uintArg("step", params.step, 1n),
    ]),
  );
  return { ...info, outcomeName: nameOf(ChallengeOutcome, info.outcome) };
}
