import { expect } from "chai";
import { network } from "hardhat";

import { UNIT } from "./helpers/pool.js";
import {
  Phase,
  RecordStatus,
  commitAll,
  committee,
  deployTaskSystem,
  drawWhenReady,
  mineAfter,
  postSuitable,
  postTask,
  revealAll,
  taskRequest,
} from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const b32 = ethers.encodeBytes32String;

async function fixture() {
  return await deployTaskSystem(ethers, networkHelpers);
}

describe("TaskManager expiry: no task holds its escrow forever", function () {
  it("refunds a task nobody drew by its expiresAt, and refuses a late draw", async function () {
    const sys = await loadFixture(fixture);
    const { manager, requester, outsider, token } = sys;
    const taskId = await postTask(sys, ethers);
    const created = BigInt(await ethers.provider.getBlockNumber());
    const info = await manager.taskOf(taskId);
    expect(info.expiresAt).to.equal(created + (await manager.lifeBound(10n, 10n, 10n, 0)));

    await mineAfter(ethers, networkHelpers, info.expiresAt - 2n);
    // One block before expiresAt the task cannot expire yet; the draw (were the seed usable) would still be allowed.
    await expect(manager.connect(outsider).expire(taskId))
      .to.be.revertedWithCustomError(manager, "TaskManagerNotExpired")
      .withArgs(taskId, info.expiresAt, info.expiresAt);
    await mineAfter(ethers, networkHelpers, info.expiresAt);
    expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
    await expect(manager.drawCommittee(taskId))
      .to.be.revertedWithCustomError(manager, "TaskManagerTaskExpired")
      .withArgs(taskId, info.expiresAt);

    await expect(manager.connect(outsider).expire(taskId))
      .to.emit(manager, "TaskExpired")
      .withArgs(taskId, 0n, info.expiresAt)
      .and.to.emit(manager, "TaskRefunded")
      .withArgs(taskId, requester.address, 1_000n * UNIT, 0n)
      .and.to.emit(manager, "Credited")
      .withArgs(requester.address, 1_000n * UNIT);
    expect(await manager.phaseOf(taskId)).to.equal(Phase.Refunded);
    await expect(manager.expire(taskId))
      .to.be.revertedWithCustomError(manager, "TaskManagerWrongPhase")
      .withArgs(taskId, Phase.Refunded, Phase.AwaitingSeed);
    await expect(manager.connect(requester).claimCredit()).to.changeTokenBalances(
      ethers,
      token,
      [requester, manager],
      [1_000n * UNIT, -1_000n * UNIT],
    );
    const totals = await manager.totals();
    expect([totals.escrowed, totals.unclaimedRewards, totals.credits]).to.deep.equal([0n, 0n, 0n]);
  });

  it("releases members that committed while waiting for replacement seats, without penalty", async function () {
    const sys = await loadFixture(fixture);
    const { manager, pool, treasury, requester } = sys;
    const taskId = await postTask(sys, ethers);
    await drawWhenReady(sys, ethers, networkHelpers, taskId);
    const records = await committee(sys, taskId);
    expect(records.length).to.be.greaterThan(1);
    // The member with the fewest seats never commits; the others do.
    const absent = records.reduce((a, b) => (b.seats < a.seats ? b : a));
    const present = records.filter((r) => r !== absent);
    const result = ethers.id("result");
    await commitAll(sys, ethers, taskId, present, () => result);
    const info = await manager.taskOf(taskId);
    await mineAfter(ethers, networkHelpers, info.commitDeadline);
    expect(await manager.phaseOf(taskId)).to.equal(Phase.AwaitingReplacement);
    const bond = info.seatBond;
    const penalty = (absent.seats * bond * 1_000n + 9_999n) / 10_000n; // ceil, missedCommitPenaltyBps = 1000
    await expect(manager.replaceNoShows(taskId))
      .to.emit(manager, "MemberPenalized")
      .withArgs(taskId, absent.member, 0n, absent.index, 0, penalty, penalty);

    const before = await Promise.all(present.map((r) => pool.stakeOf(r.member)));
    await mineAfter(ethers, networkHelpers, info.expiresAt);
    await expect(manager.expire(taskId))
      .to.emit(manager, "TaskExpired")
      .and.to.emit(manager, "TaskRefunded")
      .withArgs(taskId, requester.address, 1_000n * UNIT, penalty);
    for (const [i, r] of present.entries()) {
      expect((await manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Released);
      const after = await pool.stakeOf(r.member);
      expect(after.active).to.equal(before[i]!.active); // no penalty
      expect(after.locked).to.equal(before[i]!.locked - r.seats * bond);
    }
    expect((await pool.totals()).locked).to.equal(0n);
    expect(await manager.creditOf(requester.address)).to.equal(1_000n * UNIT);
    expect(await manager.creditOf(treasury.address)).to.equal(penalty);
  });

  it("releases the revealers of an earlier round without quorum, without penalty, when the redraw expires", async function () {
    const sys = await loadFixture(fixture);
    const { manager, pool, treasury, requester, outsider } = sys;
    // One record of at most 2 seats reveals (no quorum of 3); the others commit and stay silent.
    const { taskId, records } = await postSuitable(
      sys,
      ethers,
      networkHelpers,
      {},
      (rs) => rs.length > 1 && rs.some((r) => r.seats <= 2n),
    );
    const revealer = records.find((r) => r.seats <= 2n)!;
    const silent = records.filter((r) => r !== revealer);
    const result = ethers.id("result");
    await commitAll(sys, ethers, taskId, records, () => result);
    const info = await manager.taskOf(taskId);
    await mineAfter(ethers, networkHelpers, info.commitDeadline);
    await revealAll(sys, ethers, taskId, [revealer], () => result);
    await mineAfter(ethers, networkHelpers, info.revealDeadline);
    await expect(manager.tally(taskId)).to.emit(manager, "NoQuorum").withArgs(taskId, 0n, revealer.seats, true);
    const penalties = silent.reduce((a, r) => a + (r.seats * info.seatBond * 2_000n + 9_999n) / 10_000n, 0n);
    expect((await manager.taskOf(taskId)).slashPot).to.equal(penalties);
    // The revealer stays locked while round 1 waits for a committee that nobody draws.
    const before = await pool.stakeOf(revealer.member);
    expect([before.locked, before.seats]).to.deep.equal([revealer.seats * info.seatBond, revealer.seats]);
    expect((await manager.recordOf(taskId, 0n, revealer.index)).status).to.equal(RecordStatus.Revealed);

    await mineAfter(ethers, networkHelpers, info.expiresAt);
    await expect(manager.connect(outsider).expire(taskId))
      .to.emit(manager, "TaskExpired")
      .withArgs(taskId, 1n, info.expiresAt)
      .and.to.emit(manager, "TaskRefunded")
      .withArgs(taskId, requester.address, 1_000n * UNIT, penalties)
      .and.not.to.emit(manager, "MemberPenalized");
    expect((await manager.recordOf(taskId, 0n, revealer.index)).status).to.equal(RecordStatus.Released);
    const after = await pool.stakeOf(revealer.member);
    expect([after.active, after.locked, after.seats]).to.deep.equal([before.active, 0n, 0n]);
    expect((await pool.totals()).locked).to.equal(0n);
    expect(await manager.phaseOf(taskId)).to.equal(Phase.Refunded);
    expect(await manager.creditOf(requester.address)).to.equal(1_000n * UNIT);
    expect(await manager.creditOf(treasury.address)).to.equal(penalties);
  });

  it("names an input kind or no-quorum rule outside its enum instead of failing to decode", async function () {
    const sys = await loadFixture(fixture);
    const { manager, requester } = sys;
    await expect(manager.connect(requester).createTask(taskRequest(ethers, { inputKind: 2 })))
      .to.be.revertedWithCustomError(manager, "TaskManagerParameterOutOfBounds")
      .withArgs(b32("inputKind"), 2n, 0n, 1n);
    await expect(manager.connect(requester).createTask(taskRequest(ethers, { noQuorumRule: 7 })))
      .to.be.revertedWithCustomError(manager, "TaskManagerParameterOutOfBounds")
      .withArgs(b32("noQuorumRule"), 7n, 0n, 1n);
    expect(await manager.taskCount()).to.equal(0n);
  });
});
