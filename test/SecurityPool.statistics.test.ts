import chisquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { expect } from "chai";
import { network } from "hardhat";

import { UNIT, deployPool, enterWindow, stakeOpen } from "./helpers/pool.js";

const { ethers, networkHelpers } = await network.create();

const SIGNIFICANCE = 0.001;
const SEATS_PER_CALL = 256;
const CALLS = 80; // 80 x 256 = 20,480 seeded draws per pool
/** A fixed, uneven stake distribution (whole tokens); the last entry is the staker the Sybil test splits in five. */
const STAKES = [10n, 17n, 25n, 40n, 60n, 85n, 120n, 160n, 230n, 300n];
const SPLIT = 5;

/** Draws CALLS x SEATS_PER_CALL seats from `pool` with seeds derived from `label` and counts them per address. */
async function countSeats(pool: Awaited<ReturnType<typeof deployPool>>["pool"], label: string) {
  const counts = new Map<string, number>();
  for (let k = 0; k < CALLS; k++) {
    const seats = await pool.drawSeats(ethers.id(`${label}/${k}`), SEATS_PER_CALL);
    for (const s of seats) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

function chiSquare(observed: number[], expectedShares: number[], n: number): number {
  return observed.reduce((acc, o, i) => {
    const e = expectedShares[i]! * n;
    return acc + (o - e) ** 2 / e;
  }, 0);
}

describe("SecurityPool draws (statistics)", function () {
  it("seat frequencies match stake shares over 20,480 seeded draws (chi-square, alpha = 0.001)", async function () {
    const { pool, workers } = await deployPool(ethers, STAKES.length);
    await stakeOpen(
      ethers,
      networkHelpers,
      pool,
      workers,
      STAKES.map((s) => s * UNIT),
    );
    await enterWindow(ethers, networkHelpers);

    const counts = await countSeats(pool, "fairness");
    const n = CALLS * SEATS_PER_CALL;
    const total = Number(STAKES.reduce((a, b) => a + b, 0n));
    const observed = workers.map((w) => counts.get(w.address) ?? 0);
    const shares = STAKES.map((s) => Number(s) / total);
    expect(observed.reduce((a, b) => a + b, 0)).to.equal(n);
    const statistic = chiSquare(observed, shares, n);
    const critical = chisquareQuantile(1 - SIGNIFICANCE, STAKES.length - 1);
    expect(statistic, `chi-square ${statistic.toFixed(2)} vs critical ${critical.toFixed(2)}`).to.be.below(critical);
  });

  it("splitting one stake across 5 addresses leaves its expected seats unchanged", async function () {
    // Pool A: the last staker holds its whole stake in one address. Pool B: the same stake split over 5 addresses.
    const a = await deployPool(ethers, STAKES.length);
    const b = await deployPool(ethers, STAKES.length - 1 + SPLIT);
    await stakeOpen(
      ethers,
      networkHelpers,
      a.pool,
      a.workers,
      STAKES.map((s) => s * UNIT),
    );
    const whole = STAKES[STAKES.length - 1]!;
    const rest = STAKES.slice(0, -1);
    const parts = b.workers.slice(rest.length);
    const splitStakes = [...rest, ...parts.map(() => whole / BigInt(SPLIT))];
    await stakeOpen(
      ethers,
      networkHelpers,
      b.pool,
      b.workers,
      splitStakes.map((s) => s * UNIT),
    );
    await enterWindow(ethers, networkHelpers);

    const n = CALLS * SEATS_PER_CALL;
    const total = Number(STAKES.reduce((x, y) => x + y, 0n));
    const share = Number(whole) / total;
    const countsA = await countSeats(a.pool, "sybil-a");
    const countsB = await countSeats(b.pool, "sybil-b");
    const seatsA = countsA.get(a.workers[STAKES.length - 1]!.address) ?? 0;
    const partSeats = parts.map((p) => countsB.get(p.address) ?? 0);
    const seatsB = partSeats.reduce((x, y) => x + y, 0);

    // Both pools give the staker its stake share (two-sided z-tests at alpha = 0.001)...
    const z = normalQuantile(1 - SIGNIFICANCE / 2, 0, 1);
    const sd = Math.sqrt(n * share * (1 - share));
    expect(Math.abs(seatsA - n * share), `whole: ${seatsA} seats`).to.be.below(z * sd);
    expect(Math.abs(seatsB - n * share), `split: ${seatsB} seats`).to.be.below(z * sd);
    // ...and the two counts agree with each other (two-proportion z-test).
    const pooled = (seatsA + seatsB) / (2 * n);
    const sdDiff = Math.sqrt(pooled * (1 - pooled) * (2 / n));
    expect(Math.abs(seatsA - seatsB) / n, `whole ${seatsA} vs split ${seatsB}`).to.be.below(z * sdDiff);
    // The five parts share the staker's seats evenly (chi-square, alpha = 0.001).
    const statistic = chiSquare(partSeats, Array<number>(SPLIT).fill(1 / SPLIT), seatsB);
    expect(statistic).to.be.below(chisquareQuantile(1 - SIGNIFICANCE, SPLIT - 1));
  });
});
