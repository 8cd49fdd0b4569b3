import { expect } from "chai";
import { pino } from "pino";

import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { baseConfig, deployOnNode, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

/** Six worker agents in this process drive particle-world tasks from creation to claimed rewards on a live node. */
describe("agents: workers complete tasks on a hardhat node", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const agents: WorkerAgent[] = [];

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node, { blockMs: 250 });
    for (const [i, w] of a.sys.workers.entries()) {
      const agent = new WorkerAgent(baseConfig(a, `worker-${i}.sqlite`, a.keyFor(w.address)), {
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

  it("draws, commits, reveals, tallies, finalizes and claims every task, with the program's result", async function () {
    const tasks = [await postParticleTask(a, 1), await postParticleTask(a, 2)];
    for (const taskId of tasks) {
      await waitUntil(
        `task ${taskId} claimed`,
        async () => {
          const info = await a.sys.manager.taskOf(taskId);
          if (Number(await a.sys.manager.phaseOf(taskId)) !== Phase.Finalized) return undefined;
          const records = await a.sys.manager.recordsOf(taskId, info.round, 0n, 64n);
          const won = records.filter((r) => Number(r.status) === RecordStatus.Won);
          return won.length === 0 ? true : undefined;
        },
        90_000,
      );
    }
    for (const taskId of tasks) {
      const info = await a.sys.manager.taskOf(taskId);
      expect(info.proposedResult).to.not.equal(`0x${"0".repeat(64)}`);
      const records = await a.sys.manager.recordsOf(taskId, info.round, 0n, 64n);
      expect(records.every((r) => Number(r.status) === RecordStatus.Claimed)).to.equal(true);
    }
  });
});
