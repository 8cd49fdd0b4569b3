import type { Command } from "commander";
import { MaxUint256, formatEther } from "ethers";

import { InvalidArgumentError } from "../../errors/base.js";
import type { CommandContext, TokenInfo } from "../context.js";
import { table } from "../output.js";
import { addressArg, amountArg } from "../parse.js";
import type { Bind } from "../program.js";
import { approvalLines, txData, txLine, type AmountOptions, type ApproveOptions } from "./common.js";

/** `cohort stake`: adding, unstaking and withdrawing stake, and looking at an account's. */
export function registerStake(program: Command, bind: Bind): void {
  const stake = program.command("stake").description("your stake in the security pool");

  stake
    .command("add")
    .description("stake tokens (approves exactly the missing allowance first unless --no-approve)")
    .argument("<amount>", "whole tokens with decimals (100, 2.5), or base units with --wei")
    .option("--wei", "the amount is in the token's base units")
    .option("--no-approve", "do not approve; fail if the allowance is short")
    .action(
      bind(async (ctx, text: string, opts: AmountOptions & ApproveOptions) => {
        const amount = amountArg("amount", text, opts.wei === true);
        const { cohort, account } = await ctx.signer();
        const token = await ctx.token();
        const units = amount.toUnits(token.decimals);
        ctx.log.info({ amount: units.toString() }, `staking ${token.format(units)}`);
        const result = await cohort.stake({ amount: units, approve: opts.approve });
        const after = await cohort.getStake({ worker: account });
        // Inside a draw window the pool defers weight changes, so the draw in progress cannot be steered.
        const deferred = after.weight < after.targetWeight;
        return {
          data: {
            account,
            amount: units,
            active: result.active,
            weight: after.weight,
            targetWeight: after.targetWeight,
            weightDeferred: deferred,
            approval: result.approval && txData(result.approval),
            transaction: txData(result),
          },
          human: [
            ...approvalLines(result.approval, units, token),
            `staked ${token.format(units)}; active stake ${token.format(result.active)}: ${txLine(result)}`,
            ...(deferred ? ["inside a draw window: the weight applies after it (cohort stake sync)"] : []),
          ].join("\n"),
        };
      }),
    );

  stake
    .command("unstake")
    .description("move free stake into unbonding; withdraw it once the unbonding period is over")
    .argument("<amount>", "whole tokens with decimals, or base units with --wei")
    .option("--wei", "the amount is in the token's base units")
    .action(
      bind(async (ctx, text: string, opts: AmountOptions) => {
        const amount = amountArg("amount", text, opts.wei === true);
        const cohort = await ctx.writer();
        const token = await ctx.token();
        const units = amount.toUnits(token.decimals);
        ctx.log.info({ amount: units.toString() }, `unstaking ${token.format(units)}`);
        const result = await cohort.requestUnstake({ amount: units });
        return {
          data: { amount: units, unbondingEnd: result.unbondingEnd, transaction: txData(result) },
          human: `unbonding ${token.format(units)} until block ${result.unbondingEnd}: ${txLine(result)}`,
        };
      }),
    );

  stake
    .command("withdraw")
    .description("withdraw unbonding stake whose period is over")
    .action(
      bind(async (ctx) => {
        const cohort = await ctx.writer();
        const token = await ctx.token();
        const result = await cohort.withdraw();
        return {
          data: { amount: result.amount, transaction: txData(result) },
          human: `withdrew ${token.format(result.amount)}: ${txLine(result)}`,
        };
      }),
    );

  stake
    .command("show")
    .description("an account's stake, wallet balance, claimable amounts and allowances (default: your account)")
    .argument("[address]", "the account (default: the configured key's)")
    .action(
      bind(async (ctx, address: string | undefined) => {
        const account = await accountArg(ctx, address);
        const cohort = await ctx.reader();
        const [balances, token] = await Promise.all([cohort.getBalances({ account }), ctx.token()]);
        const { stake: s } = balances;
        return {
          data: { ...balances },
          human: table([
            ["account", balances.account],
            ["active stake", token.format(s.active)],
            ["locked by seats", `${token.format(s.locked)} (${s.seats} seats)`],
            ["free", `${token.format(s.free)} (${s.freeSeats} more seats)`],
            [
              "unbonding",
              s.unbonding === 0n ? token.format(0n) : `${token.format(s.unbonding)} until block ${s.unbondingEnd}`,
            ],
            [
              "weight",
              s.weight === s.targetWeight ? s.weight : `${s.weight} (${s.targetWeight} after cohort stake sync)`,
            ],
            ["wallet", token.format(balances.token)],
            ["ether", `${formatEther(balances.ether)} ETH`],
            ["claimable in the pool", token.format(balances.poolClaimable)],
            ["credit in the manager", token.format(balances.managerCredit)],
            ["allowance to the pool", allowance(balances.allowanceToPool, token)],
            ["allowance to the manager", allowance(balances.allowanceToManager, token)],
          ]),
        };
      }),
    );

  stake
    .command("sync")
    .description("apply an account's weight change deferred by a draw window (anyone may)")
    .argument("[address]", "the account (default: the configured key's)")
    .action(
      bind(async (ctx, address: string | undefined) => {
        const worker = await accountArg(ctx, address);
        const cohort = await ctx.writer();
        const result = await cohort.syncWeight({ worker });
        return {
          data: { account: worker, weight: result.weight, transaction: txData(result) },
          human: `weight of ${worker} is ${result.weight}: ${txLine(result)}`,
        };
      }),
    );
}

/** The address argument, or the configured key's address. */
export async function accountArg(ctx: CommandContext, address: string | undefined): Promise<string> {
  if (address !== undefined) return addressArg("address", address);
  const account = await ctx.account();
  if (account === undefined) {
    throw new InvalidArgumentError("address", "give an address, or configure a key to use its account");
  }
  return account;
}

function allowance(amount: bigint, token: TokenInfo): string {
  return amount === MaxUint256 ? "unlimited" : token.format(amount);
}
