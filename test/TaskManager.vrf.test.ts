import { expect } from "chai";
import { network } from "hardhat";

import { POOL_CONFIG, UNIT, accounts, mineToOpen, mineUntilNext, stakeOpen } from "./helpers/pool.js";
import { Phase, TASK_CONFIG, deployTaskPool, taskRequest } from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const enum Status {
  None,
  Armed,
  Pending,
  Ready,
  Expired,
}

/** The same system as `deployTaskSystem`, with Chainlink VRF v2.5 (against Chainlink's coordinator mock) as source. */
async function vrfTaskSystem() {
  const { admin, treasury, outsider, rest } = await accounts(ethers);
  const requester = rest[0]!;
  const workers = rest.slice(1, 7);
  const { token, pool } = await deployTaskPool(ethers, admin.address, treasury.address);
  const coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
  const created = (await (await coordinator.createSubscription()).wait())!.logs
    .map((log) => coordinator.interface.parseLog(log))
    .find((parsed) => parsed?.name === "SubscriptionCreated");
  const subscriptionId = created!.args[0] as bigint;
  await coordinator.fundSubscription(subscriptionId, 100n * 10n ** 18n);
  const source = await ethers.deployContract("VrfRandomness", [
    admin.address,
    await coordinator.getAddress(),
    {
      subscriptionId,
      keyHash: ethers.id("cohort test gas lane"),
      callbackGasLimit: 100_000n,
      requestConfirmations: 3n,
      nativePayment: false,
      timeoutBlocks: 20n,
    },
  ]);
  await coordinator.addConsumer(subscriptionId, await source.getAddress());
  const manager = await ethers.deployContract("TaskManager", [
    await pool.getAddress(),
    await source.getAddress(),
    admin.address,
    TASK_CONFIG,
  ]);
  const managerAddress = await manager.getAddress();
  await pool.grantRole(await pool.SEAT_MANAGER_ROLE(), managerAddress);
  await pool.grantRole(await pool.SLASHER_ROLE(), managerAddress);
  await source.grantRole(await source.CONSUMER_ROLE(), managerAddress);
  const stakes = [300n, 200n, 150n, 100n, 80n, 50n].map((s) => s * UNIT);
  for (const [i, w] of workers.entries()) {
    await token.mint(w.address, stakes[i]!);
    await token.connect(w).approve(await pool.getAddress(), ethers.MaxUint256);
  }
  await stakeOpen(ethers, networkHelpers, pool, workers, stakes);
  await token.mint(requester.address, 1_000_000n * UNIT);
  await token.connect(requester).approve(managerAddress, ethers.MaxUint256);
  await mineToOpen(ethers, networkHelpers);
  await (await manager.connect(requester).createTask(taskRequest(ethers))).wait();
  const taskId = await manager.taskCount();
  const requestId = (await manager.taskOf(taskId)).requestId;
  return { token, pool, coordinator, source, manager, outsider, requester, workers, taskId, requestId };
}

type System = Awaited<ReturnType<typeof vrfTaskSystem>>;

/** The first block of the draw window the task's request aims at (its `notBefore`). */
async function notBeforeOf(s: System): Promise<bigint> {
  const events = await s.manager.queryFilter(s.manager.filters.SeedRequested(s.taskId));
  return events.at(-1)!.args.notBefore;
}

/** Triggers the request in block `at` (from a keeper that is no party to the task) and answers it next block. */
async function triggerAndFulfil(s: System, at: bigint) {
  await mineUntilNext(ethers, networkHelpers, at);
  await (await s.source.connect(s.outsider).trigger(s.requestId)).wait();
  const { vrfRequestId } = await s.source.vrfRequestOf(s.requestId);
  await (await s.coordinator.fulfillRandomWords(vrfRequestId, await s.source.getAddress())).wait();
  const [ready, value, knownFrom] = await s.source.randomnessOf(s.requestId);
  expect(ready).to.equal(true);
  return { value, knownFrom, vrfRequestId };
}

function seedOf(value: string, chainId: bigint, manager: string, taskId: bigint, round: bigint, draw: bigint) {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint256", "uint256", "uint256"],
      [value, chainId, manager, taskId, round, draw],
    ),
  );
}

describe("TaskManager with Chainlink VRF v2.5 as its randomness source", function () {
  it("waits for a trigger from the window's first block, then draws from the VRF answer inside that window", async function () {
    const s = await loadFixture(vrfTaskSystem);
    const notBefore = await notBeforeOf(s);
    expect(await s.source.statusOf(s.requestId)).to.equal(Status.Armed);
    await expect(s.manager.drawCommittee(s.taskId))
      .to.be.revertedWithCustomError(s.manager, "TaskManagerSeedNotReady")
      .withArgs(s.taskId, s.requestId, Status.Armed);
    // Nobody, the oracle included, can learn the value before the window: the trigger is refused until then.
    await mineUntilNext(ethers, networkHelpers, notBefore - 1n);
    await expect(s.source.connect(s.outsider).trigger(s.requestId))
      .to.be.revertedWithCustomError(s.source, "VrfRandomnessTriggerTooEarly")
      .withArgs(s.requestId, notBefore, notBefore - 1n);
    // A refused transaction mines no block: mine the last block before the window, so the trigger lands in its first.
    await networkHelpers.mine(1);
    await (await s.source.connect(s.outsider).trigger(s.requestId)).wait();
    expect(await s.source.statusOf(s.requestId)).to.equal(Status.Pending);
    await expect(s.manager.drawCommittee(s.taskId))
      .to.be.revertedWithCustomError(s.manager, "TaskManagerSeedNotReady")
      .withArgs(s.taskId, s.requestId, Status.Pending);

    const { vrfRequestId } = await s.source.vrfRequestOf(s.requestId);
    await (await s.coordinator.fulfillRandomWords(vrfRequestId, await s.source.getAddress())).wait();
    const [ready, value, knownFrom] = await s.source.randomnessOf(s.requestId);
    expect(ready).to.equal(true);
    expect(knownFrom).to.equal(notBefore);

    const chainId = (await ethers.provider.getNetwork()).chainId;
    const seed = seedOf(value, chainId, await s.manager.getAddress(), s.taskId, 0n, 0n);
    const receipt = (await (await s.manager.connect(s.requester).drawCommittee(s.taskId)).wait())!;
    expect(receipt.blockNumber).to.be.lessThanOrEqual(Number(notBefore + POOL_CONFIG.drawWindowBlocks - 1n));
    await expect(receipt).to.emit(s.manager, "CommitteeDrawn");
    const drawn = receipt.logs
      .map((log) => s.manager.interface.parseLog(log))
      .find((parsed) => parsed?.name === "CommitteeDrawn")!;
    expect(drawn.args.seed).to.equal(seed);
    // The seats are exactly the pool's draw from that seed (read in the same window, with the same frozen weights).
    const expected = await s.pool.drawSeats(seed, 5n);
    const info = await s.manager.taskOf(s.taskId);
    const records = await s.manager.recordsOf(s.taskId, 0n, 0n, info.recordCount);
    const seatsByMember = new Map<string, bigint>();
    for (const m of expected) seatsByMember.set(m, (seatsByMember.get(m) ?? 0n) + 1n);
    expect(records.map((r) => [r.member, BigInt(r.seats)])).to.deep.equal([...seatsByMember]);
    expect(await s.manager.phaseOf(s.taskId)).to.equal(Phase.Committing);
  });

  it("re-arms an answer that arrives after its window has passed, and draws from a fresh one in the next window", async function () {
    const s = await loadFixture(vrfTaskSystem);
    const notBefore = await notBeforeOf(s);
    // Triggered in the window's last block and answered after it: the value became known inside the window, but
    // the window is over when anyone can draw, and the weights it would meet are no longer frozen.
    const lastBlock = notBefore + POOL_CONFIG.drawWindowBlocks - 1n;
    const stale = await triggerAndFulfil(s, lastBlock);
    expect(stale.knownFrom).to.equal(lastBlock);
    const nextWindow = notBefore + POOL_CONFIG.epochBlocks;
    await expect(s.manager.drawCommittee(s.taskId))
      .to.emit(s.manager, "SeedRequested")
      .withArgs(s.taskId, 0n, s.requestId, nextWindow)
      .and.to.emit(s.source, "RandomnessRearmed")
      .withArgs(s.requestId, nextWindow)
      .and.not.to.emit(s.manager, "CommitteeDrawn");
    expect(await s.source.statusOf(s.requestId)).to.equal(Status.Armed);
    expect(await s.manager.phaseOf(s.taskId)).to.equal(Phase.AwaitingSeed);

    const fresh = await triggerAndFulfil(s, nextWindow);
    expect(fresh.vrfRequestId).to.not.equal(stale.vrfRequestId);
    expect(fresh.value).to.not.equal(stale.value);
    const chainId = (await ethers.provider.getNetwork()).chainId;
    await expect(s.manager.connect(s.outsider).drawCommittee(s.taskId))
      .to.emit(s.manager, "CommitteeDrawn")
      .withArgs(
        s.taskId,
        0n,
        0n,
        seedOf(fresh.value, chainId, await s.manager.getAddress(), s.taskId, 0n, 0n),
        5n,
        (v: bigint) => v > 0n,
        (v: bigint) => v > 0n,
      );
  });

  it("re-arms a request whose VRF answer timed out, instead of waiting forever", async function () {
    const s = await loadFixture(vrfTaskSystem);
    const notBefore = await notBeforeOf(s);
    await mineUntilNext(ethers, networkHelpers, notBefore);
    await (await s.source.connect(s.outsider).trigger(s.requestId)).wait();
    // No answer for longer than the timeout (20 blocks): the request expires and the task moves on.
    await networkHelpers.mine(21n);
    expect(await s.source.statusOf(s.requestId)).to.equal(Status.Expired);
    const latest = BigInt(await ethers.provider.getBlockNumber());
    const window = await s.pool.drawWindow();
    const expectedNotBefore = latest + 1n >= window.start ? window.start + POOL_CONFIG.epochBlocks : window.start;
    await expect(s.manager.drawCommittee(s.taskId))
      .to.emit(s.manager, "SeedRequested")
      .withArgs(s.taskId, 0n, s.requestId, expectedNotBefore);
    expect(await s.source.statusOf(s.requestId)).to.equal(Status.Armed);
  });
});
