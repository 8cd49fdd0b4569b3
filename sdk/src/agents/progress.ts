import type { Logger } from "pino";

import type { CohortClient } from "../client/create.js";
import { ContractRevertError } from "../errors/contract.js";
import type { TxStore } from "../store/txStore.js";
import type { Head } from "../tx/fees.js";
import type { TxQueue, TxRequest } from "../tx/queue.js";

/** The permissionless calls (rule 6) that move a task on; each takes only the task id. */
export type ProgressCall = "drawCommittee" | "replaceNoShows" | "tally" | "finalize" | "expire";

/**
 * Errors that mean "someone else was first" or "not yet": another agent's call landed in between, or the seed is
 * still on its way. Expected in a race between agents; the task is looked at again next block.
 */
const RACE_ERRORS = new Set([
  "TaskManagerWrongPhase",
  "TaskManagerSeedNotReady",
  "TaskManagerTaskExpired",
  "TaskManagerNotExpired",
]);

/**
 * Sends a permissionless call for a task unless one of the same kind is already on its way. The key carries the
 * head, so the same call can be made again later (a task settles in several `finalize` batches, draws again after
 * a challenge), never twice at once.
 * @returns whether a transaction is (now) on its way
 */
export async function sendProgressCall(
  ctx: { client: CohortClient; queue: TxQueue; txs: TxStore; log: Logger },
  call: ProgressCall,
  taskId: bigint,
  head: Head,
): Promise<boolean> {
  if (ctx.txs.openFor(taskId, call) !== undefined) return true;
  const request: TxRequest = {
    key: `${call}:${taskId}:${head.number}`,
    label: call,
    taskId,
    to: ctx.client.addresses.taskManager,
    data: ctx.client.manager.interface.encodeFunctionData(call, [taskId]),
    progress: true,
  };
  try {
    await ctx.queue.submit(request, head);
    return true;
  } catch (error) {
    if (error instanceof ContractRevertError && RACE_ERRORS.has(error.errorName)) {
      ctx.log.debug({ taskId: taskId.toString(), call, errorName: error.errorName }, "progress call not needed now");
      return false;
    }
    throw error;
  }
}

/** What came of a `trigger`: sent (or already on its way), or refused with the first block it will be taken. */
export type TriggerOutcome = { sent: boolean; notBefore?: number };

/**
 * Sends the `trigger` of a VRF request serving a task's draw (anyone may, from its `notBefore` on), unless one is on
 * its way. A trigger that another agent's beat (`VrfRandomnessAlreadyTriggered`) is not sent; one refused as too
 * early is not sent either, and its refusal tells when to try again.
 */
export async function sendTrigger(
  ctx: { client: CohortClient; queue: TxQueue; txs: TxStore; log: Logger },
  taskId: bigint,
  requestId: bigint,
  head: Head,
): Promise<TriggerOutcome> {
  if (ctx.txs.openFor(taskId, "trigger") !== undefined) return { sent: true };
  const request: TxRequest = {
    key: `trigger:${taskId}:${requestId}:${head.number}`,
    label: "trigger",
    taskId,
    to: ctx.client.addresses.randomness,
    data: ctx.client.randomness.interface.encodeFunctionData("trigger", [requestId]),
    progress: true,
  };
  try {
    await ctx.queue.submit(request, head);
    return { sent: true };
  } catch (error) {
    if (error instanceof ContractRevertError && error.errorName === "VrfRandomnessTriggerTooEarly") {
      const notBefore = Number(error.args.notBefore as bigint);
      ctx.log.debug({ taskId: taskId.toString(), requestId: requestId.toString(), notBefore }, "trigger too early");
      return { sent: false, notBefore };
    }
    if (error instanceof ContractRevertError && error.errorName === "VrfRandomnessAlreadyTriggered") {
      ctx.log.debug({ taskId: taskId.toString(), requestId: requestId.toString() }, "trigger not needed now");
      return { sent: false };
    }
    throw error;
  }
}
