/**
 * The pool's agents in this process, through the SDK: one `WorkerAgent` per worker (the adversary one whose worker
 * commits and reveals a wrong result, the SDK's `adversary: "wrong-result"`) and one `WatchtowerAgent`. Each has its
 * own store; all log to one file (warnings and errors) so that the terminal shows the demo's progress.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { pino } from "pino";

import { WatchtowerAgent, WorkerAgent } from "../../sdk/dist/index.js";
import type { PoolMember } from "./pool.ts";

export interface AgentSetup {
  rpcUrl: string;
  taskManager: string;
  fromBlock: number;
  programs: Record<string, string>;
  pollMs: number;
  /** Folder for the stores. */
  dir: string;
  logFile: string;
  /** Whether the agents play the bisection game (false: `--no-game`, escalation committees only). */
  games: boolean;
}

export interface RunningAgents {
  workers: { member: PoolMember; agent: WorkerAgent }[];
  watchtower: WatchtowerAgent;
  stop(): Promise<void>;
}

export async function startAgents(
  setup: AgentSetup,
  members: PoolMember[],
  watchtowerKey: string,
  approveAmount: bigint,
): Promise<RunningAgents> {
  mkdirSync(setup.dir, { recursive: true });
  const logger = pino({ level: "warn" }, pino.destination({ dest: setup.logFile, sync: false, mkdir: true }));
  const common = (name: string) => ({
    rpcUrls: [setup.rpcUrl],
    taskManager: setup.taskManager,
    store: path.join(setup.dir, `${name}.sqlite`),
    fromBlock: setup.fromBlock,
    // No reorgs on the in-process network or a hardhat node: act on the head itself.
    confirmations: 1,
    pollIntervalMs: setup.pollMs,
    programs: setup.programs,
    shutdownTimeoutMs: 10_000,
  });
  const workers = members.map((member) => ({
    member,
    agent: new WorkerAgent(
      {
        ...common(member.label),
        privateKey: member.wallet.privateKey,
        // The result bytes go on chain with each reveal: the next task of the region and its neighbours read them.
        revealResultBytes: true,
        adversary: member.adversarial ? "wrong-result" : "none",
        defendGames: setup.games,
      },
      { logger: logger.child({ agent: member.label }) },
    ),
  }));
  const watchtower = new WatchtowerAgent(
    { ...common("watchtower"), privateKey: watchtowerKey, approveAmount, game: setup.games ? "prefer" : "off" },
    { logger: logger.child({ agent: "watchtower" }) },
  );
  // One at a time: each start connects and opens its store; in parallel they would only contend for the CPU.
  for (const w of workers) await w.agent.start();
  await watchtower.start();
  return {
    workers,
    watchtower,
    async stop() {
      await Promise.all([...workers.map((w) => w.agent.stop("demo over")), watchtower.stop("demo over")]);
      logger.flush();
    },
  };
}
