import { expect } from "chai";
import { pino } from "pino";

import { WatchtowerAgent } from "../../sdk/src/watchtower/agent.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { expectEveryRecordOnce, expectNoDuplicateActions } from "./helpers/checks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { RpcProxy } from "./helpers/rpcProxy.js";
import { baseConfig, deployOnNode, intervalMining, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { sleep, waitUntil } from "./helpers/wait.js";

const silent = () => pino({ level: process.env.AGENT_LOG ?? "silent" });

describe("agents: RPC limits and faults", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const proxies: RpcProxy[] = [];
  const running: { stop(reason: string): Promise<void> }[] = [];

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node);
  });

  after(async function () {
    await Promise.all(running.map((x) => x.stop("test over")));
    await Promise.all(proxies.map((p) => p.stop()));
    await node?.stop();
  });

  it("catches up with chunked eth_getLogs: the range halves on range-limit errors and grows back", async function () {
    // A history of tasks spread over a few hundred blocks.
    const posted: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      posted.push(await postParticleTask(a, 100 + i));
      await a.helpers.mine(60);
    }
    const proxy = await RpcProxy.start(a.node.url, { maxLogRange: 16 });
    proxies.push(proxy);
    const agent = new WatchtowerAgent(
      {
        ...baseConfig(a, "catch-up.sqlite", a.keyFor(a.sys.outsider.address), { confirmations: 1 }),
        rpcUrls: [proxy.url],
        logRange: { initial: 1_000, min: 1, max: 10_000 },
      },
      { logger: silent() },
    );
    await agent.start();
    running.push(agent);
    const head = await a.ethers.provider.getBlockNumber();
    await waitUntil("caught up", async () => ((agent.status().cursor as number) >= head ? true : undefined), 60_000);
    expect(proxy.counts.rangeErrors).to.be.greaterThan(0);
    expect(agent.status().logRange as number).to.be.at.most(32);
    // Every task of the history was found, through the narrow ranges.
    for (const taskId of posted) expect(agent.store.tasks.get(taskId)?.taskId).to.equal(taskId);

    proxy.plan = {};
    await a.helpers.mine(400);
    const later = await a.ethers.provider.getBlockNumber();
    await waitUntil("caught up again", async () => ((agent.status().cursor as number) >= later ? true : undefined));
    expect(agent.status().logRange as number, "range grew back").to.be.greaterThan(64);
  });

  it("completes every assignment through timeouts, dropped connections and stale heads, failing over between URLs", async function () {
    const faulty = await RpcProxy.start(
      a.node.url,
      {
        maxLogRange: 20,
        timeoutRate: 0.02,
        dropRate: 0.04,
        dropAfterForwardRate: 0.03,
        staleHeadRate: 0.1,
        staleBy: 20,
      },
      7,
    );
    const backup = await RpcProxy.start(a.node.url, { dropRate: 0.02, staleHeadRate: 0.05, staleBy: 10 }, 11);
    proxies.push(faulty, backup);
    await intervalMining(node, 250);
    const workers: WorkerAgent[] = [];
    for (const [i, w] of a.sys.workers.entries()) {
      const agent = new WorkerAgent(
        {
          ...baseConfig(a, `faulty-${i}.sqlite`, a.keyFor(w.address), {
            fromBlock: await a.ethers.provider.getBlockNumber(),
            rpcTimeoutMs: 800,
            rpcBackoffMs: 50,
            rpcMaxAttempts: 12,
          }),
          rpcUrls: [faulty.url, backup.url],
        },
        { logger: silent() },
      );
      await agent.start();
      workers.push(agent);
      running.push(agent);
    }
    const windows = { commitBlocks: 40n, revealBlocks: 40n, challengeBlocks: 5n };
    const tasks = [await postParticleTask(a, 21, windows), await postParticleTask(a, 22, windows)];

    // Once the first commits are in, the first URL goes down for a while: the workers must carry on on the second.
    await waitUntil("a commit", async () =>
      (await a.sys.manager.taskOf(tasks[0]!)).committedSeats > 0n ? true : undefined,
    );
    faulty.plan = { ...faulty.plan, down: true };
    await sleep(4_000);
    faulty.plan = { ...faulty.plan, down: false };

    for (const taskId of tasks) {
      await waitUntil(
        `task ${taskId} final and claimed`,
        async () => {
          if (Number(await a.sys.manager.phaseOf(taskId)) !== Phase.Finalized) return undefined;
          const info = await a.sys.manager.taskOf(taskId);
          const records = await a.sys.manager.recordsOf(taskId, info.round, 0n, 64n);
          return records.every((r) => Number(r.status) !== RecordStatus.Won) ? true : undefined;
        },
        120_000,
      );
    }
    expect(await expectEveryRecordOnce(a, tasks)).to.be.greaterThan(0);
    expectNoDuplicateActions(workers.map((w) => w.store));
    // Each kind of fault happened, and the workers retried and failed over.
    expect(faulty.counts.timeouts, "timeouts").to.be.greaterThan(0);
    expect(faulty.counts.drops + faulty.counts.dropsAfterForward, "dropped connections").to.be.greaterThan(0);
    expect(faulty.counts.staleHeads, "stale heads").to.be.greaterThan(0);
    expect(faulty.counts.refused, "requests while down").to.be.greaterThan(0);
    expect(backup.counts.requests, "requests to the second URL").to.be.greaterThan(0);
    const stats = workers.map((w) => w.status().rpc as { retries: number; failovers: number });
    expect(stats.reduce((n, s) => n + s.retries, 0)).to.be.greaterThan(0);
    expect(stats.reduce((n, s) => n + s.failovers, 0)).to.be.greaterThan(0);
  });
});
