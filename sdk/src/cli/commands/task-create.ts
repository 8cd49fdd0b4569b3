import type { Command } from "commander";

import { InvalidArgumentError } from "../../errors/base.js";
import { HashMismatchError } from "../../errors/program.js";
import type { CommandContext } from "../context.js";
import { amountArg, bytes32Arg, choiceArg, uintArg } from "../parse.js";
import type { Bind } from "../program.js";
import { approvalLines, txData, txLine, type AmountOptions, type ApproveOptions } from "./common.js";
import { programIdOf } from "./program.js";
import { taskInputOf, type InputOptions } from "./task-input.js";

interface CreateOptions extends InputOptions, AmountOptions, ApproveOptions {
  program?: string;
  abiCheck: boolean;
  seats: string;
  quorum?: string;
  reward: string;
  commitBlocks: string;
  revealBlocks: string;
  challengeBlocks: string;
  valueAtRisk: string;
  onNoQuorum: string;
}

/** `cohort task create`: posting a task, with every argument checked before anything connects. */
export function registerTaskCreate(task: Command, bind: Bind): void {
  task
    .command("create")
    .description("post a task and escrow its reward (approves exactly the missing allowance unless --no-approve)")
    .argument("[programId]", "the program id (keccak256 of the WASM bytes); or give --program")
    .option("--program <file.wasm>", "compute the program id from the file (checked to be WebAssembly, ABI v1)")
    .option("--no-abi-check", "with --program: only check that it is WebAssembly, not that it follows ABI v1")
    .option("--input <text>", "inline input: UTF-8 text")
    .option("--input-file <file>", "inline input: the file's bytes")
    .option("--input-hex <hex>", "inline input: 0x-prefixed bytes")
    .option("--input-uri <uri>", "input stored elsewhere (data:, file:, http(s):); needs --input-hash")
    .option("--input-hash <hash>", "keccak256 of the input; checked against inline bytes and what the URI serves")
    .option("--no-verify-input", "do not fetch the input URI to check its hash")
    .option("--seats <n>", "committee seats", "3")
    .option("--quorum <n>", "seats that must agree (default: a strict majority)")
    .requiredOption("--reward <amount>", "reward escrowed for the winning seats (tokens, or base units with --wei)")
    .option("--commit-blocks <n>", "blocks of the commit window", "10")
    .option("--reveal-blocks <n>", "blocks of the reveal window", "10")
    .option("--challenge-blocks <n>", "blocks of the challenge window", "10")
    .option(
      "--value-at-risk <amount>",
      "what a wrong result could cost you, bounded by the quorum's slashable stake",
      "0",
    )
    .option("--on-no-quorum <rule>", "redraw | refund: what a round without quorum leads to", "redraw")
    .option("--wei", "--reward and --value-at-risk are in base units")
    .option("--no-approve", "do not approve; fail if the allowance is short")
    .action(
      bind(async (ctx, programArg: string | undefined, opts: CreateOptions) => await createTask(ctx, programArg, opts)),
    );
}

async function createTask(ctx: CommandContext, programArg: string | undefined, opts: CreateOptions) {
  // Every argument is checked before the connection, so bad input never costs a transaction.
  let programId = programArg === undefined ? undefined : bytes32Arg("programId", programArg);
  if (opts.program !== undefined) {
    const fromFile = programIdOf(opts.program, "program", opts.abiCheck).programId;
    if (programId !== undefined && programId !== fromFile)
      throw new HashMismatchError(opts.program, programId, fromFile);
    programId = fromFile;
  }
  if (programId === undefined) {
    throw new InvalidArgumentError("programId", "give the program id or --program <file.wasm>");
  }
  const input = await taskInputOf(opts);
  const seats = uintArg("seats", opts.seats, 1n, 64n);
  const quorum = opts.quorum === undefined ? undefined : uintArg("quorum", opts.quorum, 1n, seats);
  const windows = {
    commitBlocks: uintArg("commit-blocks", opts.commitBlocks, 1n),
    revealBlocks: uintArg("reveal-blocks", opts.revealBlocks, 1n),
    challengeBlocks: uintArg("challenge-blocks", opts.challengeBlocks, 1n),
  };
  const noQuorumRule = choiceArg("on-no-quorum", opts.onNoQuorum, ["redraw", "refund"] as const);
  const rewardArg = amountArg("reward", opts.reward, opts.wei === true);
  const valueAtRiskArg = amountArg("value-at-risk", opts.valueAtRisk, opts.wei === true, { allowZero: true });

  const cohort = await ctx.writer();
  const token = await ctx.token();
  const reward = rewardArg.toUnits(token.decimals);
  const valueAtRisk = valueAtRiskArg.toUnits(token.decimals);
  if (input.kind === "uri" && !input.verified)
    ctx.log.warn({ uri: input.uri }, "input URI not fetched: hash unchecked");
  ctx.log.info({ programId, seats: seats.toString(), reward: reward.toString() }, "creating the task");
  const result = await cohort.createTask({
    programId,
    input: input.kind === "inline" ? { inline: input.bytes } : { uri: input.uri, inputHash: input.inputHash },
    seats,
    ...(quorum === undefined ? {} : { quorum }),
    reward,
    ...windows,
    valueAtRisk,
    noQuorumRule,
    approve: opts.approve,
  });
  const seed = await cohort.getSeed({ taskId: result.taskId });
  return {
    data: {
      taskId: result.taskId,
      programId,
      inputHash: result.inputHash,
      inputKind: input.kind,
      seats,
      reward,
      seed,
      approval: result.approval && txData(result.approval),
      transaction: txData(result),
    },
    human: [
      ...approvalLines(result.approval, reward, token),
      `task ${result.taskId} created: ${txLine(result)}`,
      seed.target === undefined
        ? `its seed is request ${seed.requestId} (${seed.statusName})`
        : `its committee can be drawn once block ${seed.target} is mined (cohort task draw ${result.taskId})`,
    ].join("\n"),
  };
}
