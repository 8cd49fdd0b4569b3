import { expect } from "chai";
import { network } from "hardhat";

import { POOL_CONFIG, UNIT, windowStartOf } from "./helpers/pool.js";
import {
  NoQuorumRule,
  Phase,
  RecordStatus,
  TASK_CONFIG,
  TASK_UNBONDING_PERIOD,
  type TaskConfig,
  type TaskRequestShape,
  TaskState,
  commitAll,
  commitmentOf,
  committee,
  deployTaskSystem,
  drawWhenReady,
  finalSplit,
  mineAfter,
  postSuitable,
  postTask,
  revealAll,
  saltOf,
  taskRequest,
} from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

/** Twelve workers with equal stakes: a committee of a few seats almost always has several distinct members. */
const STAKES = Array.from({ length: 12 }, () => 100n);

async function fixture() {
  return deployTaskSystem(ethers, networkHelpers, { stakes: STAKES });
}

type Sys = Awaited<ReturnType<typeof fixture>>;
type Records = Awaited<ReturnType<typeof committee>>;

const b32 = (name: string) => ethers.encodeBytes32String(name);
const MAX_UINT96 = 2n ** 96n - 1n;
const BPS = 10_000n;
const SEAT_BOND = POOL_CONFIG.seatBond;
const GOOD = ethers.id("result: good");
const BAD = ethers.id("result: bad");

const enum PenaltyReason {
  MissedCommit,
  MissedReveal,
  WrongResult,
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * `TaskManager.lifeBound`, recomputed from its documented formula: `rounds * perRound + (1 + maxEscalations) *
 * challengeBlocks`, with `perRound = (1 + maxReplacementDraws) * (3 * epochBlocks + commitBlocks) + revealBlocks` and
 * `rounds = 1 + maxEscalations (+ maxRedraws under Redraw)`, from the config's `maxEscalations` (not a task's cap).
 */
function lifeBoundOf(
  commitBlocks: bigint,
  revealBlocks: bigint,
  challengeBlocks: bigint,
  rule: NoQuorumRule,
  cfg: { maxReplacementDraws: number; maxRedraws: number; maxEscalations: number } = TASK_CONFIG,
): bigint {
  const perDraw = 3n * POOL_CONFIG.epochBlocks + commitBlocks;
  const perRound = (1n + BigInt(cfg.maxReplacementDraws)) * perDraw + revealBlocks;
  const steps = 1n + BigInt(cfg.maxEscalations);
  const rounds = rule === NoQuorumRule.Redraw ? steps + BigInt(cfg.maxRedraws) : steps;
  return rounds * perRound + steps * challengeBlocks;
}

/** A config as the contract returns it (a tuple in field order). */
function configTuple(cfg: TaskConfig): unknown[] {
  return [
    BigInt(cfg.slashFractionBps),
    BigInt(cfg.missedCommitPenaltyBps),
    BigInt(cfg.missedRevealPenaltyBps),
    BigInt(cfg.maxReplacementDraws),
    BigInt(cfg.maxRedraws),
    BigInt(cfg.maxEscalations),
    BigInt(cfg.bountyBps),
    BigInt(cfg.honestShareBps),
    cfg.challengeBondPerSeat,
    cfg.burnRemainder,
  ];
}

/** The first block of the draw window a seed requested in `block` aims at. */
function nextWindowStartAt(block: bigint): bigint {
  const start = windowStartOf(block);
  return block >= start ? start + POOL_CONFIG.epochBlocks : start;
}

async function latestBlock(): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber());
}

function jsonOf(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Everything a refused call must leave untouched: token balances, task count, manager and pool totals. */
async function snapshot(sys: Sys) {
  const holders = [
    sys.requester.address,
    sys.treasury.address,
    await sys.manager.getAddress(),
    await sys.pool.getAddress(),
    ...sys.workers.map((w) => w.address),
  ];
  const balances = await Promise.all(holders.map((a) => sys.token.balanceOf(a)));
  return jsonOf({
    balances,
    taskCount: await sys.manager.taskCount(),
    totals: await sys.manager.totals(),
    poolTotals: await sys.pool.totals(),
  });
}

async function expectNoStateChange(sys: Sys, action: () => Promise<unknown>) {
  const before = await snapshot(sys);
  await action();
  expect(await snapshot(sys)).to.equal(before);
}

/** Posts a task and draws its committee. */
async function drawn(sys: Sys, overrides: Partial<TaskRequestShape> = {}) {
  const taskId = await postTask(sys, ethers, overrides);
  const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
  const records = await committee(sys, taskId);
  return { taskId, records, receipt, info: await sys.manager.taskOf(taskId) };
}

/** The record with the fewest seats: giving it another result leaves the rest a quorum (seats 5, quorum 3). */
function smallest(records: Records) {
  expect(records.length, "the committee must have at least two members").to.be.greaterThan(1);
  return [...records].sort((a, b) => Number(a.seats - b.seats))[0]!;
}

async function chainId(): Promise<bigint> {
  return (await ethers.provider.getNetwork()).chainId;
}

async function commitmentFor(sys: Sys, taskId: bigint, round: bigint, member: string, resultHash: string) {
  return commitmentOf(
    ethers,
    await chainId(),
    await sys.manager.getAddress(),
    taskId,
    round,
    member,
    resultHash,
    saltOf(ethers, taskId, round, member),
  );
}

describe("TaskManager", function () {
  // -----------------------------------------------------------------------------------------------------------------
  describe("deployment", function () {
    it("binds the pool, randomness source, token and config, and grants the admin its roles", async function () {
      const { manager, pool, randomness, token, admin, outsider } = await loadFixture(fixture);
      expect(await manager.pool()).to.equal(await pool.getAddress());
      expect(await manager.randomness()).to.equal(await randomness.getAddress());
      expect(await manager.paymentToken()).to.equal(await token.getAddress());
      const cfg = await manager.config();
      expect(cfg.slashFractionBps).to.equal(TASK_CONFIG.slashFractionBps);
      expect(cfg.missedCommitPenaltyBps).to.equal(TASK_CONFIG.missedCommitPenaltyBps);
      expect(cfg.missedRevealPenaltyBps).to.equal(TASK_CONFIG.missedRevealPenaltyBps);
      expect(cfg.maxReplacementDraws).to.equal(TASK_CONFIG.maxReplacementDraws);
      expect(cfg.maxRedraws).to.equal(TASK_CONFIG.maxRedraws);
      expect(cfg.maxEscalations).to.equal(TASK_CONFIG.maxEscalations);
      expect(cfg.bountyBps).to.equal(TASK_CONFIG.bountyBps);
      expect(cfg.honestShareBps).to.equal(TASK_CONFIG.honestShareBps);
      expect(cfg.challengeBondPerSeat).to.equal(TASK_CONFIG.challengeBondPerSeat);
      expect(cfg.burnRemainder).to.equal(TASK_CONFIG.burnRemainder);
      expect([...cfg]).to.deep.equal(configTuple(TASK_CONFIG));
      expect(await manager.taskCount()).to.equal(0n);
      const totals = await manager.totals();
      expect([totals.escrowed, totals.unclaimedRewards, totals.credits]).to.deep.equal([0n, 0n, 0n]);
      const adminRole = await manager.DEFAULT_ADMIN_ROLE();
      const pauserRole = await manager.PAUSER_ROLE();
      expect(pauserRole).to.equal(ethers.id("PAUSER_ROLE"));
      expect(await manager.hasRole(adminRole, admin.address)).to.equal(true);
      expect(await manager.hasRole(pauserRole, admin.address)).to.equal(true);
      expect(await manager.hasRole(adminRole, outsider.address)).to.equal(false);
      expect(await manager.hasRole(pauserRole, outsider.address)).to.equal(false);
      expect(await manager.paused()).to.equal(false);
      expect(await manager.MAX_SEATS()).to.equal(64n);
      // Escalation rounds reach 2 * 64 + 1 seats; each of a round's 1 + 3 draws can seat new members on all of them.
      expect(await manager.MAX_ROUND_SEATS()).to.equal(129n);
      expect(await manager.MAX_ESCALATIONS()).to.equal(3n);
      expect(await manager.MAX_RECORDS_PER_ROUND()).to.equal(129n * 4n);
      expect(await manager.SETTLE_BATCH()).to.equal(256n);
      expect(await manager.BURN_ADDRESS()).to.equal("0x000000000000000000000000000000000000dEaD");
    });

    it("refuses zero addresses", async function () {
      const { pool, randomness, admin } = await loadFixture(fixture);
      const factory = await ethers.getContractFactory("TaskManager");
      const p = await pool.getAddress();
      const r = await randomness.getAddress();
      for (const args of [
        [ethers.ZeroAddress, r, admin.address],
        [p, ethers.ZeroAddress, admin.address],
        [p, r, ethers.ZeroAddress],
      ] as const) {
        await expect(factory.deploy(args[0], args[1], args[2], TASK_CONFIG)).to.be.revertedWithCustomError(
          factory,
          "TaskManagerZeroAddress",
        );
      }
    });

    it("refuses a config out of bounds, naming the field", async function () {
      const { pool, randomness, admin } = await loadFixture(fixture);
      const factory = await ethers.getContractFactory("TaskManager");
      const p = await pool.getAddress();
      const r = await randomness.getAddress();
      const cases = [
        ["slashFractionBps", { slashFractionBps: 999 }, 999n, 1_000n, 10_000n],
        ["slashFractionBps", { slashFractionBps: 10_001 }, 10_001n, 1_000n, 10_000n],
        ["missedCommitPenaltyBps", { missedCommitPenaltyBps: 10_001 }, 10_001n, 0n, 10_000n],
        ["missedRevealPenaltyBps", { missedRevealPenaltyBps: 10_001 }, 10_001n, 0n, 10_000n],
        ["maxReplacementDraws", { maxReplacementDraws: 4 }, 4n, 0n, 3n],
        ["maxRedraws", { maxRedraws: 4 }, 4n, 0n, 3n],
        ["maxEscalations", { maxEscalations: 4 }, 4n, 0n, 3n],
        ["bountyBps", { bountyBps: 10_001 }, 10_001n, 0n, 10_000n],
        // Bounties and the honest share together take at most the whole slash: the share's bound is what is left.
        ["honestShareBps", { honestShareBps: 8_001 }, 8_001n, 0n, 8_000n],
        ["honestShareBps", { bountyBps: 10_000, honestShareBps: 1 }, 1n, 0n, 0n],
        ["honestShareBps", { bountyBps: 0, honestShareBps: 10_001 }, 10_001n, 0n, 10_000n],
        ["challengeBondPerSeat", { challengeBondPerSeat: 0n }, 0n, 1n, MAX_UINT96],
      ] as const;
      for (const [name, override, value, min, max] of cases) {
        await expect(factory.deploy(p, r, admin.address, { ...TASK_CONFIG, ...override }), `${name} ${value}`)
          .to.be.revertedWithCustomError(factory, "TaskManagerParameterOutOfBounds")
          .withArgs(b32(name), value, min, max);
      }
      // The bounds themselves are accepted.
      const edges: TaskConfig[] = [
        { ...TASK_CONFIG, slashFractionBps: 1_000, missedCommitPenaltyBps: 10_000, maxRedraws: 3 },
        { ...TASK_CONFIG, maxEscalations: 3, bountyBps: 2_000, honestShareBps: 8_000, challengeBondPerSeat: 1n },
        { ...TASK_CONFIG, maxEscalations: 0, bountyBps: 10_000, honestShareBps: 0, challengeBondPerSeat: MAX_UINT96 },
        { ...TASK_CONFIG, bountyBps: 0, honestShareBps: 10_000, burnRemainder: true },
      ];
      for (const edge of edges) {
        const deployed = await factory.deploy(p, r, admin.address, edge);
        expect([...(await deployed.config())]).to.deep.equal(configTuple(edge));
      }
    });

    it("setConfig: admin only, bounded, emits ConfigSet, applies to lifeBound", async function () {
      const { manager, admin, outsider } = await loadFixture(fixture);
      const next: TaskConfig = {
        slashFractionBps: 8_000,
        missedCommitPenaltyBps: 3_000,
        missedRevealPenaltyBps: 4_000,
        maxReplacementDraws: 3,
        maxRedraws: 3,
        maxEscalations: 2,
        bountyBps: 3_000,
        honestShareBps: 6_000,
        challengeBondPerSeat: 7n * UNIT,
        burnRemainder: true,
      };
      await expect(manager.connect(outsider).setConfig(next))
        .to.be.revertedWithCustomError(manager, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ethers.ZeroHash);
      const refused = [
        ["maxRedraws", { maxRedraws: 4 }, 4n, 0n, 3n],
        ["maxEscalations", { maxEscalations: 4 }, 4n, 0n, 3n],
        ["bountyBps", { bountyBps: 10_001 }, 10_001n, 0n, 10_000n],
        ["honestShareBps", { honestShareBps: 7_001 }, 7_001n, 0n, 7_000n],
        ["challengeBondPerSeat", { challengeBondPerSeat: 0n }, 0n, 1n, MAX_UINT96],
      ] as const;
      for (const [name, override, value, min, max] of refused) {
        await expect(manager.connect(admin).setConfig({ ...next, ...override }), name)
          .to.be.revertedWithCustomError(manager, "TaskManagerParameterOutOfBounds")
          .withArgs(b32(name), value, min, max);
      }
      // (3*20 + 10) * 2 + 10 = 150 per round; 1 + 1 escalation + 1 redraw = 3 rounds; 2 challenge windows of 10.
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.equal(470n);
      await expect(manager.connect(admin).setConfig(next)).to.emit(manager, "ConfigSet").withArgs(configTuple(next));
      const cfg = await manager.config();
      expect([...cfg]).to.deep.equal(configTuple(next));
      // (3*20 + 10) * 4 + 10 = 290 per round, 1 + 2 escalations + 3 redraws = 6 rounds, + 3 challenge windows of 10.
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.equal(1_770n);
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.equal(
        lifeBoundOf(10n, 10n, 10n, NoQuorumRule.Redraw, next),
      );
      // Refund: no redraws, still one round and one window per step of the ladder.
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Refund)).to.equal(3n * 290n + 30n);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("createTask", function () {
    it("stores the frozen task, escrows the reward and emits TaskCreated and SeedRequested", async function () {
      const sys = await loadFixture(fixture);
      const { manager, token, requester } = sys;
      const request = taskRequest(ethers, { valueAtRisk: 3n * UNIT, noQuorumRule: NoQuorumRule.Refund });
      const managerAddress = await manager.getAddress();
      const balanceBefore = await token.balanceOf(requester.address);
      const txBlock = (await latestBlock()) + 1n;
      const notBefore = nextWindowStartAt(txBlock);
      const tx = manager.connect(requester).createTask(request);
      await expect(tx).to.emit(manager, "SeedRequested").withArgs(1n, 0n, 1n, notBefore);
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [requester, managerAddress],
        [-request.reward, request.reward],
      );
      expect(await token.balanceOf(requester.address)).to.equal(balanceBefore - request.reward);
      expect(await manager.taskCount()).to.equal(1n);

      // TaskCreated carries the whole request, the frozen seat bond and config.
      const receipt = (await (await tx).wait())!;
      expect(receipt.blockNumber).to.equal(Number(txBlock));
      const created = receipt.logs.map((l) => manager.interface.parseLog(l)).find((e) => e?.name === "TaskCreated")!;
      expect(created.args.taskId).to.equal(1n);
      expect(created.args.requester).to.equal(requester.address);
      expect(created.args.programId).to.equal(request.programId);
      expect(created.args.request.inputHash).to.equal(request.inputHash);
      expect(created.args.request.inputKind).to.equal(0n);
      expect(created.args.request.input).to.equal(ethers.hexlify(request.input));
      expect(created.args.request.seats).to.equal(5n);
      expect(created.args.request.quorum).to.equal(3n);
      expect(created.args.request.reward).to.equal(request.reward);
      expect(created.args.request.valueAtRisk).to.equal(3n * UNIT);
      expect(created.args.request.noQuorumRule).to.equal(BigInt(NoQuorumRule.Refund));
      expect(created.args.seatBond).to.equal(SEAT_BOND);
      expect(created.args.config.slashFractionBps).to.equal(TASK_CONFIG.slashFractionBps);
      expect(created.args.config.maxRedraws).to.equal(TASK_CONFIG.maxRedraws);
      expect([...created.args.config]).to.deep.equal(configTuple(TASK_CONFIG));

      const t = await manager.taskOf(1n);
      expect(t.requester).to.equal(requester.address);
      expect(t.programId).to.equal(request.programId);
      expect(t.inputHash).to.equal(request.inputHash);
      expect(t.state).to.equal(TaskState.Drawing);
      expect(t.noQuorumRule).to.equal(BigInt(NoQuorumRule.Refund));
      expect(t.seats).to.equal(5n);
      expect(t.quorum).to.equal(3n);
      expect(t.reward).to.equal(request.reward);
      expect(t.valueAtRisk).to.equal(3n * UNIT);
      expect(t.seatBond).to.equal((await sys.pool.parameters()).seatBond);
      expect(t.seatBond).to.equal(SEAT_BOND);
      expect(t.config.slashFractionBps).to.equal(TASK_CONFIG.slashFractionBps);
      expect(t.config.missedCommitPenaltyBps).to.equal(TASK_CONFIG.missedCommitPenaltyBps);
      expect(t.config.missedRevealPenaltyBps).to.equal(TASK_CONFIG.missedRevealPenaltyBps);
      expect(t.config.maxReplacementDraws).to.equal(TASK_CONFIG.maxReplacementDraws);
      expect(t.config.maxRedraws).to.equal(TASK_CONFIG.maxRedraws);
      expect([...t.config]).to.deep.equal(configTuple(TASK_CONFIG));
      expect([t.commitBlocks, t.revealBlocks, t.challengeBlocks]).to.deep.equal([10n, 10n, 10n]);
      expect(t.round).to.equal(0n);
      // The ladder of a 5-seat task (5, 11, 23, ...) fits the config's one escalation; none used yet.
      expect([t.escalations, t.maxEscalations]).to.deep.equal([0n, 1n]);
      // The bond floor: the 11 seats of the escalation round, each at the larger of the configured floor (1 token)
      // and the task's own reward per seat (1000 / 5 = 200 tokens).
      expect(t.challengeBondFloor).to.equal(11n * ceilDiv(request.reward, 5n));
      expect(t.wrongSlashed).to.equal(0n);
      expect(t.expiresAt).to.equal(txBlock + lifeBoundOf(10n, 10n, 10n, NoQuorumRule.Refund));
      expect(t.replacementDraws).to.equal(0n);
      expect(t.requestId).to.equal(1n);
      expect(t.pendingSeats).to.equal(5n);
      expect([t.filledSeats, t.committedSeats, t.revealedSeats, t.recordCount]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect([t.commitDeadline, t.revealDeadline, t.challengeDeadline]).to.deep.equal([0n, 0n, 0n]);
      expect(t.proposedResult).to.equal(ethers.ZeroHash);
      expect([t.slashPot, t.rewardPerSeat]).to.deep.equal([0n, 0n]);
      expect((await manager.totals()).escrowed).to.equal(request.reward);
      expect(await token.balanceOf(managerAddress)).to.equal(request.reward);
      expect(await sys.randomness.consumerOf(1n)).to.equal(managerAddress);
      expect(await manager.phaseOf(1n)).to.equal(Phase.AwaitingSeed);
    });

    it("aims the seed at the next window when posted inside a draw window; ids count up", async function () {
      const sys = await loadFixture(fixture);
      await postTask(sys, ethers);
      // Move so that the next transaction lands inside a draw window.
      const latest = await latestBlock();
      let start = windowStartOf(latest + 1n);
      if (start < latest + 1n) start += POOL_CONFIG.epochBlocks;
      await networkHelpers.mine(start + 1n - (latest + 1n));
      const txBlock = (await latestBlock()) + 1n;
      expect(txBlock).to.equal(start + 1n);
      await expect(sys.manager.connect(sys.requester).createTask(taskRequest(ethers)))
        .to.emit(sys.manager, "SeedRequested")
        .withArgs(2n, 0n, 2n, start + POOL_CONFIG.epochBlocks);
      expect(await sys.manager.taskCount()).to.equal(2n);
    });

    it("accepts a URI input whose hash is only declared", async function () {
      const sys = await loadFixture(fixture);
      const uri = ethers.toUtf8Bytes("https://example.org/input.bin");
      const inputHash = ethers.id("the bytes behind the uri");
      await sys.manager.connect(sys.requester).createTask(taskRequest(ethers, { inputKind: 1, input: uri, inputHash }));
      expect((await sys.manager.taskOf(1n)).inputHash).to.equal(inputHash);
    });

    it("refuses every bad field with its named error, changing nothing", async function () {
      const sys = await loadFixture(fixture);
      const { manager, requester } = sys;
      const tooLong = new Uint8Array(16_385);
      const cases: [string, Partial<TaskRequestShape>, string, unknown[]][] = [
        ["zero programId", { programId: ethers.ZeroHash }, "TaskManagerZeroHash", [b32("programId")]],
        ["zero inputHash", { inputHash: ethers.ZeroHash }, "TaskManagerZeroHash", [b32("inputHash")]],
        [
          "inline input hash mismatch",
          { input: ethers.toUtf8Bytes("a"), inputHash: ethers.id("b") },
          "TaskManagerInputHashMismatch",
          [ethers.id("b"), ethers.id("a")],
        ],
        [
          "inline input too long",
          { input: tooLong },
          "TaskManagerParameterOutOfBounds",
          [b32("input"), 16_385n, 0n, 16_384n],
        ],
        [
          "empty URI",
          { inputKind: 1, input: "0x", inputHash: ethers.id("x") },
          "TaskManagerParameterOutOfBounds",
          [b32("input"), 0n, 1n, 16_384n],
        ],
        [
          "URI too long",
          { inputKind: 1, input: tooLong, inputHash: ethers.id("x") },
          "TaskManagerParameterOutOfBounds",
          [b32("input"), 16_385n, 1n, 16_384n],
        ],
        ["seats 0", { seats: 0n, quorum: 0n }, "TaskManagerParameterOutOfBounds", [b32("seats"), 0n, 1n, 64n]],
        ["seats 65", { seats: 65n, quorum: 33n }, "TaskManagerParameterOutOfBounds", [b32("seats"), 65n, 1n, 64n]],
        ["quorum half of 5", { quorum: 2n }, "TaskManagerParameterOutOfBounds", [b32("quorum"), 2n, 3n, 5n]],
        ["quorum half of 4", { seats: 4n, quorum: 2n }, "TaskManagerParameterOutOfBounds", [b32("quorum"), 2n, 3n, 4n]],
        ["quorum above seats", { quorum: 6n }, "TaskManagerParameterOutOfBounds", [b32("quorum"), 6n, 3n, 5n]],
        ["reward below seats", { reward: 4n }, "TaskManagerParameterOutOfBounds", [b32("reward"), 4n, 5n, MAX_UINT96]],
        [
          "reward above uint96",
          { reward: MAX_UINT96 + 1n },
          "TaskManagerParameterOutOfBounds",
          [b32("reward"), MAX_UINT96 + 1n, 5n, MAX_UINT96],
        ],
        ...(["commitBlocks", "revealBlocks", "challengeBlocks"] as const).flatMap(
          (f): [string, Partial<TaskRequestShape>, string, unknown[]][] => [
            [`${f} 0`, { [f]: 0n }, "TaskManagerParameterOutOfBounds", [b32(f), 0n, 1n, 100_000n]],
            [`${f} 100001`, { [f]: 100_001n }, "TaskManagerParameterOutOfBounds", [b32(f), 100_001n, 1n, 100_000n]],
          ],
        ),
        [
          "valueAtRisk above uint96",
          { valueAtRisk: MAX_UINT96 + 1n },
          "TaskManagerParameterOutOfBounds",
          [b32("valueAtRisk"), MAX_UINT96 + 1n, 0n, MAX_UINT96],
        ],
        [
          "valueAtRisk above the corruption cost",
          { valueAtRisk: (15n * UNIT) / 2n + 1n },
          "TaskManagerValueAtRiskTooHigh",
          [(15n * UNIT) / 2n + 1n, (15n * UNIT) / 2n],
        ],
        [
          "a window that outlives unbonding",
          { commitBlocks: 100_000n },
          "TaskManagerTaskOutlivesUnbonding",
          [lifeBoundOf(100_000n, 10n, 10n, NoQuorumRule.Redraw), TASK_UNBONDING_PERIOD],
        ],
      ];
      await expectNoStateChange(sys, async () => {
        for (const [label, overrides, error, args] of cases) {
          await expect(manager.connect(requester).createTask(taskRequest(ethers, overrides)), label)
            .to.be.revertedWithCustomError(manager, error)
            .withArgs(...args);
        }
      });
      expect(await manager.taskCount()).to.equal(0n);
    });

    it("accepts every field at its bounds", async function () {
      const sys = await loadFixture(fixture);
      const { manager, requester } = sys;
      const empty = new Uint8Array(0);
      const accepted: Partial<TaskRequestShape>[] = [
        { seats: 1n, quorum: 1n, reward: 1n },
        { seats: 64n, quorum: 33n, reward: 64n },
        { seats: 64n, quorum: 64n },
        { seats: 4n, quorum: 3n },
        { commitBlocks: 1n, revealBlocks: 1n, challengeBlocks: 1n },
        { input: empty, inputHash: ethers.keccak256(empty) },
        { input: new Uint8Array(16_384) },
        { inputKind: 1, input: new Uint8Array(16_384).fill(0x61), inputHash: ethers.id("x") },
        { reward: MAX_UINT96 / 1_000_000n },
      ];
      for (const [i, o] of accepted.entries()) {
        await manager.connect(requester).createTask(taskRequest(ethers, o));
        const t = await manager.taskOf(BigInt(i + 1));
        const req = taskRequest(ethers, o);
        expect([t.seats, t.quorum, t.reward, t.commitBlocks], `case ${i}`).to.deep.equal([
          req.seats,
          req.quorum,
          req.reward,
          req.commitBlocks,
        ]);
      }
      expect(await manager.taskCount()).to.equal(BigInt(accepted.length));
    });

    it("caps a task's escalations where its ladder (s, 2s + 1, ...) would pass MAX_ROUND_SEATS; lifeBound keeps the config's", async function () {
      const sys = await loadFixture(fixture);
      const { manager, admin, requester } = sys;
      await manager.connect(admin).setConfig({ ...TASK_CONFIG, maxEscalations: 3 });
      // The escalations a ladder from `s` seats allows: each step 2s + 1, at most 129 seats.
      const fitting = (seats: bigint) => {
        let n = 0n;
        for (let s = seats; n < 3n && 2n * s + 1n <= 129n; s = 2n * s + 1n) n++;
        return n;
      };
      const cases: [bigint, bigint][] = [
        [1n, 3n], // 1, 3, 7, 15
        [15n, 3n], // 15, 31, 63, 127
        [16n, 2n], // 16, 33, 67 (135 would pass 129)
        [31n, 2n], // 31, 63, 127
        [32n, 1n], // 32, 65 (131)
        [64n, 1n], // 64, 129
      ];
      for (const [seats, expected] of cases) {
        expect(fitting(seats), `ladder of ${seats}`).to.equal(expected);
        const tx = await manager
          .connect(requester)
          .createTask(taskRequest(ethers, { seats, quorum: seats / 2n + 1n, reward: 1_000n * UNIT }));
        const receipt = (await tx.wait())!;
        const created = BigInt(receipt.blockNumber);
        const t = await manager.taskOf(await manager.taskCount());
        expect(t.maxEscalations, `${seats} seats`).to.equal(expected);
        // TaskCreated carries the config as it was set.
        const event = receipt.logs.map((l) => manager.interface.parseLog(l)).find((e) => e?.name === "TaskCreated")!;
        expect(event.args.config.maxEscalations).to.equal(3n);
        // Every task of the config lives within the same bound, whatever its own cap.
        const bound = lifeBoundOf(10n, 10n, 10n, NoQuorumRule.Redraw, { ...TASK_CONFIG, maxEscalations: 3 });
        expect(t.expiresAt).to.equal(created + bound);
      }
      // With escalations switched off, no task gets any.
      await manager.connect(admin).setConfig({ ...TASK_CONFIG, maxEscalations: 0 });
      await manager.connect(requester).createTask(taskRequest(ethers, { seats: 1n, quorum: 1n }));
      expect((await manager.taskOf(await manager.taskCount())).maxEscalations).to.equal(0n);
    });

    it("caps valueAtRisk at floor(quorum * seatBond * slashFractionBps / 10000), accepting the cap", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, admin, requester, treasury } = sys;
      // quorum 3, bond 5, 50%: 7.5 tokens.
      const cap3 = (3n * SEAT_BOND * 5_000n) / BPS;
      expect(cap3).to.equal((15n * UNIT) / 2n);
      await manager.connect(requester).createTask(taskRequest(ethers, { valueAtRisk: cap3 }));
      expect((await manager.taskOf(1n)).valueAtRisk).to.equal(cap3);
      // The cap grows with the quorum.
      const cap5 = (5n * SEAT_BOND * 5_000n) / BPS;
      await expect(manager.connect(requester).createTask(taskRequest(ethers, { quorum: 5n, valueAtRisk: cap5 + 1n })))
        .to.be.revertedWithCustomError(manager, "TaskManagerValueAtRiskTooHigh")
        .withArgs(cap5 + 1n, cap5);
      await manager.connect(requester).createTask(taskRequest(ethers, { quorum: 5n, valueAtRisk: cap5 }));
      // An odd bond shows the rounding down: 3 * (5e18 + 1) * 5000 / 10000 = 7.5e18 + 1.5 -> 7.5e18 + 1.
      const bond = SEAT_BOND + 1n;
      await pool.connect(admin).setParameters({
        minStake: POOL_CONFIG.minStake,
        seatBond: bond,
        unbondingPeriod: TASK_UNBONDING_PERIOD,
        treasury: treasury.address,
      });
      const oddCap = (3n * bond * 5_000n) / BPS;
      expect(oddCap).to.equal((15n * UNIT) / 2n + 1n);
      await expect(manager.connect(requester).createTask(taskRequest(ethers, { valueAtRisk: oddCap + 1n })))
        .to.be.revertedWithCustomError(manager, "TaskManagerValueAtRiskTooHigh")
        .withArgs(oddCap + 1n, oddCap);
      await manager.connect(requester).createTask(taskRequest(ethers, { valueAtRisk: oddCap }));
      const t = await manager.taskOf(3n);
      expect(t.valueAtRisk).to.equal(oddCap);
      expect(t.seatBond).to.equal(bond);
    });

    it("requires lifeBound within the unbonding period; lifeBound follows its formula", async function () {
      const sys = await loadFixture(fixture);
      const { manager, requester } = sys;
      // perDraw = 3*20 + 10 = 70; perRound = 2 * 70 + 10 = 150; one escalation: 2 challenge windows of 10.
      // Redraw: 3 rounds (first, escalation, redraw) = 450, + 20 = 470; Refund: 2 rounds = 300, + 20 = 320.
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.equal(470n);
      expect(await manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Refund)).to.equal(320n);
      expect(await manager.lifeBound(7n, 11n, 13n, NoQuorumRule.Redraw)).to.equal(
        lifeBoundOf(7n, 11n, 13n, NoQuorumRule.Redraw),
      );
      expect(await manager.lifeBound(7n, 11n, 13n, NoQuorumRule.Refund)).to.equal(
        lifeBoundOf(7n, 11n, 13n, NoQuorumRule.Refund),
      );
      // Exactly the unbonding period (2000) is accepted; one challenge block more (two windows: 2 blocks) is refused.
      const atLimit = (TASK_UNBONDING_PERIOD - 450n) / 2n;
      expect(await manager.lifeBound(10n, 10n, atLimit, NoQuorumRule.Redraw)).to.equal(TASK_UNBONDING_PERIOD);
      await expectNoStateChange(sys, async () => {
        await expect(manager.connect(requester).createTask(taskRequest(ethers, { challengeBlocks: atLimit + 1n })))
          .to.be.revertedWithCustomError(manager, "TaskManagerTaskOutlivesUnbonding")
          .withArgs(TASK_UNBONDING_PERIOD + 2n, TASK_UNBONDING_PERIOD);
      });
      await manager.connect(requester).createTask(taskRequest(ethers, { challengeBlocks: atLimit }));
      // The same windows fit with Refund: no redraw round.
      await manager
        .connect(requester)
        .createTask(taskRequest(ethers, { challengeBlocks: atLimit + 1n, noQuorumRule: NoQuorumRule.Refund }));
      expect(await manager.taskCount()).to.equal(2n);
    });

    it("is refused while paused (EnforcedPause); only the pauser pauses", async function () {
      const sys = await loadFixture(fixture);
      const { manager, admin, outsider, requester } = sys;
      await expect(manager.connect(outsider).pause())
        .to.be.revertedWithCustomError(manager, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await manager.PAUSER_ROLE());
      await expect(manager.connect(admin).pause()).to.emit(manager, "Paused").withArgs(admin.address);
      await expectNoStateChange(sys, async () => {
        await expect(manager.connect(requester).createTask(taskRequest(ethers))).to.be.revertedWithCustomError(
          manager,
          "EnforcedPause",
        );
      });
      await expect(manager.connect(outsider).unpause())
        .to.be.revertedWithCustomError(manager, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await manager.PAUSER_ROLE());
      await manager.connect(admin).unpause();
      await manager.connect(requester).createTask(taskRequest(ethers));
      expect(await manager.taskCount()).to.equal(1n);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("drawCommittee", function () {
    it("refuses while the seed is pending, then draws from the documented seed and locks each member's bonds", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, randomness } = sys;
      const taskId = await postTask(sys, ethers);
      const requestId = (await manager.taskOf(taskId)).requestId;
      await expectNoStateChange(sys, async () => {
        await expect(manager.drawCommittee(taskId))
          .to.be.revertedWithCustomError(manager, "TaskManagerSeedNotReady")
          .withArgs(taskId, requestId, 2n); // Pending
      });
      const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const drawBlock = BigInt(receipt.blockNumber);
      const target = await randomness.targetOf(requestId);
      const value = (await ethers.provider.getBlock(target))!.hash!;
      const seed = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint256", "address", "uint256", "uint256", "uint256"],
          [value, await chainId(), await manager.getAddress(), taskId, 0n, 0n],
        ),
      );
      const drawnEvent = receipt.logs
        .map((l) => manager.interface.parseLog(l))
        .find((e) => e?.name === "CommitteeDrawn")!;
      expect([...drawnEvent.args]).to.deep.equal([taskId, 0n, 0n, seed, 5n, drawBlock + 10n, drawBlock + 20n]);

      // The records are the pool's draw for that seed, grouped by member in order of first appearance.
      const seats = await pool.drawSeats(seed, 5n);
      const grouped: { member: string; seats: bigint }[] = [];
      for (const m of seats) {
        const g = grouped.find((x) => x.member === m);
        if (g) g.seats += 1n;
        else grouped.push({ member: m, seats: 1n });
      }
      const records = await committee(sys, taskId);
      expect(records.map((r) => [r.member, r.seats, r.status])).to.deep.equal(
        grouped.map((g) => [g.member, g.seats, RecordStatus.Assigned]),
      );
      const assigned = receipt.logs
        .map((l) => manager.interface.parseLog(l))
        .filter((e) => e?.name === "SeatsAssigned")
        .map((e) => [e!.args.member, e!.args.index, e!.args.seats]);
      expect(assigned).to.deep.equal(records.map((r) => [r.member, r.index, r.seats]));
      for (const r of records) {
        const s = await pool.stakeOf(r.member);
        expect(s.locked).to.equal(r.seats * SEAT_BOND);
        expect(s.seats).to.equal(r.seats);
      }
      expect((await pool.totals()).locked).to.equal(5n * SEAT_BOND);
      const t = await manager.taskOf(taskId);
      expect(t.state).to.equal(TaskState.Committing);
      expect([t.pendingSeats, t.filledSeats, t.recordCount]).to.deep.equal([0n, 5n, BigInt(records.length)]);
      expect([t.commitDeadline, t.revealDeadline]).to.deep.equal([drawBlock + 10n, drawBlock + 20n]);
      // A second draw is out of phase.
      await expect(manager.drawCommittee(taskId))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongPhase")
        .withArgs(taskId, Phase.Committing, Phase.AwaitingSeed);
    });

    it("re-arms a seed that was not used inside its window instead of drawing from it", async function () {
      const sys = await loadFixture(fixture);
      const { manager, randomness } = sys;
      const taskId = await postTask(sys, ethers);
      const requestId = (await manager.taskOf(taskId)).requestId;
      const target = await randomness.targetOf(requestId);
      // Let the whole window pass: the next transaction lands in the open part of the next epoch.
      const open = target + POOL_CONFIG.drawWindowBlocks + 1n;
      await networkHelpers.mine(open - ((await latestBlock()) + 1n));
      expect(await randomness.statusOf(requestId)).to.equal(3n); // Ready, but known before this window
      const notBefore = windowStartOf(open);
      expect(notBefore).to.equal(target + POOL_CONFIG.epochBlocks);
      await expect(manager.drawCommittee(taskId))
        .to.emit(manager, "SeedRequested")
        .withArgs(taskId, 0n, requestId, notBefore)
        .and.not.to.emit(manager, "CommitteeDrawn");
      await expect(manager.drawCommittee(taskId))
        .to.be.revertedWithCustomError(manager, "TaskManagerSeedNotReady")
        .withArgs(taskId, requestId, 2n);
      expect(await randomness.targetOf(requestId)).to.equal(notBefore);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
      expect((await sys.pool.totals()).locked).to.equal(0n);
      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Committing);
    });

    it("replaceNoShows penalizes the no-shows, keeps the committed records and re-draws only the vacant seats", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, token } = sys;
      const { taskId, records, info } = await drawn(sys, { commitBlocks: 20n });
      const lazy = smallest(records);
      const diligent = records.filter((r) => r !== lazy);
      await commitAll(sys, ethers, taskId, diligent, () => GOOD);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingReplacement);
      const penalty = ceilDiv(lazy.seats * SEAT_BOND * 1_000n, BPS);
      const callBlock = (await latestBlock()) + 1n;
      await expect(manager.replaceNoShows(taskId))
        .to.emit(manager, "MemberPenalized")
        .withArgs(taskId, lazy.member, 0n, lazy.index, PenaltyReason.MissedCommit, penalty, penalty)
        .and.to.emit(manager, "NoShowsReplaced")
        .withArgs(taskId, 0n, 1n, lazy.seats)
        .and.to.emit(manager, "SeedRequested")
        .withArgs(taskId, 0n, info.requestId, nextWindowStartAt(callBlock));
      expect((await manager.recordOf(taskId, 0n, lazy.index)).status).to.equal(RecordStatus.Replaced);
      expect((await manager.assignmentOf(taskId, lazy.member)).found).to.equal(false);
      for (const r of diligent) {
        expect((await manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Committed);
      }
      let t = await manager.taskOf(taskId);
      expect([t.state, t.replacementDraws, t.pendingSeats, t.filledSeats, t.committedSeats]).to.deep.equal([
        BigInt(TaskState.Drawing),
        1n,
        lazy.seats,
        5n - lazy.seats,
        5n - lazy.seats,
      ]);
      expect(t.slashPot).to.equal(penalty);
      expect((await pool.stakeOf(lazy.member)).locked).to.equal(0n);
      expect((await pool.totals()).locked).to.equal((5n - lazy.seats) * SEAT_BOND);
      // Rule 1: the manager holds exactly what it accounts for.
      const totals = await manager.totals();
      expect(await token.balanceOf(await manager.getAddress())).to.equal(
        totals.escrowed + totals.unclaimedRewards + totals.credits,
      );
      expect(totals.escrowed).to.equal(1_000n * UNIT + penalty);

      const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const ev = receipt.logs.map((l) => manager.interface.parseLog(l)).find((e) => e?.name === "CommitteeDrawn")!;
      expect([ev.args.round, ev.args.draw, ev.args.seatsDrawn]).to.deep.equal([0n, 1n, lazy.seats]);
      t = await manager.taskOf(taskId);
      expect(t.filledSeats).to.equal(5n);
      expect(t.commitDeadline).to.equal(BigInt(receipt.blockNumber) + 20n);
      expect((await pool.totals()).locked).to.equal(5n * SEAT_BOND);
    });

    it("declines members whose free stake cannot cover their seats: nothing locked, no penalty, seats re-drawn", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, admin, treasury } = sys;
      // A bond above every worker's stake (100 tokens): no member can take a seat.
      const bond = 101n * UNIT;
      await pool.connect(admin).setParameters({
        minStake: POOL_CONFIG.minStake,
        seatBond: bond,
        unbondingPeriod: TASK_UNBONDING_PERIOD,
        treasury: treasury.address,
      });
      const taskId = await postTask(sys, ethers);
      const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const events = receipt.logs.map((l) => manager.interface.parseLog(l));
      expect(events.filter((e) => e?.name === "SeatsAssigned")).to.have.length(0);
      const declined = events.filter((e) => e?.name === "SeatsDeclined");
      const records = await manager.recordsOf(taskId, 0n, 0n, 256n);
      expect(declined.map((e) => [e!.args.member, e!.args.index, e!.args.seats])).to.deep.equal(
        records.map((r, i) => [r.member, BigInt(i), r.seats]),
      );
      expect(records.reduce((sum, r) => sum + r.seats, 0n)).to.equal(5n);
      for (const r of records) {
        expect(r.status).to.equal(RecordStatus.Declined);
        expect((await manager.assignmentOf(taskId, r.member)).found).to.equal(false);
      }
      expect((await pool.totals()).locked).to.equal(0n);
      const t = await manager.taskOf(taskId);
      expect([t.filledSeats, t.committedSeats, t.seatBond]).to.deep.equal([0n, 0n, bond]);
      await mineAfter(ethers, networkHelpers, t.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingReplacement);
      await expect(manager.replaceNoShows(taskId))
        .to.emit(manager, "NoShowsReplaced")
        .withArgs(taskId, 0n, 1n, 5n)
        .and.not.to.emit(manager, "MemberPenalized");
      expect((await manager.taskOf(taskId)).slashPot).to.equal(0n);
    });

    it("a round without quorum under Redraw starts round 1 with a fresh committee; round-0 commitments do not open", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool } = sys;
      const { taskId, records, info } = await drawn(sys);
      // Everyone commits, nobody reveals: all are Silent, no result, a redraw follows.
      await commitAll(sys, ethers, taskId, records, () => GOOD);
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      const tallyBlock = (await latestBlock()) + 1n;
      await expect(manager.tally(taskId))
        .to.emit(manager, "NoQuorum")
        .withArgs(taskId, 0n, 0n, true)
        .and.to.emit(manager, "SeedRequested")
        .withArgs(taskId, 1n, info.requestId, nextWindowStartAt(tallyBlock))
        .and.not.to.emit(manager, "TaskRefunded");
      for (const r of records) {
        expect((await manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Silent);
      }
      const silentPenalty = ceilDiv(5n * SEAT_BOND * 2_000n, BPS);
      let t = await manager.taskOf(taskId);
      expect(t.slashPot).to.equal(silentPenalty);
      expect([t.round, t.pendingSeats, t.recordCount, t.commitDeadline]).to.deep.equal([1n, 5n, 0n, 0n]);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
      expect((await pool.totals()).locked).to.equal(0n);

      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      t = await manager.taskOf(taskId);
      expect(t.round).to.equal(1n);
      const round1 = await committee(sys, taskId);
      expect((await manager.recordsOf(taskId, 1n, 0n, 256n)).length).to.equal(round1.length);
      // A member re-using its round-0 style commitment (round 0 in the hash) cannot open it in round 1.
      const stale = round1[0]!;
      const salt = saltOf(ethers, taskId, 1n, stale.member);
      const chain = await chainId();
      const here = await manager.getAddress();
      const sealed = commitmentOf(ethers, chain, here, taskId, 0n, stale.member, GOOD, salt);
      await manager.connect(stale.signer).commit(taskId, stale.index, sealed);
      await commitAll(sys, ethers, taskId, round1.slice(1), () => GOOD);
      await mineAfter(ethers, networkHelpers, t.commitDeadline);
      await expect(manager.connect(stale.signer).reveal(taskId, stale.index, GOOD, salt, "0x"))
        .to.be.revertedWithCustomError(manager, "TaskManagerRevealMismatch")
        .withArgs(taskId, stale.index, sealed, commitmentOf(ethers, chain, here, taskId, 1n, stale.member, GOOD, salt));
      await revealAll(sys, ethers, taskId, round1.slice(1), () => GOOD);
      expect(await manager.votesFor(taskId, 1n, GOOD)).to.equal(5n - stale.seats);
      expect(await manager.votesFor(taskId, 0n, GOOD)).to.equal(0n);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("rule 9: frozen rules", function () {
    it("a live task keeps its seat bond and config after setConfig and a pool seatBond change", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, admin, treasury, requester } = sys;
      const reward = 1_000n * UNIT;
      const taskA = await postTask(sys, ethers, { reward });
      const newConfig: TaskConfig = {
        slashFractionBps: 8_000,
        missedCommitPenaltyBps: 3_000,
        missedRevealPenaltyBps: 4_000,
        maxReplacementDraws: 0,
        maxRedraws: 0,
        maxEscalations: 0,
        bountyBps: 1_000,
        honestShareBps: 9_000,
        challengeBondPerSeat: 3n * UNIT,
        burnRemainder: true,
      };
      const newBond = 7n * UNIT;
      await manager.connect(admin).setConfig(newConfig);
      await pool.connect(admin).setParameters({
        minStake: POOL_CONFIG.minStake,
        seatBond: newBond,
        unbondingPeriod: TASK_UNBONDING_PERIOD,
        treasury: treasury.address,
      });
      const a = await manager.taskOf(taskA);
      expect(a.seatBond).to.equal(SEAT_BOND);
      expect([...a.config]).to.deep.equal([5_000n, 1_000n, 2_000n, 1n, 1n, 1n, 2_000n, 5_000n, UNIT, false]);
      expect(a.maxEscalations).to.equal(1n);
      // A new task gets the new rules.
      await manager.connect(requester).createTask(taskRequest(ethers));
      const b = await manager.taskOf(taskA + 1n);
      expect(b.seatBond).to.equal(newBond);
      expect([...b.config]).to.deep.equal([8_000n, 3_000n, 4_000n, 0n, 0n, 0n, 1_000n, 9_000n, 3n * UNIT, true]);
      expect(b.maxEscalations).to.equal(0n);

      // Task A locks the old bond per seat.
      await drawWhenReady(sys, ethers, networkHelpers, taskA);
      const records = await committee(sys, taskA);
      for (const r of records) expect((await pool.stakeOf(r.member)).locked).to.equal(r.seats * SEAT_BOND);

      // The smallest member commits but stays silent: its penalty uses the old 20% of the old bond.
      const silent = smallest(records);
      const revealers = records.filter((r) => r !== silent);
      const goodSeats = 5n - silent.seats;
      await commitAll(sys, ethers, taskA, records, () => GOOD);
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskA)).commitDeadline);
      expect(await manager.phaseOf(taskA)).to.equal(Phase.Revealing);
      await revealAll(sys, ethers, taskA, revealers, () => GOOD);
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskA)).revealDeadline);
      const penalty = ceilDiv(silent.seats * SEAT_BOND * 2_000n, BPS);
      expect(penalty).to.equal(silent.seats * UNIT);
      const stakeBefore = await pool.stakeOf(silent.member);
      await expect(manager.tally(taskA))
        .to.emit(manager, "MemberPenalized")
        .withArgs(taskA, silent.member, 0n, silent.index, PenaltyReason.MissedReveal, penalty, penalty);
      const stakeAfter = await pool.stakeOf(silent.member);
      expect(stakeBefore.active - stakeAfter.active).to.equal(penalty);
      expect(stakeAfter.locked).to.equal(0n);
      expect((await manager.recordOf(taskA, 0n, silent.index)).status).to.equal(RecordStatus.Silent);
      expect((await manager.taskOf(taskA)).slashPot).to.equal(penalty);
      // Task A keeps its escalation: its result gets a challenge window (task B's would be final at its tally).
      expect(await manager.phaseOf(taskA)).to.equal(Phase.Challengeable);

      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskA)).challengeDeadline);
      const perSeat = (reward + penalty) / goodSeats;
      await expect(manager.finalize(taskA))
        .to.emit(manager, "TaskFinalized")
        .withArgs(taskA, GOOD, goodSeats, perSeat, reward + penalty - perSeat * goodSeats);
      expect((await pool.totals()).locked).to.equal(0n);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("phases", function () {
    it("refuses every step at the wrong time with TaskManagerWrongPhase", async function () {
      const sys = await loadFixture(fixture);
      const { manager } = sys;
      const w = sys.workers[0]!;
      const wrong = (p: Promise<unknown>, taskId: bigint, actual: Phase, expected: Phase) =>
        expect(p).to.be.revertedWithCustomError(manager, "TaskManagerWrongPhase").withArgs(taskId, actual, expected);
      const taskId = await postTask(sys, ethers);
      const c = ethers.id("commitment");

      // AwaitingSeed
      await expectNoStateChange(sys, async () => {
        await wrong(manager.connect(w).commit(taskId, 0n, c), taskId, Phase.AwaitingSeed, Phase.Committing);
        await wrong(
          manager.connect(w).reveal(taskId, 0n, GOOD, ethers.ZeroHash, "0x"),
          taskId,
          Phase.AwaitingSeed,
          Phase.Revealing,
        );
        await wrong(manager.replaceNoShows(taskId), taskId, Phase.AwaitingSeed, Phase.AwaitingReplacement);
        await wrong(manager.tally(taskId), taskId, Phase.AwaitingSeed, Phase.AwaitingTally);
        await wrong(manager.finalize(taskId), taskId, Phase.AwaitingSeed, Phase.AwaitingFinalization);
        await wrong(manager.connect(w).claimReward(taskId, 0n, 0n), taskId, Phase.AwaitingSeed, Phase.Finalized);
        await wrong(manager.connect(w).challenge(taskId, BAD, 0n), taskId, Phase.AwaitingSeed, Phase.Challengeable);
      });

      // Committing
      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const records = await committee(sys, taskId);
      // r0, the record with the fewest seats, will miss the reveal: the others still hold quorum.
      const r0 = records.reduce((a, r) => (r.seats < a.seats ? r : a));
      const others = records.filter((r) => r !== r0);
      await expectNoStateChange(sys, async () => {
        await wrong(manager.drawCommittee(taskId), taskId, Phase.Committing, Phase.AwaitingSeed);
        await wrong(
          manager.connect(r0.signer).reveal(taskId, r0.index, GOOD, saltOf(ethers, taskId, 0n, r0.member), "0x"),
          taskId,
          Phase.Committing,
          Phase.Revealing,
        );
        await wrong(manager.replaceNoShows(taskId), taskId, Phase.Committing, Phase.AwaitingReplacement);
        await wrong(manager.tally(taskId), taskId, Phase.Committing, Phase.AwaitingTally);
        await wrong(manager.finalize(taskId), taskId, Phase.Committing, Phase.AwaitingFinalization);
      });
      await commitAll(sys, ethers, taskId, records, () => GOOD);

      // Revealing (everyone committed: no replacement is needed)
      const info = await manager.taskOf(taskId);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      const late = await commitmentFor(sys, taskId, 0n, r0.member, GOOD);
      await expectNoStateChange(sys, async () => {
        await wrong(
          manager.connect(r0.signer).commit(taskId, r0.index, late),
          taskId,
          Phase.Revealing,
          Phase.Committing,
        );
        await wrong(manager.replaceNoShows(taskId), taskId, Phase.Revealing, Phase.AwaitingReplacement);
        await wrong(manager.tally(taskId), taskId, Phase.Revealing, Phase.AwaitingTally);
        await wrong(manager.finalize(taskId), taskId, Phase.Revealing, Phase.AwaitingFinalization);
        await wrong(
          manager.connect(r0.signer).claimReward(taskId, 0n, r0.index),
          taskId,
          Phase.Revealing,
          Phase.Finalized,
        );
        await wrong(
          manager.connect(r0.signer).challenge(taskId, BAD, 0n),
          taskId,
          Phase.Revealing,
          Phase.Challengeable,
        );
      });
      await revealAll(sys, ethers, taskId, others, () => GOOD);

      // AwaitingTally: r0 missed the reveal window.
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      await expectNoStateChange(sys, async () => {
        await wrong(
          manager.connect(r0.signer).reveal(taskId, r0.index, GOOD, saltOf(ethers, taskId, 0n, r0.member), "0x"),
          taskId,
          Phase.AwaitingTally,
          Phase.Revealing,
        );
        await wrong(manager.finalize(taskId), taskId, Phase.AwaitingTally, Phase.AwaitingFinalization);
      });
      expect(5n - r0.seats, "quorum must hold without the smallest record").to.be.at.least(3n);
      await manager.tally(taskId);

      // Challengeable
      await wrong(manager.finalize(taskId), taskId, Phase.Challengeable, Phase.AwaitingFinalization);
      const r1 = records[1]!;
      await wrong(
        manager.connect(r1.signer).claimReward(taskId, 0n, r1.index),
        taskId,
        Phase.Challengeable,
        Phase.Finalized,
      );
      await wrong(manager.tally(taskId), taskId, Phase.Challengeable, Phase.AwaitingTally);

      // AwaitingFinalization
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskId)).challengeDeadline);
      await wrong(
        manager.connect(r1.signer).claimReward(taskId, 0n, r1.index),
        taskId,
        Phase.AwaitingFinalization,
        Phase.Finalized,
      );
      // A result past its window can no longer be challenged.
      const deadline = (await manager.taskOf(taskId)).challengeDeadline;
      await expect(manager.connect(r1.signer).challenge(taskId, BAD, 0n))
        .to.be.revertedWithCustomError(manager, "TaskManagerChallengeWindowClosed")
        .withArgs(taskId, deadline, (await latestBlock()) + 1n);
      await manager.finalize(taskId);
      await wrong(manager.finalize(taskId), taskId, Phase.Finalized, Phase.AwaitingFinalization);
      await wrong(manager.drawCommittee(taskId), taskId, Phase.Finalized, Phase.AwaitingSeed);
      await wrong(manager.connect(r1.signer).challenge(taskId, BAD, 0n), taskId, Phase.Finalized, Phase.Challengeable);
    });

    it("refuses unknown task ids with TaskManagerUnknownTask", async function () {
      const sys = await loadFixture(fixture);
      const { manager } = sys;
      const w = sys.workers[0]!;
      await postTask(sys, ethers);
      for (const id of [0n, 2n, 999n]) {
        const unknown = (p: Promise<unknown>) =>
          expect(p).to.be.revertedWithCustomError(manager, "TaskManagerUnknownTask").withArgs(id);
        await unknown(manager.drawCommittee(id));
        await unknown(manager.connect(w).commit(id, 0n, ethers.id("c")));
        await unknown(manager.connect(w).reveal(id, 0n, GOOD, ethers.ZeroHash, "0x"));
        await unknown(manager.replaceNoShows(id));
        await unknown(manager.tally(id));
        await unknown(manager.finalize(id));
        await unknown(manager.connect(w).claimReward(id, 0n, 0n));
        await unknown(manager.connect(w).challenge(id, BAD, 0n));
        await unknown(manager.expire(id));
        expect(await manager.phaseOf(id)).to.equal(Phase.None);
      }
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("commit and reveal", function () {
    it("commit: refuses non-members, foreign indices, zero and double commitments", async function () {
      const sys = await loadFixture(fixture);
      const { manager, outsider } = sys;
      const { taskId, records } = await drawn(sys, { commitBlocks: 20n });
      expect(records.length).to.be.greaterThan(1);
      const [r0, r1] = [records[0]!, records[1]!];
      const c0 = await commitmentFor(sys, taskId, 0n, r0.member, GOOD);
      const recordCount = BigInt(records.length);
      await expectNoStateChange(sys, async () => {
        await expect(manager.connect(outsider).commit(taskId, r0.index, c0))
          .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
          .withArgs(taskId, r0.index, outsider.address, r0.member);
        await expect(manager.connect(r1.signer).commit(taskId, r0.index, c0))
          .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
          .withArgs(taskId, r0.index, r1.member, r0.member);
        // An index past the round's records is held by nobody.
        await expect(manager.connect(r0.signer).commit(taskId, recordCount, c0))
          .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
          .withArgs(taskId, recordCount, r0.member, ethers.ZeroAddress);
        await expect(
          manager.connect(r0.signer).commit(taskId, r0.index, ethers.ZeroHash),
        ).to.be.revertedWithCustomError(manager, "TaskManagerZeroCommitment");
      });
      await expect(manager.connect(r0.signer).commit(taskId, r0.index, c0))
        .to.emit(manager, "Committed")
        .withArgs(taskId, r0.member, 0n, r0.index, c0);
      const rec = await manager.recordOf(taskId, 0n, r0.index);
      expect(rec.status).to.equal(RecordStatus.Committed);
      expect(rec.sealedHash).to.equal(c0);
      expect((await manager.taskOf(taskId)).committedSeats).to.equal(r0.seats);
      await expect(manager.connect(r0.signer).commit(taskId, r0.index, ethers.id("again")))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
        .withArgs(taskId, r0.index, RecordStatus.Committed, RecordStatus.Assigned);
      expect((await manager.recordOf(taskId, 0n, r0.index)).sealedHash).to.equal(c0);
    });

    it("reveal: refuses mismatches, zero hashes, foreign records, double reveals; checks and emits result bytes", async function () {
      const sys = await loadFixture(fixture);
      const { manager, outsider } = sys;
      const resultBytes = ethers.toUtf8Bytes("energy: 42.000");
      const resultHash = ethers.keccak256(resultBytes);
      const { taskId, records, info } = await drawn(sys, { commitBlocks: 20n, revealBlocks: 20n });
      expect(records.length).to.be.greaterThan(1);
      const [r0, r1] = [records[0]!, records[1]!];
      await commitAll(sys, ethers, taskId, records, () => resultHash);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      const salt0 = saltOf(ethers, taskId, 0n, r0.member);
      const committed0 = await commitmentFor(sys, taskId, 0n, r0.member, resultHash);
      await expectNoStateChange(sys, async () => {
        // A different result under the same salt.
        await expect(manager.connect(r0.signer).reveal(taskId, r0.index, BAD, salt0, "0x"))
          .to.be.revertedWithCustomError(manager, "TaskManagerRevealMismatch")
          .withArgs(taskId, r0.index, committed0, await commitmentFor(sys, taskId, 0n, r0.member, BAD));
        // The right result under the wrong salt.
        const wrongSalt = ethers.id("wrong salt");
        await expect(manager.connect(r0.signer).reveal(taskId, r0.index, resultHash, wrongSalt, "0x"))
          .to.be.revertedWithCustomError(manager, "TaskManagerRevealMismatch")
          .withArgs(
            taskId,
            r0.index,
            committed0,
            commitmentOf(
              ethers,
              await chainId(),
              await manager.getAddress(),
              taskId,
              0n,
              r0.member,
              resultHash,
              wrongSalt,
            ),
          );
        await expect(
          manager.connect(r0.signer).reveal(taskId, r0.index, ethers.ZeroHash, salt0, "0x"),
        ).to.be.revertedWithCustomError(manager, "TaskManagerZeroCommitment");
        await expect(manager.connect(outsider).reveal(taskId, r0.index, resultHash, salt0, "0x"))
          .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
          .withArgs(taskId, r0.index, outsider.address, r0.member);
        await expect(manager.connect(r1.signer).reveal(taskId, r0.index, resultHash, salt0, "0x"))
          .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
          .withArgs(taskId, r0.index, r1.member, r0.member);
        // Result bytes that do not hash to the revealed hash.
        const other = ethers.toUtf8Bytes("energy: 41.999");
        await expect(manager.connect(r0.signer).reveal(taskId, r0.index, resultHash, salt0, other))
          .to.be.revertedWithCustomError(manager, "TaskManagerResultHashMismatch")
          .withArgs(resultHash, ethers.keccak256(other));
        await expect(manager.connect(r0.signer).reveal(taskId, r0.index, resultHash, salt0, new Uint8Array(16_385)))
          .to.be.revertedWithCustomError(manager, "TaskManagerParameterOutOfBounds")
          .withArgs(b32("result"), 16_385n, 1n, 16_384n);
      });
      expect(await manager.votesFor(taskId, 0n, resultHash)).to.equal(0n);
      await expect(manager.connect(r0.signer).reveal(taskId, r0.index, resultHash, salt0, resultBytes))
        .to.emit(manager, "Revealed")
        .withArgs(taskId, r0.member, 0n, r0.index, resultHash, r0.seats, ethers.hexlify(resultBytes));
      const rec = await manager.recordOf(taskId, 0n, r0.index);
      expect(rec.status).to.equal(RecordStatus.Revealed);
      expect(rec.sealedHash).to.equal(resultHash);
      expect(await manager.votesFor(taskId, 0n, resultHash)).to.equal(r0.seats);
      expect((await manager.taskOf(taskId)).revealedSeats).to.equal(r0.seats);
      await expect(manager.connect(r0.signer).reveal(taskId, r0.index, resultHash, salt0, "0x"))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
        .withArgs(taskId, r0.index, RecordStatus.Revealed, RecordStatus.Committed);
      // Without result bytes the event carries none; the seats add up.
      const salt1 = saltOf(ethers, taskId, 0n, r1.member);
      await expect(manager.connect(r1.signer).reveal(taskId, r1.index, resultHash, salt1, "0x"))
        .to.emit(manager, "Revealed")
        .withArgs(taskId, r1.member, 0n, r1.index, resultHash, r0.seats + r1.seats, "0x");
    });

    it("reveal: refuses a record that never committed (no replacements left)", async function () {
      const sys = await loadFixture(fixture);
      const { manager, admin } = sys;
      await manager.connect(admin).setConfig({ ...TASK_CONFIG, maxReplacementDraws: 0 });
      const { taskId, records, info } = await drawn(sys);
      const lazy = smallest(records);
      await commitAll(
        sys,
        ethers,
        taskId,
        records.filter((r) => r !== lazy),
        () => GOOD,
      );
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Revealing);
      await expect(
        manager.connect(lazy.signer).reveal(taskId, lazy.index, GOOD, saltOf(ethers, taskId, 0n, lazy.member), "0x"),
      )
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
        .withArgs(taskId, lazy.index, RecordStatus.Assigned, RecordStatus.Committed);

      // The tally marks it Absent and charges the missed-commit share (10%) of its bonds.
      await revealAll(
        sys,
        ethers,
        taskId,
        records.filter((r) => r !== lazy),
        () => GOOD,
      );
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      const penalty = ceilDiv(lazy.seats * SEAT_BOND * 1_000n, BPS);
      const before = await sys.pool.stakeOf(lazy.member);
      await expect(manager.tally(taskId))
        .to.emit(manager, "MemberPenalized")
        .withArgs(taskId, lazy.member, 0n, lazy.index, PenaltyReason.MissedCommit, penalty, penalty)
        .and.to.emit(manager, "ResultProposed");
      const after = await sys.pool.stakeOf(lazy.member);
      expect(before.active - after.active).to.equal(penalty);
      expect(after.locked).to.equal(0n);
      expect((await manager.recordOf(taskId, 0n, lazy.index)).status).to.equal(RecordStatus.Absent);
      expect((await manager.assignmentOf(taskId, lazy.member)).record.status).to.equal(RecordStatus.Absent);
      expect((await manager.taskOf(taskId)).slashPot).to.equal(penalty);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("rule 7: commitments cannot be replayed", function () {
    it("refuses commitments made for another member, task, round, chain or manager", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, randomness, admin } = sys;
      const { taskId, records, info } = await drawn(sys, {
        seats: 16n,
        quorum: 9n,
        commitBlocks: 20n,
        revealBlocks: 20n,
      });
      expect(records.length, "six distinct members needed").to.be.at.least(6);
      const chain = await chainId();
      const here = await manager.getAddress();
      const other = await ethers.deployContract("TaskManager", [
        await pool.getAddress(),
        await randomness.getAddress(),
        admin.address,
        TASK_CONFIG,
      ]);
      const elsewhere = await other.getAddress();
      expect(elsewhere).to.not.equal(here);
      const honest = records[5]!;
      const variants: [string, (member: string, salt: string) => string][] = [
        ["another member", (_m, s) => commitmentOf(ethers, chain, here, taskId, 0n, honest.member, GOOD, s)],
        ["another task", (m, s) => commitmentOf(ethers, chain, here, taskId + 1n, 0n, m, GOOD, s)],
        ["another round", (m, s) => commitmentOf(ethers, chain, here, taskId, 1n, m, GOOD, s)],
        ["another chain", (m, s) => commitmentOf(ethers, chain + 1n, here, taskId, 0n, m, GOOD, s)],
        ["another manager", (m, s) => commitmentOf(ethers, chain, elsewhere, taskId, 0n, m, GOOD, s)],
      ];
      const replays = variants.map(([label, make], i) => {
        const r = records[i]!;
        const salt = saltOf(ethers, taskId, 0n, r.member);
        return { label, r, salt, sealed: make(r.member, salt) };
      });
      for (const { r, sealed } of replays) await manager.connect(r.signer).commit(taskId, r.index, sealed);
      await commitAll(sys, ethers, taskId, records.slice(5), () => GOOD);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Revealing);
      for (const { label, r, salt, sealed } of replays) {
        const computed = commitmentOf(ethers, chain, here, taskId, 0n, r.member, GOOD, salt);
        expect(computed, label).to.not.equal(sealed);
        await expect(manager.connect(r.signer).reveal(taskId, r.index, GOOD, salt, "0x"), label)
          .to.be.revertedWithCustomError(manager, "TaskManagerRevealMismatch")
          .withArgs(taskId, r.index, sealed, computed);
      }
      // The honest commitment opens with the same result and salt scheme.
      await expect(
        manager
          .connect(honest.signer)
          .reveal(taskId, honest.index, GOOD, saltOf(ethers, taskId, 0n, honest.member), "0x"),
      ).to.emit(manager, "Revealed");
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("views", function () {
    it("phaseOf walks AwaitingSeed -> Committing -> Revealing -> AwaitingTally -> Challengeable -> AwaitingFinalization -> Finalized", async function () {
      const sys = await loadFixture(fixture);
      const { manager } = sys;
      const taskId = await postTask(sys, ethers);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
      const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const drawBlock = BigInt(receipt.blockNumber);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Committing);
      const records = await committee(sys, taskId);
      await commitAll(sys, ethers, taskId, records, () => GOOD);
      const info = await manager.taskOf(taskId);
      expect(info.commitDeadline).to.equal(drawBlock + 10n);
      // At the commit deadline itself the window is still open.
      await networkHelpers.mine(info.commitDeadline - (await latestBlock()));
      expect(await latestBlock()).to.equal(info.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Committing);
      await networkHelpers.mine(1);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Revealing);
      await revealAll(sys, ethers, taskId, records, () => GOOD);
      await networkHelpers.mine(info.revealDeadline - (await latestBlock()));
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Revealing);
      await networkHelpers.mine(1);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingTally);
      const tallyBlock = (await latestBlock()) + 1n;
      await expect(manager.tally(taskId))
        .to.emit(manager, "ResultProposed")
        .withArgs(taskId, 0n, GOOD, 5n, 5n, tallyBlock + 10n);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Challengeable);
      await networkHelpers.mine(10);
      expect(await latestBlock()).to.equal(tallyBlock + 10n);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Challengeable);
      await networkHelpers.mine(1);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingFinalization);
      await manager.finalize(taskId);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Finalized);
      expect((await manager.taskOf(taskId)).state).to.equal(TaskState.Finalized);
    });

    it("with maxEscalations 0 a result has no challenge window: AwaitingTally -> AwaitingFinalization at once", async function () {
      const sys = await loadFixture(fixture);
      const { manager, admin } = sys;
      await manager.connect(admin).setConfig({ ...TASK_CONFIG, maxEscalations: 0 });
      const { taskId, records, info } = await drawn(sys);
      expect([info.maxEscalations, info.config.maxEscalations]).to.deep.equal([0n, 0n]);
      await commitAll(sys, ethers, taskId, records, () => GOOD);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      await revealAll(sys, ethers, taskId, records, () => GOOD);
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      const tallyBlock = (await latestBlock()) + 1n;
      // The deadline is the tally's own block: the window is empty.
      await expect(manager.tally(taskId))
        .to.emit(manager, "ResultProposed")
        .withArgs(taskId, 0n, GOOD, 5n, 5n, tallyBlock);
      const t = await manager.taskOf(taskId);
      expect([t.state, t.challengeDeadline]).to.deep.equal([BigInt(TaskState.Proposed), tallyBlock]);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingFinalization);
      // Nothing is left to challenge, even in the tally's block.
      await expect(manager.connect(sys.outsider).challenge(taskId, BAD, t.challengeBondFloor))
        .to.be.revertedWithCustomError(manager, "TaskManagerNoEscalationLeft")
        .withArgs(taskId, 0n, 0n);
      // The very next block finalizes.
      expect(await latestBlock()).to.equal(tallyBlock);
      await expect(manager.finalize(taskId)).to.emit(manager, "TaskFinalized");
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Finalized);
    });

    it("refund path: AwaitingReplacement -> AwaitingSeed -> ... -> Refunded, with penalties and credits", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, token, requester, treasury } = sys;
      const reward = 1_000n * UNIT;
      const { taskId, records } = await drawn(sys, { noQuorumRule: NoQuorumRule.Refund, reward });
      // Nobody commits: the window closes with all seats vacant and one replacement draw left.
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskId)).commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingReplacement);
      const perSeatPenalty = ceilDiv(SEAT_BOND * 1_000n, BPS);
      await expect(manager.replaceNoShows(taskId))
        .to.emit(manager, "NoShowsReplaced")
        .withArgs(taskId, 0n, 1n, 5n)
        .and.to.emit(manager, "MemberPenalized")
        .withArgs(
          taskId,
          records[0]!.member,
          0n,
          0n,
          PenaltyReason.MissedCommit,
          records[0]!.seats * perSeatPenalty,
          records[0]!.seats * perSeatPenalty,
        );
      for (const r of records) {
        expect((await manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Replaced);
      }
      expect((await manager.taskOf(taskId)).slashPot).to.equal(5n * perSeatPenalty);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
      expect((await pool.totals()).locked).to.equal(0n);

      // The replacement draw: nobody commits again; no replacement is left, so the reveal window runs.
      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Committing);
      const info = await manager.taskOf(taskId);
      expect(info.replacementDraws).to.equal(1n);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Revealing);
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingTally);
      const pot = 10n * perSeatPenalty;
      await expect(manager.tally(taskId))
        .to.emit(manager, "NoQuorum")
        .withArgs(taskId, 0n, 0n, false)
        .and.to.emit(manager, "TaskRefunded")
        .withArgs(taskId, requester.address, reward, pot);
      expect(await manager.phaseOf(taskId)).to.equal(Phase.Refunded);
      const t = await manager.taskOf(taskId);
      expect(t.state).to.equal(TaskState.Refunded);
      for (let i = records.length; i < Number(t.recordCount); i++) {
        expect((await manager.recordOf(taskId, 0n, BigInt(i))).status).to.equal(RecordStatus.Absent);
      }
      expect((await pool.totals()).locked).to.equal(0n);
      expect(await manager.creditOf(requester.address)).to.equal(reward);
      expect(await manager.creditOf(treasury.address)).to.equal(pot);
      await expect(manager.connect(requester).claimCredit()).to.changeTokenBalance(ethers, token, requester, reward);
      await expect(manager.connect(treasury).claimCredit())
        .to.emit(manager, "CreditClaimed")
        .withArgs(treasury.address, pot);
      expect(await token.balanceOf(await manager.getAddress())).to.equal(0n);
      // Nothing else is out of phase: a refunded task cannot be finalized.
      await expect(manager.finalize(taskId))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongPhase")
        .withArgs(taskId, Phase.Refunded, Phase.AwaitingFinalization);
    });

    it("assignmentOf, recordsOf paging and votesFor", async function () {
      const sys = await loadFixture(fixture);
      const { manager, outsider } = sys;
      const { taskId, records, info } = await drawn(sys, {
        seats: 9n,
        quorum: 5n,
        commitBlocks: 20n,
        revealBlocks: 20n,
      });
      const n = BigInt(records.length);
      expect(n, "three distinct members needed").to.be.at.least(3n);
      for (const r of records) {
        const a = await manager.assignmentOf(taskId, r.member);
        expect(a.found).to.equal(true);
        expect(a.index).to.equal(r.index);
        expect([a.record.member, a.record.seats, a.record.status, a.record.sealedHash]).to.deep.equal([
          r.member,
          r.seats,
          BigInt(RecordStatus.Assigned),
          ethers.ZeroHash,
        ]);
      }
      const none = await manager.assignmentOf(taskId, outsider.address);
      expect(none.found).to.equal(false);
      expect(none.index).to.equal(0n);
      expect(none.record.member).to.equal(ethers.ZeroAddress);
      const undrawn = sys.workers.find((w) => !records.some((r) => r.member === w.address));
      if (undrawn) expect((await manager.assignmentOf(taskId, undrawn.address)).found).to.equal(false);
      expect((await manager.assignmentOf(999n, records[0]!.member)).found).to.equal(false);

      // Paging.
      const all = await manager.recordsOf(taskId, 0n, 0n, 256n);
      expect(all.map((r) => r.member)).to.deep.equal(records.map((r) => r.member));
      const page = await manager.recordsOf(taskId, 0n, 1n, 2n);
      expect(page.map((r) => r.member)).to.deep.equal([records[1]!.member, records[2]!.member]);
      expect((await manager.recordsOf(taskId, 0n, n - 1n, 10n)).map((r) => r.member)).to.deep.equal([
        records[records.length - 1]!.member,
      ]);
      expect(await manager.recordsOf(taskId, 0n, n, 10n)).to.have.length(0);
      expect(await manager.recordsOf(taskId, 0n, 0n, 0n)).to.have.length(0);
      expect(await manager.recordsOf(taskId, 1n, 0n, 10n)).to.have.length(0);
      expect(await manager.recordsOf(taskId, 0n, 0n, 516n)).to.have.length(records.length);
      await expect(manager.recordsOf(taskId, 0n, 0n, 517n))
        .to.be.revertedWithCustomError(manager, "TaskManagerParameterOutOfBounds")
        .withArgs(b32("count"), 517n, 0n, 516n);
      const round0 = await manager.roundOf(taskId, 0n);
      expect([round0.seats, round0.quorum, round0.recordCount, round0.step]).to.deep.equal([9n, 5n, n, 0n]);

      // Votes: the first record reveals BAD, the rest GOOD.
      const resultOf = (m: string) => (m === records[0]!.member ? BAD : GOOD);
      await commitAll(sys, ethers, taskId, records, resultOf);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      expect(await manager.votesFor(taskId, 0n, GOOD)).to.equal(0n);
      await revealAll(sys, ethers, taskId, records, resultOf);
      expect(await manager.votesFor(taskId, 0n, BAD)).to.equal(records[0]!.seats);
      expect(await manager.votesFor(taskId, 0n, GOOD)).to.equal(9n - records[0]!.seats);
      expect(await manager.votesFor(taskId, 0n, ethers.id("nobody"))).to.equal(0n);
      expect(await manager.votesFor(taskId, 1n, GOOD)).to.equal(0n);
      const a0 = await manager.assignmentOf(taskId, records[0]!.member);
      expect(a0.record.status).to.equal(RecordStatus.Revealed);
      expect(a0.record.sealedHash).to.equal(BAD);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("finalize", function () {
    it("slashes a dissenter, pays the winners reward + half its slash, credits the dust and the rest to the treasury", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, token, treasury } = sys;
      // Chosen so that the honest pot leaves dust whichever way the committee splits (4 + 1 or 3 + 2 seats).
      const reward = 1_000n * UNIT + 2n;
      const { taskId, records, info } = await drawn(sys, { reward });
      const dissenter = smallest(records);
      const winners = records.filter((r) => r !== dissenter);
      const goodSeats = 5n - dissenter.seats;
      expect(goodSeats).to.be.at.least(3n);
      const resultOf = (m: string) => (m === dissenter.member ? BAD : GOOD);
      await commitAll(sys, ethers, taskId, records, resultOf);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      await revealAll(sys, ethers, taskId, records, resultOf);
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      const tallyBlock = (await latestBlock()) + 1n;
      await expect(manager.tally(taskId))
        .to.emit(manager, "ResultProposed")
        .withArgs(taskId, 0n, GOOD, goodSeats, 5n, tallyBlock + 10n)
        .and.not.to.emit(manager, "MemberPenalized");
      expect((await manager.taskOf(taskId)).proposedResult).to.equal(GOOD);
      await mineAfter(ethers, networkHelpers, tallyBlock + 10n);

      // The dissenter loses half its bonds (slashFractionBps); with no challenge there is no bounty, half of the
      // slash (honestShareBps) joins the reward in the honest pot, and the rest goes to the treasury.
      const slash = ceilDiv(dissenter.seats * SEAT_BOND * 5_000n, BPS);
      const honestShare = (slash * 5_000n) / BPS;
      const remainder = slash - honestShare;
      const pot = reward + honestShare;
      const perSeat = pot / goodSeats;
      const dust = pot - perSeat * goodSeats;
      expect(dust, "the reward is chosen to leave dust").to.be.greaterThan(0n);
      expect(remainder).to.be.greaterThan(0n);
      const split = finalSplit({
        reward,
        penalties: 0n,
        wrongSlashed: slash,
        honestShareBps: TASK_CONFIG.honestShareBps,
        winningSeats: goodSeats,
      });
      expect([split.honestPot, split.rewardPerSeat, split.dust, split.remainder]).to.deep.equal([
        pot,
        perSeat,
        dust,
        remainder,
      ]);
      const stakeBefore = await pool.stakeOf(dissenter.member);
      const winnerStakes = await Promise.all(winners.map((w) => pool.stakeOf(w.member)));
      // The dissenter's bonds stayed locked until now: whether it was wrong is known only when the task ends.
      expect(stakeBefore.locked).to.equal(dissenter.seats * SEAT_BOND);
      expect((await manager.recordOf(taskId, 0n, dissenter.index)).status).to.equal(RecordStatus.Revealed);
      const tx = manager.finalize(taskId);
      await expect(tx)
        .to.emit(manager, "MemberPenalized")
        .withArgs(taskId, dissenter.member, 0n, dissenter.index, PenaltyReason.WrongResult, slash, slash)
        .and.to.emit(manager, "SlashesDistributed")
        .withArgs(taskId, slash, 0n, honestShare, remainder, false)
        .and.to.emit(manager, "TaskFinalized")
        .withArgs(taskId, GOOD, goodSeats, perSeat, dust)
        .and.not.to.emit(manager, "ChallengeSettled");
      const credited = (await (await tx).wait())!.logs
        .map((l) => manager.interface.parseLog(l))
        .filter((e) => e?.name === "Credited")
        .map((e) => [e!.args.account, e!.args.amount]);
      expect(credited).to.deep.equal([
        [treasury.address, dust],
        [treasury.address, remainder],
      ]);
      const stakeAfter = await pool.stakeOf(dissenter.member);
      expect(stakeBefore.active - stakeAfter.active).to.equal(slash);
      expect(stakeAfter.locked).to.equal(0n);
      expect(stakeAfter.seats).to.equal(0n);
      for (const [i, w] of winners.entries()) {
        const s = await pool.stakeOf(w.member);
        expect(s.active).to.equal(winnerStakes[i]!.active);
        expect(s.locked).to.equal(0n);
        expect((await manager.recordOf(taskId, 0n, w.index)).status).to.equal(RecordStatus.Won);
      }
      expect((await manager.recordOf(taskId, 0n, dissenter.index)).status).to.equal(RecordStatus.Lost);
      expect((await pool.totals()).locked).to.equal(0n);
      const t = await manager.taskOf(taskId);
      expect([t.slashPot, t.wrongSlashed, t.rewardPerSeat]).to.deep.equal([slash, slash, perSeat]);
      expect(await manager.creditOf(treasury.address)).to.equal(dust + remainder);
      const totals = await manager.totals();
      expect([totals.escrowed, totals.unclaimedRewards, totals.credits]).to.deep.equal([
        0n,
        perSeat * goodSeats,
        dust + remainder,
      ]);
      const managerAddress = await manager.getAddress();
      // Everything the task brought in (reward and slash) is still in the manager, owed to winners and treasury.
      expect(await token.balanceOf(managerAddress)).to.equal(reward + slash);
      expect(perSeat * goodSeats + dust + remainder).to.equal(reward + slash);

      // Claims.
      await expect(manager.connect(sys.outsider).claimReward(taskId, 0n, winners[0]!.index))
        .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
        .withArgs(taskId, winners[0]!.index, sys.outsider.address, winners[0]!.member);
      await expect(manager.connect(dissenter.signer).claimReward(taskId, 0n, dissenter.index))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
        .withArgs(taskId, dissenter.index, RecordStatus.Lost, RecordStatus.Won);
      // A round the task never had holds no record.
      await expect(manager.connect(winners[0]!.signer).claimReward(taskId, 1n, winners[0]!.index))
        .to.be.revertedWithCustomError(manager, "TaskManagerNotSeatHolder")
        .withArgs(taskId, winners[0]!.index, winners[0]!.member, ethers.ZeroAddress);
      for (const w of winners) {
        const claim = manager.connect(w.signer).claimReward(taskId, 0n, w.index);
        await expect(claim)
          .to.emit(manager, "RewardClaimed")
          .withArgs(taskId, w.member, 0n, w.index, perSeat * w.seats);
        await expect(claim).to.changeTokenBalance(ethers, token, w.signer, perSeat * w.seats);
        await expect(manager.connect(w.signer).claimReward(taskId, 0n, w.index))
          .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
          .withArgs(taskId, w.index, RecordStatus.Claimed, RecordStatus.Won);
      }
      await expect(manager.connect(treasury).claimCredit())
        .to.emit(manager, "CreditClaimed")
        .withArgs(treasury.address, dust + remainder);
      await expect(manager.connect(treasury).claimCredit())
        .to.be.revertedWithCustomError(manager, "TaskManagerNothingToClaim")
        .withArgs(treasury.address);
      expect(await token.balanceOf(managerAddress)).to.equal(0n);
      const end = await manager.totals();
      expect([end.escrowed, end.unclaimedRewards, end.credits]).to.deep.equal([0n, 0n, 0n]);
    });

    it("a round without quorum keeps its revealers locked; at the end its revealer of the final result wins, another is slashed", async function () {
      const sys = await loadFixture(fixture);
      const { manager, pool, token, treasury } = sys;
      const reward = 1_000n * UNIT;
      // Round 0: one record reveals GOOD, another BAD, each with at most 2 of the 5 seats (quorum 3): no result. The
      // other records commit and stay silent.
      const { taskId, records } = await postSuitable(
        sys,
        ethers,
        networkHelpers,
        { reward },
        (rs) => rs.filter((r) => r.seats <= 2n).length >= 2,
      );
      const [early, wrong] = records.filter((r) => r.seats <= 2n) as [Records[number], Records[number]];
      const silent = records.filter((r) => r !== early && r !== wrong);
      const resultOf = (m: string) => (m === wrong.member ? BAD : GOOD);
      await commitAll(sys, ethers, taskId, records, resultOf);
      const info0 = await manager.taskOf(taskId);
      await mineAfter(ethers, networkHelpers, info0.commitDeadline);
      await revealAll(sys, ethers, taskId, [early, wrong], resultOf);
      await mineAfter(ethers, networkHelpers, info0.revealDeadline);
      const silentPenalties = silent.map((r) => ceilDiv(r.seats * SEAT_BOND * 2_000n, BPS));
      const penalties = silentPenalties.reduce((a, b) => a + b, 0n);
      const tally0 = manager.tally(taskId);
      await expect(tally0)
        .to.emit(manager, "NoQuorum")
        .withArgs(taskId, 0n, early.seats + wrong.seats, true);
      await expect(tally0).to.not.emit(manager, "TaskRefunded");
      for (const [i, r] of silent.entries()) {
        await expect(tally0)
          .to.emit(manager, "MemberPenalized")
          .withArgs(
            taskId,
            r.member,
            0n,
            r.index,
            PenaltyReason.MissedReveal,
            silentPenalties[i]!,
            silentPenalties[i]!,
          );
      }
      // The revealers stay Revealed, their bonds locked, through the redraw; the silent members were released.
      for (const r of [early, wrong]) {
        const rec = await manager.recordOf(taskId, 0n, r.index);
        expect([rec.status, rec.sealedHash]).to.deep.equal([BigInt(RecordStatus.Revealed), resultOf(r.member)]);
        const stake = await pool.stakeOf(r.member);
        expect([stake.locked, stake.seats]).to.deep.equal([r.seats * SEAT_BOND, r.seats]);
      }
      for (const r of silent) {
        expect((await manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Silent);
        expect((await pool.stakeOf(r.member)).locked).to.equal(0n);
      }
      expect((await pool.totals()).locked).to.equal((early.seats + wrong.seats) * SEAT_BOND);
      const round0 = await manager.roundOf(taskId, 0n);
      expect([round0.seats, round0.quorum, round0.recordCount, round0.step]).to.deep.equal([
        5n,
        3n,
        BigInt(records.length),
        0n,
      ]);
      expect(await manager.votesFor(taskId, 0n, GOOD)).to.equal(early.seats);

      // Round 1: a fresh committee, all honest; the round-0 revealers are still locked while it runs.
      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const round1 = await committee(sys, taskId);
      expect((await manager.taskOf(taskId)).round).to.equal(1n);
      const seatsIn1 = (m: string) => round1.filter((r) => r.member === m).reduce((a, r) => a + r.seats, 0n);
      for (const r of [early, wrong]) {
        expect((await pool.stakeOf(r.member)).locked).to.equal((r.seats + seatsIn1(r.member)) * SEAT_BOND);
      }
      await commitAll(sys, ethers, taskId, round1, () => GOOD);
      const info1 = await manager.taskOf(taskId);
      await mineAfter(ethers, networkHelpers, info1.commitDeadline);
      await revealAll(sys, ethers, taskId, round1, () => GOOD);
      await mineAfter(ethers, networkHelpers, info1.revealDeadline);
      await expect(manager.tally(taskId)).to.emit(manager, "ResultProposed");
      expect((await manager.recordOf(taskId, 0n, wrong.index)).status).to.equal(RecordStatus.Revealed);
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskId)).challengeDeadline);

      // The final result is GOOD: the round-0 GOOD revealer shares the pot with round 1, the BAD one is slashed.
      const slash = ceilDiv(wrong.seats * SEAT_BOND * 5_000n, BPS);
      const winningSeats = 5n + early.seats;
      const split = finalSplit({
        reward,
        penalties,
        wrongSlashed: slash,
        honestShareBps: TASK_CONFIG.honestShareBps,
        winningSeats,
      });
      const wrongBefore = await pool.stakeOf(wrong.member);
      const fin = manager.finalize(taskId);
      await expect(fin)
        .to.emit(manager, "MemberPenalized")
        .withArgs(taskId, wrong.member, 0n, wrong.index, PenaltyReason.WrongResult, slash, slash)
        .and.to.emit(manager, "SlashesDistributed")
        .withArgs(taskId, slash, 0n, split.honestShare, split.remainder, false)
        .and.to.emit(manager, "TaskFinalized")
        .withArgs(taskId, GOOD, winningSeats, split.rewardPerSeat, split.dust);
      expect((await manager.recordOf(taskId, 0n, early.index)).status).to.equal(RecordStatus.Won);
      expect((await manager.recordOf(taskId, 0n, wrong.index)).status).to.equal(RecordStatus.Lost);
      for (const r of round1) expect((await manager.recordOf(taskId, 1n, r.index)).status).to.equal(RecordStatus.Won);
      expect((await pool.stakeOf(wrong.member)).active).to.equal(wrongBefore.active - slash);
      expect((await pool.totals()).locked).to.equal(0n);
      const t = await manager.taskOf(taskId);
      expect([t.slashPot, t.wrongSlashed, t.rewardPerSeat]).to.deep.equal([
        penalties + slash,
        slash,
        split.rewardPerSeat,
      ]);
      expect(await manager.creditOf(treasury.address)).to.equal(split.dust + split.remainder);

      // Claims from both rounds; the slashed record has nothing to claim.
      await expect(manager.connect(wrong.signer).claimReward(taskId, 0n, wrong.index))
        .to.be.revertedWithCustomError(manager, "TaskManagerWrongRecordStatus")
        .withArgs(taskId, wrong.index, RecordStatus.Lost, RecordStatus.Won);
      const claim0 = manager.connect(early.signer).claimReward(taskId, 0n, early.index);
      await expect(claim0)
        .to.emit(manager, "RewardClaimed")
        .withArgs(taskId, early.member, 0n, early.index, split.rewardPerSeat * early.seats);
      await expect(claim0).to.changeTokenBalance(ethers, token, early.signer, split.rewardPerSeat * early.seats);
      for (const r of round1) {
        await expect(manager.connect(r.signer).claimReward(taskId, 1n, r.index))
          .to.emit(manager, "RewardClaimed")
          .withArgs(taskId, r.member, 1n, r.index, split.rewardPerSeat * r.seats);
      }
      await manager.connect(treasury).claimCredit();
      expect(await token.balanceOf(await manager.getAddress())).to.equal(0n);
      const end = await manager.totals();
      expect([end.escrowed, end.unclaimedRewards, end.credits]).to.deep.equal([0n, 0n, 0n]);
    });

    it("claimCredit with nothing credited is refused", async function () {
      const sys = await loadFixture(fixture);
      await expectNoStateChange(sys, async () => {
        await expect(sys.manager.connect(sys.outsider).claimCredit())
          .to.be.revertedWithCustomError(sys.manager, "TaskManagerNothingToClaim")
          .withArgs(sys.outsider.address);
      });
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("pause", function () {
    it("stops createTask only: draws, commits, reveals, tally, finalize and claims go on", async function () {
      const sys = await loadFixture(fixture);
      const { manager, admin, requester, token } = sys;
      const taskId = await postTask(sys, ethers);
      await manager.connect(admin).pause();
      expect(await manager.paused()).to.equal(true);
      await drawWhenReady(sys, ethers, networkHelpers, taskId);
      const records = await committee(sys, taskId);
      await commitAll(sys, ethers, taskId, records, () => GOOD);
      const info = await manager.taskOf(taskId);
      await mineAfter(ethers, networkHelpers, info.commitDeadline);
      await revealAll(sys, ethers, taskId, records, () => GOOD);
      await mineAfter(ethers, networkHelpers, info.revealDeadline);
      await expect(manager.tally(taskId)).to.emit(manager, "ResultProposed");
      await mineAfter(ethers, networkHelpers, (await manager.taskOf(taskId)).challengeDeadline);
      await expect(manager.finalize(taskId)).to.emit(manager, "TaskFinalized");
      const perSeat = (await manager.taskOf(taskId)).rewardPerSeat;
      expect(perSeat).to.equal((1_000n * UNIT) / 5n);
      for (const r of records) {
        await expect(manager.connect(r.signer).claimReward(taskId, 0n, r.index)).to.changeTokenBalance(
          ethers,
          token,
          r.signer,
          perSeat * r.seats,
        );
      }
      await expect(manager.connect(requester).createTask(taskRequest(ethers))).to.be.revertedWithCustomError(
        manager,
        "EnforcedPause",
      );
      expect(await manager.taskCount()).to.equal(1n);
      expect(await manager.paused()).to.equal(true);
    });
  });
});
