import { CommanderError, type Command } from "commander";

import { CommandContext, type CliIo } from "./context.js";
import { resolveConfig, type GlobalFlags } from "./config.js";
import { describeError } from "./describe-error.js";
import { InterruptedError, UsageError } from "./errors.js";
import { ExitCode, exitCodeOf } from "./exit-codes.js";
import { createLogger } from "./logger.js";
import { writeJson } from "./output.js";
import { buildProgram, type Bind, type CommandOutput } from "./program.js";
import { COMMAND_GROUPS } from "./commands/index.js";

export type { CliIo } from "./context.js";

/** Options that would carry a secret: refused by name, with where the secret goes instead. */
const SECRET_FLAGS = /^--(private-?key|key|mnemonic|password|keystore-password)(=|$)/;

/**
 * Runs one `cohort` command line and returns its exit code; never calls `process.exit`, so tests run it in-process
 * with buffers for streams, their own environment and Hardhat's provider. `main.ts` calls it with the process's.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = wantsJson(argv);
  let output: { command: string; result: CommandOutput } | undefined;
  let running: CommandContext | undefined;
  const helpText: string[] = [];

  const bind: Bind =
    (body) =>
    async (...args) => {
      const command = args.at(-1) as Command;
      const name = commandPath(command);
      const { config, secrets } = resolveConfig(command.optsWithGlobals<GlobalFlags>(), io.env ?? {});
      const log = createLogger(io.stderr, config.logLevel);
      const ctx = new CommandContext(name, config, secrets, io, log);
      running = ctx;
      log.debug({ command: name }, "start");
      const result = await body(ctx, ...(args.slice(0, -1) as never[]));
      output = { command: name, result };
    };

  const program = buildProgram(
    {
      // Help and the version go to stdout; with --json they become the one document, printed below.
      writeOut: (text) => (json ? helpText.push(text) : io.stdout.write(text)),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text) => (json ? undefined : io.stderr.write(text)),
    },
    bind,
    COMMAND_GROUPS,
  );

  try {
    const secretFlag = argv.find((a) => SECRET_FLAGS.test(a));
    if (secretFlag !== undefined) {
      throw new UsageError(
        "cohort.secretOnCommandLine",
        `${secretFlag.split("=")[0]}: keys are never read from the command line`,
        {
          details: "set COHORT_PRIVATE_KEY, or use --keystore <file> or --hardhat-keystore <KEY_NAME>",
        },
      );
    }
    if (io.signal?.aborted) throw new InterruptedError();
    await untilAborted(
      program.parseAsync([...argv], { from: "user" }),
      io.signal,
      () => running?.handlesInterrupt === true,
    );
  } catch (caught) {
    const error = fromCommander(caught);
    if (error === undefined) {
      // --help or --version: not a failure.
      if (json) writeJson(io.stdout, { ok: true, help: helpText.join("") });
      return ExitCode.Ok;
    }
    const described = describeError(error);
    if (json) writeJson(io.stdout, { ok: false, error: described.json });
    // commander printed its own usage errors already (unless --json).
    else if (!(error instanceof UsageError && error.code.startsWith("commander.")))
      io.stderr.write(`${described.human}\n`);
    if (exitCodeOf(error) === ExitCode.Unexpected && !json && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
    return exitCodeOf(error);
  }
  if (output === undefined) {
    // A group name alone (`cohort task`) shows its help, as commander does, and is a usage error.
    const error = new UsageError("commander.missingCommand", "a command is missing: see --help");
    if (json) writeJson(io.stdout, { ok: false, error: describeError(error).json });
    else io.stderr.write(`${describeError(error).human}\n`);
    return ExitCode.Usage;
  }
  if (json) writeJson(io.stdout, { ok: true, command: output.command, ...output.result.data });
  else io.stdout.write(`${output.result.human}\n`);
  return ExitCode.Ok;
}

/** Whether the run prints JSON, known before commander parses anything (its own errors must be JSON too). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** commander's exceptions as the CLI's errors; undefined for help and version, which end the run successfully. */
function fromCommander(error: unknown): unknown {
  if (!(error instanceof CommanderError)) return error;
  if (error.exitCode === 0) return undefined;
  const message =
    error.code === "commander.help"
      ? "a command is missing: see the help above"
      : error.message.replace(/^error: /, "");
  return new UsageError(error.code, message);
}

/** `task create`: the command's path below the program. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * The promise, or an `InterruptedError` as soon as the signal aborts (the work itself is left to the process's end),
 * unless the running command handles the interrupt itself (a long-running agent that shuts down gracefully and then
 * throws `InterruptedError`).
 */
async function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  handledByCommand: () => boolean,
): Promise<T> {
  if (signal === undefined) return await promise;
  return await new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      if (!handledByCommand()) reject(new InterruptedError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
