/**
 * The main job, until the full physics-world demo exists: deploy the pool, stake from several accounts with uneven
 * stakes, wait for a draw window, draw a committee from the window's first block hash, and show that seats follow
 * stake. Runs on the in-process network (`npm run demo`) or a node (`npm run demo -- --network localhost`).
 */
import { network } from "hardhat";

const UNIT = 10n ** 18n;
const EPOCH_BLOCKS = 20n;
const WINDOW_BLOCKS = 5n;
const COMMITTEE_SEATS = 16;
const FAIRNESS_DRAWS = 40; // committees of 64 seats each drawn to compare seat shares with stake shares
const STAKES = [400n, 250n, 180n, 120n, 90n, 60n, 45n, 30n, 20n, 15n, 10n, 10n]; // whole tokens

const { ethers, networkHelpers, networkName } = await network.create();
const signers = await ethers.getSigners();
const [admin, treasury] = signers;
const workers = signers.slice(2, 2 + STAKES.length);
if (workers.length < STAKES.length)
  throw new Error(`the network has ${signers.length} accounts; the demo needs ${STAKES.length + 2}`);

console.log(`Deploying the stake token and the security pool on network "${networkName}"...`);
const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
const pool = await ethers.deployContract("SecurityPool", [
  await token.getAddress(),
  admin!.address,
  UNIT,
  EPOCH_BLOCKS,
  WINDOW_BLOCKS,
  { minStake: 10n * UNIT, seatBond: 5n * UNIT, unbondingPeriod: 100n, treasury: treasury!.address },
]);
await pool.waitForDeployment();
console.log(`  token ${await token.getAddress()}\n  pool  ${await pool.getAddress()}`);

async function latest(): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber());
}
const windowStartAfter = (block: bigint) => (block / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;

console.log(`\nStaking from ${workers.length} workers (stakes made inside a draw window wait for syncWeight)...`);
for (const [i, w] of workers.entries()) {
  const amount = STAKES[i]! * UNIT;
  await (await token.mint(w.address, amount)).wait();
  await (await token.connect(w).approve(await pool.getAddress(), amount)).wait();
  // Stake in the open part of an epoch so the weight applies at once.
  const next = (await latest()) + 1n;
  const start = windowStartAfter(next);
  if (next >= start) await networkHelpers.mine(start + WINDOW_BLOCKS - next);
  await (await pool.connect(w).stake(amount)).wait();
}
const totals = await pool.totals();
console.log(
  `  ${totals.stakers} stakers, ${ethers.formatEther(totals.active)} tokens active, total weight ${totals.weight}`,
);

// Enter the next draw window: weights are frozen from its first block on, and that block's hash is the seed.
const now = await latest();
let start = windowStartAfter(now);
if (start <= now) start += EPOCH_BLOCKS;
await networkHelpers.mine(start - now);
const seed = (await ethers.provider.getBlock(start))!.hash!;
console.log(`\nDraw window opened at block ${start}; seed = hash of block ${start} = ${seed}`);

const committee = await pool.drawSeats(seed, COMMITTEE_SEATS);
const counts = new Map<string, number>();
for (let k = 0; k < FAIRNESS_DRAWS; k++) {
  for (const s of await pool.drawSeats(ethers.solidityPackedKeccak256(["bytes32", "uint256"], [seed, k]), 64)) {
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
}
const totalStake = STAKES.reduce((a, b) => a + b, 0n);
const drawn = FAIRNESS_DRAWS * 64;
console.log(
  `\nCommittee of ${COMMITTEE_SEATS} seats (stake-weighted, with replacement), and seat shares over ${drawn} draws:\n`,
);
console.log("| worker | stake | stake share | seats in committee | seat share over many draws |");
console.log("|---|---:|---:|---:|---:|");
for (const [i, w] of workers.entries()) {
  const inCommittee = committee.filter((m) => m === w.address).length;
  const share = (Number(STAKES[i]!) / Number(totalStake)) * 100;
  const seatShare = ((counts.get(w.address) ?? 0) / drawn) * 100;
  console.log(`| ${w.address} | ${STAKES[i]} | ${share.toFixed(1)}% | ${inCommittee} | ${seatShare.toFixed(1)}% |`);
}
console.log(
  `\nSeats in order: ${committee.map((m) => workers.findIndex((w) => w.address === m)).join(", ")} (worker index)`,
);
