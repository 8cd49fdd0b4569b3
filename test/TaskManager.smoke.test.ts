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
  postTask,
  revealAll,
} from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();

describe("TaskManager smoke", function () {
  it("runs a task from creation to claims", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    const taskId = await postTask(sys, ethers);
    expect(await sys.manager.phaseOf(taskId)).to.equal(Phase.AwaitingSeed);
    await drawWhenReady(sys, ethers, networkHelpers, taskId);
    expect(await sys.manager.phaseOf(taskId)).to.equal(Phase.Committing);
    const records = await committee(sys, taskId);
    const result = ethers.id("result");
    await commitAll(sys, ethers, taskId, records, () => result);
    const info = await sys.manager.taskOf(taskId);
    await mineAfter(ethers, networkHelpers, info.commitDeadline);
    expect(await sys.manager.phaseOf(taskId)).to.equal(Phase.Revealing);
    await revealAll(sys, ethers, taskId, records, () => result);
    await mineAfter(ethers, networkHelpers, info.revealDeadline);
    await sys.manager.tally(taskId);
    const proposed = await sys.manager.taskOf(taskId);
    expect(proposed.proposedResult).to.equal(result);
    await mineAfter(ethers, networkHelpers, proposed.challengeDeadline);
    await sys.manager.finalize(taskId);
    const fin = await sys.manager.taskOf(taskId);
    let paid = 0n;
    for (const r of records) {
      const before = await sys.token.balanceOf(r.member);
      await sys.manager.connect(r.signer).claimReward(taskId, 0n, r.index);
      paid += (await sys.token.balanceOf(r.member)) - before;
      expect((await sys.manager.recordOf(taskId, 0n, r.index)).status).to.equal(RecordStatus.Claimed);
    }
    expect(paid + (await sys.manager.creditOf(sys.treasury.address))).to.equal(1000n * UNIT);
    expect(fin.rewardPerSeat * 5n).to.equal(paid);
    expect((await sys.pool.totals()).locked).to.equal(0n);
  });
});
