import type { Command } from "commander";

import { ConfigError } from "../../errors/base.js";
import { addressArg, amountArg } from "../parse.js";
import type { Bind } from "../program.js";
import { txData, txLine, type AmountOptions } from "./common.js";

/** Chains where the stake token may be the open-mint `TestToken`: a local node and Sepolia. */
const TEST_CHAINS = new Set([31337n, 1337n, 11155111n]);

/** `cohort token`: development helpers for the test token. */
export function registerToken(program: Command, bind: Bind): void {
  const token = program.command("token").description("the stake token (development helpers)");

  token
    .command("mint")
    .description("mint test tokens (only the open-mint TestToken of a local or test deployment)")
    .argument("<amount>", "whole tokens with decimals, or base units with --wei")
    .option("--to <address>", "the receiver (default: your account)")
    .option("--wei", "the amount is in base units")
    .action(
      bind(async (ctx, text: string, opts: { to?: string } & AmountOptions) => {
        const amount = amountArg("amount", text, opts.wei === true);
        const to = opts.to === undefined ? undefined : addressArg("to", opts.to);
        const { cohort, account } = await ctx.signer();
        // Refused by chain before anything is sent: on another chain the token is not a test token.
        if (!TEST_CHAINS.has(cohort.chainId)) {
          throw new ConfigError(`token mint is for test tokens on local and test chains, not chain ${cohort.chainId}`, {
            meta: { chainId: cohort.chainId },
          });
        }
        const info = await ctx.token();
        const units = amount.toUnits(info.decimals);
        const receiver = to ?? account;
        const result = await cohort.mintTestTokens({ to: receiver, amount: units });
        return {
          data: { to: receiver, amount: units, transaction: txData(result) },
          human: `minted ${info.format(units)} to ${receiver}: ${txLine(result)}`,
        };
      }),
    );
}
