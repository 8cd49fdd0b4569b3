import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";

import { POOL_CONFIG, UNIT, deployPool, enterWindow, mineToOpen, mineUntilNext, stakeOpen } from "./helpers/pool.js";

const { ethers, networkHelpers } = await network.create();

const SEATS = 32n;
const STAKES = [12n, 30n, 45n, 18n, 90n, 25n, 60n, 15n].map((s) => s * UNIT);

type Action =
  | { kind: "stake"; worker: number; amount: bigint }
  | { kind: "unstake"; worker: number; amount: bigint }
  | { kind: "sync"; worker: number }
  | { kind: "withdraw"; worker: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant("stake" as const),
    worker: fc.nat(STAKES.length - 1),
    amount: fc.bigInt(10n, 500n).map((x) => x * UNIT),
  }),
  fc.record({
    kind: fc.constant("unstake" as const),
    worker: fc.nat(STAKES.length - 1),
    amount: fc.bigInt(1n, 60n).map((x) => x * UNIT),
  }),
  fc.record({ kind: fc.constant("sync" as const), worker: fc.nat(STAKES.length - 1) }),
  fc.record({ kind: fc.constant("withdraw" as const), worker: fc.nat(STAKES.length - 1) }),
);

async function setup() {
  const d = await deployPool(ethers, STAKES.length);
  await stakeOpen(ethers, networkHelpers, d.pool, d.workers, STAKES);
  await mineToOpen(ethers, networkHelpers);
  return d;
}

describe("SecurityPool rule 2: no one who can know a draw's seed can change the weights it uses", function () {
  it("stakes, unstakes, syncs, withdrawals and draws from every account around the seed never change the seats", async function () {
    const d = await networkHelpers.loadFixture(setup);
    const { pool, workers } = d;
    const gas = { gasLimit: 400_000n };

    /** Sends every action of one block from its worker without automine, then mines that block. */
    async function runBlock(actions: Action[]) {
      for (const a of actions) {
        const p = pool.connect(workers[a.worker]!);
        // Explicit gas limits skip estimation, so actions that revert are still mined (and fail) like real ones.
        if (a.kind === "stake") await p.stake(a.amount, gas);
        else if (a.kind === "unstake") await p.requestUnstake(a.amount, gas);
        else if (a.kind === "sync") await p.syncWeight(workers[(a.worker + 1) % workers.length]!.address, gas);
        else await p.withdraw(gas);
      }
      await ethers.provider.send("evm_mine", []);
    }

    // One list of actions per block: 2 open blocks before the window, then every block of the window.
    const blocks = Number(POOL_CONFIG.drawWindowBlocks) + 2;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(actionArb, { maxLength: 6 }), { minLength: blocks, maxLength: blocks }),
        async (plan) => {
          const restorer = await networkHelpers.takeSnapshot();
          try {
            const latest = BigInt(await ethers.provider.getBlockNumber());
            let start =
              (latest / POOL_CONFIG.epochBlocks + 1n) * POOL_CONFIG.epochBlocks - POOL_CONFIG.drawWindowBlocks;
            if (start - 2n <= latest) start += POOL_CONFIG.epochBlocks;
            await mineUntilNext(ethers, networkHelpers, start - 2n);
            await ethers.provider.send("evm_setAutomine", [false]);
            // Blocks start-2 and start-1 (open; the seed does not exist yet) and block `start`, whose hash is the seed.
            for (const actions of plan.slice(0, 3)) await runBlock(actions);
            const seed = (await ethers.provider.getBlock(start))!.hash!;
            const committee = await pool.drawSeats(seed, SEATS);
            // Every later block of the window: everyone acts, and everyone (any sender, any gas) draws the same seats.
            for (const actions of plan.slice(3)) {
              await runBlock(actions);
              for (const w of workers) {
                const seats = await pool
                  .connect(w)
                  .drawSeats(seed, SEATS, { gasLimit: 3_000_000n + BigInt(actions.length) });
                expect(seats).to.deep.equal(committee);
              }
            }
            const last = BigInt(await ethers.provider.getBlockNumber());
            expect(last).to.equal(start + POOL_CONFIG.drawWindowBlocks - 1n);
          } finally {
            await ethers.provider.send("evm_setAutomine", [true]);
            await restorer.restore();
          }
        },
      ),
      { numRuns: 12, seed: 2026 },
    );
  });

  it("control: the same changes made before the window do change the seats a seed draws", async function () {
    const { pool, workers } = await networkHelpers.loadFixture(setup);
    await enterWindow(ethers, networkHelpers);
    const seed = ethers.id("control");
    const before = await pool.drawSeats(seed, SEATS);
    // A large stake and a full unstake, made inside the window: deferred, the seats stay.
    await pool.connect(workers[0]!).stake(400n * UNIT);
    await pool.connect(workers[4]!).requestUnstake(STAKES[4]!);
    expect(await pool.drawSeats(seed, SEATS)).to.deep.equal(before);
    // Once applied in the open part, the same changes move the seats of the same seed in the next window.
    await mineToOpen(ethers, networkHelpers);
    await pool.syncWeight(workers[0]!.address);
    await pool.syncWeight(workers[4]!.address);
    await enterWindow(ethers, networkHelpers);
    const after = await pool.drawSeats(seed, SEATS);
    expect(after).to.not.deep.equal(before);
    expect(after).to.not.include(workers[4]!.address);
  });
});
