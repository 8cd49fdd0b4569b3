import type { CohortClient } from "../client/create.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface TallyReturnType extends WriteResult {
  /** The result that reached quorum, if one did. */
  proposedResult: string | undefined;
  /** Whether a round without quorum led to a fresh committee (false: refunded, or a result was proposed). */
  redraw: boolean;
}

export type TallyErrorType = "TaskManagerWrongPhase";

/** Counts the revealed seats after the reveal deadline (`TaskManager.tally`; anyone). */
export async function tally(client: CohortClient, params: { taskId: bigint }): Promise<TallyReturnType> {
  const result = await writeContract(client, "manager", "tally", [uintArg("taskId", params.taskId, 1n)]);
  const proposed = result.events.find((e) => e.name === "ResultProposed");
  const noQuorum = result.events.find((e) => e.name === "NoQuorum");
  return {
    ...result,
    proposedResult: proposed?.args.resultHash as string | undefined,
    redraw: (noQuorum?.args.redraw as boolean | undefined) ?? false,
  };
}
