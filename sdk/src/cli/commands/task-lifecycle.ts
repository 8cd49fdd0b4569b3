import { setTimeout as sleep } from "node:timers/promises";

import type { Command } from "commander";

import { Phase } from "../../types.js";
import type { CommandContext } from "../context.js";
import { InterruptedError } from "../errors.js";
import { amountArg, bytes32Arg, taskIdArg, uintArg } from "../parse.js";
import type { Bind } from "../program.js";
import { approvalLines, seatsText, txData, txLine, type AmountOptions, type ApproveOptions } from "./common.js";

/**
 * The commands that move a task along: draw, trigger, tally, challenge, finalize, expire, replace (anyone may, but
 * challenge).
 */
export function registerTaskLifecycle(task: Command, bind: Bind): void {
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
    .command("trigger")
    .description("send the VRF request serving the task's next draw, from the draw window's first block (anyone may)")
    .argument("<taskId>", "the task id")
    .action(
      bind(async (ctx, id: string) => {
        const taskId = taskIdArg(id);
        const cohort = await ctx.writer();
        await cohort.getTask({ taskId });
        const seed = await cohort.getSeed({ taskId });
        // A blockhash source's value needs no trigger (its `trigger` changes nothing): no transaction for nothing.
        if (seed.target !== undefined) {
          return {
            data: { taskId, requestId: seed.requestId, triggered: false, target: seed.target },
            human: `task ${taskId}'s seed is the hash of block ${seed.target}: nothing to trigger`,
          };
        }
        const result = await cohort.triggerRandomness({ taskId });
        const sent = result.events.find((e) => e.name === "VrfRequestSent");
        return {
          data: {
            taskId,
            requestId: result.requestId,
            triggered: true,
            vrfRequestId: sent?.args.vrfRequestId,
            transaction: txData(result),
          },
          human: `VRF request ${result.requestId} of task ${taskId} sent: ${txLine(result)}`,
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
    ctx.log.info(
      { status: seed.statusName, target: seed.target?.toString() },
      seed.statusName === "Armed"
        ? "waiting for the seed (a VRF request: `cohort task trigger` sends it)"
        : "waiting for the seed",
    );
    try {
      await sleep(SEED_POLL_MS, undefined, ctx.io.signal === undefined ? {} : { signal: ctx.io.signal });
    } catch {
      throw new InterruptedError();
    }
  }
}

const SEED_POLL_MS = 2_000;
