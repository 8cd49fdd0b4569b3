import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, LogDescription } from "ethers";
import { expect } from "chai";
import { network } from "hardhat";

import { POOL_CONFIG, UNIT, mineUntilNext, nextBlock, windowStartOf } from "./helpers/pool.js";
import { Phase, RecordStatus, deployTaskSystem, drawWhenReady, postTask } from "./helpers/tasks.js";
import type { TaskSystem } from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();

const EPOCH = POOL_CONFIG.epochBlocks;
/** Near the per-transaction gas cap (EIP-7825: 2^24). */
const HUGE_GAS = 16_000_000n;

/**
 * Task A is drawn in one window and left to its no-shows (no replacements: its tally is due right after); task C and
 * then task B are posted in the last two open blocks before the next window, whose first block `start` is the seed
 * block of both. Every block from B's request to its draw lies in that window.
 */
async function setup() {
  const sys = await deployTaskSystem(ethers, networkHelpers, { config: { maxReplacementDraws: 0 } });
  const picky = await ethers.deployContract("PickyTaskCaller");
  const newcomer = (await ethers.getSigners())[15]!;
  expect(sys.workers.map((w) => w.address)).to.not.include(newcomer.address);
  await sys.token.mint(newcomer.address, 100_000n * UNIT);
  await sys.token.connect(newcomer).approve(await sys.pool.getAddress(), ethers.MaxUint256);
  for (const w of sys.workers) await sys.token.mint(w.address, 1_000n * UNIT);
  const taskA = await postTask(sys, ethers, { commitBlocks: 1n, revealBlocks: 1n });
  await drawWhenReady(sys, ethers, networkHelpers, taskA);
  let start = windowStartOf(await nextBlock(ethers));
  if (start - 2n < (await nextBlock(ethers))) start += EPOCH;
  await mineUntilNext(ethers, networkHelpers, start - 2n);
  const taskC = await postTask(sys, ethers);
  const taskB = await postTask(sys, ethers);
  expect(BigInt(await ethers.provider.getBlockNumber())).to.equal(start - 1n);
  return { sys, picky, taskA, taskB, taskC, start, newcomer };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** The manager's events of a mined transaction. */
async function eventsOf(sys: TaskSystem, tx: ContractTransactionResponse): Promise<LogDescription[]> {
  const receipt = (await tx.wait())!;
  const manager = await sys.manager.getAddress();
  return receipt.logs
    .filter((l) => l.address === manager)
    .map((l) => sys.manager.interface.parseLog(l))
    .filter((e): e is LogDescription => e !== null);
}

/** A drawn committee: the seed it came from and its records (member, seats, status). */
interface Drawn {
  seed: string;
  records: [string, bigint, bigint][];
  block: bigint;
}

async function committeeOf(sys: TaskSystem, taskId: bigint, events: LogDescription[], block: bigint): Promise<Drawn> {
  const drawn = events.find((e) => e.name === "CommitteeDrawn");
  expect(drawn, "CommitteeDrawn").to.not.equal(undefined);
  const info = await sys.manager.taskOf(taskId);
  const records = await sys.manager.recordsOf(taskId, info.round, 0n, info.recordCount);
  return {
    seed: drawn!.args.seed as string,
    records: records.map((r) => [r.member, BigInt(r.seats), BigInt(r.status)]),
    block,
  };
}

/** Sends `drawCommittee(taskId)` from `signer` in block `at`, and returns the committee. */
async function drawAt(
  d: Setup,
  taskId: bigint,
  at: bigint,
  signer: HardhatEthersSigner,
  gasLimit?: bigint,
): Promise<Drawn> {
  await mineUntilNext(ethers, networkHelpers, at);
  const tx = await d.sys.manager.connect(signer).drawCommittee(taskId, gasLimit ? { gasLimit } : {});
  const events = await eventsOf(d.sys, tx);
  return await committeeOf(d.sys, taskId, events, at);
}

/** `keccak256(abi.encode(blockhash(target), chainid, manager, taskId, round, draw))`, from the block's own hash. */
async function seedOf(sys: TaskSystem, target: bigint, taskId: bigint, round: bigint, draw: bigint): Promise<string> {
  const hash = (await ethers.provider.getBlock(target))!.hash!;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint256", "uint256", "uint256"],
      [hash, chainId, await sys.manager.getAddress(), taskId, round, draw],
    ),
  );
}

/** The records a seed gives by the pool's draw, grouped in order of first appearance (all covered by free stake). */
async function expectedRecords(sys: TaskSystem, seed: string, seats: bigint): Promise<[string, bigint, bigint][]> {
  const out: [string, bigint, bigint][] = [];
  for (const m of await sys.pool.drawSeats(seed, seats)) {
    const g = out.find((x) => x[0] === m);
    if (g) g[1] += 1n;
    else out.push([m, 1n, BigInt(RecordStatus.Assigned)]);
  }
  return out;
}

describe("TaskManager committees do not depend on who triggers the draw", function () {
  it("the same committee whoever sends the draw, with whatever gas, in whichever block of the window", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskB, start } = d;
    const snapshot = await networkHelpers.takeSnapshot();
    expect(await sys.randomness.targetOf((await sys.manager.taskOf(taskB)).requestId)).to.equal(start);

    const baseline = await drawAt(d, taskB, start + 1n, sys.outsider);
    expect(baseline.seed).to.equal(await seedOf(sys, start, taskB, 0n, 0n));
    expect(baseline.records).to.deep.equal(await expectedRecords(sys, baseline.seed, 5n));
    const member = sys.workers.find((w) => w.address === baseline.records[0]![0])!;

    const variants: [string, () => Promise<Drawn>][] = [
      ["the requester", () => drawAt(d, taskB, start + 1n, sys.requester)],
      ["a member", () => drawAt(d, taskB, start + 1n, member)],
      ["the admin", () => drawAt(d, taskB, start + 1n, sys.admin)],
      ["a huge gas limit", () => drawAt(d, taskB, start + 1n, sys.outsider, HUGE_GAS)],
      ["the window's 3rd block", () => drawAt(d, taskB, start + 2n, sys.outsider)],
      ["the window's 4th block", () => drawAt(d, taskB, start + 3n, member)],
      ["the window's last block", () => drawAt(d, taskB, start + POOL_CONFIG.drawWindowBlocks - 1n, sys.requester)],
      [
        "a contract",
        async () => {
          await mineUntilNext(ethers, networkHelpers, start + 2n);
          const tx = await d.picky.drawIfLiked(await sys.manager.getAddress(), taskB, member.address);
          await expect(tx).to.emit(d.picky, "CommitteeAccepted").withArgs(taskB, 0n, member.address);
          return await committeeOf(sys, taskB, await eventsOf(sys, tx), start + 2n);
        },
      ],
    ];
    for (const [name, variant] of variants) {
      await snapshot.restore();
      const got = await variant();
      expect(got.seed, name).to.equal(baseline.seed);
      expect(got.records, name).to.deep.equal(baseline.records);
    }

    // The least gas that lets the draw succeed gives the same committee; one unit less and nothing is drawn.
    const succeeds = async (gasLimit: bigint) => {
      await snapshot.restore();
      await mineUntilNext(ethers, networkHelpers, start + 1n);
      try {
        const tx = await sys.manager.connect(sys.outsider).drawCommittee(taskB, { gasLimit });
        return (await tx.wait())?.status === 1;
      } catch {
        return false;
      }
    };
    await snapshot.restore();
    await mineUntilNext(ethers, networkHelpers, start + 1n);
    let hi = await sys.manager.connect(sys.outsider).drawCommittee.estimateGas(taskB);
    while (!(await succeeds(hi))) hi += hi / 8n;
    let lo = 21_000n;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (await succeeds(mid)) hi = mid;
      else lo = mid;
    }
    expect(await succeeds(hi - 1n)).to.equal(false);
    expect((await sys.manager.taskOf(taskB)).recordCount).to.equal(0n);
    await snapshot.restore();
    const minimal = await drawAt(d, taskB, start + 1n, sys.outsider, hi);
    expect(minimal.seed).to.equal(baseline.seed);
    expect(minimal.records).to.deep.equal(baseline.records);
  });

  it("a picky contract that reverts on a disliked committee gets no other one", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskB, start, picky } = d;
    const manager = await sys.manager.getAddress();
    const snapshot = await networkHelpers.takeSnapshot();
    const baseline = await drawAt(d, taskB, start + 1n, sys.outsider);
    // The picky caller wants an address the committee does not seat.
    const unwanted = sys.workers.find((w) => !baseline.records.some((r) => r[0] === w.address)) ?? sys.outsider;

    // It reverts in the window's second block; anyone drawing later in the window gets the very same committee.
    await snapshot.restore();
    await mineUntilNext(ethers, networkHelpers, start + 1n);
    await expect(picky.drawIfLiked(manager, taskB, unwanted.address, { gasLimit: 5_000_000n }))
      .to.be.revertedWithCustomError(picky, "PickyTaskCallerDisliked")
      .withArgs(taskB, 0n, unwanted.address);
    expect(await sys.manager.phaseOf(taskB)).to.equal(Phase.AwaitingSeed);
    const after = await drawAt(d, taskB, start + 3n, sys.requester);
    expect(after.seed).to.equal(baseline.seed);
    expect(after.records).to.deep.equal(baseline.records);

    // It reverts in every block of the window, so the window passes unused.
    await snapshot.restore();
    const end = start + POOL_CONFIG.drawWindowBlocks - 1n;
    for (let b = start + 1n; b <= end; b++) {
      await mineUntilNext(ethers, networkHelpers, b);
      await expect(
        picky.drawIfLiked(manager, taskB, unwanted.address, { gasLimit: 5_000_000n }),
      ).to.be.revertedWithCustomError(picky, "PickyTaskCallerDisliked");
    }
    const requestId = (await sys.manager.taskOf(taskB)).requestId;
    const passed = await networkHelpers.takeSnapshot();
    // Whoever moves the task on after the window, it only re-arms, for the next window's first block.
    const rearmedBy: bigint[] = [];
    for (const caller of ["outsider", "picky"] as const) {
      await passed.restore();
      const tx =
        caller === "outsider"
          ? await sys.manager.connect(sys.outsider).drawCommittee(taskB)
          : await picky.drawIfLiked(manager, taskB, unwanted.address);
      await expect(tx)
        .to.emit(sys.manager, "SeedRequested")
        .withArgs(taskB, 0n, requestId, start + EPOCH)
        .and.not.to.emit(sys.manager, "CommitteeDrawn");
      rearmedBy.push(await sys.randomness.targetOf(requestId));
    }
    expect(rearmedBy).to.deep.equal([start + EPOCH, start + EPOCH]);
    expect((await sys.manager.taskOf(taskB)).recordCount).to.equal(0n);
    // The next committee comes from the hash of a block mined after every one of the picky caller's attempts.
    const next = await drawAt(d, taskB, start + EPOCH + 1n, sys.outsider);
    expect(next.seed).to.equal(await seedOf(sys, start + EPOCH, taskB, 0n, 0n));
    expect(next.seed).to.not.equal(baseline.seed);
    expect(next.records.map((r) => [r[0], r[1]])).to.deep.equal(
      (await expectedRecords(sys, next.seed, 5n)).map((r) => [r[0], r[1]]),
    );
  });
});

describe("TaskManager rule 2 across tasks: nothing done after the request changes the committee", function () {
  it("stakes, unstakes and penalties by another task inside the window leave task B's committee as it was", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskA, taskB, start, newcomer } = d;
    const snapshot = await networkHelpers.takeSnapshot();
    const drawBlock = start + POOL_CONFIG.drawWindowBlocks - 1n;
    const baseline = await drawAt(d, taskB, drawBlock, sys.outsider);
    // The member of B's committee with the most stake: it can unstake a little and still cover its seats.
    let memberB = sys.workers.find((w) => w.address === baseline.records[0]![0])!;
    for (const [m] of baseline.records) {
      if ((await sys.pool.stakeOf(m)).active > (await sys.pool.stakeOf(memberB.address)).active) {
        memberB = sys.workers.find((w) => w.address === m)!;
      }
    }
    const recordsA = await sys.manager.recordsOf(taskA, 0n, 0n, 64n);
    expect(recordsA.length).to.be.gt(0);

    /** One action in a block of the window after the seed block and before the draw. */
    type Action = { at: bigint; run: (gas: { gasLimit?: bigint }) => Promise<ContractTransactionResponse> };
    const actions: Record<string, Action> = {
      // A worker adds stake.
      stake: { at: start + 1n, run: (g) => sys.pool.connect(sys.workers[5]!).stake(900n * UNIT, g) },
      // A newcomer stakes a lot.
      newcomer: { at: start + 2n, run: (g) => sys.pool.connect(newcomer).stake(100_000n * UNIT, g) },
      // A member of B's committee unstakes part of its free stake.
      unstake: { at: start + 3n, run: (g) => sys.pool.connect(memberB).requestUnstake(10n * UNIT, g) },
      // Task A is tallied: its no-shows are penalized (slashed) and released.
      tallyA: { at: start + 3n, run: (g) => sys.manager.connect(sys.outsider).tally(taskA, g) },
    };
    const scenarios: string[][] = [["stake"], ["newcomer"], ["unstake"], ["tallyA"], Object.keys(actions)];
    for (const scenario of scenarios) {
      await snapshot.restore();
      const blocks = [...new Set(scenario.map((n) => actions[n]!.at))].sort((a, b) => (a < b ? -1 : 1));
      for (const block of blocks) {
        const names = scenario.filter((n) => actions[n]!.at === block);
        await mineUntilNext(ethers, networkHelpers, block);
        // Actions that share a block are mined together.
        const batched = names.length > 1;
        if (batched) await ethers.provider.send("evm_setAutomine", [false]);
        const txs: ContractTransactionResponse[] = [];
        try {
          for (const name of names) txs.push(await actions[name]!.run(batched ? { gasLimit: 2_000_000n } : {}));
        } finally {
          if (batched) {
            await ethers.provider.send("evm_mine", []);
            await ethers.provider.send("evm_setAutomine", [true]);
          }
        }
        for (const [i, tx] of txs.entries()) {
          const name = names[i]!;
          expect(BigInt((await tx.wait())!.blockNumber), name).to.equal(block);
          // Inside the window every weight change waits for `syncWeight`.
          await expect(tx, name).to.emit(sys.pool, "WeightChangeDeferred");
          await expect(tx, name).to.not.emit(sys.pool, "WeightUpdated");
          if (name === "tallyA") {
            const penalized = (await eventsOf(sys, tx)).filter((e) => e.name === "MemberPenalized");
            expect(penalized.length).to.equal(recordsA.length);
          }
        }
      }
      const got = await drawAt(d, taskB, drawBlock, sys.outsider);
      expect(got.seed, scenario.join("+")).to.equal(baseline.seed);
      expect(got.records, scenario.join("+")).to.deep.equal(baseline.records);
      expect(got.records.map((r) => r[0])).to.not.include(newcomer.address);
    }

    // A stake in the seed block itself changes that block's hash (any transaction there does: the known bias of
    // blockhash randomness), so the seed differs; the stake is still deferred and the draw uses the frozen weights.
    await snapshot.restore();
    const weights = await Promise.all(sys.workers.map(async (w) => (await sys.pool.stakeOf(w.address)).weight));
    const totalWeight = (await sys.pool.totals()).weight;
    await mineUntilNext(ethers, networkHelpers, start);
    await expect(sys.pool.connect(newcomer).stake(100_000n * UNIT)).to.emit(sys.pool, "WeightChangeDeferred");
    const inSeedBlock = await drawAt(d, taskB, drawBlock, sys.outsider);
    expect(inSeedBlock.seed).to.equal(await seedOf(sys, start, taskB, 0n, 0n));
    expect((await sys.pool.totals()).weight).to.equal(totalWeight);
    expect(await Promise.all(sys.workers.map(async (w) => (await sys.pool.stakeOf(w.address)).weight))).to.deep.equal(
      weights,
    );
    expect((await sys.pool.stakeOf(newcomer.address)).weight).to.equal(0n);
    expect(inSeedBlock.records.map((r) => r[0])).to.not.include(newcomer.address);

    // A member that unstakes everything in the window is still drawn for the same seats, which it can no longer
    // cover: they are Declined, and the other records stay as they were.
    await snapshot.restore();
    let quitter: HardhatEthersSigner | undefined;
    for (const [m] of baseline.records) {
      const s = await sys.pool.stakeOf(m);
      if (s.locked === 0n) quitter = sys.workers.find((w) => w.address === m);
    }
    // Only a member with no other locks can unstake everything; when every member of B also sits in task A, this
    // last part has no one to play it (the declines themselves are covered in TaskManager.liveness.test.ts).
    if (quitter !== undefined) {
      const q = quitter;
      await mineUntilNext(ethers, networkHelpers, start + 1n);
      const all = (await sys.pool.stakeOf(q.address)).active;
      await expect(sys.pool.connect(q).requestUnstake(all)).to.emit(sys.pool, "WeightChangeDeferred");
      const got = await drawAt(d, taskB, drawBlock, sys.outsider);
      expect(got.seed).to.equal(baseline.seed);
      expect(got.records).to.deep.equal(
        baseline.records.map((r) => (r[0] === q.address ? [r[0], r[1], BigInt(RecordStatus.Declined)] : r)),
      );
    }
  });

  it("control: a stake made in an open block before the seed exists is used by the draw", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    const newcomer = (await ethers.getSigners())[15]!;
    await sys.token.mint(newcomer.address, 100_000n * UNIT);
    await sys.token.connect(newcomer).approve(await sys.pool.getAddress(), ethers.MaxUint256);
    let start = windowStartOf(await nextBlock(ethers));
    if (start - 2n < (await nextBlock(ethers))) start += EPOCH;
    // The stake lands in the last open block but one, the request in the last one: the seed is the next block's hash.
    await mineUntilNext(ethers, networkHelpers, start - 2n);
    const tx = await sys.pool.connect(newcomer).stake(100_000n * UNIT);
    await expect(tx).to.emit(sys.pool, "WeightUpdated");
    const taskId = await postTask(sys, ethers);
    const receipt = await drawWhenReady(sys, ethers, networkHelpers, taskId);
    expect(BigInt(receipt.blockNumber)).to.equal(start + 1n);
    const records = await sys.manager.recordsOf(taskId, 0n, 0n, 5n);
    // Over 99% of the weight: the newcomer sits on the committee.
    expect(records.map((r) => r.member)).to.include(newcomer.address);
  });
});

describe("TaskManager seeds", function () {
  it("CommitteeDrawn's seed is keccak256(abi.encode(blockhash(target), chainid, manager, taskId, round, draw))", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskB, start } = d;
    const tx = await (async () => {
      await mineUntilNext(ethers, networkHelpers, start + 2n);
      return await sys.manager.connect(sys.outsider).drawCommittee(taskB);
    })();
    const info = await sys.manager.taskOf(taskB);
    await expect(tx)
      .to.emit(sys.manager, "CommitteeDrawn")
      .withArgs(taskB, 0n, 0n, await seedOf(sys, start, taskB, 0n, 0n), 5n, info.commitDeadline, info.revealDeadline);
    expect(info.commitDeadline).to.equal(start + 2n + info.commitBlocks);
  });

  it("a stale seed is re-armed, never used: after a missed window, in the open part or in the next window", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskB, start } = d;
    const requestId = (await sys.manager.taskOf(taskB)).requestId;
    const snapshot = await networkHelpers.takeSnapshot();
    // The next call lands in: the open part after the window, or a block of the next window (the old value is ready
    // there, but it was known before that window opened).
    for (const at of [
      start + POOL_CONFIG.drawWindowBlocks,
      start + EPOCH - 1n,
      start + EPOCH + 1n,
      start + EPOCH + 4n,
    ]) {
      await snapshot.restore();
      await mineUntilNext(ethers, networkHelpers, at);
      const [ready, , knownFrom] = await sys.randomness.randomnessOf(requestId);
      expect([ready, knownFrom]).to.deep.equal([true, start]);
      const nextStart = at >= start + EPOCH ? start + 2n * EPOCH : start + EPOCH;
      const tx = await sys.manager.connect(sys.outsider).drawCommittee(taskB);
      await expect(tx)
        .to.emit(sys.manager, "SeedRequested")
        .withArgs(taskB, 0n, requestId, nextStart)
        .and.not.to.emit(sys.manager, "CommitteeDrawn");
      await expect(tx).to.emit(sys.randomness, "RandomnessRearmed").withArgs(requestId, nextStart);
      expect(await sys.randomness.targetOf(requestId)).to.equal(nextStart);
      expect([await sys.manager.phaseOf(taskB), (await sys.manager.taskOf(taskB)).recordCount]).to.deep.equal([
        BigInt(Phase.AwaitingSeed),
        0n,
      ]);
      // Until the new target is mined, nothing can be drawn.
      await expect(sys.manager.drawCommittee(taskB)).to.be.revertedWithCustomError(
        sys.manager,
        "TaskManagerSeedNotReady",
      );
      const drawn = await drawAt(d, taskB, nextStart + 1n, sys.outsider);
      expect(drawn.seed).to.equal(await seedOf(sys, nextStart, taskB, 0n, 0n));
    }
  });

  it("two tasks drawn in one window from the same block hash get different seeds", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { sys, taskB, taskC, start } = d;
    for (const t of [taskB, taskC]) {
      expect(await sys.randomness.targetOf((await sys.manager.taskOf(t)).requestId)).to.equal(start);
    }
    const c = await drawAt(d, taskC, start + 1n, sys.outsider);
    const b = await drawAt(d, taskB, start + 2n, sys.outsider);
    expect(c.seed).to.equal(await seedOf(sys, start, taskC, 0n, 0n));
    expect(b.seed).to.equal(await seedOf(sys, start, taskB, 0n, 0n));
    expect(b.seed).to.not.equal(c.seed);
  });
});
