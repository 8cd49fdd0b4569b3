import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { keccak256 } from "ethers";
import { network } from "hardhat";

import { withGasMargin } from "../../sdk/src/internal/write.js";
import { runProgram } from "../../sdk/src/runtime/runProgram.js";
import { UNIT, stakeOpen } from "../helpers/pool.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import type { AgentProcess } from "./helpers/agentProcess.js";
import { eventsOf } from "./helpers/chain.js";
import { ROOT, ensureBuiltCli, spawnCohort } from "./helpers/cli.js";
import { deployLocal, startNode, type HardhatNode, type LocalDeployment } from "./helpers/node.js";
import { intervalMining, keyOf, particleInput } from "./helpers/system.js";
import { waitUntil } from "./helpers/wait.js";

/** Default accounts of the node: 0 deploys; 1 lies; 2-7 are honest; 8 watches; 9 posts tasks. */
const ADVERSARY = 1;
const HONEST = [2, 3, 4, 5, 6, 7];
const WATCHTOWER = 8;
const REQUESTER = 9;

/**
 * The whole system as separate processes: `hardhat node`, the contracts deployed with Ignition, six honest workers,
 * one worker that reveals a wrong result and a watchtower, each a `cohort ... run` of the built binary. A batch of
 * particle-world tasks must all end final with the program's result; the liar is slashed, the honest workers and
 * the watchtower earn, and the pool and the manager still hold exactly what they owe.
 */
describe("agents end to end: 6 honest workers, 1 liar and a watchtower as cohort processes", function () {
  let node: HardhatNode;
  const deploymentId = `agents-e2e-${process.pid}`;
  let deployment: LocalDeployment | undefined;
  let dir: string;
  const agents: AgentProcess[] = [];

  before(async function () {
    await ensureBuiltCli();
    node = await startNode();
    deployment = await deployLocal(node.url, deploymentId);
    dir = mkdtempSync(path.join(tmpdir(), "cohort-agents-e2e-"));
  });

  afterEach(function () {
    if (this.currentTest?.state !== "failed") return;
    // The agents' own account of what went wrong: their warnings and errors (whole logs in the run's folder).
    console.error(`agent logs: ${dir}`);
    for (const x of agents) {
      const bad = x.lines.filter((l) => l.level >= 40).slice(-8);
      for (const l of bad) console.error(`[pid ${x.process.pid}] ${JSON.stringify(l).slice(0, 500)}`);
    }
  });

  after(async function () {
    await Promise.all(agents.map((x) => x.kill("SIGKILL")));
    await node?.stop();
    deployment?.remove();
  });

  it("finalizes every task with the program's result, slashes the liar, pays the honest and the watchtower", async function () {
    const book = deployment!.addresses;
    const { ethers, networkHelpers } = await network.create({ network: "localhost", override: { url: node.url } });
    const signers = await ethers.getSigners();
    const at = (i: number) => signers[i]!;
    const token = await ethers.getContractAt("TestToken", book["CohortLocal#StakeToken"]!);
    const pool = await ethers.getContractAt("SecurityPool", book["CohortLocal#SecurityPool"]!);
    const manager = await ethers.getContractAt("TaskManager", book["CohortLocal#TaskManager"]!);
    const poolAddress = await pool.getAddress();
    const managerAddress = await manager.getAddress();

    // Stakes: the liar holds 3/7 of the weight, so it often holds a majority of a three-seat committee.
    const stakers = [ADVERSARY, ...HONEST];
    const stakes = stakers.map((i) => (i === ADVERSARY ? 450n : 100n) * UNIT);
    for (const [k, i] of stakers.entries()) {
      await token.mint(at(i).address, stakes[k]!);
      await token.connect(at(i)).approve(poolAddress, ethers.MaxUint256);
    }
    await stakeOpen(ethers, networkHelpers, pool, stakers.map(at), stakes);
    await token.mint(at(WATCHTOWER).address, 20_000n * UNIT);
    await token.mint(at(REQUESTER).address, 100_000n * UNIT);
    await token.connect(at(REQUESTER)).approve(managerAddress, ethers.MaxUint256);

    const wasm = path.join(dir, "particles.wasm");
    copyFileSync(path.join(ROOT, "programs/particles/build/particles.wasm"), wasm);
    const programId = keccak256(readFileSync(wasm));
    const fromBlock = await ethers.provider.getBlockNumber();
    const before = new Map<number, bigint>();
    for (const i of [...HONEST, WATCHTOWER]) before.set(i, await token.balanceOf(at(i).address));
    const liarStake = (await pool.stakeOf(at(ADVERSARY).address)).active;

    await intervalMining(node, 400);
    const env = (i: number) => ({
      COHORT_RPC_URL: node.url,
      COHORT_DEPLOYMENT_ID: deploymentId,
      COHORT_PRIVATE_KEY: keyOf(i),
      COHORT_LOG_LEVEL: "info",
    });
    const common = (name: string) => [
      "--store",
      path.join(dir, `${name}.sqlite`),
      "--program",
      `${programId}=${wasm}`,
      "--from-block",
      String(fromBlock),
      "--depth",
      "2",
      "--poll-interval",
      "250",
      "--health-port",
      "0",
      "--json",
    ];
    const log = (name: string) => path.join(dir, `${name}.log`);
    for (const i of HONEST) {
      agents.push(spawnCohort(["worker", "run", ...common(`worker-${i}`)], env(i), log(`worker-${i}`)));
    }
    agents.push(
      spawnCohort(
        ["worker", "run", ...common(`liar-${ADVERSARY}`), "--adversary", "wrong-result"],
        env(ADVERSARY),
        log("liar"),
      ),
    );
    agents.push(spawnCohort(["watchtower", "run", ...common("watchtower")], env(WATCHTOWER), log("watchtower")));
    await Promise.all(agents.map((x) => x.waitFor((l) => l.msg === "agent started", 60_000)));

    // A batch of tasks; more until the liar has carried at least one first round (its wrong result proposed).
    const request = (seed: number) => {
      const input = particleInput(seed);
      return {
        programId,
        inputHash: keccak256(input),
        inputKind: 0,
        input,
        seats: 3n,
        quorum: 2n,
        reward: 300n * UNIT,
        commitBlocks: 20n,
        revealBlocks: 20n,
        challengeBlocks: 20n,
        valueAtRisk: 0n,
        noQuorumRule: 0,
      };
    };
    const tasks: { taskId: bigint; input: Uint8Array }[] = [];
    const post = async (seed: number) => {
      const r = request(seed);
      const requester = manager.connect(at(REQUESTER));
      const gasLimit = withGasMargin(await requester.createTask.estimateGas(r));
      await (await requester.createTask(r, { gasLimit })).wait();
      tasks.push({ taskId: await manager.taskCount(), input: r.input });
    };
    const liarCarried = async () => {
      for (const { taskId } of tasks) {
        const records = await manager.recordsOf(taskId, 0n, 0n, 16n);
        const liarSeats = records
          .filter((r) => r.member === at(ADVERSARY).address)
          .reduce((n, r) => n + BigInt(r.seats), 0n);
        if (liarSeats >= 2n) return true;
      }
      return false;
    };
    let seed = 1;
    for (let batch = 0; batch < 7; batch++) {
      for (let k = 0; k < (batch === 0 ? 6 : 3); k++) await post(seed++);
      await waitUntil(
        "every first committee drawn",
        async () => {
          for (const { taskId } of tasks) if ((await manager.roundOf(taskId, 0n)).recordCount === 0n) return undefined;
          return true;
        },
        90_000,
      );
      if (await liarCarried()) break;
    }
    expect(await liarCarried(), "the liar held a majority of some first committee").to.equal(true);

    // Every task ends final, with the result the program computes.
    for (const { taskId, input } of tasks) {
      await waitUntil(
        `task ${taskId} finalized`,
        async () => (Number(await manager.phaseOf(taskId)) === Phase.Finalized ? true : undefined),
        180_000,
      );
      const expected = keccak256((await runProgram(readFileSync(wasm), input)).output);
      expect((await manager.taskOf(taskId)).proposedResult, `task ${taskId}`).to.equal(expected);
    }
    // ...and every won record is claimed, and the watchtower's credit too.
    await waitUntil(
      "rewards and credit claimed",
      async () => {
        for (const { taskId } of tasks) {
          const info = await manager.taskOf(taskId);
          for (let round = 0n; round <= info.round; round++) {
            const records = await manager.recordsOf(taskId, round, 0n, 64n);
            if (records.some((r) => Number(r.status) === RecordStatus.Won)) return undefined;
          }
        }
        return (await manager.creditOf(at(WATCHTOWER).address)) === 0n ? true : undefined;
      },
      120_000,
    );

    // The watchtower challenged the liar's results and won: by a bisection game (the particle program has a step
    // verifier in the Ignition deployment, and the watchtower prefers games) or by an escalation.
    const challenges = (await eventsOf(manager, "Challenged")).filter(
      (e) => e.args.challenger === at(WATCHTOWER).address,
    );
    const games = (await eventsOf(manager, "GameChallenged")).filter(
      (e) => e.args.challenger === at(WATCHTOWER).address,
    );
    expect(challenges.length + games.length).to.be.greaterThan(0);
    for (const c of challenges) {
      expect(Number((await manager.challengeOf(c.args.taskId as bigint, c.args.step as bigint)).outcome)).to.equal(1);
    }
    for (const g of games) {
      expect(Number((await manager.gameChallengeOf(g.args.taskId as bigint, g.args.game as bigint)).outcome)).to.equal(
        1,
      );
    }
    // The liar was slashed for each wrong reveal; the honest workers and the watchtower earned.
    const penalties = (await eventsOf(manager, "MemberPenalized")).filter(
      (e) => e.args.member === at(ADVERSARY).address,
    );
    expect(penalties.some((e) => Number(e.args.reason) === 2)).to.equal(true); // WrongResult
    expect((await pool.stakeOf(at(ADVERSARY).address)).active).to.be.lessThan(liarStake);
    let honestEarned = 0n;
    for (const i of HONEST) honestEarned += (await token.balanceOf(at(i).address)) - before.get(i)!;
    expect(honestEarned).to.be.greaterThan(0n);
    expect(await token.balanceOf(at(WATCHTOWER).address)).to.be.greaterThan(before.get(WATCHTOWER)!);

    // Rule 1 still holds: the pool and the manager each hold exactly what they owe.
    const totals = await pool.totals();
    expect(await token.balanceOf(poolAddress)).to.equal(totals.active + totals.unbonding + totals.claimable);
    const m = await manager.totals();
    expect(await token.balanceOf(managerAddress)).to.equal(m.escrowed + m.unclaimedRewards + m.credits);

    // Every agent stops cleanly on SIGTERM and prints its final status as one JSON document.
    for (const x of agents) x.process.kill("SIGTERM");
    for (const x of agents) {
      const exit = await x.exited;
      expect(exit.code).to.equal(0);
      const doc = JSON.parse((x as AgentProcess & { stdout(): string }).stdout()) as { ok: boolean; stoppedBy: string };
      expect(doc.ok).to.equal(true);
      expect(doc.stoppedBy).to.equal("SIGTERM");
    }
  });
});
