import path from "node:path";

import { expect } from "chai";
import { pino } from "pino";

import { AgentStore } from "../../sdk/src/store/index.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { spawnAgent, type AgentProcess, type LogLine } from "./helpers/agentProcess.js";
import { assignmentsOf } from "./helpers/chain.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { RpcProxy } from "./helpers/rpcProxy.js";
import { baseConfig, deployOnNode, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("agents: shutdown and health", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const others: WorkerAgent[] = [];
  let worker: AgentProcess | undefined;
  let proxy: RpcProxy;
  let config: Record<string, unknown>;
  let address: string;

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node, { blockMs: 250, stakes: [400n, 100n, 100n, 100n, 100n, 100n] });
    const [target, ...rest] = a.sys.workers;
    address = target!.address;
    proxy = await RpcProxy.start(node.url);
    config = {
      ...baseConfig(a, "graceful.sqlite", a.keyFor(address), { rpcTimeoutMs: 1_000, rpcMaxAttempts: 2 }),
      rpcUrls: [proxy.url],
      healthPort: 0,
    };
    for (const [i, w] of rest.entries()) {
      const agent = new WorkerAgent(baseConfig(a, `peer-${i}.sqlite`, a.keyFor(w.address)), {
        logger: pino({ level: "silent" }),
      });
      await agent.start();
      others.push(agent);
    }
  });

  after(async function () {
    await worker?.kill("SIGKILL");
    await Promise.all(others.map((x) => x.stop("test over")));
    await proxy?.stop();
    await node?.stop();
  });

  it("on SIGTERM finishes the computation in flight and stores it; on SIGINT keeps the queued commit; then completes", async function () {
    const windows = { commitBlocks: 80n, revealBlocks: 40n, challengeBlocks: 5n };
    const tasks = [await postParticleTask(a, 31, windows), await postParticleTask(a, 32, windows)];

    // Run 1: stopped with SIGTERM while a (slowed-down) computation runs.
    worker = spawnAgent("worker", path.join(a.dir, "graceful-1.json"), { config, delayComputeMs: 2_500 });
    const computing = await worker.waitFor((l) => l.msg === "computing", 90_000);
    worker.process.kill("SIGTERM");
    const first = await worker.exited;
    expect(first.code).to.equal(0);
    const stopped = worker.lines.find((l) => l.msg === "agent stopped");
    expect(stopped?.computationsFinished, "the computation finished before the exit").to.equal(true);
    const taskId = BigInt(computing.taskId as string);
    let store = new AgentStore(config.store as string);
    expect(store.tasks.result(taskId)?.resultHash, "result stored").to.match(/^0x[0-9a-f]{64}$/);
    store.close();

    // Run 2: stopped with SIGINT once a commit is queued; the signed commit survives in the store.
    worker = spawnAgent("worker", path.join(a.dir, "graceful-2.json"), { config });
    const sent = await worker.waitFor((l) => l.msg === "transaction sent" && l.label === "commit", 60_000);
    worker.process.kill("SIGINT");
    expect((await worker.exited).code).to.equal(130);
    store = new AgentStore(config.store as string);
    const row = store.txs.latest(sent.key as string);
    expect(row?.status).to.be.oneOf(["pending", "mined", "confirmed"]);
    store.close();

    // Run 3: carries on and finishes every task it holds seats in.
    worker = spawnAgent("worker", path.join(a.dir, "graceful-3.json"), { config });
    for (const t of tasks) {
      await waitUntil(
        `task ${t} final and claimed`,
        async () => {
          if (Number(await a.sys.manager.phaseOf(t)) !== Phase.Finalized) return undefined;
          const mine = (await assignmentsOf(a, address)).filter((r) => r.taskId === t);
          const records = await Promise.all(mine.map((r) => a.sys.manager.recordOf(t, r.round, r.index)));
          return records.every((r) => Number(r.status) !== RecordStatus.Won) ? true : undefined;
        },
        120_000,
      );
    }
    for (const r of await assignmentsOf(a, address)) {
      expect(Number((await a.sys.manager.recordOf(r.taskId, r.round, r.index)).status)).to.equal(RecordStatus.Claimed);
    }
    // Structured logs: every line is JSON with a level and a message, and task work carries the task id.
    const taskLines = worker.lines.filter((l: LogLine) =>
      ["seats assigned", "transaction sent", "transaction mined", "result computed"].includes(l.msg),
    );
    expect(taskLines.length).to.be.greaterThan(0);
    for (const l of taskLines) expect(l.taskId, `${l.msg} has a task id`).to.not.equal(undefined);
  });

  it("serves /health and /status: cursor, lag, pending assignments, balance; unhealthy while the RPC is down", async function () {
    const started = await worker!.waitFor((l) => l.msg === "agent started");
    const base = `http://127.0.0.1:${started.healthPort as number}`;
    const ok = await waitUntil("healthy", async () => {
      const r = await getJson(`${base}/health`);
      return r.status === 200 && r.body.balance !== undefined ? r : undefined;
    });
    const head = await a.ethers.provider.getBlockNumber();
    expect(ok.body.healthy).to.equal(true);
    expect(ok.body.role).to.equal("worker");
    expect((ok.body.account as string).toLowerCase()).to.equal(address.toLowerCase());
    expect(ok.body.cursor as number).to.be.within(head - 10, head);
    expect(ok.body.lag as number).to.be.within(0, 10);
    expect(ok.body.pendingAssignments).to.be.a("number");
    // The balance is read again after each confirmed transaction: it matches the chain once the agent is idle.
    await waitUntil("the balance reported", async () => {
      const body = (await getJson(`${base}/status`)).body;
      const balance = body.balance as { ether: string; token: string };
      const ether = await a.ethers.provider.getBalance(address);
      const token = await a.sys.token.balanceOf(address);
      return BigInt(balance.ether) === ether && BigInt(balance.token) === token && token > 0n ? true : undefined;
    });
    const status = await getJson(`${base}/status`);
    expect(status.status).to.equal(200);
    expect(status.body.openTasks).to.be.a("number");
    expect((await fetch(`${base}/nothing`)).status).to.equal(404);

    proxy.plan = { down: true };
    const down = await waitUntil("unhealthy", async () => {
      const r = await getJson(`${base}/health`);
      return r.status === 503 ? r : undefined;
    });
    expect(down.body.healthy).to.equal(false);
    expect(down.body.lastError).to.be.a("string");
    proxy.plan = {};
    await waitUntil("healthy again", async () => ((await getJson(`${base}/health`)).status === 200 ? true : undefined));
    worker!.process.kill("SIGTERM");
    expect((await worker!.exited).code).to.equal(0);
  });
});
