import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import { expect } from "chai";
import { network } from "hardhat";

import { mineUntilNext, nextBlock } from "./helpers/pool.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

/** `IRandomnessSourceTypes.Status`. */
const Status = { None: 0n, Armed: 1n, Pending: 2n, Ready: 3n, Expired: 4n } as const;
const HORIZON = 256n;
const LOOKAHEAD = 4n;
const NOT_READY = [false, ethers.ZeroHash, 0n];

const name = (s: string) => ethers.encodeBytes32String(s);

async function roles() {
  const [admin, consumer, otherConsumer, outsider, keeper] = await ethers.getSigners();
  return { admin: admin!, consumer: consumer!, otherConsumer: otherConsumer!, outsider: outsider!, keeper: keeper! };
}

/** The id a `RandomnessRequested` event in the transaction's receipt carries. */
async function requestIdOf(
  source: {
    interface: { parseLog(log: { topics: string[]; data: string }): { name: string; args: unknown[] } | null };
  },
  tx: ContractTransactionResponse,
): Promise<bigint> {
  const receipt = (await tx.wait())!;
  for (const log of receipt.logs) {
    const parsed = source.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name === "RandomnessRequested") return parsed.args[0] as bigint;
  }
  throw new Error("no RandomnessRequested event");
}

async function latest(): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber());
}

async function hashOf(block: bigint): Promise<string> {
  return (await ethers.provider.getBlock(block))!.hash!;
}

/** The parity (0 or 1) of a 32-byte value. */
const parity = (value: string) => BigInt(value) % 2n;

// -------------------------------------------------------------------------------------------------------------------
// Future blockhash
// -------------------------------------------------------------------------------------------------------------------

async function blockhashFixture() {
  const r = await roles();
  const source = await ethers.deployContract("BlockhashRandomness", [r.admin.address, LOOKAHEAD]);
  const role = await source.CONSUMER_ROLE();
  await source.grantRole(role, r.consumer.address);
  await source.grantRole(role, r.otherConsumer.address);
  const picky = await ethers.deployContract("PickyRandomnessCaller");
  return { ...r, source, role, picky };
}

/** Opens a request with `notBefore` and returns its id and target. */
async function openBlockhash(d: Awaited<ReturnType<typeof blockhashFixture>>, notBefore: bigint) {
  const id = await requestIdOf(d.source, await d.source.connect(d.consumer).request(notBefore));
  return { id, target: await d.source.targetOf(id) };
}

describe("BlockhashRandomness", function () {
  describe("deployment", function () {
    it("fixes the lookahead and gives the admin the admin role", async function () {
      const { source, admin } = await loadFixture(blockhashFixture);
      expect(await source.lookahead()).to.equal(LOOKAHEAD);
      expect(await source.hasRole(await source.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
    });

    it("refuses a zero admin and a lookahead outside [1, 256]", async function () {
      const { admin } = await roles();
      const factory = await ethers.getContractFactory("BlockhashRandomness");
      await expect(factory.deploy(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        factory,
        "RandomnessZeroAddress",
      );
      for (const bad of [0n, 257n]) {
        await expect(factory.deploy(admin.address, bad))
          .to.be.revertedWithCustomError(factory, "RandomnessParameterOutOfBounds")
          .withArgs(name("lookahead"), bad, 1n, 256n);
      }
      await factory.deploy(admin.address, 256n);
    });
  });

  describe("request", function () {
    it("fixes the target at request time: lookahead blocks ahead when notBefore is nearer", async function () {
      const d = await loadFixture(blockhashFixture);
      const block = await nextBlock(ethers);
      await expect(d.source.connect(d.consumer).request(block + 1n))
        .to.emit(d.source, "RandomnessRequested")
        .withArgs(1n, d.consumer.address, block + 1n)
        .and.to.emit(d.source, "BlockhashTargetSet")
        .withArgs(1n, block + LOOKAHEAD);
      expect(await d.source.targetOf(1n)).to.equal(block + LOOKAHEAD);
      expect(await d.source.consumerOf(1n)).to.equal(d.consumer.address);
      expect(await d.source.statusOf(1n)).to.equal(Status.Pending);
    });

    it("fixes the target at notBefore when notBefore is further, and a past notBefore still gets a future block", async function () {
      const d = await loadFixture(blockhashFixture);
      const block = await nextBlock(ethers);
      const later = await openBlockhash(d, block + 50n);
      expect(later).to.deep.equal({ id: 1n, target: block + 50n });
      const past = await openBlockhash(d, 1n);
      expect(past).to.deep.equal({ id: 2n, target: block + 1n + LOOKAHEAD });
    });

    it("is refused to accounts without the consumer role", async function () {
      const { source, outsider, role } = await loadFixture(blockhashFixture);
      await expect(source.connect(outsider).request(0n))
        .to.be.revertedWithCustomError(source, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role);
    });
  });

  describe("randomnessOf", function () {
    it("is not ready up to the target, is exactly blockhash(target) for 256 blocks, then expires; never zero", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      // Views run with the latest block's number, so `bn` is the block.number the contract sees.
      for (let bn = await latest(); bn <= target + HORIZON + 2n; bn = await latest()) {
        const [ready, value, knownFrom] = await d.source.randomnessOf(id);
        const status = await d.source.statusOf(id);
        if (bn <= target) {
          expect([ready, value, knownFrom], `block ${bn}`).to.deep.equal(NOT_READY);
          expect(status).to.equal(Status.Pending);
        } else if (bn <= target + HORIZON) {
          expect([ready, value, knownFrom], `block ${bn}`).to.deep.equal([true, await hashOf(target), target]);
          expect(value).to.not.equal(ethers.ZeroHash);
          expect(status).to.equal(Status.Ready);
        } else {
          expect([ready, value, knownFrom], `block ${bn}`).to.deep.equal(NOT_READY);
          expect(status).to.equal(Status.Expired);
        }
        await networkHelpers.mine(1);
      }
    });

    it("is not ready for a transaction mined in the target block itself", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target);
      await expect(d.picky.pick(d.source, id, 0n))
        .to.be.revertedWithCustomError(d.picky, "PickyRandomnessCallerDisliked")
        .withArgs(id, false, ethers.ZeroHash);
    });

    it("reports nothing for an unknown request", async function () {
      const { source } = await loadFixture(blockhashFixture);
      expect(await source.randomnessOf(7n)).to.deep.equal(NOT_READY);
      expect(await source.statusOf(7n)).to.equal(Status.None);
      expect(await source.consumerOf(7n)).to.equal(ethers.ZeroAddress);
    });
  });

  describe("trigger", function () {
    it("changes nothing for a known request and names an unknown one", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + 2n);
      const before = await d.source.randomnessOf(id);
      expect(before[0]).to.equal(true);
      // `trigger` is a view here, so ethers would only call it: send it as a transaction like a keeper would.
      const tx = await d.source.connect(d.outsider).trigger.send(id);
      expect((await tx.wait())!.logs).to.have.length(0);
      expect(await d.source.randomnessOf(id)).to.deep.equal(before);
      await expect(d.source.trigger(id + 1n))
        .to.be.revertedWithCustomError(d.source, "RandomnessUnknownRequest")
        .withArgs(id + 1n);
    });
  });

  describe("rearm", function () {
    it("is refused while the target is not mined yet", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target);
      await expect(d.source.connect(d.consumer).rearm(id, target + 10n))
        .to.be.revertedWithCustomError(d.source, "RandomnessRequestPending")
        .withArgs(id, target, target);
    });

    it("is refused while the ready hash still serves the notBefore given, so a value cannot be re-rolled", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + 1n);
      for (const notBefore of [0n, target]) {
        await expect(d.source.connect(d.consumer).rearm(id, notBefore))
          .to.be.revertedWithCustomError(d.source, "RandomnessValueUsable")
          .withArgs(id, target, notBefore);
      }
      expect(await d.source.targetOf(id)).to.equal(target);
    });

    it("re-targets a ready hash that became known before the consumer's new window", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + 2n);
      const notBefore = target + 20n;
      await expect(d.source.connect(d.consumer).rearm(id, notBefore))
        .to.emit(d.source, "RandomnessRearmed")
        .withArgs(id, notBefore)
        .and.to.emit(d.source, "BlockhashTargetSet")
        .withArgs(id, notBefore);
      expect(await d.source.statusOf(id)).to.equal(Status.Pending);
      expect(await d.source.randomnessOf(id)).to.deep.equal(NOT_READY);
      await mineUntilNext(ethers, networkHelpers, notBefore + 2n);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, await hashOf(notBefore), notBefore]);
    });

    it("re-targets an expired request at least lookahead blocks ahead, whatever notBefore says", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + HORIZON + 2n);
      expect(await d.source.statusOf(id)).to.equal(Status.Expired);
      const block = await nextBlock(ethers);
      await expect(d.source.connect(d.consumer).rearm(id, 0n))
        .to.emit(d.source, "BlockhashTargetSet")
        .withArgs(id, block + LOOKAHEAD);
      await mineUntilNext(ethers, networkHelpers, block + LOOKAHEAD + 2n);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, await hashOf(block + LOOKAHEAD), block + LOOKAHEAD]);
    });

    it("is only for the request's own consumer, while it holds the role", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + HORIZON + 1n);
      await expect(d.source.connect(d.otherConsumer).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "RandomnessNotRequestConsumer")
        .withArgs(id, d.otherConsumer.address, d.consumer.address);
      await expect(d.source.connect(d.outsider).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "AccessControlUnauthorizedAccount")
        .withArgs(d.outsider.address, d.role);
      await d.source.revokeRole(d.role, d.consumer.address);
      await expect(d.source.connect(d.consumer).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "AccessControlUnauthorizedAccount")
        .withArgs(d.consumer.address, d.role);
      await expect(d.source.connect(d.otherConsumer).rearm(id + 1n, 0n))
        .to.be.revertedWithCustomError(d.source, "RandomnessUnknownRequest")
        .withArgs(id + 1n);
    });
  });

  describe("who reads does not matter", function () {
    it("gives every caller, account or contract, with any gas, the same value; a revert gets no other", async function () {
      const d = await loadFixture(blockhashFixture);
      const { id, target } = await openBlockhash(d, 0n);
      await mineUntilNext(ethers, networkHelpers, target + 2n);
      const value = await hashOf(target);
      for (const s of [d.consumer, d.outsider, d.keeper]) {
        for (const gasLimit of [60_000n, 1_000_000n]) {
          expect(await d.source.connect(s).randomnessOf(id, { gasLimit })).to.deep.equal([true, value, target]);
        }
      }
      // The picky contract triggers, reads, and reverts on the parity it dislikes: nothing moves.
      await expect(d.picky.pick(d.source, id, 1n - parity(value)))
        .to.be.revertedWithCustomError(d.picky, "PickyRandomnessCallerDisliked")
        .withArgs(id, true, value);
      await expect(d.picky.pick(d.source, id, parity(value)))
        .to.emit(d.picky, "ValueAccepted")
        .withArgs(id, value);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, value, target]);
    });

    it("lets a consumer that dislikes a usable value re-roll nothing", async function () {
      const d = await loadFixture(blockhashFixture);
      await d.source.grantRole(d.role, await d.picky.getAddress());
      const id = await requestIdOf(d.source, await d.picky.request(d.source, 0n));
      const target = await d.source.targetOf(id);
      await mineUntilNext(ethers, networkHelpers, target + 2n);
      const value = await hashOf(target);
      await expect(d.picky.rearmIfDisliked(d.source, id, 1n - parity(value), target))
        .to.be.revertedWithCustomError(d.source, "RandomnessValueUsable")
        .withArgs(id, target, target);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, value, target]);
    });
  });
});

// -------------------------------------------------------------------------------------------------------------------
// Chainlink VRF v2.5
// -------------------------------------------------------------------------------------------------------------------

const KEY_HASH = ethers.id("cohort test gas lane");
const CONFIRMATIONS = 3n;
const TIMEOUT = 20n;
const EXTRA_ARGS_V1_TAG = ethers.dataSlice(ethers.id("VRF ExtraArgsV1"), 0, 4);
const extraArgs = (native: boolean) =>
  ethers.concat([EXTRA_ARGS_V1_TAG, ethers.AbiCoder.defaultAbiCoder().encode(["bool"], [native])]);
/** The mock's word for a VRF request: keccak256(abi.encode(requestId, 0)). */
const mockWord = (vrfRequestId: bigint) =>
  ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [vrfRequestId, 0n]));

type VrfConfig = {
  subscriptionId: bigint;
  keyHash: string;
  callbackGasLimit: bigint;
  requestConfirmations: bigint;
  nativePayment: boolean;
  timeoutBlocks: bigint;
};

async function deployCoordinator() {
  // A 0.001 LINK flat fee and 1 gwei gas at 1 LINK = 1 ETH: a fulfilment costs well under 0.01 LINK.
  const coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
  const tx = await coordinator.createSubscription();
  const receipt = (await tx.wait())!;
  const created = receipt.logs
    .map((log) => coordinator.interface.parseLog({ topics: [...log.topics], data: log.data }))
    .find((parsed) => parsed?.name === "SubscriptionCreated");
  const subscriptionId = created!.args[0] as bigint;
  await coordinator.fundSubscription(subscriptionId, 100n * 10n ** 18n);
  return { coordinator, subscriptionId };
}

async function vrfFixture() {
  const r = await roles();
  const { coordinator, subscriptionId } = await deployCoordinator();
  const cfg: VrfConfig = {
    subscriptionId,
    keyHash: KEY_HASH,
    callbackGasLimit: 100_000n,
    requestConfirmations: CONFIRMATIONS,
    nativePayment: false,
    timeoutBlocks: TIMEOUT,
  };
  const source = await ethers.deployContract("VrfRandomness", [r.admin.address, await coordinator.getAddress(), cfg]);
  await coordinator.addConsumer(subscriptionId, await source.getAddress());
  const role = await source.CONSUMER_ROLE();
  await source.grantRole(role, r.consumer.address);
  await source.grantRole(role, r.otherConsumer.address);
  const picky = await ethers.deployContract("PickyRandomnessCaller");
  return { ...r, coordinator, subscriptionId, cfg, source, role, picky };
}

type VrfDeployed = Awaited<ReturnType<typeof vrfFixture>>;

async function openVrf(d: VrfDeployed, notBefore: bigint): Promise<bigint> {
  return requestIdOf(d.source, await d.source.connect(d.consumer).request(notBefore));
}

/** Triggers from `by` and returns the VRF request id and the trigger block. */
async function triggerVrf(d: VrfDeployed, id: bigint, by: HardhatEthersSigner = d.keeper) {
  const receipt = (await (await d.source.connect(by).trigger(id)).wait())!;
  const { vrfRequestId } = await d.source.vrfRequestOf(id);
  return { vrfRequestId, triggeredAt: BigInt(receipt.blockNumber) };
}

describe("VrfRandomness", function () {
  describe("deployment", function () {
    it("fixes the VRF settings and makes the admin owner and role admin", async function () {
      const d = await loadFixture(vrfFixture);
      const cfg = await d.source.config();
      expect({
        subscriptionId: cfg.subscriptionId,
        keyHash: cfg.keyHash,
        callbackGasLimit: cfg.callbackGasLimit,
        requestConfirmations: cfg.requestConfirmations,
        nativePayment: cfg.nativePayment,
        timeoutBlocks: cfg.timeoutBlocks,
      }).to.deep.equal(d.cfg);
      expect(await d.source.owner()).to.equal(d.admin.address);
      expect(await d.source.s_vrfCoordinator()).to.equal(await d.coordinator.getAddress());
      expect(await d.source.hasRole(await d.source.DEFAULT_ADMIN_ROLE(), d.admin.address)).to.equal(true);
    });

    it("proposes a separate admin as owner, which must accept", async function () {
      const d = await loadFixture(vrfFixture);
      const factory = await ethers.getContractFactory("VrfRandomness", d.keeper);
      const source = await factory.deploy(d.admin.address, await d.coordinator.getAddress(), d.cfg);
      await expect(source.deploymentTransaction())
        .to.emit(source, "OwnershipTransferRequested")
        .withArgs(d.keeper.address, d.admin.address);
      expect(await source.owner()).to.equal(d.keeper.address);
      await source.connect(d.admin).acceptOwnership();
      expect(await source.owner()).to.equal(d.admin.address);
      expect(await source.hasRole(await source.DEFAULT_ADMIN_ROLE(), d.keeper.address)).to.equal(false);
    });

    it("refuses zero addresses and settings out of bounds", async function () {
      const d = await loadFixture(vrfFixture);
      const factory = await ethers.getContractFactory("VrfRandomness");
      const c = await d.coordinator.getAddress();
      const min = await d.source.MIN_CALLBACK_GAS_LIMIT();
      const max64 = 2n ** 64n - 1n;
      const maxU = ethers.MaxUint256;
      await expect(factory.deploy(ethers.ZeroAddress, c, d.cfg)).to.be.revertedWithCustomError(
        factory,
        "RandomnessZeroAddress",
      );
      await expect(factory.deploy(d.admin.address, ethers.ZeroAddress, d.cfg)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      const cases: [Partial<VrfConfig>, string, bigint, bigint, bigint][] = [
        [{ subscriptionId: 0n }, "subscriptionId", 0n, 1n, maxU],
        [{ keyHash: ethers.ZeroHash }, "keyHash", 0n, 1n, maxU],
        [{ callbackGasLimit: min - 1n }, "callbackGasLimit", min - 1n, min, 2n ** 32n - 1n],
        [{ requestConfirmations: 201n, timeoutBlocks: 300n }, "requestConfirmations", 201n, 0n, 200n],
        [{ timeoutBlocks: CONFIRMATIONS }, "timeoutBlocks", CONFIRMATIONS, CONFIRMATIONS + 1n, max64],
      ];
      for (const [change, param, value, lo, hi] of cases) {
        await expect(factory.deploy(d.admin.address, c, { ...d.cfg, ...change }))
          .to.be.revertedWithCustomError(factory, "RandomnessParameterOutOfBounds")
          .withArgs(name(param), value, lo, hi);
      }
    });
  });

  describe("request and trigger", function () {
    it("opens an armed request for the consumer role only", async function () {
      const d = await loadFixture(vrfFixture);
      await expect(d.source.connect(d.consumer).request(500n))
        .to.emit(d.source, "RandomnessRequested")
        .withArgs(1n, d.consumer.address, 500n);
      expect(await d.source.statusOf(1n)).to.equal(Status.Armed);
      expect(await d.source.randomnessOf(1n)).to.deep.equal(NOT_READY);
      await expect(d.source.connect(d.outsider).request(0n))
        .to.be.revertedWithCustomError(d.source, "AccessControlUnauthorizedAccount")
        .withArgs(d.outsider.address, d.role);
    });

    it("refuses a trigger before notBefore, so no one, the oracle included, can know the value earlier", async function () {
      const d = await loadFixture(vrfFixture);
      const notBefore = (await nextBlock(ethers)) + 10n;
      const id = await openVrf(d, notBefore);
      await mineUntilNext(ethers, networkHelpers, notBefore - 1n);
      await expect(d.source.connect(d.keeper).trigger(id))
        .to.be.revertedWithCustomError(d.source, "VrfRandomnessTriggerTooEarly")
        .withArgs(id, notBefore, notBefore - 1n);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
    });

    it("sends one VRF request with the fixed settings from notBefore on, to anyone's trigger", async function () {
      const d = await loadFixture(vrfFixture);
      const notBefore = (await nextBlock(ethers)) + 5n;
      const id = await openVrf(d, notBefore);
      await mineUntilNext(ethers, networkHelpers, notBefore);
      const source = await d.source.getAddress();
      await expect(d.source.connect(d.keeper).trigger(id))
        .to.emit(d.source, "VrfRequestSent")
        .withArgs(id, 1n, d.keeper.address)
        .and.to.emit(d.coordinator, "RandomWordsRequested")
        .withArgs(KEY_HASH, 1n, 100n, d.subscriptionId, CONFIRMATIONS, 100_000n, 1n, extraArgs(false), source);
      expect(await d.source.vrfRequestOf(id)).to.deep.equal([1n, notBefore, 0n]);
      expect(await d.source.statusOf(id)).to.equal(Status.Pending);
      await expect(d.source.trigger(id))
        .to.be.revertedWithCustomError(d.source, "VrfRandomnessAlreadyTriggered")
        .withArgs(id, 1n);
      await expect(d.source.trigger(id + 1n))
        .to.be.revertedWithCustomError(d.source, "RandomnessUnknownRequest")
        .withArgs(id + 1n);
    });

    it("asks for native payment when configured", async function () {
      const d = await loadFixture(vrfFixture);
      const source = await ethers.deployContract("VrfRandomness", [
        d.admin.address,
        await d.coordinator.getAddress(),
        { ...d.cfg, nativePayment: true },
      ]);
      await d.coordinator.addConsumer(d.subscriptionId, await source.getAddress());
      await d.coordinator.fundSubscriptionWithNative(d.subscriptionId, { value: 10n ** 18n });
      await source.grantRole(d.role, d.consumer.address);
      await source.connect(d.consumer).request(0n);
      await expect(source.trigger(1n))
        .to.emit(d.coordinator, "RandomWordsRequested")
        .withArgs(KEY_HASH, 1n, 100n, d.subscriptionId, CONFIRMATIONS, 100_000n, 1n, extraArgs(true), source);
      await expect(d.coordinator.fulfillRandomWords(1n, source)).to.emit(source, "VrfRequestFulfilled");
    });

    it("leaves the request armed when the coordinator refuses, whoever triggers with whatever gas", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const source = await d.source.getAddress();
      await d.coordinator.removeConsumer(d.subscriptionId, source);
      await expect(d.source.trigger(id))
        .to.be.revertedWithCustomError(d.coordinator, "InvalidConsumer")
        .withArgs(d.subscriptionId, source);
      await d.coordinator.addConsumer(d.subscriptionId, source);
      await expect(d.source.connect(d.keeper).trigger(id, { gasLimit: 80_000n })).to.be.revert(ethers);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
      expect(await d.source.vrfRequestOf(id)).to.deep.equal([0n, 0n, 0n]);
    });
  });

  describe("fulfilment", function () {
    it("makes the value ready: the VRF word, known from the trigger block, public from the fulfilment block", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      await networkHelpers.mine(CONFIRMATIONS);
      const fulfilledAt = await nextBlock(ethers);
      const word = mockWord(vrfRequestId);
      await expect(d.coordinator.fulfillRandomWords(vrfRequestId, d.source))
        .to.emit(d.source, "VrfRequestFulfilled")
        .withArgs(id, vrfRequestId, word, triggeredAt)
        .and.to.emit(d.coordinator, "RandomWordsFulfilled")
        .withArgs(vrfRequestId, vrfRequestId, d.subscriptionId, (p: bigint) => p > 0n, false, true, false);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, word, triggeredAt]);
      expect(await d.source.vrfRequestOf(id)).to.deep.equal([vrfRequestId, triggeredAt, fulfilledAt]);
      expect(await d.source.statusOf(id)).to.equal(Status.Ready);
      // A ready VRF value does not expire.
      await networkHelpers.mine(HORIZON + TIMEOUT);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, word, triggeredAt]);
    });

    it("fits the callback at the minimum callback gas limit", async function () {
      const d = await loadFixture(vrfFixture);
      const min = await d.source.MIN_CALLBACK_GAS_LIMIT();
      const source = await ethers.deployContract("VrfRandomness", [
        d.admin.address,
        await d.coordinator.getAddress(),
        { ...d.cfg, callbackGasLimit: min },
      ]);
      await d.coordinator.addConsumer(d.subscriptionId, await source.getAddress());
      await source.grantRole(d.role, d.consumer.address);
      await source.connect(d.consumer).request(0n);
      await source.trigger(1n);
      await expect(d.coordinator.fulfillRandomWords(1n, source))
        .to.emit(d.coordinator, "RandomWordsFulfilled")
        .withArgs(1n, 1n, d.subscriptionId, (p: bigint) => p > 0n, false, true, false);
      expect((await source.randomnessOf(1n))[1]).to.equal(mockWord(1n));
    });

    it("never stores a zero value: a zero word is replaced by keccak256(vrfRequestId)", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      await d.coordinator.fulfillRandomWordsWithOverride(vrfRequestId, d.source, [0n]);
      const replaced = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [vrfRequestId]));
      expect(replaced).to.not.equal(ethers.ZeroHash);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, replaced, triggeredAt]);
    });

    it("ignores, without reverting, an answer for a VRF id it does not wait for", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId } = await triggerVrf(d, id);
      // A stranger's VRF request on the same subscription: its answer is delivered to our source.
      await d.coordinator.addConsumer(d.subscriptionId, d.outsider.address);
      await d.coordinator.connect(d.outsider).requestRandomWords({
        keyHash: KEY_HASH,
        subId: d.subscriptionId,
        requestConfirmations: CONFIRMATIONS,
        callbackGasLimit: 100_000n,
        numWords: 1n,
        extraArgs: extraArgs(false),
      });
      const strangers = vrfRequestId + 1n;
      await expect(d.coordinator.fulfillRandomWords(strangers, d.source))
        .to.emit(d.source, "VrfFulfillmentIgnored")
        .withArgs(strangers)
        .and.to.emit(d.coordinator, "RandomWordsFulfilled")
        .withArgs(strangers, strangers, d.subscriptionId, (p: bigint) => p > 0n, false, true, false);
      expect(await d.source.statusOf(id)).to.equal(Status.Pending);
      expect(await d.source.randomnessOf(id)).to.deep.equal(NOT_READY);
    });

    it("ignores an answer without words and a second answer to an answered VRF id", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      // The mock forgets answered requests, so the coordinator itself delivers the duplicate.
      const coordinatorAddress = await d.coordinator.getAddress();
      await networkHelpers.impersonateAccount(coordinatorAddress);
      await networkHelpers.setBalance(coordinatorAddress, 10n ** 18n);
      const coordinator = await ethers.getSigner(coordinatorAddress);
      // An answer without words cannot serve: dropped, and the request still waits.
      await expect(d.source.connect(coordinator).rawFulfillRandomWords(vrfRequestId, []))
        .to.emit(d.source, "VrfFulfillmentIgnored")
        .withArgs(vrfRequestId);
      expect(await d.source.statusOf(id)).to.equal(Status.Pending);
      await d.source.connect(coordinator).rawFulfillRandomWords(vrfRequestId, [5n]);
      await expect(d.source.connect(coordinator).rawFulfillRandomWords(vrfRequestId, [7n]))
        .to.emit(d.source, "VrfFulfillmentIgnored")
        .withArgs(vrfRequestId);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, ethers.toBeHex(5n, 32), triggeredAt]);
    });

    it("accepts answers from the coordinator only", async function () {
      const d = await loadFixture(vrfFixture);
      await expect(d.source.connect(d.outsider).rawFulfillRandomWords(1n, [1n]))
        .to.be.revertedWithCustomError(d.source, "OnlyCoordinatorCanFulfill")
        .withArgs(d.outsider.address, await d.coordinator.getAddress());
    });
  });

  describe("rearm", function () {
    it("is refused while the answer may still come, and allowed once the timeout has passed", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      const deadline = triggeredAt + TIMEOUT;
      await mineUntilNext(ethers, networkHelpers, deadline);
      await expect(d.source.connect(d.consumer).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "RandomnessRequestPending")
        .withArgs(id, deadline, deadline);
      await mineUntilNext(ethers, networkHelpers, deadline + 2n);
      expect(await d.source.statusOf(id)).to.equal(Status.Expired);
      const notBefore = deadline + 10n;
      await expect(d.source.connect(d.consumer).rearm(id, notBefore))
        .to.emit(d.source, "RandomnessRearmed")
        .withArgs(id, notBefore);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
      expect(await d.source.vrfRequestOf(id)).to.deep.equal([0n, 0n, 0n]);
      // The old answer, arriving late, no longer counts.
      await expect(d.coordinator.fulfillRandomWords(vrfRequestId, d.source))
        .to.emit(d.source, "VrfFulfillmentIgnored")
        .withArgs(vrfRequestId);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
      // The re-armed request waits for its new notBefore, then gets a fresh VRF request.
      await expect(d.source.trigger(id)).to.be.revertedWithCustomError(d.source, "VrfRandomnessTriggerTooEarly");
      await mineUntilNext(ethers, networkHelpers, notBefore);
      const second = await triggerVrf(d, id);
      expect(second.vrfRequestId).to.not.equal(vrfRequestId);
      await d.coordinator.fulfillRandomWords(second.vrfRequestId, d.source);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, mockWord(second.vrfRequestId), notBefore]);
    });

    it("takes a late answer that arrives before any re-arm", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      await networkHelpers.mine(TIMEOUT + 5n);
      expect(await d.source.statusOf(id)).to.equal(Status.Expired);
      await d.coordinator.fulfillRandomWords(vrfRequestId, d.source);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, mockWord(vrfRequestId), triggeredAt]);
    });

    it("re-arms an answer known before the consumer's new window, never one that still serves it", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      await d.coordinator.fulfillRandomWords(vrfRequestId, d.source);
      for (const notBefore of [0n, triggeredAt]) {
        await expect(d.source.connect(d.consumer).rearm(id, notBefore))
          .to.be.revertedWithCustomError(d.source, "RandomnessValueUsable")
          .withArgs(id, triggeredAt, notBefore);
      }
      await expect(d.source.connect(d.consumer).rearm(id, triggeredAt + 1n))
        .to.emit(d.source, "RandomnessRearmed")
        .withArgs(id, triggeredAt + 1n);
      expect(await d.source.randomnessOf(id)).to.deep.equal(NOT_READY);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
    });

    it("moves the notBefore of a request not yet triggered", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const notBefore = (await nextBlock(ethers)) + 30n;
      await d.source.connect(d.consumer).rearm(id, notBefore);
      await expect(d.source.trigger(id))
        .to.be.revertedWithCustomError(d.source, "VrfRandomnessTriggerTooEarly")
        .withArgs(id, notBefore, (await latest()) + 1n);
    });

    it("is only for the request's own consumer, while it holds the role", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      await expect(d.source.connect(d.otherConsumer).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "RandomnessNotRequestConsumer")
        .withArgs(id, d.otherConsumer.address, d.consumer.address);
      await expect(d.source.connect(d.outsider).rearm(id, 0n))
        .to.be.revertedWithCustomError(d.source, "AccessControlUnauthorizedAccount")
        .withArgs(d.outsider.address, d.role);
      await expect(d.source.connect(d.consumer).rearm(id + 1n, 0n))
        .to.be.revertedWithCustomError(d.source, "RandomnessUnknownRequest")
        .withArgs(id + 1n);
    });
  });

  describe("who triggers does not matter", function () {
    it("yields the same value whoever triggers and reads, with any gas; a contract's revert gets it no other", async function () {
      const d = await loadFixture(vrfFixture);
      const id = await openVrf(d, 0n);
      const snapshot = await networkHelpers.takeSnapshot();

      await triggerVrf(d, id, d.keeper);
      await d.coordinator.fulfillRandomWords(1n, d.source);
      const reference = await d.source.randomnessOf(id);
      expect(reference[0]).to.equal(true);
      const value = reference[1];

      await snapshot.restore();
      // The picky contract triggers and, the value not being ready, reverts: its trigger is undone with it.
      await expect(d.picky.pick(d.source, id, 0n))
        .to.be.revertedWithCustomError(d.picky, "PickyRandomnessCallerDisliked")
        .withArgs(id, false, ethers.ZeroHash);
      expect(await d.source.statusOf(id)).to.equal(Status.Armed);
      await d.source.connect(d.outsider).trigger(id, { gasLimit: 1_000_000n });
      await d.coordinator.fulfillRandomWords(1n, d.source);
      for (const s of [d.consumer, d.outsider, d.keeper]) {
        for (const gasLimit of [60_000n, 1_000_000n]) {
          expect(await d.source.connect(s).randomnessOf(id, { gasLimit })).to.deep.equal(reference);
        }
      }
      await expect(d.picky.pick(d.source, id, 1n - parity(value)))
        .to.be.revertedWithCustomError(d.picky, "PickyRandomnessCallerDisliked")
        .withArgs(id, true, value);
      await expect(d.picky.pick(d.source, id, parity(value)))
        .to.emit(d.picky, "ValueAccepted")
        .withArgs(id, value);
      expect(await d.source.randomnessOf(id)).to.deep.equal(reference);
    });

    it("lets a consumer that dislikes a usable value re-roll nothing", async function () {
      const d = await loadFixture(vrfFixture);
      await d.source.grantRole(d.role, await d.picky.getAddress());
      const id = await requestIdOf(d.source, await d.picky.request(d.source, 0n));
      const { vrfRequestId, triggeredAt } = await triggerVrf(d, id);
      await d.coordinator.fulfillRandomWords(vrfRequestId, d.source);
      const value = mockWord(vrfRequestId);
      await expect(d.picky.rearmIfDisliked(d.source, id, 1n - parity(value), triggeredAt))
        .to.be.revertedWithCustomError(d.source, "RandomnessValueUsable")
        .withArgs(id, triggeredAt, triggeredAt);
      expect(await d.source.randomnessOf(id)).to.deep.equal([true, value, triggeredAt]);
    });
  });
});
