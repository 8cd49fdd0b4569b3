import { readContract, toPlain } from "../../internal/read.js";
import { signerAddress } from "../../internal/signer.js";
import { uintArg } from "../../internal/validate.js";
import { writeContract, type WriteResult } from "../../internal/write.js";
import type { GameClient } from "../client.js";

export interface DefendGameParameters {
  taskId: bigint;
  /** The signer's record in the current round; default: its live record there (`assignmentOf`). */
  index?: bigint;
}

export type DefendGameErrorType =
  | "TaskManagerWrongPhase"
  | "TaskManagerGameDefended"
  | "TaskManagerNotSeatHolder"
  | "TaskManagerWrongRecordStatus"
  | "TaskManagerNotProposedResult";

/** Takes the defender's role in a task's running game, as a revealer of the proposed result (`defendGame`). */
export async function defendGame(client: GameClient, params: DefendGameParameters): Promise<WriteResult> {
  const { cohort } = client;
  const taskId = uintArg("taskId", params.taskId, 1n);
  const index =
    params.index ??
    toPlain<{ index: bigint }>(
      await readContract(cohort, "manager", "assignmentOf", [taskId, await signerAddress(cohort, "defendGame")]),
    ).index;
  return await writeContract(cohort, "manager", "defendGame", [taskId, uintArg("index", index)]);
}
