import { expect } from "chai";
import { network } from "hardhat";

import { RandomnessStatus, createCohort, type Cohort } from "../../sdk/src/index.js";
import type { VrfCoordinatorMock } from "../../types/ethers-contracts/index.js";
import { UNIT, accounts, mineToOpen, mineUntilNext, stakeOpen } from "../helpers/pool.js";
import { TASK_CONFIG, deployTaskPool } from "../helpers/tasks.js";
import { request, revertsWithoutSending } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** A deployment whose randomness is Chainlink VRF v2.5 (the coordinator mock): the SDK triggers the request. */
describe("SDK: triggerRandomness on a VRF deployment", function () {
  let requester: Cohort;
  let keeper: Cohort;
  let coordinator: VrfCoordinatorMock;
  let source: string;
  let keeperAddress: string;

  before(async function () {
    const { admin, treasury, outsider, rest } = await accounts(ethers);
    const workers = rest.slice(1, 4);
    const { token, pool } = await deployTaskPool(ethers, admin.address, treasury.address);
    coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
    const receipt = (await (await coordinator.createSubscription()).wait())!;
    const subscriptionId = receipt.logs
      .map((log) => coordinator.interface.parseLog(log))
      .find((parsed) => parsed?.name === "SubscriptionCreated")!.args[0] as bigint;
    await coordinator.fundSubscription(subscriptionId, 100n * UNIT);
    const vrf = await ethers.deployContract("VrfRandomness", [
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
    source = await vrf.getAddress();
    await coordinator.addConsumer(subscriptionId, source);
    const manager = await ethers.deployContract("TaskManager", [
      await pool.getAddress(),
      source,
      admin.address,
      TASK_CONFIG,
    ]);
    const managerAddress = await manager.getAddress();
    await pool.grantRole(await pool.SEAT_MANAGER_ROLE(), managerAddress);
    await pool.grantRole(await pool.SLASHER_ROLE(), managerAddress);
    await vrf.grantRole(await vrf.CONSUMER_ROLE(), managerAddress);
    for (const w of workers) {
      await token.mint(w.address, 100n * UNIT);
      await token.connect(w).approve(await pool.getAddress(), ethers.MaxUint256);
    }
    await stakeOpen(ethers, networkHelpers, pool, workers, [100n * UNIT, 100n * UNIT, 100n * UNIT]);
    await token.mint(rest[0]!.address, 10_000n * UNIT);
    await mineToOpen(ethers, networkHelpers);
    requester = await createCohort({ provider: ethers.provider, signer: rest[0]!, taskManager: managerAddress });
    keeper = await createCohort({ provider: ethers.provider, signer: outsider, taskManager: managerAddress });
    keeperAddress = outsider.address;
  });

  it("refuses a trigger before the window, sends one at its first block, refuses a second; then the draw runs", async function () {
    expect(requester.addresses.randomness).to.equal(source);
    const created = await requester.createTask(request({ seats: 3n, quorum: 2n, approve: true }));
    const taskId = created.taskId;
    const seed = created.events.find((e) => e.name === "SeedRequested")!.args;
    const requestId = seed.requestId as bigint;
    const notBefore = seed.notBefore as bigint;

    // A VRF source has no target block: the value is unknown until the oracle answers a trigger.
    expect(await keeper.getSeed({ taskId })).to.deep.equal({
      taskId,
      requestId,
      status: RandomnessStatus.Armed,
      statusName: "Armed",
      ready: false,
      knownFrom: 0n,
      target: undefined,
    });
    await mineUntilNext(ethers, networkHelpers, notBefore - 1n);
    await revertsWithoutSending(
      keeper,
      keeperAddress,
      () => keeper.triggerRandomness({ taskId }),
      "VrfRandomnessTriggerTooEarly",
      {
        requestId,
        notBefore,
        current: notBefore - 1n,
      },
    );
    // A refused call mines no block: mine the last one before the window, so the trigger lands in its first.
    await networkHelpers.mine(1);
    const triggered = await keeper.triggerRandomness({ taskId });
    expect([triggered.requestId, BigInt(triggered.blockNumber)]).to.deep.equal([requestId, notBefore]);
    const sent = triggered.events.find((e) => e.name === "VrfRequestSent")!;
    expect(sent.contract).to.equal("randomness");
    expect([sent.args.requestId, sent.args.caller]).to.deep.equal([requestId, keeperAddress]);
    await revertsWithoutSending(
      keeper,
      keeperAddress,
      () => keeper.triggerRandomness({ taskId }),
      "VrfRandomnessAlreadyTriggered",
      {
        requestId,
        vrfRequestId: sent.args.vrfRequestId,
      },
    );

    expect((await keeper.getSeed({ taskId })).statusName).to.equal("Pending");
    await (await coordinator.fulfillRandomWords(sent.args.vrfRequestId as bigint, source)).wait();
    expect(await keeper.getSeed({ taskId })).to.deep.include({
      status: RandomnessStatus.Ready,
      ready: true,
      knownFrom: notBefore,
    });
    const drawn = await keeper.drawCommittee({ taskId });
    expect(drawn.drawn).to.equal(true);
    expect(drawn.assigned.reduce((s, a) => s + a.seats, 0n)).to.equal(3n);
  });
});
