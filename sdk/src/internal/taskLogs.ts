import type { EventLog, Log } from "ethers";

import type { CohortClient } from "../client/create.js";
import { toCohortError } from "../errors/decode.js";
import { TaskManagerUnknownTaskError } from "../errors/task.js";
import { readContract } from "./read.js";

/**
 * The task manager's `event` logs of one existing task (the event's first indexed field is the task id), from
 * `fromBlock` to the latest block. Inputs and results are emitted, not stored, so reads of them come from here; an id
 * above `taskCount` is refused by name before any log query.
 */
export async function queryTaskLogs(
  client: CohortClient,
  event: "TaskCreated" | "Revealed",
  taskId: bigint,
  fromBlock = 0,
): Promise<{ logs: (EventLog | Log)[]; taskCount: bigint }> {
  const taskCount = await readContract<bigint>(client, "manager", "taskCount");
  if (taskId > taskCount) throw new TaskManagerUnknownTaskError(taskId, taskCount);
  try {
    const logs = await client.manager.queryFilter(client.manager.getEvent(event)(taskId), fromBlock, "latest");
    return { logs, taskCount };
  } catch (error) {
    throw toCohortError(error, { errors: client.errors, functionName: `eth_getLogs(${event})`, url: client.url });
  }
}
