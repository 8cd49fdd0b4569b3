import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { seatCapacity, type Cohort } from "../../sdk/src/index.js";
import { POOL_CONFIG, UNIT, mineToOpen, mineToWindowStart, windowStartOf } from "../helpers/pool.js";
import { TASK_UNBONDING_PERIOD, deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { clientOf, refusedWithoutSending, revertsWithoutSending } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const event = (
  result: { events: { contract: string; name: string; args: Record<string, unknown> }[] },
  name: string,
) => {
  const found = result.events.filter((e) => e.name === name);
  expect(found, `one ${name} event`).to.have.length(1);
  return found[0]!;
};

/** The pool's actions through the SDK, with exact balances, stake, events and named refusals. */
describe("SDK: the pool's actions", function () {
  let sys: TaskSystem;
  let fresh: HardhatEthersSigner;
  let bountyHunter: HardhatEthersSigner;
  let worker: Cohort;
  let pool: string;
  const stakes = [300n, 200n, 150n, 100n, 80n, 50n].map((s) => s * UNIT);

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    const signers = await ethers.getSigners();
    fresh = signers[12]!;
    bountyHunter = signers[13]!;
    worker = await clientOf(ethers, sys, fresh);
    pool = await sys.pool.getAddress();
  });

  it("mintTestTokens mints on the open test token", async function () {
    const minted = await worker.mintTestTokens({ to: fresh.address, amount: 100n * UNIT });
    expect(await sys.token.balanceOf(fresh.address)).to.equal(100n * UNIT);
    expect(minted.gasUsed > 0n && minted.hash.length === 66).to.equal(true);
    expect(event(minted, "Transfer")).to.deep.equal({
      contract: "token",
      name: "Transfer",
      args: { from: ethers.ZeroAddress, to: fresh.address, value: 100n * UNIT },
    });
  });

  it("stake without an allowance is ERC20InsufficientAllowance, and nothing is sent", async function () {
    await revertsWithoutSending(
      worker,
      fresh.address,
      () => worker.stake({ amount: 50n * UNIT }),
      "ERC20InsufficientAllowance",
      {
        spender: pool,
        allowance: 0n,
        needed: 50n * UNIT,
      },
    );
  });

  it("approve, getAllowance, ensureAllowance", async function () {
    const approved = await worker.approve({ spender: "pool", amount: 100n * UNIT });
    expect(event(approved, "Approval").args).to.deep.equal({ owner: fresh.address, spender: pool, value: 100n * UNIT });
    expect(await worker.getAllowance({ owner: fresh.address, spender: "pool" })).to.equal(100n * UNIT);
    expect(await worker.getAllowance({ owner: fresh.address, spender: pool })).to.equal(100n * UNIT);
    expect(await worker.getAllowance({ owner: fresh.address, spender: "manager" })).to.equal(0n);
    // Already covered: nothing to send.
    const before = await ethers.provider.getTransactionCount(fresh.address);
    expect(await worker.ensureAllowance(pool, 60n * UNIT)).to.equal(undefined);
    expect(await ethers.provider.getTransactionCount(fresh.address)).to.equal(before);
  });

  it("stake below the minimum is SecurityPoolBelowMinimumStake(worker, resulting, minimum), and nothing is sent", async function () {
    await revertsWithoutSending(
      worker,
      fresh.address,
      () => worker.stake({ amount: 5n * UNIT }),
      "SecurityPoolBelowMinimumStake",
      {
        worker: fresh.address,
        resulting: 5n * UNIT,
        minimum: POOL_CONFIG.minStake,
      },
    );
  });

  it("stake in the open part of an epoch: its weight applies at once", async function () {
    await mineToOpen(ethers, networkHelpers);
    const staked = await worker.stake({ amount: 50n * UNIT });
    expect(staked.active).to.equal(50n * UNIT);
    expect(staked.approval).to.equal(undefined);
    expect(event(staked, "Staked").args).to.deep.equal({
      worker: fresh.address,
      amount: 50n * UNIT,
      active: 50n * UNIT,
    });
    expect(event(staked, "WeightUpdated").args).to.deep.equal({ worker: fresh.address, oldWeight: 0n, newWeight: 50n });
    expect(await sys.token.balanceOf(fresh.address)).to.equal(50n * UNIT);
    expect(await sys.token.allowance(fresh.address, pool)).to.equal(50n * UNIT);
    expect(await worker.getStake({ worker: fresh.address })).to.deep.equal({
      active: 50n * UNIT,
      locked: 0n,
      unbonding: 0n,
      unbondingEnd: 0n,
      seats: 0n,
      weight: 50n,
      targetWeight: 50n,
      free: 50n * UNIT,
      freeSeats: seatCapacity(50n * UNIT, POOL_CONFIG.seatBond),
    });
  });

  it("stake inside a draw window defers its weight; syncWeight applies it after the window, from anyone", async function () {
    await mineToWindowStart(ethers, networkHelpers);
    const staked = await worker.stake({ amount: 10n * UNIT, approve: true });
    const deferred = event(staked, "WeightChangeDeferred").args;
    expect(deferred).to.deep.include({ worker: fresh.address, weight: 50n, targetWeight: 60n });
    const windowEnd = deferred.windowEnd as bigint;
    expect(windowEnd).to.equal(windowStartOf(BigInt(staked.blockNumber)) + POOL_CONFIG.drawWindowBlocks - 1n);
    const stake = await worker.getStake({ worker: fresh.address });
    expect([stake.weight, stake.targetWeight]).to.deep.equal([50n, 60n]);

    const anyone = await clientOf(ethers, sys, sys.outsider);
    const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
    await revertsWithoutSending(
      anyone,
      sys.outsider.address,
      () => anyone.syncWeight({ worker: fresh.address }),
      "SecurityPoolWeightsFrozen",
      {
        current: next,
        end: windowEnd,
      },
    );
    await mineToOpen(ethers, networkHelpers);
    const synced = await anyone.syncWeight({ worker: fresh.address });
    expect(synced.weight).to.equal(60n);
    expect(event(synced, "WeightUpdated").args).to.deep.equal({
      worker: fresh.address,
      oldWeight: 50n,
      newWeight: 60n,
    });
  });

  it("requestUnstake refuses what is not free or would leave dust, then unbonds", async function () {
    await revertsWithoutSending(
      worker,
      fresh.address,
      () => worker.requestUnstake({ amount: 61n * UNIT }),
      "SecurityPoolInsufficientFreeStake",
      {
        worker: fresh.address,
        requested: 61n * UNIT,
        free: 60n * UNIT,
      },
    );
    await revertsWithoutSending(
      worker,
      fresh.address,
      () => worker.requestUnstake({ amount: 55n * UNIT }),
      "SecurityPoolBelowMinimumStake",
      {
        worker: fresh.address,
        resulting: 5n * UNIT,
        minimum: POOL_CONFIG.minStake,
      },
    );
    await mineToOpen(ethers, networkHelpers);
    const requested = await worker.requestUnstake({ amount: 20n * UNIT });
    expect(requested.unbondingEnd).to.equal(BigInt(requested.blockNumber) + TASK_UNBONDING_PERIOD);
    expect(event(requested, "UnstakeRequested").args).to.deep.equal({
      worker: fresh.address,
      amount: 20n * UNIT,
      unbonding: 20n * UNIT,
      unbondingEnd: requested.unbondingEnd,
    });
    const stake = await worker.getStake({ worker: fresh.address });
    expect([stake.active, stake.unbonding, stake.unbondingEnd, stake.weight]).to.deep.equal([
      40n * UNIT,
      20n * UNIT,
      requested.unbondingEnd,
      40n,
    ]);
  });

  it("withdraw waits for the unbonding period, pays once, then has nothing", async function () {
    const { unbondingEnd } = await worker.getStake({ worker: fresh.address });
    const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
    await revertsWithoutSending(worker, fresh.address, () => worker.withdraw(), "SecurityPoolStillUnbonding", {
      worker: fresh.address,
      unbondingEnd,
      current: next,
    });
    await networkHelpers.mine(unbondingEnd - next + 1n);
    const withdrawn = await worker.withdraw();
    expect(withdrawn.amount).to.equal(20n * UNIT);
    expect(event(withdrawn, "Withdrawn").args).to.deep.equal({ worker: fresh.address, amount: 20n * UNIT });
    expect(await sys.token.balanceOf(fresh.address)).to.equal(60n * UNIT);
    await revertsWithoutSending(worker, fresh.address, () => worker.withdraw(), "SecurityPoolNothingToWithdraw", {
      worker: fresh.address,
    });
  });

  it("getBalances and getPoolStatus read everything, exactly", async function () {
    const balances = await worker.getBalances({ account: fresh.address });
    expect(balances).to.deep.include({
      account: fresh.address,
      ether: await ethers.provider.getBalance(fresh.address),
      token: 60n * UNIT,
      poolClaimable: 0n,
      managerCredit: 0n,
      allowanceToPool: 40n * UNIT,
      allowanceToManager: 0n,
    });
    expect(balances.stake.active).to.equal(40n * UNIT);

    const status = await worker.getPoolStatus();
    const block = BigInt(await ethers.provider.getBlockNumber());
    const active = stakes.reduce((a, b) => a + b, 0n) + 40n * UNIT;
    expect(status).to.deep.equal({
      chainId: 31337n,
      blockNumber: block,
      addresses: worker.addresses,
      totals: { active, locked: 0n, unbonding: 0n, claimable: 0n, weight: active / UNIT, stakers: 7n },
      parameters: {
        minStake: POOL_CONFIG.minStake,
        seatBond: POOL_CONFIG.seatBond,
        unbondingPeriod: TASK_UNBONDING_PERIOD,
        treasury: sys.treasury.address,
      },
      drawWindow: {
        epoch: block / POOL_CONFIG.epochBlocks,
        start: windowStartOf(block),
        end: windowStartOf(block) + POOL_CONFIG.drawWindowBlocks - 1n,
        frozen: block >= windowStartOf(block),
      },
      epochBlocks: POOL_CONFIG.epochBlocks,
      drawWindowBlocks: POOL_CONFIG.drawWindowBlocks,
      weightUnit: UNIT,
      taskCount: 0n,
      paused: false,
    });
  });

  it("claimPoolBalance pays what a slash credited, to the payee and to the treasury", async function () {
    // A second slasher (the dispute contracts, later) names its own recipients; the rest goes to the treasury.
    await sys.pool.connect(sys.admin).grantRole(await sys.pool.SLASHER_ROLE(), sys.admin.address);
    await mineToOpen(ethers, networkHelpers);
    await (
      await sys.pool.connect(sys.admin).slash(fresh.address, 10n * UNIT, [bountyHunter.address], [4n * UNIT])
    ).wait();
    expect((await worker.getStake({ worker: fresh.address })).active).to.equal(30n * UNIT);

    const hunter = await clientOf(ethers, sys, bountyHunter);
    expect((await hunter.getBalances({ account: bountyHunter.address })).poolClaimable).to.equal(4n * UNIT);
    const claimed = await hunter.claimPoolBalance();
    expect(claimed.amount).to.equal(4n * UNIT);
    expect(event(claimed, "Claimed").args).to.deep.equal({ account: bountyHunter.address, amount: 4n * UNIT });
    expect(await sys.token.balanceOf(bountyHunter.address)).to.equal(4n * UNIT);
    await revertsWithoutSending(
      hunter,
      bountyHunter.address,
      () => hunter.claimPoolBalance(),
      "SecurityPoolNothingToClaim",
      {
        account: bountyHunter.address,
      },
    );

    const treasury = await clientOf(ethers, sys, sys.treasury);
    const before = await sys.token.balanceOf(sys.treasury.address);
    expect((await treasury.claimPoolBalance()).amount).to.equal(6n * UNIT);
    expect(await sys.token.balanceOf(sys.treasury.address)).to.equal(before + 6n * UNIT);
    expect((await worker.getPoolStatus()).totals.claimable).to.equal(0n);
  });

  it("approve: true leaves no approval behind when the call would fail for another reason", async function () {
    const signer = (await ethers.getSigners())[14]!;
    const newcomer = await clientOf(ethers, sys, signer);
    await newcomer.mintTestTokens({ to: signer.address, amount: 20n * UNIT });
    await revertsWithoutSending(
      newcomer,
      signer.address,
      () => newcomer.stake({ amount: 5n * UNIT, approve: true }),
      "SecurityPoolBelowMinimumStake",
      {
        worker: signer.address,
        resulting: 5n * UNIT,
        minimum: POOL_CONFIG.minStake,
      },
    );
    // More than the wallet holds: found before approving, since the token would refuse the transfer right after.
    await revertsWithoutSending(
      newcomer,
      signer.address,
      () => newcomer.stake({ amount: 50n * UNIT, approve: true }),
      "ERC20InsufficientBalance",
      {
        sender: signer.address,
        balance: 20n * UNIT,
        needed: 50n * UNIT,
      },
    );
    expect(await sys.token.allowance(signer.address, pool)).to.equal(0n);
    await mineToOpen(ethers, networkHelpers);
    const staked = await newcomer.stake({ amount: 20n * UNIT, approve: true });
    expect(staked.approval?.events.map((e) => e.name)).to.deep.equal(["Approval"]);
    expect([staked.active, await sys.token.allowance(signer.address, pool)]).to.deep.equal([20n * UNIT, 0n]);
  });

  it("an argument no contract could take is refused before anything is sent", async function () {
    const error = await refusedWithoutSending(worker, fresh.address, () => worker.stake({ amount: -1n }));
    expect((error as { name: string; argument: string }).name).to.equal("InvalidArgumentError");
    expect((error as { argument: string }).argument).to.equal("amount");
  });
});
