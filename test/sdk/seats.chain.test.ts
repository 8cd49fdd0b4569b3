import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import {
  challengeBondFloor,
  corruptionCost,
  escalationsFitting,
  lifeBound,
  seatCapacity,
  strictMajority,
  type Cohort,
} from "../../sdk/src/index.js";
import { POOL_CONFIG, UNIT, accounts } from "../helpers/pool.js";
import { TASK_CONFIG, deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { VECTORS_DIR } from "../vectors/generate.js";
import { clientOf, request, revertsWithoutSending } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector file is JSON read at run time */
const seats = JSON.parse(readFileSync(join(VECTORS_DIR, "seats.json"), "utf8"));

/** The rules of new tasks, with some fields changed. */
const configWith = (changes: Partial<Record<Exclude<keyof typeof TASK_CONFIG, "burnRemainder">, bigint>>) => ({
  ...TASK_CONFIG,
  ...changes,
});

/** The domain's seat math (sdk/src/domain/seats.ts) and its vectors against the deployed contracts' own views. */
describe("SDK domain: seat math against the contracts", function () {
  let sys: TaskSystem;
  let requester: Cohort;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    requester = await clientOf(ethers, sys, sys.requester);
    await (await sys.token.mint(sys.requester.address, 10n ** 27n)).wait();
  });

  it("lifeBound equals TaskManager.lifeBound for every vector, on pools of each epoch length", async function () {
    const { admin, treasury } = await accounts(ethers);
    const byEpoch = new Map<string, any[]>();
    for (const v of seats.lifeBound) byEpoch.set(v.epochBlocks, [...(byEpoch.get(v.epochBlocks) ?? []), v]);
    expect([...byEpoch.keys()].sort()).to.deep.equal(["20", "256", "7"]);
    for (const [epoch, vectors] of byEpoch) {
      const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
      const pool = await ethers.deployContract("SecurityPool", [
        await token.getAddress(),
        admin.address,
        UNIT,
        BigInt(epoch),
        BigInt(Math.min(5, Number(epoch) - 1)),
        {
          minStake: POOL_CONFIG.minStake,
          seatBond: POOL_CONFIG.seatBond,
          unbondingPeriod: 50n,
          treasury: treasury.address,
        },
      ]);
      const randomness = await ethers.deployContract("BlockhashRandomness", [admin.address, 1n]);
      const manager = await ethers.deployContract("TaskManager", [
        await pool.getAddress(),
        await randomness.getAddress(),
        admin.address,
        TASK_CONFIG,
      ]);
      for (const v of vectors) {
        const config = {
          maxReplacementDraws: BigInt(v.maxReplacementDraws),
          maxEscalations: BigInt(v.maxEscalations),
          maxRedraws: BigInt(v.maxRedraws),
        };
        await (await manager.connect(admin).setConfig(configWith(config))).wait();
        const onChain = await manager.lifeBound(
          BigInt(v.commitBlocks),
          BigInt(v.revealBlocks),
          BigInt(v.challengeBlocks),
          v.noQuorumRule,
        );
        const request = {
          commitBlocks: BigInt(v.commitBlocks),
          revealBlocks: BigInt(v.revealBlocks),
          challengeBlocks: BigInt(v.challengeBlocks),
          noQuorumRule: v.noQuorumRule as number,
        };
        expect(lifeBound(request, config, BigInt(epoch)), JSON.stringify(v)).to.equal(onChain);
        expect(onChain).to.equal(BigInt(v.lifeBound));
      }
    }
  });

  it("escalationsFitting and challengeBondFloor equal what createTask stores, for first rounds of every size class", async function () {
    const sizes = [1n, 2n, 3n, 4n, 5n, 7n, 15n, 16n, 31n, 32n, 33n, 63n, 64n];
    for (let max = 0n; max <= 3n; max++) {
      await (await sys.manager.connect(sys.admin).setConfig(configWith({ maxEscalations: max }))).wait();
      for (const s of sizes) {
        // One unit per seat (the floor's configured price wins) and an uneven reward (the task's own price wins).
        for (const reward of [s, 1_000n * UNIT + 7n]) {
          const { taskId } = await requester.createTask(request({ seats: s, quorum: strictMajority(s), reward }));
          const task = await requester.getTask({ taskId });
          expect(task.maxEscalations, `${s} seats, max ${max}`).to.equal(escalationsFitting(s, max));
          expect(task.challengeBondFloor).to.equal(
            challengeBondFloor({ seats: s, reward, challengeBondPerSeat: TASK_CONFIG.challengeBondPerSeat }),
          );
        }
      }
    }
  });

  it("challengeBondFloor vectors of first rounds equal the floor createTask stores", async function () {
    const firstRounds = seats.challengeBondFloor.filter((v: any) => v.escalations === "0");
    expect(firstRounds.length).to.be.greaterThan(5);
    for (const v of firstRounds) {
      await (
        await sys.manager
          .connect(sys.admin)
          .setConfig(configWith({ challengeBondPerSeat: BigInt(v.challengeBondPerSeat) }))
      ).wait();
      const s = BigInt(v.seats);
      const { taskId } = await requester.createTask(
        request({ seats: s, quorum: strictMajority(s), reward: BigInt(v.reward) }),
      );
      expect((await requester.getTask({ taskId })).challengeBondFloor, JSON.stringify(v)).to.equal(BigInt(v.floor));
    }
    await (await sys.manager.connect(sys.admin).setConfig(TASK_CONFIG)).wait();
  });

  it("corruptionCost is exactly the value at risk admission allows", async function () {
    for (const [quorum, s, bps] of [
      [3n, 5n, 5_000n],
      [4n, 5n, 1_000n],
      [1n, 1n, 10_000n],
      [33n, 64n, 3_333n],
    ] as const) {
      await (await sys.manager.connect(sys.admin).setConfig(configWith({ slashFractionBps: bps }))).wait();
      const maxValue = corruptionCost(quorum, POOL_CONFIG.seatBond, bps);
      const at = request({ seats: s, quorum, valueAtRisk: maxValue });
      await requester.createTask(at);
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.createTask({ ...at, valueAtRisk: maxValue + 1n }),
        "TaskManagerValueAtRiskTooHigh",
        {
          valueAtRisk: maxValue + 1n,
          maxValue,
        },
      );
    }
    await (await sys.manager.connect(sys.admin).setConfig(TASK_CONFIG)).wait();
  });

  it("seatCapacity is the free seats getStake reports", async function () {
    for (const w of sys.workers) {
      const stake = await requester.getStake({ worker: w.address });
      expect(stake.freeSeats).to.equal(seatCapacity(stake.free, POOL_CONFIG.seatBond));
      expect(stake.freeSeats > 0n).to.equal(true);
    }
  });
});
