import { expect } from "chai";
import { network } from "hardhat";

import {
  POOL_CONFIG,
  UNIT,
  accounts,
  deployPool,
  enterWindow,
  mineToOpen,
  mineToWindowStart,
  mineUntilNext,
  nextBlock,
} from "./helpers/pool.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

async function fixture() {
  const deployed = await deployPool(ethers);
  // Start every test in the open part of an epoch so weight changes apply at once unless a test says otherwise.
  await mineToOpen(ethers, networkHelpers);
  return deployed;
}

type Deployed = Awaited<ReturnType<typeof fixture>>;

/** Everything a failed call must leave untouched: totals, every worker's position, and token balances. */
async function snapshotState({ pool, token, workers, treasury }: Deployed) {
  const accounts = [...workers.map((w) => w.address), treasury.address];
  const positions = await Promise.all(accounts.map((a) => pool.stakeOf(a)));
  const claimables = await Promise.all(accounts.map((a) => pool.claimableOf(a)));
  const balances = await Promise.all([...accounts, await pool.getAddress()].map((a) => token.balanceOf(a)));
  return JSON.stringify(
    { totals: await pool.totals(), positions, claimables, balances, params: await pool.parameters() },
    (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
  );
}

async function expectNoStateChange(d: Deployed, action: () => Promise<unknown>) {
  const before = await snapshotState(d);
  await action();
  expect(await snapshotState(d)).to.equal(before);
}

describe("SecurityPool", function () {
  describe("deployment", function () {
    it("fixes the token, weight unit and epoch layout, and sets parameters and roles", async function () {
      const { pool, token, admin, treasury } = await loadFixture(fixture);
      expect(await pool.stakeToken()).to.equal(await token.getAddress());
      expect(await pool.weightUnit()).to.equal(POOL_CONFIG.weightUnit);
      expect(await pool.epochBlocks()).to.equal(POOL_CONFIG.epochBlocks);
      expect(await pool.drawWindowBlocks()).to.equal(POOL_CONFIG.drawWindowBlocks);
      const params = await pool.parameters();
      expect(params.minStake).to.equal(POOL_CONFIG.minStake);
      expect(params.seatBond).to.equal(POOL_CONFIG.seatBond);
      expect(params.unbondingPeriod).to.equal(POOL_CONFIG.unbondingPeriod);
      expect(params.treasury).to.equal(treasury.address);
      expect(await pool.hasRole(await pool.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
      expect(await pool.hasRole(await pool.PAUSER_ROLE(), admin.address)).to.equal(true);
    });

    it("refuses a zero token, a zero admin, a zero weight unit and bad epoch layouts", async function () {
      const { admin, treasury } = await accounts(ethers);
      const token = await ethers.deployContract("TestToken", ["T", "T"]);
      const factory = await ethers.getContractFactory("SecurityPool");
      const params = { minStake: UNIT, seatBond: UNIT, unbondingPeriod: 10n, treasury: treasury.address };
      const t = await token.getAddress();
      await expect(
        factory.deploy(ethers.ZeroAddress, admin.address, UNIT, 20n, 5n, params),
      ).to.be.revertedWithCustomError(factory, "SecurityPoolZeroAddress");
      await expect(factory.deploy(t, ethers.ZeroAddress, UNIT, 20n, 5n, params)).to.be.revertedWithCustomError(
        factory,
        "SecurityPoolZeroAddress",
      );
      await expect(factory.deploy(t, admin.address, 0n, 20n, 5n, params)).to.be.revertedWithCustomError(
        factory,
        "SecurityPoolZeroAmount",
      );
      await expect(factory.deploy(t, admin.address, 2n ** 112n, 20n, 5n, params))
        .to.be.revertedWithCustomError(factory, "SecurityPoolParameterOutOfBounds")
        .withArgs(ethers.encodeBytes32String("weightUnit"), 2n ** 112n, 1n, 2n ** 112n - 1n);
      for (const [epoch, window] of [
        [20n, 0n],
        [20n, 20n],
        [257n, 5n],
      ] as const) {
        await expect(factory.deploy(t, admin.address, UNIT, epoch, window, params))
          .to.be.revertedWithCustomError(factory, "SecurityPoolInvalidEpochLayout")
          .withArgs(epoch, window);
      }
      await expect(factory.deploy(t, admin.address, UNIT, 20n, 5n, { ...params, unbondingPeriod: 0n }))
        .to.be.revertedWithCustomError(factory, "SecurityPoolParameterOutOfBounds")
        .withArgs(ethers.encodeBytes32String("unbondingPeriod"), 0n, 1n, 5_256_000n);
    });
  });

  describe("stake", function () {
    it("moves the tokens, raises active stake, totals and weight, and emits", async function () {
      const d = await loadFixture(fixture);
      const { pool, token, workers } = d;
      const [w] = workers;
      const amount = 25n * UNIT;
      await expect(pool.connect(w!).stake(amount))
        .to.emit(pool, "Staked")
        .withArgs(w!.address, amount, amount)
        .and.to.emit(pool, "WeightUpdated")
        .withArgs(w!.address, 0n, 25n);
      const info = await pool.stakeOf(w!.address);
      expect(info.active).to.equal(amount);
      expect(info.weight).to.equal(25n);
      expect(info.targetWeight).to.equal(25n);
      const totals = await pool.totals();
      expect(totals.active).to.equal(amount);
      expect(totals.weight).to.equal(25n);
      expect(totals.stakers).to.equal(1n);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(amount);
    });

    it("adds to an existing stake; weight rounds down to whole weight units", async function () {
      const { pool, workers } = await loadFixture(fixture);
      const [w] = workers;
      await pool.connect(w!).stake(10n * UNIT);
      await expect(pool.connect(w!).stake(UNIT / 2n))
        .to.emit(pool, "Staked")
        .withArgs(w!.address, UNIT / 2n, 10n * UNIT + UNIT / 2n)
        .and.not.to.emit(pool, "WeightUpdated");
      await expect(pool.connect(w!).stake(UNIT / 2n))
        .to.emit(pool, "WeightUpdated")
        .withArgs(w!.address, 10n, 11n);
      expect((await pool.totals()).stakers).to.equal(1n);
    });

    it("reverts on zero, below the minimum, and while paused, changing nothing", async function () {
      const d = await loadFixture(fixture);
      const { pool, workers, admin } = d;
      const w = workers[0]!;
      await expectNoStateChange(d, async () => {
        await expect(pool.connect(w).stake(0n)).to.be.revertedWithCustomError(pool, "SecurityPoolZeroAmount");
        await expect(pool.connect(w).stake(POOL_CONFIG.minStake - 1n))
          .to.be.revertedWithCustomError(pool, "SecurityPoolBelowMinimumStake")
          .withArgs(w.address, POOL_CONFIG.minStake - 1n, POOL_CONFIG.minStake);
        await pool.connect(admin).pause();
        await expect(pool.connect(w).stake(POOL_CONFIG.minStake)).to.be.revertedWithCustomError(pool, "EnforcedPause");
        await pool.connect(admin).unpause();
      });
      await expect(pool.connect(w).stake(POOL_CONFIG.minStake)).to.emit(pool, "Staked");
    });

    it("refuses fee-on-transfer tokens", async function () {
      const { admin, treasury, outsider: staker } = await accounts(ethers);
      const fee = await ethers.deployContract("FeeOnTransferToken");
      const pool = await ethers.deployContract("SecurityPool", [
        await fee.getAddress(),
        admin.address,
        UNIT,
        20n,
        5n,
        { minStake: UNIT, seatBond: UNIT, unbondingPeriod: 10n, treasury: treasury.address },
      ]);
      await fee.mint(staker.address, 1000n * UNIT);
      await fee.connect(staker).approve(await pool.getAddress(), ethers.MaxUint256);
      await expect(pool.connect(staker).stake(100n * UNIT))
        .to.be.revertedWithCustomError(pool, "SecurityPoolFeeOnTransferToken")
        .withArgs(100n * UNIT, 99n * UNIT);
      expect(await fee.balanceOf(staker.address)).to.equal(1000n * UNIT);
      expect((await pool.totals()).active).to.equal(0n);
    });

    it("refuses stake beyond what the 32-bit weight total can account for", async function () {
      const { admin, treasury, outsider: staker } = await accounts(ethers);
      const token = await ethers.deployContract("TestToken", ["T", "T"]);
      // A weight unit of 1 wei caps the pool at 2^32 - 1 wei of active stake.
      const pool = await ethers.deployContract("SecurityPool", [
        await token.getAddress(),
        admin.address,
        1n,
        20n,
        5n,
        { minStake: 1n, seatBond: 1n, unbondingPeriod: 10n, treasury: treasury.address },
      ]);
      await token.mint(staker.address, 2n ** 33n);
      await token.connect(staker).approve(await pool.getAddress(), ethers.MaxUint256);
      await pool.connect(staker).stake(2n ** 32n - 2n);
      await expect(pool.connect(staker).stake(2n))
        .to.be.revertedWithCustomError(pool, "SecurityPoolStakeTooLarge")
        .withArgs(staker.address, 2n ** 32n, 2n ** 32n - 1n);
      await pool.connect(staker).stake(1n);
      expect((await pool.totals()).weight).to.equal(2n ** 32n - 1n);
    });
  });

  describe("requestUnstake and withdraw", function () {
    it("moves stake to unbonding with an end block, and withdraws it one block after that end", async function () {
      const { pool, token, workers } = await loadFixture(fixture);
      const w = workers[0]!;
      await pool.connect(w).stake(50n * UNIT);
      const requestBlock = await nextBlock(ethers);
      const end = requestBlock + POOL_CONFIG.unbondingPeriod;
      await expect(pool.connect(w).requestUnstake(20n * UNIT))
        .to.emit(pool, "UnstakeRequested")
        .withArgs(w.address, 20n * UNIT, 20n * UNIT, end)
        .and.to.emit(pool, "WeightUpdated")
        .withArgs(w.address, 50n, 30n);
      let info = await pool.stakeOf(w.address);
      expect(info.active).to.equal(30n * UNIT);
      expect(info.unbonding).to.equal(20n * UNIT);
      expect(info.unbondingEnd).to.equal(end);
      expect((await pool.totals()).unbonding).to.equal(20n * UNIT);

      await mineUntilNext(ethers, networkHelpers, end);
      await expect(pool.connect(w).withdraw())
        .to.be.revertedWithCustomError(pool, "SecurityPoolStillUnbonding")
        .withArgs(w.address, end, end);
      await networkHelpers.mine(1); // the failed call mined nothing; the withdrawal lands in block end + 1
      const before = await token.balanceOf(w.address);
      await expect(pool.connect(w).withdraw())
        .to.emit(pool, "Withdrawn")
        .withArgs(w.address, 20n * UNIT);
      expect(await token.balanceOf(w.address)).to.equal(before + 20n * UNIT);
      info = await pool.stakeOf(w.address);
      expect(info.unbonding).to.equal(0n);
      expect((await pool.totals()).unbonding).to.equal(0n);
      await expect(pool.connect(w).withdraw())
        .to.be.revertedWithCustomError(pool, "SecurityPoolNothingToWithdraw")
        .withArgs(w.address);
    });

    it("a full unstake removes the worker from the tree and a new request restarts the period", async function () {
      const { pool, workers } = await loadFixture(fixture);
      const [a, b] = workers;
      await pool.connect(a!).stake(40n * UNIT);
      await pool.connect(b!).stake(15n * UNIT);
      await pool.connect(a!).requestUnstake(10n * UNIT);
      await networkHelpers.mine(3);
      const second = await nextBlock(ethers);
      await pool.connect(a!).requestUnstake(30n * UNIT);
      const info = await pool.stakeOf(a!.address);
      expect(info.unbonding).to.equal(40n * UNIT);
      expect(info.unbondingEnd).to.equal(second + POOL_CONFIG.unbondingPeriod);
      expect(info.weight).to.equal(0n);
      const totals = await pool.totals();
      expect(totals.stakers).to.equal(1n);
      expect(totals.weight).to.equal(15n);
    });

    it("reverts on zero, more than the unlocked stake, or a remainder below the minimum", async function () {
      const d = await loadFixture(fixture);
      const { pool, workers, taskManager } = d;
      const w = workers[0]!;
      const v = workers[1]!;
      await pool.connect(w).stake(30n * UNIT);
      await pool.connect(v).stake(30n * UNIT);
      await pool.connect(taskManager).lockSeats(w.address, 2n, 5n * UNIT);
      await expectNoStateChange(d, async () => {
        await expect(pool.connect(w).requestUnstake(0n)).to.be.revertedWithCustomError(pool, "SecurityPoolZeroAmount");
        await expect(pool.connect(w).requestUnstake(21n * UNIT))
          .to.be.revertedWithCustomError(pool, "SecurityPoolInsufficientFreeStake")
          .withArgs(w.address, 21n * UNIT, 20n * UNIT);
        await expect(pool.connect(v).requestUnstake(25n * UNIT))
          .to.be.revertedWithCustomError(pool, "SecurityPoolBelowMinimumStake")
          .withArgs(v.address, 5n * UNIT, POOL_CONFIG.minStake);
      });
    });

    it("unstaking, withdrawing and claiming keep working while paused", async function () {
      const { pool, workers, admin, taskManager } = await loadFixture(fixture);
      const w = workers[0]!;
      await pool.connect(w).stake(30n * UNIT);
      await pool.connect(taskManager).slash(w.address, UNIT, [w.address], [UNIT]);
      await pool.connect(admin).pause();
      await pool.connect(w).requestUnstake(29n * UNIT);
      await networkHelpers.mine(POOL_CONFIG.unbondingPeriod + 1n);
      await expect(pool.connect(w).withdraw()).to.emit(pool, "Withdrawn");
      await expect(pool.connect(w).claim()).to.emit(pool, "Claimed").withArgs(w.address, UNIT);
    });
  });

  describe("seats", function () {
    it("locks and unlocks seat bonds, and never more than the unlocked stake covers", async function () {
      const d = await loadFixture(fixture);
      const { pool, workers, taskManager } = d;
      const w = workers[0]!;
      await pool.connect(w).stake(22n * UNIT);
      await expect(pool.connect(taskManager).lockSeats(w.address, 3n, 5n * UNIT))
        .to.emit(pool, "SeatsLocked")
        .withArgs(w.address, 3n, 5n * UNIT, 15n * UNIT);
      let info = await pool.stakeOf(w.address);
      expect(info.locked).to.equal(15n * UNIT);
      expect(info.seats).to.equal(3n);
      expect((await pool.totals()).locked).to.equal(15n * UNIT);
      await expectNoStateChange(d, async () => {
        await expect(pool.connect(taskManager).lockSeats(w.address, 2n, 5n * UNIT))
          .to.be.revertedWithCustomError(pool, "SecurityPoolInsufficientStakeForSeats")
          .withArgs(w.address, 10n * UNIT, 7n * UNIT);
        await expect(pool.connect(taskManager).lockSeats(w.address, 0n, 5n * UNIT)).to.be.revertedWithCustomError(
          pool,
          "SecurityPoolZeroSeats",
        );
        await expect(pool.connect(taskManager).unlockSeats(w.address, 0n, 5n * UNIT)).to.be.revertedWithCustomError(
          pool,
          "SecurityPoolZeroSeats",
        );
      });
      await expect(pool.connect(taskManager).unlockSeats(w.address, 2n, 5n * UNIT))
        .to.emit(pool, "SeatsUnlocked")
        .withArgs(w.address, 2n, 5n * UNIT, 5n * UNIT);
      info = await pool.stakeOf(w.address);
      expect(info.locked).to.equal(5n * UNIT);
      expect(info.seats).to.equal(1n);
    });

    it("only the seat manager locks and unlocks", async function () {
      const d = await loadFixture(fixture);
      const { pool, workers, outsider } = d;
      const w = workers[0]!;
      await pool.connect(w).stake(20n * UNIT);
      const role = await pool.SEAT_MANAGER_ROLE();
      await expectNoStateChange(d, async () => {
        await expect(pool.connect(outsider).lockSeats(w.address, 1n, UNIT))
          .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
          .withArgs(outsider.address, role);
        await expect(pool.connect(w).unlockSeats(w.address, 1n, UNIT))
          .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
          .withArgs(w.address, role);
      });
    });
  });

  describe("slash", function () {
    it("takes unlocked stake first, pays recipients in order and the rest to the treasury", async function () {
      const { pool, workers, taskManager, treasury } = await loadFixture(fixture);
      const [w, c, h] = workers;
      await pool.connect(w!).stake(30n * UNIT);
      await pool.connect(taskManager).lockSeats(w!.address, 2n, 5n * UNIT);
      await expect(
        pool.connect(taskManager).slash(w!.address, 12n * UNIT, [c!.address, h!.address], [7n * UNIT, 3n * UNIT]),
      )
        .to.emit(pool, "WorkerSlashed")
        .withArgs(w!.address, taskManager.address, 12n * UNIT, 12n * UNIT, 0n)
        .and.to.emit(pool, "SlashCredited")
        .withArgs(w!.address, c!.address, 7n * UNIT)
        .and.to.emit(pool, "SlashCredited")
        .withArgs(w!.address, h!.address, 3n * UNIT)
        .and.to.emit(pool, "SlashCredited")
        .withArgs(w!.address, treasury.address, 2n * UNIT)
        .and.to.emit(pool, "WeightUpdated")
        .withArgs(w!.address, 30n, 18n);
      const info = await pool.stakeOf(w!.address);
      expect(info.active).to.equal(18n * UNIT);
      expect(info.locked).to.equal(10n * UNIT);
      expect(await pool.claimableOf(c!.address)).to.equal(7n * UNIT);
      expect(await pool.claimableOf(h!.address)).to.equal(3n * UNIT);
      expect(await pool.claimableOf(treasury.address)).to.equal(2n * UNIT);
      const totals = await pool.totals();
      expect(totals.active).to.equal(18n * UNIT);
      expect(totals.claimable).to.equal(12n * UNIT);
    });

    it("reaches unbonding stake, then locked stake, and never takes more than the worker has", async function () {
      const { pool, workers, taskManager, treasury } = await loadFixture(fixture);
      const [w, c] = workers;
      await pool.connect(w!).stake(40n * UNIT);
      await pool.connect(taskManager).lockSeats(w!.address, 2n, 5n * UNIT);
      await pool.connect(w!).requestUnstake(20n * UNIT); // active 20 (10 locked), unbonding 20
      await expect(pool.connect(taskManager).slash(w!.address, 100n * UNIT, [c!.address], [60n * UNIT]))
        .to.emit(pool, "WorkerSlashed")
        .withArgs(w!.address, taskManager.address, 100n * UNIT, 40n * UNIT, 20n * UNIT);
      const info = await pool.stakeOf(w!.address);
      expect(info.active).to.equal(0n);
      expect(info.locked).to.equal(0n);
      expect(info.unbonding).to.equal(0n);
      expect(info.weight).to.equal(0n);
      // Payouts are paid in order while the slashed amount lasts; nothing is left for the treasury.
      expect(await pool.claimableOf(c!.address)).to.equal(40n * UNIT);
      expect(await pool.claimableOf(treasury.address)).to.equal(0n);
      const totals = await pool.totals();
      expect(totals.stakers).to.equal(0n);
      expect(totals.locked).to.equal(0n);
      // The seat's later release saturates instead of blocking its task.
      await expect(pool.connect(taskManager).unlockSeats(w!.address, 2n, 5n * UNIT))
        .to.emit(pool, "SeatsUnlocked")
        .withArgs(w!.address, 2n, 5n * UNIT, 0n);
    });

    it("unbonding stake is slashable through the last block of the period and withdrawable one block later", async function () {
      const { pool, workers, taskManager, treasury } = await loadFixture(fixture);
      const w = workers[0]!;
      await pool.connect(w).stake(30n * UNIT);
      const requestBlock = await nextBlock(ethers);
      await pool.connect(w).requestUnstake(30n * UNIT);
      const end = requestBlock + POOL_CONFIG.unbondingPeriod;
      await mineUntilNext(ethers, networkHelpers, end);
      // Block `end`: still slashable (and not yet withdrawable).
      await expect(pool.connect(taskManager).slash(w.address, 4n * UNIT, [], []))
        .to.emit(pool, "WorkerSlashed")
        .withArgs(w.address, taskManager.address, 4n * UNIT, 4n * UNIT, 4n * UNIT);
      expect(await pool.claimableOf(treasury.address)).to.equal(4n * UNIT);
      // Block `end + 1`: nothing slashable is left, and the worker withdraws the rest.
      await expect(pool.connect(taskManager).slash(w.address, 4n * UNIT, [], []))
        .to.emit(pool, "WorkerSlashed")
        .withArgs(w.address, taskManager.address, 4n * UNIT, 0n, 0n);
      await expect(pool.connect(w).withdraw())
        .to.emit(pool, "Withdrawn")
        .withArgs(w.address, 26n * UNIT);
    });

    it("refuses bad slash input and unauthorized callers, changing nothing", async function () {
      const d = await loadFixture(fixture);
      const { pool, workers, taskManager, outsider } = d;
      const [w, c] = workers;
      await pool.connect(w!).stake(30n * UNIT);
      const tm = pool.connect(taskManager);
      await expectNoStateChange(d, async () => {
        await expect(tm.slash(w!.address, 0n, [], [])).to.be.revertedWithCustomError(pool, "SecurityPoolZeroAmount");
        await expect(tm.slash(w!.address, UNIT, [c!.address], []))
          .to.be.revertedWithCustomError(pool, "SecurityPoolSlashLengthMismatch")
          .withArgs(1n, 0n);
        const many = Array.from({ length: 257 }, () => c!.address);
        await expect(
          tm.slash(
            w!.address,
            UNIT,
            many,
            many.map(() => 0n),
          ),
        )
          .to.be.revertedWithCustomError(pool, "SecurityPoolTooManyRecipients")
          .withArgs(257n, 256n);
        await expect(tm.slash(w!.address, UNIT, [ethers.ZeroAddress], [1n])).to.be.revertedWithCustomError(
          pool,
          "SecurityPoolZeroAddress",
        );
        await expect(tm.slash(w!.address, UNIT, [c!.address, c!.address], [UNIT, 1n]))
          .to.be.revertedWithCustomError(pool, "SecurityPoolPayoutsExceedSlash")
          .withArgs(UNIT + 1n, UNIT);
        await expect(pool.connect(outsider).slash(w!.address, UNIT, [], []))
          .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
          .withArgs(outsider.address, await pool.SLASHER_ROLE());
      });
    });
  });

  describe("claim", function () {
    it("pays what slashes credited, once", async function () {
      const { pool, token, workers, taskManager } = await loadFixture(fixture);
      const [w, c] = workers;
      await pool.connect(w!).stake(30n * UNIT);
      await pool.connect(taskManager).slash(w!.address, 5n * UNIT, [c!.address], [5n * UNIT]);
      const before = await token.balanceOf(c!.address);
      await expect(pool.connect(c!).claim())
        .to.emit(pool, "Claimed")
        .withArgs(c!.address, 5n * UNIT);
      expect(await token.balanceOf(c!.address)).to.equal(before + 5n * UNIT);
      expect((await pool.totals()).claimable).to.equal(0n);
      await expect(pool.connect(c!).claim())
        .to.be.revertedWithCustomError(pool, "SecurityPoolNothingToClaim")
        .withArgs(c!.address);
    });
  });

  describe("draw windows and weights", function () {
    it("defers weight changes made inside a draw window until syncWeight after it", async function () {
      const { pool, workers } = await loadFixture(fixture);
      const [a, b] = workers;
      await pool.connect(a!).stake(20n * UNIT);
      const start = await mineToWindowStart(ethers, networkHelpers);
      const end = start + POOL_CONFIG.drawWindowBlocks - 1n;
      await expect(pool.connect(b!).stake(30n * UNIT))
        .to.emit(pool, "WeightChangeDeferred")
        .withArgs(b!.address, 0n, 30n, end)
        .and.not.to.emit(pool, "WeightUpdated");
      await expect(pool.connect(a!).requestUnstake(10n * UNIT))
        .to.emit(pool, "WeightChangeDeferred")
        .withArgs(a!.address, 20n, 10n, end);
      expect((await pool.totals()).weight).to.equal(20n);
      expect((await pool.stakeOf(b!.address)).targetWeight).to.equal(30n);
      await expect(pool.syncWeight(b!.address))
        .to.be.revertedWithCustomError(pool, "SecurityPoolWeightsFrozen")
        .withArgs(await nextBlock(ethers), end);
      await mineUntilNext(ethers, networkHelpers, end + 1n);
      await expect(pool.syncWeight(b!.address)).to.emit(pool, "WeightUpdated").withArgs(b!.address, 0n, 30n);
      await expect(pool.syncWeight(a!.address)).to.emit(pool, "WeightUpdated").withArgs(a!.address, 20n, 10n);
      await expect(pool.syncWeight(a!.address)).not.to.emit(pool, "WeightUpdated");
      expect((await pool.totals()).weight).to.equal(40n);
    });

    it("reports the draw window of the current epoch", async function () {
      const { pool } = await loadFixture(fixture);
      const start = await mineToWindowStart(ethers, networkHelpers);
      await networkHelpers.mine(1); // the window's first block is now the latest one
      const window = await pool.drawWindow({ blockTag: "latest" });
      expect(window.start).to.equal(start);
      expect(window.end).to.equal(start + POOL_CONFIG.drawWindowBlocks - 1n);
      expect(window.epoch).to.equal(start / POOL_CONFIG.epochBlocks);
    });

    it("draws only inside a window, only up to the seat cap, and only from a non-empty pool", async function () {
      const { pool, workers } = await loadFixture(fixture);
      const seed = ethers.id("seed");
      const start = await enterWindow(ethers, networkHelpers);
      await expect(pool.drawSeats(seed, 1n)).to.be.revertedWithCustomError(pool, "SortitionTreeEmpty");
      await mineToOpen(ethers, networkHelpers);
      await pool.connect(workers[0]!).stake(10n * UNIT);
      // Views run with the latest block's number.
      const latest = BigInt(await ethers.provider.getBlockNumber());
      await expect(pool.drawSeats(seed, 1n))
        .to.be.revertedWithCustomError(pool, "SecurityPoolWeightsNotFrozen")
        .withArgs(latest, start + POOL_CONFIG.epochBlocks);
      await enterWindow(ethers, networkHelpers);
      for (const count of [0n, 257n]) {
        await expect(pool.drawSeats(seed, count))
          .to.be.revertedWithCustomError(pool, "SecurityPoolTooManySeats")
          .withArgs(count, 256n);
      }
      const seats = await pool.drawSeats(seed, 256n);
      expect(seats).to.have.length(256);
      expect(new Set(seats)).to.deep.equal(new Set([workers[0]!.address]));
    });

    it("seat j is the worker whose weight interval holds keccak256(seed, j) mod total", async function () {
      const { pool, workers } = await loadFixture(fixture);
      const stakes = [10n, 25n, 13n, 40n, 7n + 10n, 31n];
      for (const [i, s] of stakes.entries()) await pool.connect(workers[i]!).stake(s * UNIT);
      await enterWindow(ethers, networkHelpers);
      const seed = ethers.id("cohort");
      const seats = await pool.drawSeats(seed, 64n);
      const total = stakes.reduce((x, y) => x + y, 0n);
      const coder = ethers.AbiCoder.defaultAbiCoder();
      for (let j = 0; j < 64; j++) {
        let r = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256"], [seed, j]))) % total;
        let owner = -1;
        for (const [i, s] of stakes.entries()) {
          if (r < s) {
            owner = i;
            break;
          }
          r -= s;
        }
        expect(seats[j]).to.equal(workers[owner]!.address, `seat ${j}`);
      }
    });
  });

  describe("parameters and pausing", function () {
    it("the admin sets bounded parameters; others cannot", async function () {
      const d = await loadFixture(fixture);
      const { pool, admin, outsider, treasury } = d;
      const next = { minStake: 20n * UNIT, seatBond: 2n * UNIT, unbondingPeriod: 100n, treasury: outsider.address };
      await expect(pool.connect(admin).setParameters(next))
        .to.emit(pool, "ParametersSet")
        .withArgs(next.minStake, next.seatBond, next.unbondingPeriod, next.treasury);
      expect((await pool.parameters()).treasury).to.equal(outsider.address);
      const good = { minStake: UNIT, seatBond: UNIT, unbondingPeriod: 10n, treasury: treasury.address };
      const b32 = ethers.encodeBytes32String;
      await expectNoStateChange(d, async () => {
        await expect(pool.connect(outsider).setParameters(good)).to.be.revertedWithCustomError(
          pool,
          "AccessControlUnauthorizedAccount",
        );
        await expect(pool.connect(admin).setParameters({ ...good, minStake: UNIT - 1n }))
          .to.be.revertedWithCustomError(pool, "SecurityPoolParameterOutOfBounds")
          .withArgs(b32("minStake"), UNIT - 1n, UNIT, (2n ** 32n - 1n) * UNIT);
        await expect(pool.connect(admin).setParameters({ ...good, seatBond: 0n }))
          .to.be.revertedWithCustomError(pool, "SecurityPoolParameterOutOfBounds")
          .withArgs(b32("seatBond"), 0n, 1n, 2n ** 112n - 1n);
        await expect(pool.connect(admin).setParameters({ ...good, unbondingPeriod: 5_256_001n }))
          .to.be.revertedWithCustomError(pool, "SecurityPoolParameterOutOfBounds")
          .withArgs(b32("unbondingPeriod"), 5_256_001n, 1n, 5_256_000n);
        await expect(
          pool.connect(admin).setParameters({ ...good, treasury: ethers.ZeroAddress }),
        ).to.be.revertedWithCustomError(pool, "SecurityPoolZeroAddress");
      });
    });

    it("a changed unbonding period leaves running periods alone", async function () {
      const { pool, admin, workers, treasury } = await loadFixture(fixture);
      const w = workers[0]!;
      await pool.connect(w).stake(20n * UNIT);
      await pool.connect(w).requestUnstake(20n * UNIT);
      const end = (await pool.stakeOf(w.address)).unbondingEnd;
      await pool
        .connect(admin)
        .setParameters({ minStake: UNIT, seatBond: UNIT, unbondingPeriod: 1n, treasury: treasury.address });
      expect((await pool.stakeOf(w.address)).unbondingEnd).to.equal(end);
      await expect(pool.connect(w).withdraw()).to.be.revertedWithCustomError(pool, "SecurityPoolStillUnbonding");
    });

    it("only the pauser pauses and unpauses", async function () {
      const { pool, admin, outsider } = await loadFixture(fixture);
      const role = await pool.PAUSER_ROLE();
      await expect(pool.connect(outsider).pause())
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role);
      await expect(pool.connect(admin).pause()).to.emit(pool, "Paused").withArgs(admin.address);
      await expect(pool.connect(outsider).unpause())
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role);
      await expect(pool.connect(admin).unpause()).to.emit(pool, "Unpaused").withArgs(admin.address);
    });
  });
});
