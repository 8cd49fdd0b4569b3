import { expect } from "chai";
import { network } from "hardhat";

import { ContractRevertError, createCohort, NotAssignedError, Phase, type Cohort } from "../../sdk/src/index.js";
import { UNIT, mineUntilNext } from "../helpers/pool.js";
import { deployTaskSystem, signerOf, type TaskSystem } from "../helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();

/** The SDK drives one task from creation to claims on the in-process network, every call through actions. */
describe("SDK: a full task through the actions", function () {
  let sys: TaskSystem;
  let requester: Cohort;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    requester = await createCohort({
      provider: ethers.provider,
      signer: sys.requester,
      taskManager: await sys.manager.getAddress(),
    });
  });

  it("creates, draws, commits, reveals, tallies, finalizes and claims", async function () {
    const created = await requester.createTask({
      programId: ethers.id("program"),
      input: { inline: "hello" },
      seats: 5n,
      reward: 1_000n * UNIT,
      commitBlocks: 10n,
      revealBlocks: 10n,
      challengeBlocks: 10n,
    });
    expect(created.taskId).to.equal(1n);
    const taskId = created.taskId;

    let task = await requester.getTask({ taskId });
    const target = await sys.randomness.targetOf(task.requestId);
    await mineUntilNext(ethers, networkHelpers, target + 1n);
    let drawn = await requester.drawCommittee({ taskId });
    for (let i = 0; i < 3 && !drawn.drawn; i++) {
      task = await requester.getTask({ taskId });
      await mineUntilNext(ethers, networkHelpers, (await sys.randomness.targetOf(task.requestId)) + 1n);
      drawn = await requester.drawCommittee({ taskId });
    }
    expect(drawn.drawn).to.equal(true);
    const members = [...new Set(drawn.assigned.map((a) => a.member))];
    const resultHash = ethers.id("the result");
    const clients = await Promise.all(
      members.map((m) =>
        createCohort({
          provider: ethers.provider,
          signer: signerOf(sys, m),
          taskManager: requester.addresses.taskManager,
        }),
      ),
    );
    for (const c of clients) await c.commit({ taskId, resultHash });
    await expect(requester.commit({ taskId, resultHash })).to.be.rejectedWith(NotAssignedError);
    task = await requester.getTask({ taskId });
    await mineUntilNext(ethers, networkHelpers, task.commitDeadline + 1n);
    for (const c of clients) await c.reveal({ taskId, resultHash });
    task = await requester.getTask({ taskId });
    await mineUntilNext(ethers, networkHelpers, task.revealDeadline + 1n);
    const tallied = await requester.tally({ taskId });
    expect(tallied.proposedResult).to.equal(resultHash);
    try {
      await requester.finalize({ taskId });
      expect.fail("finalize before the window closed");
    } catch (error) {
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).to.equal("TaskManagerWrongPhase");
    }
    task = await requester.getTask({ taskId });
    await mineUntilNext(ethers, networkHelpers, task.challengeDeadline + 1n);
    await requester.finalize({ taskId });
    expect((await requester.getTask({ taskId })).phase).to.equal(Phase.Finalized);
    let paid = 0n;
    for (const c of clients) paid += (await c.claimReward({ taskId })).amount;
    expect(paid).to.be.greaterThan(0n);
  });
});
