import path from "node:path";

import { expect } from "chai";
import { pino } from "pino";

import { AgentStore } from "../../sdk/src/store/index.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { spawnAgent, type AgentProcess } from "./helpers/agentProcess.js";
import { assignmentsOf, countByRecord, eventsNamed, minedTransactionsOf } from "./helpers/chain.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { baseConfig, deployOnNode, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

/**
 * The steps of a worker's life, in the order it reaches them. Each run of the worker process is armed with one:
 * the process kills itself with SIGKILL there (or the test kills it after a while if it does not get there, which
 * is a crash at an arbitrary point). The next run starts from the same store.
 */
const STEPS = [
  "compute:stored", // result written, nothing sent
  "worker:committing", // result hash and commitment written, commit not signed
  "tx:stored:commit", // commit signed and written, not broadcast
  "tx:sent:commit", // commit broadcast, not mined
  "tx:mined:commit", // commit mined, reveal window not open
  "tx:stored:reveal", // reveal signed and written, not broadcast
  "tx:sent:reveal", // reveal broadcast, not mined
  "tx:mined:reveal", // revealed, task not final
  "tx:sent:claimReward", // claim broadcast
];

describe("agents: a worker killed with SIGKILL at every step", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const others: WorkerAgent[] = [];
  let worker: AgentProcess | undefined;
  let config: Record<string, unknown>;
  let address: string;

  before(async function () {
    node = await startNode();
    // The worker under test holds most of the stake, so it sits on most committees.
    a = await deployOnNode(node, { blockMs: 250, stakes: [400n, 100n, 100n, 100n, 100n, 100n] });
    const [target, ...rest] = a.sys.workers;
    address = target!.address;
    config = baseConfig(a, "crashing-worker.sqlite", a.keyFor(address), { confirmations: 2 });
    for (const [i, w] of rest.entries()) {
      const agent = new WorkerAgent(baseConfig(a, `other-${i}.sqlite`, a.keyFor(w.address)), {
        logger: pino({ level: "silent" }),
      });
      await agent.start();
      others.push(agent);
    }
  });

  after(async function () {
    await worker?.kill("SIGKILL");
    await Promise.all(others.map((x) => x.stop("test over")));
    await node?.stop();
  });

  it("restarts from its store, reveals with the same commitment and never sends an action twice", async function () {
    const startBlock = await a.ethers.provider.getBlockNumber();
    const tasks: bigint[] = [];
    const windows = { commitBlocks: 60n, revealBlocks: 60n, challengeBlocks: 6n };
    for (let seed = 1; seed <= 3; seed++) tasks.push(await postParticleTask(a, seed, windows));

    const reached: string[] = [];
    for (const [run, step] of STEPS.entries()) {
      worker = spawnAgent("worker", path.join(a.dir, `spec-${run}.json`), { config, failpoints: [step] });
      const outcome = await Promise.race([
        worker.exited.then(() => "failpoint" as const),
        new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 12_000)),
      ]);
      if (outcome === "failpoint") reached.push(step);
      // Either way the process dies by SIGKILL: at the step, or wherever it is after the wait.
      const exit = await worker.kill("SIGKILL");
      expect(exit.signal).to.equal("SIGKILL");
      // Once the worker sits on a committee, make sure the batch includes a task it is assigned to.
      if (run === 2 && (await assignmentsOf(a, address)).length === 0) {
        tasks.push(await postParticleTask(a, 10 + run, windows));
      }
    }
    // The worker reached most steps by its own failpoint; every run ended in a SIGKILL.
    expect(reached.length, `failpoints reached: ${reached.join(", ")}`).to.be.at.least(6);

    worker = spawnAgent("worker", path.join(a.dir, "spec-final.json"), { config });
    await waitUntil("the worker's seats", async () => {
      const found = await assignmentsOf(a, address);
      return found.length > 0 ? found : undefined;
    });
    for (const taskId of tasks) {
      await waitUntil(
        `task ${taskId} final with every won record claimed`,
        async () => {
          if (Number(await a.sys.manager.phaseOf(taskId)) !== Phase.Finalized) return undefined;
          const records = await Promise.all(
            (await assignmentsOf(a, address))
              .filter((r) => r.taskId === taskId)
              .map((r) => a.sys.manager.recordOf(taskId, r.round, r.index)),
          );
          return records.every((r) => Number(r.status) !== RecordStatus.Won) ? true : undefined;
        },
        120_000,
      );
    }
    await worker.kill("SIGTERM");

    // Every record of the worker was committed once, revealed once and claimed once, and won.
    const all = await assignmentsOf(a, address);
    expect(all.length).to.be.greaterThan(0);
    const commits = await countByRecord(a, "Committed", address);
    const reveals = await countByRecord(a, "Revealed", address);
    const claims = await countByRecord(a, "RewardClaimed", address);
    for (const r of all) {
      const key = `${r.taskId}:${r.round}:${r.index}`;
      const status = Number((await a.sys.manager.recordOf(r.taskId, r.round, r.index)).status);
      expect(status, `record ${key}`).to.equal(RecordStatus.Claimed);
      expect(commits.get(key), `commits of ${key}`).to.equal(1);
      expect(reveals.get(key), `reveals of ${key}`).to.equal(1);
      expect(claims.get(key), `claims of ${key}`).to.equal(1);
    }
    // The commitment on chain is the one the store wrote before the commit was signed.
    const store = new AgentStore(config.store as string);
    try {
      const committed = (await eventsNamed(a, "Committed")).filter(
        (e) => (e.args.member as string).toLowerCase() === address.toLowerCase(),
      );
      for (const e of committed) {
        const stored = store.assignments.get(e.args.taskId as bigint, e.args.round as bigint, e.args.index as bigint);
        expect(stored?.commitment).to.equal(e.args.commitment);
      }
      // No action was mined twice: one successful transaction per key, and none of the member actions reverted.
      const rows = store.txs.all();
      const successes = new Map<string, number>();
      for (const row of rows.filter((t) => t.receiptStatus === 1))
        successes.set(row.key, (successes.get(row.key) ?? 0) + 1);
      for (const [key, n] of successes) expect(n, key).to.equal(1);
      // The worker's own transactions: those after the setup (which staked from the same account).
      const mined = (await minedTransactionsOf(a, address)).filter((t) => t.block > startBlock);
      const iface = a.sys.manager.interface;
      const memberSelectors = (["commit", "reveal", "claimReward"] as const).map((f) => iface.getFunction(f)!.selector);
      const memberCalls = mined.filter((t) => memberSelectors.includes(t.data.slice(0, 10)));
      expect(memberCalls.length).to.equal(commits.size + reveals.size + claims.size);
      expect(memberCalls.every((t) => t.status === 1)).to.equal(true);
      const stored = new Set(rows.flatMap((t) => store.txs.allAttempts(t.id).map((x) => x.hash)));
      for (const t of mined) expect(stored.has(t.hash), `mined ${t.hash} is in the store`).to.equal(true);
      // Nonces on chain are contiguous and each belongs to a stored transaction.
      const nonces = mined.map((t) => t.nonce).sort((x, y) => x - y);
      nonces.forEach((n, i) => expect(n).to.equal(nonces[0]! + i));
    } finally {
      store.close();
    }
  });
});
