import { writeFileSync } from "node:fs";

import type { Command } from "commander";
import { keccak256 } from "ethers";

import { fetchBytes, loadProgram, runProgram } from "../../runtime/index.js";

import { InvalidArgumentError } from "../../errors/base.js";
import { ResultHashMismatchError } from "../../errors/task.js";
import { bytes32Arg, fileArg, hexArg, taskIdArg, uintArg } from "../parse.js";
import type { Bind } from "../program.js";
import { txData, txLine } from "./common.js";

interface ResultOptions {
  resultHash?: string;
  resultFile?: string;
  resultHex?: string;
  salt?: string;
}

/** `cohort result`: a committee member's commit and reveal. */
export function registerResult(program: Command, bind: Bind): void {
  const group = program.command("result").description("commit and reveal a result for your seats in a task");

  const withResultOptions = (command: Command) =>
    command
      .argument("<taskId>", "the task id")
      .option("--result-hash <hash>", "the result hash (keccak256 of the result bytes)")
      .option("--result-file <file>", "the result bytes, from a file (hashed; checked against --result-hash)")
      .option("--result-hex <hex>", "the result bytes, 0x-prefixed (hashed; checked against --result-hash)")
      .option("--salt <hex>", "a 32-byte salt of your own (default: derived from your key, nothing to store)");

  group
    .command("compute")
    .description("run the task's program on its input (both fetched and hash-checked) and write the result bytes")
    .argument("<taskId>", "the task id")
    .requiredOption("--program <location>", "the program: a .wasm file path, file:, data: or http(s) URI")
    .requiredOption("--out <file>", "where to write the result bytes (then commit and reveal with --result-file)")
    .option("--timeout <ms>", "the program's time limit in milliseconds", "10000")
    .action(
      bind(async (ctx, id: string, opts: { program: string; out: string; timeout: string }) => {
        const taskId = taskIdArg(id);
        const timeoutMs = Number(uintArg("timeout", opts.timeout, 1n, 600_000n));
        const cohort = await ctx.reader();
        const task = await cohort.getTaskInput({ taskId });
        // The checks a worker makes: the program must hash to the task's program id, a fetched input to its hash (an
        // inline input was checked by the manager when the task was posted).
        const wasm = await loadProgram(opts.program, task.programId);
        const input =
          task.kind === "inline" && task.input !== undefined
            ? task.input
            : await fetchBytes(task.uri ?? "", { expectedHash: task.inputHash });
        const { output, resultHash } = await runProgram(wasm, input, { timeoutMs });
        writeFileSync(opts.out, output);
        return {
          data: {
            taskId,
            programId: task.programId,
            inputHash: task.inputHash,
            resultHash,
            bytes: output.length,
            out: opts.out,
          },
          human: `task ${taskId}: result ${resultHash} (${output.length} bytes) written to ${opts.out}`,
        };
      }),
    );

  withResultOptions(group.command("commit"))
    .description("commit to a result before the commit deadline (the reveal recomputes the salt from your key)")
    .action(
      bind(async (ctx, id: string, opts: ResultOptions) => {
        const taskId = taskIdArg(id);
        const { resultHash } = resultOf(opts);
        const salt = opts.salt === undefined ? undefined : bytes32Arg("salt", opts.salt);
        const cohort = await ctx.writer();
        await cohort.getTask({ taskId });
        const result = await cohort.commit({ taskId, resultHash, ...(salt === undefined ? {} : { salt }) });
        return {
          // The salt is not printed: until the reveal it is what keeps the result hidden from other members.
          data: {
            taskId,
            round: result.round,
            index: result.index,
            resultHash,
            commitment: result.commitment,
            salt: salt === undefined ? "derived" : "given",
            transaction: txData(result),
          },
          human: `committed record #${result.index} of round ${result.round}: ${txLine(result)}`,
        };
      }),
    );

  withResultOptions(group.command("reveal"))
    .description("reveal the committed result after the commit deadline, before the reveal deadline")
    .option("--publish", "emit the result bytes with the reveal (small results: costs gas per byte)")
    .action(
      bind(async (ctx, id: string, opts: ResultOptions & { publish?: boolean }) => {
        const taskId = taskIdArg(id);
        const { resultHash, bytes } = resultOf(opts);
        if (opts.publish === true && bytes === undefined) {
          throw new InvalidArgumentError("publish", "--publish needs the bytes: give --result-file or --result-hex");
        }
        const salt = opts.salt === undefined ? undefined : bytes32Arg("salt", opts.salt);
        const cohort = await ctx.writer();
        await cohort.getTask({ taskId });
        const result = await cohort.reveal({
          taskId,
          resultHash,
          ...(opts.publish === true && bytes !== undefined ? { result: bytes } : {}),
          ...(salt === undefined ? {} : { salt }),
        });
        return {
          data: {
            taskId,
            round: result.round,
            index: result.index,
            resultHash,
            seatsForResult: result.seatsForResult,
            published: opts.publish === true,
            transaction: txData(result),
          },
          human: `revealed ${resultHash} for record #${result.index} (${result.seatsForResult} seats for it so far): ${txLine(result)}`,
        };
      }),
    );
}

/**
 * The result hash from `--result-hash`, or from the bytes of `--result-file` / `--result-hex`; given both, they must
 * agree, which catches revealing a different file than the one committed to.
 */
function resultOf(opts: ResultOptions): { resultHash: string; bytes: Uint8Array | undefined } {
  if (opts.resultFile !== undefined && opts.resultHex !== undefined) {
    throw new InvalidArgumentError("result", "give only one of --result-file and --result-hex");
  }
  const bytes =
    opts.resultFile !== undefined
      ? fileArg("result-file", opts.resultFile)
      : opts.resultHex !== undefined
        ? hexArg("result-hex", opts.resultHex)
        : undefined;
  const given = opts.resultHash === undefined ? undefined : bytes32Arg("result-hash", opts.resultHash);
  if (bytes === undefined) {
    if (given === undefined) {
      throw new InvalidArgumentError("result", "give --result-hash, --result-file or --result-hex");
    }
    return { resultHash: given, bytes };
  }
  const actual = keccak256(bytes);
  if (given !== undefined && given !== actual) throw new ResultHashMismatchError(given, actual);
  return { resultHash: actual, bytes };
}
