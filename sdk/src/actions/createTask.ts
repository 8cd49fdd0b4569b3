import type { CohortClient } from "../client/create.js";
import { encodeTaskInput, type TaskInput } from "../domain/encoding.js";
import { bytes32Arg, uintArg } from "../internal/validate.js";
import { simulateContract, writeContract, type WriteResult } from "../internal/write.js";
import { NoQuorumRule } from "../types.js";
import { approveFor } from "./approve.js";

export interface CreateTaskParameters {
  /** keccak256 of the program's WASM bytes. */
  programId: string;
  /**
   * The input: `{ inline: bytes }` (posted in the event; the hash is computed), or `{ uri, inputHash }` for an input
   * stored elsewhere (`data:`, `file:`, `http(s):` URIs; workers check the hash after fetching).
   */
  input: TaskInput;
  seats: bigint;
  /** Default: the smallest strict majority, `seats / 2 + 1`. */
  quorum?: bigint;
  reward: bigint;
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  valueAtRisk?: bigint;
  /** What a round without quorum leads to (default: a redraw). */
  noQuorumRule?: "redraw" | "refund";
  /** Approve the manager for exactly the missing allowance for the reward, once only the allowance is missing. */
  approve?: boolean;
}

export interface CreateTaskReturnType extends WriteResult {
  taskId: bigint;
  inputHash: string;
  approval: WriteResult | undefined;
}

export type CreateTaskErrorType =
  | "TaskManagerParameterOutOfBounds"
  | "TaskManagerValueAtRiskTooHigh"
  | "TaskManagerTaskOutlivesUnbonding"
  | "TaskManagerInputHashMismatch"
  | "ERC20InsufficientAllowance"
  | "ERC20InsufficientBalance";

/** Posts a compute task and escrows its reward (`TaskManager.createTask`). */
export async function createTask(client: CohortClient, params: CreateTaskParameters): Promise<CreateTaskReturnType> {
  const programId = bytes32Arg("programId", params.programId);
  const seats = uintArg("seats", params.seats, 1n);
  const reward = uintArg("reward", params.reward, 1n);
  const { inputKind, input, inputHash } = encodeTaskInput(params.input);
  const request = {
    programId,
    inputHash,
    inputKind,
    input,
    seats,
    quorum: uintArg("quorum", params.quorum ?? seats / 2n + 1n, 1n),
    reward,
    commitBlocks: uintArg("commitBlocks", params.commitBlocks, 1n),
    revealBlocks: uintArg("revealBlocks", params.revealBlocks, 1n),
    challengeBlocks: uintArg("challengeBlocks", params.challengeBlocks, 1n),
    valueAtRisk: uintArg("valueAtRisk", params.valueAtRisk ?? 0n),
    noQuorumRule: params.noQuorumRule === "refund" ? NoQuorumRule.Refund : NoQuorumRule.Redraw,
  };
  const approval = params.approve
    ? await approveFor(client, {
        spender: client.addresses.taskManager,
        amount: reward,
        functionName: "TaskManager.createTask",
        simulate: () => simulateContract(client, "manager", "createTask", [request]),
      })
    : undefined;
  const result = await writeContract<bigint>(client, "manager", "createTask", [request]);
  const created = result.events.find((e) => e.name === "TaskCreated");
  return { ...result, taskId: (created?.args.taskId as bigint | undefined) ?? result.returnValue, inputHash, approval };
}
