import type { CohortClient } from "../client/create.js";
import { TaskManagerUnknownTaskError } from "../errors/task.js";
import { readContract, toPlain } from "../internal/read.js";
import { uintArg } from "../internal/validate.js";
import { Phase, nameOf, type TaskInfo } from "../types.js";

export interface GetTaskReturnType extends TaskInfo {
  taskId: bigint;
  /** What the task waits for at the current block (`phaseOf`). */
  phase: number;
  phaseName: string;
}

/** A task's stored state and its current phase (`taskOf`, `phaseOf`); an unknown id is a named error. */
export async function getTask(client: CohortClient, params: { taskId: bigint }): Promise<GetTaskReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const [count, info, phase] = await Promise.all([
    readContract<bigint>(client, "manager", "taskCount"),
    readContract<unknown>(client, "manager", "taskOf", [taskId]),
    readContract<bigint>(client, "manager", "phaseOf", [taskId]),
  ]);
  if (taskId > count) throw new TaskManagerUnknownTaskError(taskId, count);
  return { taskId, ...toPlain<TaskInfo>(info), phase: Number(phase), phaseName: nameOf(Phase, phase) };
}
