import { setTimeout as sleep } from "node:timers/promises";

import type { Command } from "commander";
import { ZeroHash, hexlify } from "ethers";

import { InvalidArgumentError } from "../../errors/base.js";
import { HashMismatchError } from "../../errors/program.js";
import type { Reveal } from "../../actions/getReveals.js";
import type { GetTaskReturnType } from "../../actions/getTask.js";
import { Phase, TaskState, nameOf } from "../../types.js";
import type { CommandContext, TokenInfo } from "../context.js";
import { InterruptedError } from "../errors.js";
import { table } from "../output.js";
import { amountArg, bytes32Arg, choiceArg, taskIdArg, uintArg } from "../parse.js";
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

/** `cohort task`: posting tasks and moving them along (anyone may draw, tally, finalize), and reading them. */
export function registerTask(program: Command, bind: Bind): void {
  const task = program.command("task").description("compute tasks");

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

  task
    .command("show")
    .description("a task's state and phase, its seed and its current committee")
    .argument("<taskId>", "the task id")
    .action(
      bind(async (ctx, id: string) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.reader();
        const info = await cohort.getTask({ taskId });
        const [seed, committee, token] = await Promise.all([
          cohort.getSeed({ taskId }),
          cohort.getRecords({ taskId }),
          ctx.token(),
        ]);
        const blockNumber = BigInt(await cohort.provider.getBlockNumber());
        return {
          data: { task: { ...info, stateName: nameOf(TaskState, info.state) }, seed, committee, blockNumber },
          human: [
            taskTable(info, token, blockNumber),
            "",
            table([
              [
                "seed",
                `request ${seed.requestId}: ${seed.statusName}${seed.target === undefined ? "" : `, block ${seed.target}`}`,
              ],
            ]),
            "",
            `committee of round ${committee.round} (${committee.info.seats} seats, quorum ${committee.info.quorum}):`,
            ...(committee.records.length === 0
              ? ["  not drawn yet"]
              : committee.records.map((r) => `  #${r.index}  ${r.member}  ${seatsText(r.seats)}  ${r.statusName}`)),
          ].join("\n"),
        };
      }),
    );

  task
    .command("list")
    .description("tasks, newest first")
    .option("--limit <n>", "at most this many (1..200)", "20")
    .option("--before <taskId>", "start from this id downwards")
    .action(
      bind(async (ctx, opts: { limit: string; before?: string }) => {
        const limit = Number(uintArg("limit", opts.limit, 1n, 200n));
        const before = opts.before === undefined ? undefined : taskIdArg(opts.before);
        const cohort = await ctx.reader();
        const [list, token] = await Promise.all([
          cohort.listTasks({ limit, ...(before === undefined ? {} : { before }) }),
          ctx.token(),
        ]);
        return {
          data: { ...list },
          human:
            list.tasks.length === 0
              ? "no tasks"
              : list.tasks
                  .map(
                    (t) =>
                      `#${t.taskId}  ${t.phaseName.padEnd(20)} ${t.seats} seats  ${token.format(t.reward)}  ${t.requester}`,
                  )
                  .join("\n"),
        };
      }),
    );

  task
    .command("result")
    .description("the proposed or final result hash, and every reveal (with the result bytes where published)")
    .argument("<taskId>", "the task id")
    .option("--from-block <n>", "search the Revealed events from this block (default 0)")
    .action(
      bind(async (ctx, id: string, opts: { fromBlock?: string }) => {
        const taskId = taskIdArg(id);
        const fromBlock = opts.fromBlock === undefined ? undefined : Number(uintArg("from-block", opts.fromBlock));
        const cohort = await ctx.reader();
        const info = await cohort.getTask({ taskId });
        const { reveals } = await cohort.getReveals({ taskId, ...(fromBlock === undefined ? {} : { fromBlock }) });
        const proposed = info.proposedResult === ZeroHash ? undefined : info.proposedResult;
        const final = info.phase === Phase.Finalized ? proposed : undefined;
        const results = groupReveals(reveals);
        const finalBytes = results.find((r) => r.resultHash === final && r.result !== undefined)?.result;
        return {
          data: {
            taskId,
            phase: info.phase,
            phaseName: info.phaseName,
            proposedResult: proposed,
            finalResult: final,
            finalResultBytes: finalBytes,
            results,
            reveals,
          },
          human: [
            table([
              ["task", `${taskId} (${info.phaseName})`],
              ["final result", final],
              ["proposed result", final === undefined ? (proposed ?? "none yet") : undefined],
              ["result bytes", finalBytes === undefined ? undefined : hexlify(finalBytes)],
            ]),
            ...(results.length === 0 ? ["no reveals yet"] : ["reveals:"]),
            ...results.map(
              (r) =>
                `  round ${r.round}  ${r.resultHash}  ${r.seats} seats  ${r.members.length} members` +
                (r.result === undefined ? "" : `  bytes ${hexlify(r.result)}`),
            ),
          ].join("\n"),
        };
      }),
    );

  task
    .command("draw")
    .description("draw the task's committee from its seed, inside a draw window (anyone may)")
    .argument("<taskId>", "the task id")
    .option("--wait", "wait (polling blocks) until the seed is ready first")
    .option("--wait-timeout <seconds>", "give up waiting after this long", "600")
    .action(
      bind(async (ctx, id: string, opts: { wait?: boolean; waitTimeout: string }) => {
        const taskId = taskIdArg(id);
        const timeoutMs = Number(uintArg("wait-timeout", opts.waitTimeout, 1n, 86_400n)) * 1000;
        const cohort = await ctx.writer();
        if (opts.wait === true) await waitForSeed(ctx, taskId, timeoutMs);
        ctx.log.info({ taskId: taskId.toString() }, "drawing the committee");
        const result = await cohort.drawCommittee({ taskId });
        return {
          data: { taskId, drawn: result.drawn, assigned: result.assigned, transaction: txData(result) },
          human: result.drawn
            ? [
                `committee drawn for task ${taskId}: ${txLine(result)}`,
                ...result.assigned.map((a) => `  #${a.index}  ${a.member}  ${seatsText(a.seats)} (round ${a.round})`),
              ].join("\n")
            : `the seed missed its draw window and was re-armed for the next one: ${txLine(result)}`,
        };
      }),
    );

  task
    .command("tally")
    .description("count the revealed seats after the reveal deadline (anyone may)")
    .argument("<taskId>", "the task id")
    .action(
      bind(async (ctx, id: string) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.writer();
        const result = await cohort.tally({ taskId });
        return {
          data: { taskId, proposedResult: result.proposedResult, redraw: result.redraw, transaction: txData(result) },
          human:
            result.proposedResult !== undefined
              ? `result proposed: ${result.proposedResult}: ${txLine(result)}`
              : `no quorum; ${result.redraw ? "a fresh committee will be drawn" : "the task is refunded"}: ${txLine(result)}`,
        };
      }),
    );

  task
    .command("challenge")
    .description("challenge the proposed result with a bond, opening an escalation round")
    .argument("<taskId>", "the task id")
    .requiredOption("--claim <hash>", "the result hash you claim is right")
    .option("--bond <amount>", "the bond (default: the task's current floor)")
    .option("--wei", "--bond is in base units")
    .option("--no-approve", "do not approve; fail if the allowance is short")
    .action(
      bind(async (ctx, id: string, opts: { claim: string; bond?: string } & AmountOptions & ApproveOptions) => {
        const taskId = taskIdArg(id);
        const claimedResult = bytes32Arg("claim", opts.claim);
        const bondArg = opts.bond === undefined ? undefined : amountArg("bond", opts.bond, opts.wei === true);
        const cohort = await ctx.writer();
        const token = await ctx.token();
        const bond = bondArg?.toUnits(token.decimals);
        await cohort.getTask({ taskId });
        const result = await cohort.challenge({
          taskId,
          claimedResult,
          approve: opts.approve,
          ...(bond === undefined ? {} : { bond }),
        });
        return {
          data: {
            taskId,
            claimedResult,
            step: result.step,
            bond: result.bond,
            approval: result.approval && txData(result.approval),
            transaction: txData(result),
          },
          human: [
            ...approvalLines(result.approval, result.bond, token),
            `challenge ${result.step} opened with a bond of ${token.format(result.bond)}: ${txLine(result)}`,
          ].join("\n"),
        };
      }),
    );

  task
    .command("finalize")
    .description("settle the task after its challenge window: slashes, releases, rewards (anyone may)")
    .argument("<taskId>", "the task id")
    .option("--once", "send one settlement batch only (large tasks settle in several)")
    .action(
      bind(async (ctx, id: string, opts: { once?: boolean }) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.writer();
        const transactions = [];
        // A task with many records settles in batches; each call settles one and says whether it was the last.
        for (let batch = 1; ; batch++) {
          const result = await cohort.finalize({ taskId });
          transactions.push(result);
          ctx.log.info({ taskId: taskId.toString(), batch, done: result.done }, "settlement batch");
          if (result.done || opts.once === true || batch >= 64) break;
        }
        const last = transactions[transactions.length - 1];
        const info = await cohort.getTask({ taskId });
        return {
          data: {
            taskId,
            done: last?.done ?? false,
            phase: info.phase,
            phaseName: info.phaseName,
            finalResult: info.phase === Phase.Finalized ? info.proposedResult : undefined,
            rewardPerSeat: info.rewardPerSeat,
            transactions: transactions.map(txData),
          },
          human: [
            ...transactions.map((t) => `settled: ${txLine(t)}`),
            last?.done === true ? `task ${taskId} is ${info.phaseName}` : "not done: run cohort task finalize again",
          ].join("\n"),
        };
      }),
    );

  task
    .command("expire")
    .description("refund a task that got no committee by its expiry (anyone may)")
    .argument("<taskId>", "the task id")
    .action(
      bind(async (ctx, id: string) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.writer();
        const result = await cohort.expire({ taskId });
        return { data: { taskId, transaction: txData(result) }, human: `task ${taskId} expired: ${txLine(result)}` };
      }),
    );

  task
    .command("replace")
    .description("penalize members that missed the commit deadline and arm a replacement draw (anyone may)")
    .argument("<taskId>", "the task id")
    .action(
      bind(async (ctx, id: string) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.writer();
        const result = await cohort.replaceNoShows({ taskId });
        return {
          data: { taskId, transaction: txData(result) },
          human: `no-shows of task ${taskId} replaced: ${txLine(result)}`,
        };
      }),
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

/** Reveals grouped by round and result: the seats behind each, its members, and its bytes if any were published. */
function groupReveals(reveals: Reveal[]) {
  const groups = new Map<
    string,
    { round: bigint; resultHash: string; seats: bigint; members: string[]; result: Uint8Array | undefined }
  >();
  for (const r of reveals) {
    const key = `${r.round}:${r.resultHash}`;
    const group = groups.get(key) ?? {
      round: r.round,
      resultHash: r.resultHash,
      seats: 0n,
      members: [],
      result: undefined,
    };
    if (r.seatsForResult > group.seats) group.seats = r.seatsForResult;
    group.members.push(r.member);
    group.result ??= r.result;
    groups.set(key, group);
  }
  return [...groups.values()];
}

function taskTable(t: GetTaskReturnType, token: TokenInfo, block: bigint): string {
  const deadline = (d: bigint) => (d === 0n ? undefined : `block ${d}${d < block ? " (passed)" : ""}`);
  return table([
    ["task", t.taskId],
    ["phase", `${t.phaseName} (state ${nameOf(TaskState, t.state)}, round ${t.round})`],
    ["requester", t.requester],
    ["program", t.programId],
    ["input hash", t.inputHash],
    [
      "seats",
      `${t.filledSeats}/${t.seats} filled, quorum ${t.quorum}, ${t.committedSeats} committed, ${t.revealedSeats} revealed`,
    ],
    ["reward", token.format(t.reward)],
    ["value at risk", token.format(t.valueAtRisk)],
    ["seat bond", token.format(t.seatBond)],
    ["commit deadline", deadline(t.commitDeadline)],
    ["reveal deadline", deadline(t.revealDeadline)],
    ["challenge deadline", deadline(t.challengeDeadline)],
    ["expires", deadline(t.expiresAt)],
    ["proposed result", t.proposedResult === ZeroHash ? undefined : t.proposedResult],
    ["escalations", `${t.escalations}/${t.maxEscalations}`],
    ["challenge bond floor", token.format(t.challengeBondFloor)],
  ]);
}

/**
 * Polls until the task's seed can be read (a live network mines on its own; a local node needs transactions). An
 * abort ends the wait with `InterruptedError`, so nothing is sent after the user gave up.
 */
async function waitForSeed(ctx: CommandContext, taskId: bigint, timeoutMs: number): Promise<void> {
  const cohort = await ctx.reader();
  await cohort.getTask({ taskId });
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seed = await cohort.getSeed({ taskId });
    if (seed.ready) return;
    if (Date.now() > until) {
      ctx.log.warn(
        { taskId: taskId.toString() },
        "the seed is still not ready: drawing anyway for the contract's answer",
      );
      return;
    }
    ctx.log.info({ status: seed.statusName, target: seed.target?.toString() }, "waiting for the seed");
    try {
      await sleep(SEED_POLL_MS, undefined, ctx.io.signal === undefined ? {} : { signal: ctx.io.signal });
    } catch {
      throw new InterruptedError();
    }
  }
}

const SEED_POLL_MS = 2_000;

function seatsText(n: bigint): string {
  return n === 1n ? "1 seat" : `${n} seats`;
}
