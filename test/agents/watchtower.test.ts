import { readFileSync } from "node:fs";

import { expect } from "chai";
import { pino } from "pino";

import { runProgram } from "../../sdk/src/runtime/runProgram.js";
import { WatchtowerAgent } from "../../sdk/src/watchtower/agent.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { eventsNamed } from "./helpers/chain.js";
import { expectNoDuplicateActions } from "./helpers/checks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { baseConfig, deployOnNode, particleInput, postParticleTask, type AgentSystem } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

const silent = () => pino({ level: process.env.AGENT_LOG ?? "silent" });

/**
 * A lying worker with half the stake sits alone on one-seat committees about half the time, so its wrong result is
 * proposed; the watchtower re-executes, challenges with the bond floor, drives the escalation round (three honest
 * seats) to a final, correct result, and claims its bond and bounty. The liar is slashed.
 */
describe("agents: the watchtower challenges a wrong proposed result", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  const agents: (WorkerAgent | WatchtowerAgent)[] = [];
  let watchtower: WatchtowerAgent;
  let liar: string;

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node, { blockMs: 250, stakes: [500n, 100n, 100n, 100n, 100n, 100n] });
    liar = a.sys.workers[0]!.address;
    for (const [i, w] of a.sys.workers.entries()) {
      const adversary = w.address === liar ? "wrong-result" : "none";
      const agent = new WorkerAgent(baseConfig(a, `w-${i}.sqlite`, a.keyFor(w.address), { adversary }), {
        logger: silent(),
      });
      await agent.start();
      agents.push(agent);
    }
    // The watchtower holds tokens for bonds and no stake.
    await a.sys.token.mint(a.sys.outsider.address, 10_000n * 10n ** 18n);
    watchtower = new WatchtowerAgent(baseConfig(a, "watchtower.sqlite", a.keyFor(a.sys.outsider.address)), {
      logger: silent(),
    });
    await watchtower.start();
    agents.push(watchtower);
  });

  after(async function () {
    await Promise.all(agents.map((x) => x.stop("test over")));
    await node?.stop();
  });

  it("challenges, follows the escalation to a final correct result, and claims its payout", async function () {
    const poolBefore = await a.sys.pool.stakeOf(liar);
    const windows = { seats: 1n, quorum: 1n, commitBlocks: 20n, revealBlocks: 20n, challengeBlocks: 20n };
    // Post until the liar alone holds a first committee: each one-seat draw seats it with probability 1/2, so twelve
    // batches of two leave a run without one at 2^-24 (four batches failed CI once, at 2^-8).
    let target: bigint | undefined;
    const posted: bigint[] = [];
    for (let batch = 0; batch < 12 && target === undefined; batch++) {
      const ids = [
        await postParticleTask(a, 40 + 2 * batch, windows),
        await postParticleTask(a, 41 + 2 * batch, windows),
      ];
      posted.push(...ids);
      for (const taskId of ids) {
        const records = await waitUntil(`task ${taskId} drawn`, async () => {
          const info = await a.sys.manager.taskOf(taskId);
          return info.recordCount > 0n ? await a.sys.manager.recordsOf(taskId, 0n, 0n, 8n) : undefined;
        });
        if (target === undefined && records.some((r) => r.member === liar)) target = taskId;
      }
    }
    expect(target !== undefined, "the liar sat on a committee").to.equal(true);
    const taskId = target!;

    await waitUntil(
      `task ${taskId} finalized`,
      async () => (Number(await a.sys.manager.phaseOf(taskId)) === Phase.Finalized ? true : undefined),
      120_000,
    );
    const challenged = (await eventsNamed(a, "Challenged")).filter((e) => e.args.taskId === taskId);
    expect(challenged).to.have.length(1);
    expect(challenged[0]!.args.challenger).to.equal(a.sys.outsider.address);
    const info = await a.sys.manager.taskOf(taskId);
    expect(info.round).to.equal(1n);
    // The final result is the program's: what the honest escalation round revealed and the watchtower claimed.
    expect(info.proposedResult).to.equal(challenged[0]!.args.claimedResult);
    const challenge = await a.sys.manager.challengeOf(taskId, 1n);
    expect(Number(challenge.outcome)).to.equal(1); // Won
    expect(challenge.bond).to.equal(challenged[0]!.args.bond);
    // The liar's round-0 record lost and its stake was slashed.
    const [lost] = await a.sys.manager.recordsOf(taskId, 0n, 0n, 1n);
    expect(Number(lost!.status)).to.equal(RecordStatus.Lost);
    expect((await a.sys.pool.stakeOf(liar)).active).to.be.lessThan(poolBefore.active);
    // The watchtower claims its credit: bond plus bounty, more than it put up.
    const claimed = await waitUntil("credit claimed", async () => {
      const events = (await eventsNamed(a, "CreditClaimed")).filter((e) => e.args.account === a.sys.outsider.address);
      return events.length > 0 ? events : undefined;
    });
    expect(claimed[0]!.args.amount as bigint).to.be.greaterThan(challenge.bond);
    for (const t of posted.filter((t) => t !== taskId)) {
      await waitUntil(
        `task ${t} final`,
        async () => (Number(await a.sys.manager.phaseOf(t)) === Phase.Finalized ? true : undefined),
        120_000,
      );
    }
    // Nothing left unclaimed once every task is final. (Checked at the end: the liar may have carried another posted
    // task too, whose challenge pays only when that task ends.)
    await waitUntil("all credit claimed", async () =>
      (await a.sys.manager.creditOf(a.sys.outsider.address)) === 0n ? true : undefined,
    );
    expectNoDuplicateActions(agents.map((x) => x.store));
  });

  it("challenges every wrong result of a busy window in time, from one allowance", async function () {
    // Eight one-seat tasks at once with a short window: the liar carries each with probability 1/2, so several of its
    // wrong results are open together. Each must be challenged inside 12 blocks; when every challenge waited for the
    // previous one's confirmations (and approved just its own bond), one of them ran past its window in CI.
    const windows = { seats: 1n, quorum: 1n, commitBlocks: 20n, revealBlocks: 20n, challengeBlocks: 12n };
    const program = readFileSync(a.program.path);
    const fromBlock = await a.ethers.provider.getBlockNumber();
    let carried = 0;
    // At least two wrong results in one batch, or the test shows nothing: a batch of eight misses that at 9/256, four
    // in a row at about 1.5e-6.
    for (let batch = 0; batch < 4 && carried < 2; batch++) {
      const seeds = Array.from({ length: 8 }, (_, k) => 200 + 8 * batch + k);
      const ids: bigint[] = [];
      for (const seed of seeds) ids.push(await postParticleTask(a, seed, windows));
      carried = 0;
      for (const [k, taskId] of ids.entries()) {
        await waitUntil(
          `task ${taskId} finalized`,
          async () => (Number(await a.sys.manager.phaseOf(taskId)) === Phase.Finalized ? true : undefined),
          180_000,
        );
        const [first] = await a.sys.manager.recordsOf(taskId, 0n, 0n, 1n);
        if (first!.member === liar) carried++;
        const expected = (await runProgram(program, particleInput(seeds[k]!))).resultHash;
        expect((await a.sys.manager.taskOf(taskId)).proposedResult, `task ${taskId}`).to.equal(expected);
      }
    }
    expect(carried, "wrong results open together in one batch").to.be.at.least(2);
    // The first approval granted the watchtower's balance, so these challenges needed at most one more.
    const approvals = await a.sys.token.queryFilter(
      a.sys.token.filters.Approval(a.sys.outsider.address, await a.sys.manager.getAddress()),
      fromBlock,
    );
    expect(approvals.length).to.be.at.most(1);
    expectNoDuplicateActions(agents.map((x) => x.store));
  });
});
