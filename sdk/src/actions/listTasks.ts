import type { CohortClient } from "../client/create.js";
import { readContract } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { getTask, type GetTaskReturnType } from "./getTask.js";

export interface ListTasksParameters {
  /** Newest first from this id (default: the newest task). */
  before?: bigint;
  /** At most this many (default 20, at most 200: a page, never every task). */
  limit?: number;
}

export interface ListTasksReturnType {
  taskCount: bigint;
  tasks: GetTaskReturnType[];
}

/** A page of tasks, newest first. */
export async function listTasks(client: CohortClient, params: ListTasksParameters = {}): Promise<ListTasksReturnType> {
  const limit = Number(uintArg("limit", params.limit ?? 20, 1n, 200n));
  const taskCount = await readContract<bigint>(client, "manager", "taskCount");
  const start = params.before === undefined ? taskCount : uintArg("before", params.before, 1n);
  const ids: bigint[] = [];
  for (let id = start > taskCount ? taskCount : start; id >= 1n && ids.length < limit; id--) ids.push(id);
  return { taskCount, tasks: await Promise.all(ids.map((taskId) => getTask(client, { taskId }))) };
}
