import type { CohortClient } from "../client/create.js";
import { decodeTaskInput } from "../domain/encoding.js";
import { TaskManagerUnknownTaskError } from "../errors/task.js";
import { queryTaskLogs } from "../internal/taskLogs.js";
import { uintArg } from "../internal/validate.js";

export interface GetTaskInputReturnType {
  taskId: bigint;
  programId: string;
  inputHash: string;
  /** `inline`: the input bytes are in `input`; `uri`: `uri` says where to fetch them. */
  kind: "inline" | "uri";
  input: Uint8Array | undefined;
  uri: string | undefined;
  createdAtBlock: number;
}

/**
 * A task's input as its `TaskCreated` event carries it (inputs are emitted, not stored). The event is found by its
 * indexed task id, in a block range bounded below by `fromBlock` (default 0: fine for a local node; give the
 * deployment block on a public network whose provider limits log ranges).
 */
export async function getTaskInput(
  client: CohortClient,
  params: { taskId: bigint; fromBlock?: number },
): Promise<GetTaskInputReturnType> {
  const taskId = uintArg("taskId", params.taskId, 1n);
  const { logs, taskCount: count } = await queryTaskLogs(client, "TaskCreated", taskId, params.fromBlock);
  const log = logs[0];
  if (log === undefined || !("args" in log)) throw new TaskManagerUnknownTaskError(taskId, count);
  const request = log.args.request as { programId: string; inputHash: string; inputKind: bigint; input: string };
  const decoded = decodeTaskInput(request.inputKind, request.input);
  return {
    taskId,
    programId: request.programId,
    inputHash: request.inputHash,
    kind: decoded.kind,
    input: decoded.kind === "inline" ? decoded.bytes : undefined,
    uri: decoded.kind === "uri" ? decoded.uri : undefined,
    createdAtBlock: log.blockNumber,
  };
}
