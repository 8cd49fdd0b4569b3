import type { Command } from "commander";
import { ZeroHash, hexlify } from "ethers";

import type { Reveal } from "../../actions/getReveals.js";
import type { GetTaskReturnType } from "../../actions/getTask.js";
import { Phase, TaskState, nameOf } from "../../types.js";
import type { TokenInfo } from "../context.js";
import { table } from "../output.js";
import { taskIdArg, uintArg } from "../parse.js";
import type { Bind } from "../program.js";
import { seatsText } from "./common.js";
import { registerTaskCreate } from "./task-create.js";
import { registerTaskLifecycle } from "./task-lifecycle.js";

/** `cohort task`: posting tasks and moving them along (anyone may draw, tally, finalize), and reading them. */
export function registerTask(program: Command, bind: Bind): void {
  const task = program.command("task").description("compute tasks");

  registerTaskCreate(task, bind);

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

  registerTaskLifecycle(task, bind);
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
