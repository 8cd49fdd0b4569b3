import { CohortError } from "./base.js";

/** A task id above `taskCount` (reads return zeros for it; the SDK refuses to pretend it exists). */
export class TaskManagerUnknownTaskError extends CohortError {
  override name = "TaskManagerUnknownTaskError";
  readonly taskId: bigint;

  constructor(taskId: bigint, taskCount: bigint) {
    super(`Unknown task ${taskId}: TaskManagerUnknownTask(${taskId})`, {
      meta: { errorName: "TaskManagerUnknownTask", taskId, taskCount },
      details: `the task manager holds tasks 1..${taskCount}`,
    });
    this.taskId = taskId;
  }
}

/** The signer holds no live seat record in the task's current round. */
export class NotAssignedError extends CohortError {
  override name = "NotAssignedError";

  constructor(taskId: bigint, member: string, round: bigint) {
    super(`${member} holds no seat in round ${round} of task ${taskId}`, { meta: { taskId, member, round } });
  }
}

/** A result's bytes and the result hash given with them disagree. */
export class ResultHashMismatchError extends CohortError {
  override name = "ResultHashMismatchError";

  constructor(expected: string, actual: string) {
    super(`The result bytes hash to ${actual}, not ${expected}`, { meta: { expected, actual } });
  }
}
