import { Command, Option } from "commander";

import type { CommandContext } from "./context.js";
import { EXIT_CODE_HELP } from "./exit-codes.js";
import { LOG_LEVELS } from "./config.js";

/** What a command hands back: the members of its JSON document, and the text a person reads instead. */
export interface CommandOutput {
  data: Record<string, unknown>;
  human: string;
}

/** Turns a command body into a commander action; the runner supplies the context and keeps the output. */
export type Bind = (
  // `never[]`: any body's own positional and option types are accepted; commander passes what the command declares.
  body: (ctx: CommandContext, ...args: never[]) => Promise<CommandOutput>,
) => (...args: unknown[]) => Promise<void>;

export interface ProgramIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Where commander's own error messages go (suppressed with --json: the runner prints them in the document). */
  outputError(text: string): void;
}

export type Register = (program: Command, bind: Bind) => void;

export const ENVIRONMENT_HELP = `Environment (a flag wins over its variable):
  COHORT_NETWORK, COHORT_RPC_URL, COHORT_RPC_TIMEOUT_MS, COHORT_DEPLOYMENTS, COHORT_DEPLOYMENT_ID,
  COHORT_TASK_MANAGER, COHORT_CONFIRMATIONS, COHORT_LOG_LEVEL    the global options above
  COHORT_PRIVATE_KEY                  hex private key of the signing account
  COHORT_KEYSTORE, COHORT_KEYSTORE_PASSWORD
                                      encrypted JSON keystore file and its password (else a prompt on a terminal)
  COHORT_HARDHAT_KEYSTORE, COHORT_HARDHAT_KEYSTORE_PASSWORD, COHORT_HARDHAT_KEYSTORE_FILE
                                      key name in the Hardhat keystore, its password (else a prompt), and the
                                      keystore file (default: Hardhat's config dir, keystore.json)
Keys are never read from the command line. Read-only commands need no key.`;

/** The `cohort` program: global options, the command groups, help with the exit codes and environment. */
export function buildProgram(io: ProgramIo, bind: Bind, groups: Register[]): Command {
  const program = new Command("cohort")
    .description("Cohort: stake in the security pool, post compute tasks, commit and reveal results, claim rewards.")
    .version("0.1.0")
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr, outputError: io.outputError })
    .exitOverride()
    .showSuggestionAfterError()
    .option("--network <name>", "a known network: localhost (default without --rpc-url), sepolia")
    .option("--rpc-url <url>", "JSON-RPC endpoint (http(s) or ws(s)); overrides the network's default URL")
    .option("--rpc-timeout <ms>", "per-request RPC timeout in milliseconds (default 30000)")
    .option("--deployments <dir>", "Ignition deployments folder (default ignition/deployments)")
    .option("--deployment-id <id>", "Ignition deployment id (default chain-<chainId>)")
    .option("--task-manager <address>", "the task manager's address, instead of reading it from the deployment")
    .option("--confirmations <n>", "blocks to wait for after a transaction's own (default 1)")
    .option("--keystore <file>", "sign with an encrypted JSON keystore (password: COHORT_KEYSTORE_PASSWORD or prompt)")
    .option(
      "--hardhat-keystore <KEY_NAME>",
      "sign with a key from the Hardhat keystore (password: COHORT_HARDHAT_KEYSTORE_PASSWORD or prompt)",
    )
    .option("--json", "print exactly one JSON document on stdout (logs stay on stderr)")
    .addOption(new Option("--log-level <level>", "stderr log level (default info)").choices(LOG_LEVELS))
    .addHelpText("after", `\n${ENVIRONMENT_HELP}\n\n${EXIT_CODE_HELP}\n`);
  for (const register of groups) register(program, bind);
  return program;
}
