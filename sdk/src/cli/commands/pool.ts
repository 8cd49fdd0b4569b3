import type { Command } from "commander";

import type { Bind } from "../program.js";
import { table } from "../output.js";
import { txData, txLine } from "./common.js";

/** `cohort pool`: the pool at a glance, and claiming what slashes credited to the signer. */
export function registerPool(program: Command, bind: Bind): void {
  const pool = program.command("pool").description("the security pool");

  pool
    .command("status")
    .description("totals, parameters, the epoch layout and the current draw window")
    .action(
      bind(async (ctx) => {
        const cohort = await ctx.reader();
        const [status, token] = await Promise.all([cohort.getPoolStatus(), ctx.token()]);
        const { totals, parameters, drawWindow } = status;
        return {
          data: {
            ...status,
            token: { address: status.addresses.stakeToken, symbol: token.symbol, decimals: token.decimals },
          },
          human: table([
            ["chain", status.chainId],
            ["block", status.blockNumber],
            ["task manager", status.addresses.taskManager],
            ["security pool", status.addresses.securityPool],
            ["stake token", `${status.addresses.stakeToken} (${token.symbol})`],
            ["randomness", status.addresses.randomness],
            ["stakers", totals.stakers],
            ["active stake", token.format(totals.active)],
            ["locked stake", token.format(totals.locked)],
            ["unbonding", token.format(totals.unbonding)],
            ["claimable", token.format(totals.claimable)],
            ["sampling weight", totals.weight],
            ["min stake", token.format(parameters.minStake)],
            ["seat bond", token.format(parameters.seatBond)],
            ["unbonding period", `${parameters.unbondingPeriod} blocks`],
            [
              "epoch",
              `${drawWindow.epoch}: ${status.epochBlocks} blocks, draw window ${drawWindow.start}..${drawWindow.end}${drawWindow.frozen ? " (open now: weights frozen)" : ""}`,
            ],
            ["tasks", status.taskCount],
            ["paused", status.paused],
          ]),
        };
      }),
    );

  pool
    .command("claim")
    .description("claim what slashes credited to you in the pool: bounties, honest shares (SecurityPool.claim)")
    .action(
      bind(async (ctx) => {
        const cohort = await ctx.writer();
        const token = await ctx.token();
        ctx.log.info("claiming the pool balance");
        const result = await cohort.claimPoolBalance();
        return {
          data: { amount: result.amount, transaction: txData(result) },
          human: `claimed ${token.format(result.amount)} from the pool: ${txLine(result)}`,
        };
      }),
    );
}
