import { getBytes } from "ethers";

import type { CohortClient } from "../client/create.js";
import { queryTaskLogs } from "../internal/taskLogs.js";
import { uintArg } from "../internal/validate.js";

export interface Reveal {
  member: string;
  round: bigint;
  index: bigint;
  resultHash: string;
  /** Seats of the round that had revealed `resultHash` once this reveal was in. */
  seatsForResult: bigint;
  /** The result bytes, when the member published them with the reveal. */
  result: Uint8Array | undefined;
  blockNumber: number;
  transactionHash: string;
}

export interface GetRevealsReturnType {
  taskId: bigint;
  reveals: Reveal[];
}

/**
 * Every reveal of a task, from its `Revealed` events (results are emitted, not stored), oldest first. The events are
 * found by their indexed task id from `fromBlock` (default 0: fine for a local node; give the deployment block on a
 * public network whose provider limits log ranges).
 */
export async function getReveals(
  client: CohortClient,
  params: { taskId: bigint; fromBlock?: number },
): Promise<GetRevealsReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const { logs } = await queryTaskLogs(client, "Revealed", taskId, params.fromBlock);
  const reveals: Reveal[] = [];
  for (const log of logs) {
    if (!("args" in log)) continue;
    const bytes = getBytes(log.args.result as string);
    reveals.push({
      member: log.args.member as string,
      round: log.args.round as bigint,
      index: log.args.index as bigint,
      resultHash: log.args.resultHash as string,
      seatsForResult: log.args.seatsForResult as bigint,
      result: bytes.length === 0 ? undefined : bytes,
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash,
    });
  }
  return { taskId, reveals };
}
