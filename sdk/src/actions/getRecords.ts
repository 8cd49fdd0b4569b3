import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { RecordStatus, nameOf, type RoundInfo, type SeatRecord } from "../types.js";

export interface GetRecordsReturnType {
  round: bigint;
  info: RoundInfo;
  records: (SeatRecord & { index: bigint; statusName: string })[];
}

/** The committee of one round (default: the current one): its seats, quorum, ladder step and every record. */
export async function getRecords(
  client: CohortClient,
  params: { taskId: bigint; round?: bigint },
): Promise<GetRecordsReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const round =
    params.round === undefined
      ? toPlain<{ round: bigint }>(await readContract(client, "manager", "taskOf", [taskId])).round
      : uintArg("round", params.round);
  const info = toPlain<RoundInfo>(await readContract(client, "manager", "roundOf", [taskId, round]));
  const raw =
    info.recordCount === 0n
      ? []
      : toPlain<SeatRecord[]>(
          await readContract(client, "manager", "recordsOf", [taskId, round, 0n, info.recordCount]),
        );
  return {
    round,
    info,
    records: raw.map((r, i) => ({ ...r, index: BigInt(i), statusName: nameOf(RecordStatus, r.status) })),
  };
}
