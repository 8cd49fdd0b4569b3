import type { CohortClient } from "../client/create.js";
import { NotAssignedError } from "../errors/task.js";
import { signerAddress } from "../internal/signer.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";
import { RecordStatus, type SeatRecord } from "../types.js";

export interface ClaimRewardParameters {
  taskId: bigint;
  /** The round and record to claim; default: every winning record of the signer in any round of the task. */
  round?: bigint;
  index?: bigint;
}

export interface ClaimRewardReturnType {
  claims: (WriteResult & { round: bigint; index: bigint; amount: bigint })[];
  amount: bigint;
}

export type ClaimRewardErrorType = "TaskManagerWrongRecordStatus" | "TaskManagerNotSeatHolder" | "NotAssignedError";

/** Pulls the reward of the signer's winning records of a finalized task (`TaskManager.claimReward`). */
export async function claimReward(client: CohortClient, params: ClaimRewardParameters): Promise<ClaimRewardReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const member = await signerAddress(client, "TaskManager.claimReward");
  let targets: { round: bigint; index: bigint }[];
  if (params.round !== undefined && params.index !== undefined) {
    targets = [{ round: uintArg("round", params.round), index: uintArg("index", params.index) }];
  } else {
    targets = await winningRecords(client, taskId, member);
    if (targets.length === 0) {
      const info = toPlain<{ round: bigint }>(await readContract(client, "manager", "taskOf", [taskId]));
      throw new NotAssignedError(taskId, member, info.round);
    }
  }
  const claims = [];
  for (const { round, index } of targets) {
    const result = await writeContract<bigint>(client, "manager", "claimReward", [taskId, round, index]);
    claims.push({ ...result, round, index, amount: result.returnValue });
  }
  return { claims, amount: claims.reduce((sum, c) => sum + c.amount, 0n) };
}

/** The member's `Won` records across the task's rounds (bounded: rounds are capped, records per round too). */
async function winningRecords(client: CohortClient, taskId: bigint, member: string) {
  const info = toPlain<{ round: bigint }>(await readContract(client, "manager", "taskOf", [taskId]));
  const found: { round: bigint; index: bigint }[] = [];
  for (let round = 0n; round <= info.round; round++) {
    const { recordCount } = toPlain<{ recordCount: bigint }>(
      await readContract(client, "manager", "roundOf", [taskId, round]),
    );
    if (recordCount === 0n) continue;
    const records = toPlain<SeatRecord[]>(
      await readContract(client, "manager", "recordsOf", [taskId, round, 0n, recordCount]),
    );
    records.forEach((r, i) => {
      if (r.member.toLowerCase() === member.toLowerCase() && Number(r.status) === RecordStatus.Won) {
        found.push({ round, index: BigInt(i) });
      }
    });
  }
  return found;
}
