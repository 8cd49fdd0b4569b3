import { expect } from "chai";
import { network } from "hardhat";

import { withGasMargin } from "../../sdk/src/internal/write.js";
import { UNIT } from "../helpers/pool.js";
import { deployTaskSystem } from "../helpers/tasks.js";
import { clientOf } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/**
 * Writes go out with a margin over the node's exact estimate: another transaction of the same block can change the
 * state the estimate ran on, and an agents test once saw a task posted at its exact estimate run out of gas.
 */
describe("SDK: the gas limit of a write", function () {
  it("is the estimate plus a quarter and 10,000, never above the per-transaction cap unless the estimate is", function () {
    expect(withGasMargin(21_000n)).to.equal(36_250n);
    expect(withGasMargin(400_000n)).to.equal(510_000n);
    expect(withGasMargin(14_000_000n)).to.equal(16_777_216n);
    expect(withGasMargin(16_777_216n)).to.equal(16_777_216n);
    expect(withGasMargin(20_000_000n)).to.equal(20_000_000n);
  });

  it("is what a write sends: its transaction's limit is the margin over the estimate, above the gas it used", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    const [, , , , , , , , , , , , someone] = await ethers.getSigners();
    const cohort = await clientOf(ethers, sys, someone);
    const estimate = await sys.token.connect(someone!).mint.estimateGas(someone!.address, 5n * UNIT);
    const minted = await cohort.mintTestTokens({ to: someone!.address, amount: 5n * UNIT });
    const tx = await ethers.provider.getTransaction(minted.hash);
    expect(tx!.gasLimit).to.equal(withGasMargin(estimate));
    expect(tx!.gasLimit > (minted.gasUsed * 125n) / 100n).to.equal(true);
  });
});
