import type { CohortClient } from "../client/create.js";
import { decodeTaskInput } from "../domain/encoding.js";
import { TaskManagerUnknownTaskError } from "../errors/task.js";
import { readContract } from "../internal/read.js";
import { toCohortError } from "../errors/decode.js";
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
  const count = await readContract<bigint>(client, "manager", "taskCount");
  if (taskId > count) throw new TaskManagerUnknownTaskError(taskId, count);
  let logs;
  try {
    logs = await client.manager.queryFilter(
      client.manager.getEvent("TaskCreated")(taskId),
      params.fromBlock ?? 0,
      "latest",
    );
  } catch (error) {
    throw toCohortError(error, { errors: client.errors, functionName: "eth_getLogs(TaskCreated)", url: client.url });
  }
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
