import { readFileSync } from "node:fs";
import path from "node:path";

import { Option, type Command } from "commander";
import type { BaseWallet } from "ethers";

import type { Agent } from "../../agents/agent.js";
import { KNOWN_NETWORKS } from "../../config/schema.js";
import { InvalidArgumentError } from "../../errors/base.js";
import { WatchtowerAgent } from "../../watchtower/agent.js";
import { WorkerAgent } from "../../worker/agent.js";
import type { CommandContext } from "../context.js";
import { InterruptedError } from "../errors.js";
import { amountArg, bytes32Arg, uintArg } from "../parse.js";
import type { Bind, CommandOutput } from "../program.js";

/** Options both `worker run` and `watchtower run` take. */
interface RunOptions {
  store?: string;
  rpcFallback: string[];
  fromBlock?: string;
  depth?: string;
  pollInterval?: string;
  healthPort?: string;
  program: string[];
  programs?: string;
  priorityFeeGwei?: string;
  maxFeeGwei?: string;
  progress: boolean;
}

interface WorkerRunOptions extends RunOptions {
  claim: boolean;
  precompute?: boolean;
  revealResultBytes?: boolean;
  adversary?: string;
  defendGames: boolean;
}

interface WatchtowerRunOptions extends RunOptions {
  maxBond?: string;
  approveAmount?: string;
  wei?: boolean;
  game?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `cohort worker` and `cohort watchtower`: the long-running agents (docs/Agents.md). */
export function registerAgents(program: Command, bind: Bind): void {
  const worker = program.command("worker").description("run a worker: compute, commit and reveal your seats");
  runOptions(worker.command("run"))
    .description("serve your seats until stopped (SIGINT/SIGTERM finish the work in flight, then exit)")
    .option("--no-claim", "do not claim rewards of won records")
    .option("--reveal-result-bytes", "emit the result bytes with each reveal (costs gas per byte)")
    .option("--precompute", "compute every task when posted, not when drawn (faster commits, more computing)")
    .option("--no-defend-games", "do not defend your revealed results in bisection games opened against them")
    .addOption(
      new Option("--adversary <mode>", "testing only: reveal a wrong result").choices(["wrong-result"]).hideHelp(),
    )
    .action(bind(async (ctx, opts: WorkerRunOptions) => await runAgent(ctx, "worker", opts)));
  statusCommand(worker, bind, "worker");

  const watchtower = program
    .command("watchtower")
    .description("run a watchtower: re-execute proposed results and challenge wrong ones");
  runOptions(watchtower.command("run"))
    .description("watch every proposed result until stopped (SIGINT/SIGTERM finish the work in flight, then exit)")
    .option("--max-bond <amount>", "the largest challenge bond to put up (tokens, or base units with --wei)")
    .option(
      "--approve-amount <amount>",
      "allowance to grant the manager when short, at least the bond (default: the whole token balance)",
    )
    .option("--wei", "amounts are in base units")
    .addOption(
      new Option("--game <mode>", "challenge by bisection game: prefer it, escalate first, or never")
        .choices(["prefer", "escalate-first", "off"])
        .default("prefer"),
    )
    .action(bind(async (ctx, opts: WatchtowerRunOptions) => await runAgent(ctx, "watchtower", opts)));
  statusCommand(watchtower, bind, "watchtower");
}

function runOptions(command: Command): Command {
  return command
    .option("--store <file>", "the agent's SQLite store (default .cohort/<role>-<chainId>-<account>.sqlite)")
    .option(
      "--rpc-fallback <url>",
      "another RPC URL of the same chain, tried when the first fails (repeatable)",
      collect,
      [],
    )
    .option("--from-block <n>", "first block to scan on a fresh store: the deployment's block (default 0)")
    .option("--depth <n>", "act on blocks this many deep (1: the head itself; default 2)")
    .option("--poll-interval <ms>", "pause between rounds (default 1000)")
    .option("--health-port <port>", "serve GET /health and /status on 127.0.0.1:<port> (0: any free port)")
    .option("--program <id=location>", "where a program's WASM is: its id and a path or URI (repeatable)", collect, [])
    .option("--programs <file>", "a JSON file mapping program ids to paths or URIs")
    .option("--priority-fee-gwei <n>", "tip offered first (default 1)")
    .option("--max-fee-gwei <n>", "most ever offered per gas (default 1000)")
    .option("--no-progress", "make no permissionless calls (draw, tally, finalize, ...) for other agents' sake");
}

async function runAgent(
  ctx: CommandContext,
  role: "worker" | "watchtower",
  opts: Partial<WorkerRunOptions> & WatchtowerRunOptions,
): Promise<CommandOutput> {
  const cohort = await ctx.writer();
  const wallet = cohort.signer as BaseWallet;
  const account = wallet.address;
  const primary = ctx.config.rpcUrl ?? KNOWN_NETWORKS[ctx.config.network ?? "localhost"].url;
  if (primary === undefined) throw new InvalidArgumentError("rpc-url", "an agent needs an RPC URL for this network");
  const progress = opts.progress;
  const common = {
    rpcUrls: [primary, ...opts.rpcFallback],
    taskManager: cohort.addresses.taskManager,
    store: opts.store ?? path.join(".cohort", `${role}-${cohort.chainId}-${account.slice(2, 10).toLowerCase()}.sqlite`),
    fromBlock: opts.fromBlock === undefined ? 0 : Number(uintArg("from-block", opts.fromBlock)),
    confirmations: opts.depth === undefined ? 2 : Number(uintArg("depth", opts.depth, 1n, 64n)),
    pollIntervalMs: opts.pollInterval === undefined ? 1_000 : Number(uintArg("poll-interval", opts.pollInterval, 10n)),
    rpcTimeoutMs: ctx.config.rpcTimeoutMs,
    programs: programsOf(opts),
    progress: { draw: progress, replaceNoShows: progress, tally: progress, finalize: progress, expire: progress },
    ...(opts.healthPort === undefined
      ? {}
      : { healthPort: Number(uintArg("health-port", opts.healthPort, 0n, 65_535n)) }),
    ...(opts.priorityFeeGwei === undefined
      ? {}
      : { priorityFeeGwei: gweiArg("priority-fee-gwei", opts.priorityFeeGwei) }),
    ...(opts.maxFeeGwei === undefined ? {} : { maxFeeGwei: gweiArg("max-fee-gwei", opts.maxFeeGwei) }),
  };
  const deps = { logger: ctx.log, wallet };
  let agent: Agent;
  if (role === "worker") {
    agent = new WorkerAgent(
      {
        ...common,
        claim: opts.claim !== false,
        precompute: opts.precompute === true,
        revealResultBytes: opts.revealResultBytes === true,
        adversary: opts.adversary === "wrong-result" ? "wrong-result" : "none",
        defendGames: opts.defendGames !== false,
      },
      deps,
    );
  } else {
    const token = await ctx.token();
    const amount = (name: string, text: string | undefined) =>
      text === undefined ? undefined : amountArg(name, text, opts.wei === true).toUnits(token.decimals);
    const maxBond = amount("max-bond", opts.maxBond);
    const approveAmount = amount("approve-amount", opts.approveAmount);
    agent = new WatchtowerAgent(
      {
        ...common,
        ...(maxBond === undefined ? {} : { maxBond }),
        ...(approveAmount === undefined ? {} : { approveAmount }),
        game: (opts.game ?? "prefer") as "prefer" | "escalate-first" | "off",
      },
      deps,
    );
  }

  // SIGINT arrives as the run's abort signal, SIGTERM from the process: both stop the agent gracefully first.
  ctx.handlesInterrupt = true;
  let stoppedBy: "SIGINT" | "SIGTERM" | undefined;
  const onInterrupt = () => {
    stoppedBy ??= "SIGINT";
    void agent.stop("SIGINT");
  };
  const onTerminate = () => {
    stoppedBy ??= "SIGTERM";
    void agent.stop("SIGTERM");
  };
  ctx.io.signal?.addEventListener("abort", onInterrupt, { once: true });
  process.once("SIGTERM", onTerminate);
  try {
    await agent.start();
    if (ctx.io.signal?.aborted) onInterrupt();
    await agent.done();
    await agent.stop(stoppedBy ?? "loop ended");
  } finally {
    ctx.io.signal?.removeEventListener("abort", onInterrupt);
    process.off("SIGTERM", onTerminate);
  }
  if (stoppedBy === "SIGINT") throw new InterruptedError();
  const status = agent.status();
  return {
    data: { role, account, stoppedBy, status },
    human: `${role} ${account} stopped (${stoppedBy ?? "loop ended"}) at block ${String(status.head)}, cursor ${String(status.cursor)}`,
  };
}

/** `--program id=location` (repeatable) and `--programs file.json`, merged (the flags win). */
function programsOf(opts: RunOptions): Record<string, string> {
  const programs: Record<string, string> = {};
  if (opts.programs !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.programs, "utf8"));
    } catch (error) {
      throw new InvalidArgumentError("programs", `${opts.programs}: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object") throw new InvalidArgumentError("programs", "expected an object");
    for (const [id, where] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof where !== "string") throw new InvalidArgumentError("programs", `${id}: expected a path or URI`);
      // Relative paths in the file are relative to the file.
      programs[bytes32Arg("programs", id)] = /^[a-z]+:/i.test(where)
        ? where
        : path.resolve(path.dirname(opts.programs), where);
    }
  }
  for (const entry of opts.program) {
    const at = entry.indexOf("=");
    if (at < 0) throw new InvalidArgumentError("program", `expected <id>=<location>, got ${entry}`);
    programs[bytes32Arg("program", entry.slice(0, at))] = entry.slice(at + 1);
  }
  return programs;
}

function gweiArg(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new InvalidArgumentError(name, `expected a number of gwei, got ${text}`);
  return value;
}

/** `cohort <role> status --health-port N`: what a running agent's health endpoint reports. */
function statusCommand(group: Command, bind: Bind, role: string): void {
  group
    .command("status")
    .description(`ask a running ${role} for its status (its --health-port)`)
    .requiredOption("--health-port <port>", "the port the agent serves /status on")
    .option("--health-host <host>", "its host (default 127.0.0.1)", "127.0.0.1")
    .action(
      bind(async (_ctx, opts: { healthPort: string; healthHost: string }) => {
        const port = Number(uintArg("health-port", opts.healthPort, 1n, 65_535n));
        const response = await fetch(`http://${opts.healthHost}:${port}/status`);
        const status = (await response.json()) as Record<string, unknown>;
        const lines = [
          `${String(status.role)} ${String(status.account)}: ${status.healthy === true ? "healthy" : "UNHEALTHY"}`,
          `head ${String(status.head)}, cursor ${String(status.cursor)}, lag ${String(status.lag)}`,
          `open tasks ${String(status.openTasks)}, pending assignments ${String(status.pendingAssignments ?? "-")}, ` +
            `transactions in flight ${String(status.inFlightTxs)}`,
        ];
        return { data: { status }, human: lines.join("\n") };
      }),
    );
}
