import { readFileSync } from "node:fs";

import { expect } from "chai";
import { keccak256 } from "ethers";
import { pino } from "pino";

import { runProgram } from "../../sdk/src/runtime/runProgram.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus, deployVrfTaskSystem, type VrfTaskSystem } from "../helpers/tasks.js";
import { expectEveryRecordOnce, expectNoDuplicateActions } from "./helpers/checks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { baseConfig, deployOnNode, particleInput, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

/**
 * On a deployment whose randomness is Chainlink VRF (the coordinator mock, with the test as the oracle), nobody but
 * the agents sends the requests' triggers: a VRF request is armed at `createTask` and stays so until someone calls
 * `trigger` from its first block, so agents that only tried to draw would wait for ever. Six worker agents carry two
 * particle-world tasks from creation to claimed rewards.
 */
describe("agents: workers trigger VRF requests and complete tasks on a VRF deployment", function () {
  let node: HardhatNode;
  let a: AgentSystem<VrfTaskSystem>;
  const agents: WorkerAgent[] = [];
  let oracle: NodeJS.Timeout | undefined;
  const answered = new Set<bigint>();
  const oracleErrors: unknown[] = [];

  before(async function () {
    node = await startNode();
    // 500 ms blocks: the trigger, the oracle's answer and the draw all fall in one 5-block draw window.
    a = await deployOnNode(node, { blockMs: 500 }, deployVrfTaskSystem);
    const { coordinator, randomness } = a.sys;
    const source = await randomness.getAddress();
    // The oracle: answers each VRF request once, as soon as it sees the source's VrfRequestSent.
    let busy = false;
    oracle = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        const sent = await randomness.queryFilter(randomness.filters.VrfRequestSent(), 0, "latest");
        for (const e of sent) {
          const vrfRequestId = e.args.vrfRequestId;
          if (answered.has(vrfRequestId)) continue;
          answered.add(vrfRequestId);
          await coordinator.connect(a.sys.admin).fulfillRandomWords(vrfRequestId, source);
        }
      })()
        .catch((error: unknown) => oracleErrors.push(error))
        .finally(() => (busy = false));
    }, 100);
    for (const [i, w] of a.sys.workers.entries()) {
      const agent = new WorkerAgent(baseConfig(a, `worker-${i}.sqlite`, a.keyFor(w.address)), {
        logger: pino({ level: process.env.AGENT_LOG ?? "silent" }),
      });
      await agent.start();
      agents.push(agent);
    }
  });

  after(async function () {
    clearInterval(oracle);
    await Promise.all(agents.map((x) => x.stop("test over")));
    await node?.stop();
  });

  it("triggers each request from its first block, draws, and every task ends claimed with the program's result", async function () {
    const seeds = [1, 2];
    const tasks = [];
    for (const seed of seeds) tasks.push(await postParticleTask(a, seed));
    const { manager, randomness } = a.sys;
    for (const taskId of tasks) {
      await waitUntil(
        `task ${taskId} claimed`,
        async () => {
          const info = await manager.taskOf(taskId);
          if (Number(await manager.phaseOf(taskId)) !== Phase.Finalized) return undefined;
          const records = await manager.recordsOf(taskId, info.round, 0n, 64n);
          return records.some((r) => Number(r.status) === RecordStatus.Won) ? undefined : true;
        },
        120_000,
      );
    }
    expect(oracleErrors, "the oracle's answers").to.eql([]);

    const program = readFileSync(a.program.path);
    const workers = new Set(a.sys.workers.map((w) => w.address));
    const triggers = await randomness.queryFilter(randomness.filters.VrfRequestSent(), 0, "latest");
    const requested = await manager.queryFilter(manager.filters.SeedRequested(), 0, "latest");
    for (const [i, taskId] of tasks.entries()) {
      const info = await manager.taskOf(taskId);
      const expected = keccak256((await runProgram(program, particleInput(seeds[i]!))).output);
      expect(info.proposedResult, `task ${taskId}`).to.equal(expected);
      // Every trigger of the task's request came from a worker agent, none before the request's first block.
      const mine = triggers.filter((e) => e.args.requestId === info.requestId);
      expect(mine.length, `task ${taskId}'s triggers`).to.be.greaterThan(0);
      for (const e of mine) {
        expect(workers.has(e.args.caller), `trigger by ${e.args.caller}`).to.equal(true);
        const armedBy = requested.filter((r) => r.args.requestId === info.requestId && r.blockNumber <= e.blockNumber);
        expect(e.blockNumber >= Number(armedBy.at(-1)!.args.notBefore), "a trigger at or after notBefore").to.equal(
          true,
        );
      }
      // The draw read the VRF answer: the committee was drawn after the request's answer.
      const drawn = await manager.queryFilter(manager.filters.CommitteeDrawn(taskId), 0, "latest");
      expect(drawn.length).to.be.greaterThan(0);
      expect(drawn[0]!.blockNumber).to.be.greaterThan(mine[0]!.blockNumber);
      const records = await manager.recordsOf(taskId, info.round, 0n, 64n);
      expect(records.every((r) => Number(r.status) === RecordStatus.Claimed)).to.equal(true);
    }
    // Each agent's store: every trigger it sent was its own action once (a reverted one lost a race in a block).
    const sentTriggers = agents.flatMap((x) => x.store.txs.all().filter((t) => t.label === "trigger"));
    expect(sentTriggers.length).to.be.greaterThanOrEqual(tasks.length);
    expectNoDuplicateActions(agents.map((x) => x.store));
    await expectEveryRecordOnce(a, tasks);
  });
});
