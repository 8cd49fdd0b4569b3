import type { Command } from "commander";

import { InvalidArgumentError } from "../../errors/base.js";
import { taskIdArg, uintArg } from "../parse.js";
import type { Bind } from "../program.js";
import { txData, txLine } from "./common.js";

/** `cohort rewards`: pulling a finalized task's reward and the manager's credit. */
export function registerRewards(program: Command, bind: Bind): void {
  const rewards = program.command("rewards").description("claim what you earned");

  rewards
    .command("claim")
    .description("claim the reward of your winning seats in a finalized task (every round, unless --round/--index)")
    .argument("<taskId>", "the task id")
    .option("--round <n>", "one record only: its round (with --index)")
    .option("--index <n>", "one record only: its index (with --round)")
    .action(
      bind(async (ctx, id: string, opts: { round?: string; index?: string }) => {
        const taskId = taskIdArg(id);
        const round = opts.round === undefined ? undefined : uintArg("round", opts.round);
        const index = opts.index === undefined ? undefined : uintArg("index", opts.index);
        if ((round === undefined) !== (index === undefined)) {
          throw new InvalidArgumentError("round", "--round and --index go together");
        }
        const cohort = await ctx.writer();
        const token = await ctx.token();
        await cohort.getTask({ taskId });
        const result = await cohort.claimReward({
          taskId,
          ...(round === undefined || index === undefined ? {} : { round, index }),
        });
        return {
          data: {
            taskId,
            amount: result.amount,
            claims: result.claims.map((c) => ({
              round: c.round,
              index: c.index,
              amount: c.amount,
              transaction: txData(c),
            })),
          },
          human: [
            ...result.claims.map((c) => `round ${c.round} record #${c.index}: ${token.format(c.amount)}: ${txLine(c)}`),
            `claimed ${token.format(result.amount)} in all`,
          ].join("\n"),
        };
      }),
    );

  rewards
    .command("credit")
    .description("claim your credit in the task manager: refunds, challenge payouts (TaskManager.claimCredit)")
    .action(
      bind(async (ctx) => {
        const cohort = await ctx.writer();
        const token = await ctx.token();
        const result = await cohort.claimCredit();
        return {
          data: { amount: result.amount, transaction: txData(result) },
          human: `claimed ${token.format(result.amount)} of credit: ${txLine(result)}`,
        };
      }),
    );
}
