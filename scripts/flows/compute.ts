import { readFileSync } from "node:fs";

import { keccak256 } from "ethers";

import type { Cohort } from "../../sdk/src/index.js";
import { fetchBytes, runProgram } from "../../sdk/src/runtime/index.js";

/** Runs a task's program on its input (fetched and hash-checked) and returns the canonical result. */
export async function computeResult(reader: Cohort, taskId: bigint, programFile: string) {
  const input = await reader.getTaskInput({ taskId });
  const wasm = readFileSync(programFile);
  if (keccak256(wasm) !== input.programId) {
    throw new Error(`${programFile} has id ${keccak256(wasm)}, the task runs ${input.programId}`);
  }
  const bytes =
    input.kind === "inline" ? input.input! : await fetchBytes(input.uri!, { expectedHash: input.inputHash });
  if (keccak256(bytes) !== input.inputHash) throw new Error(`the task's input does not hash to ${input.inputHash}`);
  return await runProgram(wasm, bytes);
}
