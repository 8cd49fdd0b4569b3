import { expect } from "chai";
import { pino } from "pino";

import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase } from "../helpers/tasks.js";
import { eventsNamed } from "./helpers/chain.js";
import { expectEveryRecordOnce, expectNoDuplicateActions } from "./helpers/checks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { baseConfig, deployOnNode, intervalMining, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { sleep, waitUntil } from "./helpers/wait.js";

const BLOCK_MS = 250;

async function finalized(a: AgentSystem, taskId: bigint, timeoutMs = 90_000) {
  await waitUntil(
    `task ${taskId} finalized`,
    async () => (Number(await a.sys.manager.phaseOf(taskId)) === Phase.Finalized ? true : undefined),
    timeoutMs,
  );
}

/**
 * Reorgs made with evm_snapshot / evm_revert under running workers: one deeper than the confirmation depth (the
 * workers had scanned, committed and seen their commits confirmed), one within it (the workers must not have acted
 * on the replaced blocks). Either way every record of the final chain is committed and revealed exactly once, and
 * no worker sends an action twice.
 */
describe("agents: reorgs", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const agents: WorkerAgent[] = [];
  const confirmations = 3;

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node, { blockMs: BLOCK_MS });
    for (const [i, w] of a.sys.workers.entries()) {
      const agent = new WorkerAgent(baseConfig(a, `worker-${i}.sqlite`, a.keyFor(w.address), { confirmations }), {
        logger: pino({ level: process.env.AGENT_LOG ?? "silent" }),
      });
      await agent.start();
      agents.push(agent);
    }
  });

  after(async function () {
    await Promise.all(agents.map((x) => x.stop("test over")));
    await node?.stop();
  });

  it("rescans after a reorg deeper than the confirmation depth and acts again on the new chain", async function () {
    const taskId = await postParticleTask(a, 7, { commitBlocks: 30n, revealBlocks: 20n, challengeBlocks: 5n });
    const snapshot = await node.rpc<string>("evm_snapshot");
    const forkBlock = await a.ethers.provider.getBlockNumber();
    // The workers draw and commit; their commits get confirmed and their cursors pass the draw.
    const committed = await waitUntil("every seat committed, confirmed", async () => {
      const info = await a.sys.manager.taskOf(taskId);
      if (info.committedSeats < info.seats) return undefined;
      const events = (await eventsNamed(a, "Committed")).filter((e) => e.args.taskId === taskId);
      const head = await a.ethers.provider.getBlockNumber();
      return Math.max(...events.map((e) => e.block)) + confirmations + 2 <= head ? events : undefined;
    });
    await waitUntil("cursors past the commits", async () =>
      agents.every((x) => (x.store.cursor.cursor()?.block ?? 0) >= Math.max(...committed.map((e) => e.block)))
        ? true
        : undefined,
    );

    expect(await node.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    expect(await a.ethers.provider.getBlockNumber()).to.equal(forkBlock);

    await finalized(a, taskId);
    // The final chain has its own commits (the replaced chain's are gone), one per record.
    expect(await expectEveryRecordOnce(a, [taskId])).to.be.greaterThan(0);
    expectNoDuplicateActions(agents.map((x) => x.store));
    // Every worker noticed: its cursor moved back to the fork and forward again.
    for (const x of agents) expect(x.store.cursor.cursor()?.block).to.be.greaterThan(forkBlock);
  });

  it("does not act on blocks shallower than the confirmation depth, and re-sends what a shallow reorg dropped", async function () {
    const taskId = await postParticleTask(a, 8, { commitBlocks: 30n, revealBlocks: 20n, challengeBlocks: 5n });
    // Mine by hand from here: the draw must land in a block we can take away before it is confirmed.
    await node.rpc("evm_setIntervalMining", [0]);
    const target = Number(await a.sys.randomness.targetOf((await a.sys.manager.taskOf(taskId)).requestId));
    while ((await a.ethers.provider.getBlockNumber()) < target) await node.rpc("hardhat_mine", ["0x1"]);
    // Let the workers see the seed and send their draws.
    const pendingDraw = await waitUntil("a draw in the mempool", async () => {
      await node.rpc("hardhat_mine", ["0x1"]);
      await sleep(300);
      const block = await node.rpc<{ transactions: string[] }>("eth_getBlockByNumber", ["pending", false]);
      return block.transactions.length > 0 ? block.transactions : undefined;
    });
    expect(pendingDraw.length).to.be.greaterThan(0);
    const snapshot = await node.rpc<string>("evm_snapshot");
    await node.rpc("hardhat_mine", ["0x1"]); // the draw's block
    expect(Number(await a.sys.manager.phaseOf(taskId))).to.equal(Phase.Committing);
    await sleep(1_000); // the workers look at the task and at their draw's receipt
    await node.rpc("hardhat_mine", ["0x1"]); // one block on top: still short of the depth
    await sleep(1_000);
    // Nobody acted on the seats of a draw only two blocks deep.
    for (const x of agents) {
      expect(x.store.assignments.forTask(taskId), "assignments seen too early").to.deep.equal([]);
      expect(x.store.txs.all().filter((t) => t.taskId === taskId && t.label === "commit")).to.deep.equal([]);
    }
    expect(await node.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    await intervalMining(node, BLOCK_MS);

    await finalized(a, taskId);
    expect(await expectEveryRecordOnce(a, [taskId])).to.be.greaterThan(0);
    expectNoDuplicateActions(agents.map((x) => x.store));
    const reorged = agents.reduce((n, x) => n + (x.status().txs as { reorged: number }).reorged, 0);
    expect(reorged, "a worker saw its draw's receipt vanish").to.be.greaterThan(0);
  });
});
