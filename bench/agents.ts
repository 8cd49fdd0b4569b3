/**
 * Agent throughput benchmark: `npm run bench:agents`.
 *
 * Two runs of the same workload, each on its own fresh `hardhat node` (interval mining, BENCH_AGENT_BLOCK_MS per
 * block) with the same deployment (the test epoch layout: 20-block epochs, 5-block draw windows; six workers with
 * equal stakes): a batch of BENCH_AGENT_TASKS particle-world tasks of 3 seats, posted at the same point of an epoch.
 *
 * - agents: six `cohort worker run` processes of the built binary (depth 1, 100 ms polls) do all the work: draw,
 *   compute, commit, reveal, tally, finalize, claim.
 * - bare: one ethers script (`bench/agents-bare.ts`) holding every key sends the same transactions, as early as
 *   the chain allows, with pipelined nonces and no reads it can avoid: what the node allows for this workload.
 *
 * Reports tasks per minute (batch size over the time from posting to the last TaskFinalized), p50/p95 latency from
 * the committee's draw to each commit and from the reveal window's opening to each reveal (blocks, and ms at the
 * block time), the agents' resident memory, and RPC calls and transactions per task. Writes
 * bench/results/agents.json. Environment: BENCH_AGENT_TASKS (default 24), BENCH_AGENT_BLOCK_MS (default 500),
 * BENCH_OUT (output folder).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { keccak256 } from "ethers";

import { spawnCohort, ensureBuiltCli } from "../test/agents/helpers/cli.js";
import type { AgentProcess } from "../test/agents/helpers/agentProcess.js";
import { startNode, type HardhatNode } from "../test/agents/helpers/node.js";
import { deployOnNode, intervalMining, particleInput, type AgentSystem } from "../test/agents/helpers/system.js";
import { UNIT } from "../test/helpers/pool.js";
import { runBare, type BareTask } from "./agents-bare.js";

const TASKS = Number(process.env.BENCH_AGENT_TASKS ?? 24);
const BLOCK_MS = Number(process.env.BENCH_AGENT_BLOCK_MS ?? 500);
const OUT_DIR = process.env.BENCH_OUT ?? "bench/results";
const EPOCH = 20;
const WINDOWS = { commitBlocks: 10n, revealBlocks: 10n, challengeBlocks: 5n };

interface RunResult {
  tasksPerMinute: number;
  seconds: number;
  commitLatency: Percentiles;
  revealLatency: Percentiles;
  rpcCallsPerTask: number;
  /** The agents' calls per task by JSON-RPC method (the bare run does not break its count down). */
  rpcCallsPerTaskByMethod?: Record<string, number>;
  transactionsPerTask: number;
  rssMb?: { max: number; mean: number };
}

interface Percentiles {
  blocks: { p50: number; p95: number };
  ms: { p50: number; p95: number };
  samples: number;
}

async function system(): Promise<{ node: HardhatNode; a: AgentSystem }> {
  const node = await startNode();
  // Stakes large enough that no seat is ever declined for want of free stake, however many tasks run at once.
  const a = await deployOnNode(node, { stakes: [1000n, 1000n, 1000n, 1000n, 1000n, 1000n] });
  await intervalMining(node, BLOCK_MS);
  return { node, a };
}

/** Waits for the block after which a posted task's seed is the next draw window's: the same start in both runs. */
async function alignToEpoch(a: AgentSystem): Promise<void> {
  for (;;) {
    const next = (await a.ethers.provider.getBlockNumber()) + 1;
    if (next % EPOCH === 1) return;
    await new Promise((r) => setTimeout(r, BLOCK_MS / 5));
  }
}

/** Posts the batch in one go (pipelined nonces) and returns each task with its input and seed target. */
async function postBatch(a: AgentSystem): Promise<BareTask[]> {
  const requester = a.sys.requester;
  let nonce = await a.ethers.provider.getTransactionCount(requester.address, "pending");
  const sent = [];
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < TASKS; i++) {
    const input = particleInput(1_000 + i);
    inputs.push(input);
    sent.push(
      await a.sys.manager.connect(requester).createTask(
        {
          programId: a.program.id,
          inputHash: keccak256(input),
          inputKind: 0,
          input,
          seats: 3n,
          quorum: 2n,
          reward: 300n * UNIT,
          ...WINDOWS,
          valueAtRisk: 0n,
          noQuorumRule: 0,
        },
        { nonce: nonce++, gasLimit: 1_000_000n },
      ),
    );
  }
  const tasks: BareTask[] = [];
  for (const [i, tx] of sent.entries()) {
    const receipt = await tx.wait();
    let taskId = 0n;
    let requestId = 0n;
    for (const log of receipt?.logs ?? []) {
      const parsed = a.sys.manager.interface.parseLog(log);
      if (parsed?.name === "TaskCreated") taskId = parsed.args.taskId as bigint;
      if (parsed?.name === "SeedRequested") requestId = parsed.args.requestId as bigint;
    }
    tasks.push({ taskId, input: inputs[i]!, target: Number(await a.sys.randomness.targetOf(requestId)) });
  }
  return tasks;
}

async function finalizedCount(a: AgentSystem, fromBlock: number): Promise<number> {
  return (await a.sys.manager.queryFilter(a.sys.manager.filters.TaskFinalized(), fromBlock, "latest")).length;
}

/** Waits until every task of the batch is finalized (at most five minutes). */
async function untilFinalized(a: AgentSystem, fromBlock: number, run: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  let last = -1;
  for (;;) {
    const n = await finalizedCount(a, fromBlock);
    if (n !== last) progress(`${run}: ${n}/${TASKS} finalized`);
    last = n;
    if (n >= TASKS) return;
    if (Date.now() > deadline) {
      const phases: Record<string, number> = {};
      for (let t = 1n; t <= (await a.sys.manager.taskCount()); t++) {
        const phase = Number(await a.sys.manager.phaseOf(t));
        phases[phase] = (phases[phase] ?? 0) + 1;
      }
      throw new Error(
        `${run}: only ${n} of ${TASKS} tasks finalized in five minutes; phases ${JSON.stringify(phases)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Draw-to-commit latency of each record (from the block of its SeatsAssigned event, the draw that gave it its seats)
 * and reveal-window-to-reveal latency (from the block after the round's last commit deadline), from the chain.
 */
async function latencies(a: AgentSystem, fromBlock: number) {
  const m = a.sys.manager;
  const key = (args: { taskId: bigint; round: bigint }) => `${args.taskId}:${args.round}`;
  const assigned = new Map<string, number>();
  for (const e of await m.queryFilter(m.filters.SeatsAssigned(), fromBlock, "latest")) {
    const k = `${key(e.args)}:${e.args.index}`;
    if (!assigned.has(k)) assigned.set(k, e.blockNumber);
  }
  const deadline = new Map<string, number>();
  for (const e of await m.queryFilter(m.filters.CommitteeDrawn(), fromBlock, "latest")) {
    deadline.set(key(e.args), Math.max(deadline.get(key(e.args)) ?? 0, Number(e.args.commitDeadline)));
  }
  const commits: number[] = [];
  for (const e of await m.queryFilter(m.filters.Committed(), fromBlock, "latest")) {
    const at = assigned.get(`${key(e.args)}:${e.args.index}`);
    if (at !== undefined) commits.push(e.blockNumber - at);
  }
  const reveals: number[] = [];
  for (const e of await m.queryFilter(m.filters.Revealed(), fromBlock, "latest")) {
    const d = deadline.get(key(e.args));
    if (d !== undefined) reveals.push(e.blockNumber - (d + 1));
  }
  return { commit: percentiles(commits), reveal: percentiles(reveals) };
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  const p50 = at(0.5);
  const p95 = at(0.95);
  return { blocks: { p50, p95 }, ms: { p50: p50 * BLOCK_MS, p95: p95 * BLOCK_MS }, samples: sorted.length };
}

async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function runAgents(): Promise<RunResult> {
  progress("building the CLI if needed");
  await ensureBuiltCli();
  const { node, a } = await system();
  progress(`agents: node at ${node.url}, deployed`);
  const agents: AgentProcess[] = [];
  try {
    const fromBlock = await a.ethers.provider.getBlockNumber();
    for (const [i, w] of a.sys.workers.entries()) {
      const args = ["worker", "run", "--store", path.join(a.dir, `bench-${i}.sqlite`), "--program"];
      args.push(`${a.program.id}=${a.program.path}`, "--from-block", String(fromBlock), "--depth", "1");
      args.push("--poll-interval", "100", "--health-port", "0", "--json");
      agents.push(
        spawnCohort(args, {
          COHORT_RPC_URL: node.url,
          COHORT_TASK_MANAGER: a.manager,
          COHORT_PRIVATE_KEY: a.keyFor(w.address),
          COHORT_LOG_LEVEL: "info",
        }),
      );
    }
    // Each agent names its health port in its "agent started" line; the RPC counts come from there.
    const ports = await Promise.all(agents.map((x) => healthPortOf(x)));
    progress("agents: six workers started");
    const rss: number[] = [];
    const sampler = setInterval(() => {
      for (const x of agents) void rssOf(x.process.pid ?? 0).then((mb) => mb !== undefined && rss.push(mb));
    }, 500);
    const rpcBefore = await rpcTotals(ports);
    await alignToEpoch(a);
    const startBlock = await a.ethers.provider.getBlockNumber();
    const t0 = Date.now();
    await postBatch(a);
    progress(`agents: ${TASKS} tasks posted`);
    await untilFinalized(a, startBlock, "agents");
    const seconds = (Date.now() - t0) / 1000;
    // The claims follow the finalization; wait for them so that the per-task counts are whole.
    await waitForClaims(a, startBlock);
    const rpcAfter = await rpcTotals(ports);
    clearInterval(sampler);
    const { commit, reveal } = await latencies(a, startBlock);
    const txs = await transactionsOf(
      a,
      startBlock,
      a.sys.workers.map((w) => w.address),
    );
    return {
      tasksPerMinute: (TASKS / seconds) * 60,
      seconds,
      commitLatency: commit,
      revealLatency: reveal,
      rpcCallsPerTask: (rpcAfter.requests - rpcBefore.requests) / TASKS,
      rpcCallsPerTaskByMethod: perTaskByMethod(rpcBefore.byMethod, rpcAfter.byMethod),
      transactionsPerTask: txs / TASKS,
      rssMb: { max: Math.max(...rss), mean: rss.reduce((s, x) => s + x, 0) / Math.max(1, rss.length) },
    };
  } catch (error) {
    for (const [i, x] of agents.entries()) {
      const bad = x.lines.filter((l) => l.level >= 40);
      progress(
        `agent ${i}: ${bad.length} warnings/errors; last: ${bad
          .slice(-3)
          .map((l) => JSON.stringify(l).slice(0, 400))
          .join(" | ")}`,
      );
    }
    throw error;
  } finally {
    for (const x of agents) x.process.kill("SIGTERM");
    await Promise.all(agents.map((x) => x.exited));
    await node.stop();
  }
}

async function runBareScript(): Promise<RunResult> {
  const { node, a } = await system();
  try {
    const keys = new Map(a.sys.workers.map((w) => [w.address.toLowerCase(), a.keyFor(w.address)]));
    const wasm = new Uint8Array(await readFile(a.program.path));
    await alignToEpoch(a);
    const startBlock = await a.ethers.provider.getBlockNumber();
    const t0 = Date.now();
    const tasks = await postBatch(a);
    progress(`bare: ${TASKS} tasks posted`);
    const report = await runBare({
      url: node.url,
      manager: a.manager,
      randomness: await a.sys.randomness.getAddress(),
      chainId: (await a.ethers.provider.getNetwork()).chainId,
      keys,
      keeperKey: a.keyFor(a.sys.outsider.address),
      wasm,
      tasks,
      pollMs: 25,
    });
    const seconds = (Math.max(...report.finalizedAt.values()) - t0) / 1000;
    const { commit, reveal } = await latencies(a, startBlock);
    return {
      tasksPerMinute: (TASKS / seconds) * 60,
      seconds,
      commitLatency: commit,
      revealLatency: reveal,
      rpcCallsPerTask: report.rpcCalls / TASKS,
      transactionsPerTask: report.transactions / TASKS,
    };
  } finally {
    await node.stop();
  }
}

async function healthPortOf(agent: AgentProcess): Promise<number> {
  const line = await agent.waitFor((l) => l.msg === "agent started", 60_000).catch(() => undefined);
  if (line !== undefined) return line.healthPort as number;
  throw new Error("an agent did not start");
}

/** Every agent's RPC requests so far, in all and by method. */
async function rpcTotals(ports: number[]): Promise<{ requests: number; byMethod: Record<string, number> }> {
  const totals = { requests: 0, byMethod: {} as Record<string, number> };
  for (const port of ports) {
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
      rpc?: { requests: number; byMethod: Record<string, number> };
    };
    totals.requests += status.rpc?.requests ?? 0;
    for (const [method, n] of Object.entries(status.rpc?.byMethod ?? {})) {
      totals.byMethod[method] = (totals.byMethod[method] ?? 0) + n;
    }
  }
  return totals;
}

/** Calls per task by method between two snapshots, largest first. */
function perTaskByMethod(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const rows = Object.entries(after)
    .map(([method, n]) => [method, Math.round(((n - (before[method] ?? 0)) / TASKS) * 10) / 10] as const)
    .filter(([, n]) => n > 0)
    .sort((x, y) => y[1] - x[1]);
  return Object.fromEntries(rows);
}

async function waitForClaims(a: AgentSystem, fromBlock: number): Promise<void> {
  const m = a.sys.manager;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const claims = (await m.queryFilter(m.filters.RewardClaimed(), fromBlock, "latest")).length;
    const records = (await m.queryFilter(m.filters.Revealed(), fromBlock, "latest")).length;
    if (claims >= records) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Transactions the accounts sent from `fromBlock` on (walks the blocks: a bench chain is short). */
async function transactionsOf(a: AgentSystem, fromBlock: number, accounts: string[]): Promise<number> {
  const wanted = new Set(accounts.map((x) => x.toLowerCase()));
  const latest = await a.ethers.provider.getBlockNumber();
  let n = 0;
  for (let b = fromBlock + 1; b <= latest; b++) {
    const block = await a.ethers.provider.getBlock(b, true);
    for (const tx of block?.prefetchedTransactions ?? []) if (wanted.has(tx.from.toLowerCase())) n++;
  }
  return n;
}

/** Progress on stderr: the runs take minutes. */
function progress(message: string): void {
  process.stderr.write(`[bench:agents] ${message}\n`);
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const agentsRun = await runAgents();
const bareRun = await runBareScript();
const result = {
  config: {
    tasks: TASKS,
    blockMs: BLOCK_MS,
    workers: 6,
    seats: 3,
    ...Object.fromEntries(Object.entries(WINDOWS).map(([k, v]) => [k, Number(v)])),
    agentDepth: 1,
    agentPollMs: 100,
  },
  agentsTasksPerMinute: round(agentsRun.tasksPerMinute),
  bareTasksPerMinute: round(bareRun.tasksPerMinute),
  ratio: round(agentsRun.tasksPerMinute / bareRun.tasksPerMinute, 3),
  agents: agentsRun,
  bare: bareRun,
};
await mkdir(OUT_DIR, { recursive: true });
await writeFile(path.join(OUT_DIR, "agents.json"), `${JSON.stringify(result, null, 2)}\n`);
const row = (name: string, r: RunResult) =>
  `| ${name.padEnd(6)} | ${round(r.tasksPerMinute).toString().padStart(9)} | ${round(r.seconds).toString().padStart(5)} | ` +
  `${r.commitLatency.blocks.p50}/${r.commitLatency.blocks.p95} (${r.commitLatency.ms.p50}/${r.commitLatency.ms.p95} ms)`.padEnd(
    26,
  ) +
  ` | ${`${r.revealLatency.blocks.p50}/${r.revealLatency.blocks.p95} (${r.revealLatency.ms.p50}/${r.revealLatency.ms.p95} ms)`.padEnd(26)} | ` +
  `${round(r.rpcCallsPerTask).toString().padStart(8)} | ${round(r.transactionsPerTask).toString().padStart(6)} | ` +
  `${r.rssMb === undefined ? "-" : `${round(r.rssMb.mean)} / ${round(r.rssMb.max)}`} |`;
console.log(`\n${TASKS} tasks of 3 seats, ${BLOCK_MS} ms blocks, 6 workers\n`);
console.log(
  "| run    | tasks/min |     s | draw->commit p50/p95       | reveal open->reveal p50/p95 | RPC/task | tx/task | RSS MB mean / max |",
);
console.log(
  "| ------ | --------: | ----: | -------------------------- | -------------------------- | -------: | -----: | ----------------- |",
);
console.log(row("agents", agentsRun));
console.log(row("bare", bareRun));
const methods = Object.entries(agentsRun.rpcCallsPerTaskByMethod ?? {});
console.log(`\nagents' RPC calls per task by method: ${methods.map(([m, n]) => `${m} ${n}`).join(", ")}`);
console.log(`\nagents reach ${round(100 * result.ratio)}% of the bare throughput (target: 60%)`);
