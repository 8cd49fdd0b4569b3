import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import type { SeatRecord, TaskInfo } from "../types.js";

/** What an agent needs to know about a task at the current head, block numbers as numbers. */
export interface TaskView {
  taskId: bigint;
  /** `Phase` at the latest block. */
  phase: number;
  round: bigint;
  state: number;
  requestId: bigint;
  replacementDraws: bigint;
  escalations: bigint;
  maxEscalations: bigint;
  commitDeadline: number;
  revealDeadline: number;
  challengeDeadline: number;
  expiresAt: number;
  proposedResult: string;
  challengeBondFloor: bigint;
}

/** Reads `taskOf` and `phaseOf` at the latest block (two calls). */
export async function readTaskView(client: CohortClient, taskId: bigint): Promise<TaskView> {
  const [raw, phase] = await Promise.all([
    readContract<unknown>(client, "manager", "taskOf", [taskId]),
    readContract<bigint>(client, "manager", "phaseOf", [taskId]),
  ]);
  const info = toPlain<TaskInfo>(raw);
  return {
    taskId,
    phase: Number(phase),
    round: info.round,
    state: Number(info.state),
    requestId: info.requestId,
    replacementDraws: info.replacementDraws,
    escalations: info.escalations,
    maxEscalations: info.maxEscalations,
    commitDeadline: Number(info.commitDeadline),
    revealDeadline: Number(info.revealDeadline),
    challengeDeadline: Number(info.challengeDeadline),
    expiresAt: Number(info.expiresAt),
    proposedResult: info.proposedResult,
    challengeBondFloor: info.challengeBondFloor,
  };
}

/** One record (`recordOf`): its member, seats, status and sealed hash. */
export async function readRecord(
  client: CohortClient,
  taskId: bigint,
  round: bigint,
  index: bigint,
): Promise<SeatRecord> {
  return toPlain<SeatRecord>(await readContract(client, "manager", "recordOf", [taskId, round, index]));
}

/**
 * A number in [0, spread] fixed by the account and the task: how many blocks this agent lets pass before it makes
 * a permissionless call that any of several agents could make, so that they rarely make it in the same block.
 */
export function jitterOf(account: string, taskId: bigint, spread: number): number {
  if (spread <= 0) return 0;
  const seed = BigInt(account) ^ (taskId * 0x9e3779b97f4a7c15n);
  return Number(seed % BigInt(spread + 1));
}
