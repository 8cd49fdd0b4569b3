import { expect } from "chai";
import hre, { network } from "hardhat";

import { POOL_CONFIG, UNIT, accounts, enterWindow, mineToOpen } from "./helpers/pool.js";

const { ethers, networkHelpers } = await network.create();

/** EIP-7825: the per-transaction gas cap. */
const TX_GAS_CAP = 16_777_216n;
/** "Far below" the cap: the worst case of each pool function must leave at least half of it. */
const HALF_CAP = TX_GAS_CAP / 2n;

describe("SecurityPool worst cases at the caps (rule 5)", function () {
  it("drawSeats of 256 seats over the tallest tree, and a slash with 256 recipients, stay far below the cap", async function () {
    // Coverage instrumentation adds gas to every statement, so gas figures under --coverage say nothing.
    if (hre.globalOptions.coverage === true) this.skip();
    const { admin, taskManager, treasury, rest } = await accounts(ethers);
    const token = await ethers.deployContract("TestToken", ["T", "T"]);
    const pool = await ethers.deployContract("SecurityPoolBenchHarness", [
      await token.getAddress(),
      admin.address,
      UNIT,
      POOL_CONFIG.epochBlocks,
      POOL_CONFIG.drawWindowBlocks,
      { minStake: 10n * UNIT, seatBond: UNIT, unbondingPeriod: 50n, treasury: treasury.address },
    ]);
    // 512 stakers whose leaves lie 8^5 apart in an 8-level tree: every draw walks 8 levels, sharing only the top 3.
    for (let first = 0; first < 512; first += 32) await pool.benchSpread(first, 32, 8 ** 5);
    const [height] = await pool.benchShape();
    expect(height).to.equal(8n);
    expect((await pool.totals()).stakers).to.equal(512n);
    await enterWindow(ethers, networkHelpers);
    const maxSeats = await pool.MAX_SEATS_PER_DRAW();
    const drawGas = await pool.drawSeats.estimateGas(ethers.id("worst case"), maxSeats);
    expect(drawGas).to.be.below(HALF_CAP);
    await expect(pool.drawSeats.estimateGas(ethers.id("worst case"), maxSeats + 1n)).to.be.revertedWithCustomError(
      pool,
      "SecurityPoolTooManySeats",
    );

    await mineToOpen(ethers, networkHelpers);
    const worker = rest[0]!;
    await token.mint(worker.address, 1000n * UNIT);
    await token.connect(worker).approve(await pool.getAddress(), ethers.MaxUint256);
    await pool.connect(worker).stake(1000n * UNIT);
    await pool.grantRole(await pool.SLASHER_ROLE(), taskManager.address);
    const maxRecipients = Number(await pool.MAX_SLASH_RECIPIENTS());
    const recipients = Array.from({ length: maxRecipients }, (_, i) =>
      ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(i + 1), 20)),
    );
    const tx = await pool.connect(taskManager).slash(
      worker.address,
      1000n * UNIT,
      recipients,
      recipients.map(() => UNIT),
    );
    const receipt = await tx.wait();
    expect(receipt!.gasUsed).to.be.below(HALF_CAP);
    expect(await pool.claimableOf(recipients[maxRecipients - 1]!)).to.equal(UNIT);
    console.log(`      drawSeats(256) over 8 levels: ${drawGas} gas; slash to 256 recipients: ${receipt!.gasUsed} gas`);
  });
});
