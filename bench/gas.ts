/**
 * Gas benchmark of the security pool: `npm run bench`.
 *
 * Measures the gas a transaction pays (receipt gasUsed, 21,000 included) for `stake` (a new staker), `stakeIncrease`,
 * `requestUnstake` and `drawSeats` (1, 16 and 64 seats, a cold tree in its own transaction) at several pool sizes, and
 * the same draws in the reference trees (Kleros v2, keep-network) on the same EVM in the same run. Writes
 * `bench/results/gas.json` (rows `{ operation, stakers, seats, gas }`) and `bench/results/gas-reference.json`.
 *
 * Then a full compute task (`bench/tasks.ts`) with 5, 16 and 64 seats on a pool of BENCH_TASK_STAKERS staked workers:
 * rows `createTask`, `drawCommittee`, `commit`, `reveal`, `tally`, `finalize`, `claim` (the mean gas of one such
 * transaction) and `taskTotal` (every transaction of the task, each member's commit, reveal and claim included).
 *
 * Then a disputed task (`bench/disputes.ts`): 9 seats, all wrong, challenged, overturned by a 19-seat escalation.
 *
 * Then the bisection game (`bench/game.ts`): `oneStepCheck` rows by region size (`particles`), `gameTotal` rows by
 * trace length (`ticks`, with `moves`), `bisectionMove`, and a game through the task manager, compared in the printed
 * table with Cartesi PRT's published costs.
 *
 * Environment: BENCH_STAKERS (comma-separated pool sizes, default 100,1000,10000,100000), BENCH_TASK_STAKERS (default
 * 10000), BENCH_OUT (output folder).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import { measureReferenceDraws } from "./reference-trees.js";
import { measureDisputeGas } from "./disputes.js";
import { gameTable, measureGameGas } from "./game.js";
import { measureTaskGas } from "./tasks.js";

interface GasRow {
  operation: string;
  stakers: number;
  seats: number;
  gas: number;
}

const STAKER_COUNTS = (process.env.BENCH_STAKERS ?? "100,1000,10000,100000").split(",").map((s) => Number(s.trim()));
const SEAT_COUNTS = [1, 16, 64];
const OUT_DIR = process.env.BENCH_OUT ?? "bench/results";
const FILL_BATCH = 250; // synthetic stakers per fill transaction (~12.5M gas)
const UNIT = 10n ** 18n;
const EPOCH_BLOCKS = 64n;
const WINDOW_BLOCKS = 16n;

const { ethers, networkHelpers } = await network.create();
const log = (line: string) => process.stderr.write(`${line}\n`);

const [admin] = await ethers.getSigners();
const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
const pool = await ethers.deployContract("SecurityPoolBenchHarness", [
  await token.getAddress(),
  admin!.address,
  UNIT,
  EPOCH_BLOCKS,
  WINDOW_BLOCKS,
  { minStake: 10n * UNIT, seatBond: 5n * UNIT, unbondingPeriod: 1000n, treasury: admin!.address },
]);
const poolAddress = await pool.getAddress();

async function latestBlock(): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber());
}

/** Makes sure the next transaction lands in the open part of an epoch (weights apply at once). */
async function toOpenPart(): Promise<void> {
  const next = (await latestBlock()) + 1n;
  const windowStart = (next / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
  if (next >= windowStart) await networkHelpers.mine(windowStart + WINDOW_BLOCKS - next);
}

/** Makes sure the latest block and the next transaction's block are both inside a draw window. */
async function toDrawWindow(): Promise<void> {
  const latest = await latestBlock();
  const windowStart = (latest / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
  const windowEnd = windowStart + WINDOW_BLOCKS - 1n;
  if (latest < windowStart) await networkHelpers.mine(windowStart - latest);
  else if (latest >= windowEnd) await networkHelpers.mine(windowStart + EPOCH_BLOCKS - latest);
}

async function fundedWallet() {
  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await networkHelpers.setBalance(wallet.address, 10n ** 20n);
  await token.mint(wallet.address, 1_000_000n * UNIT);
  await token.connect(wallet).approve(poolAddress, ethers.MaxUint256);
  return wallet;
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

async function fillTo(count: number): Promise<void> {
  let size = Number((await pool.totals()).stakers);
  const started = Date.now();
  while (size < count) {
    const batch = Math.min(FILL_BATCH, count - size);
    await (await pool.benchFill(batch, size, { gasLimit: 16_000_000n })).wait();
    size += batch;
  }
  log(`  pool filled to ${size} stakers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const rows: GasRow[] = [];
// Two real stakers measured at every size: one tops up, one unbonds part of its stake.
const increaser = await fundedWallet();
const unstaker = await fundedWallet();
await toOpenPart();
await (await pool.connect(increaser).stake(100n * UNIT)).wait();
await (await pool.connect(unstaker).stake(1_000n * UNIT)).wait();

for (const stakers of STAKER_COUNTS) {
  log(`measuring at ${stakers} stakers`);
  await fillTo(stakers - 1); // the new staker below makes it `stakers`
  const newcomer = await fundedWallet();
  // Stake operations run in the open part of an epoch, where they write the tree (inside a window they would not).
  const inOpenPart = async (operation: string, send: () => ReturnType<typeof gasOf>) => {
    await toOpenPart();
    rows.push({ operation, stakers, seats: 0, gas: await send() });
  };
  await inOpenPart("stake", () => gasOf(pool.connect(newcomer).stake(50n * UNIT)));
  await inOpenPart("stakeIncrease", () => gasOf(pool.connect(increaser).stake(7n * UNIT)));
  await inOpenPart("requestUnstake", () => gasOf(pool.connect(unstaker).requestUnstake(3n * UNIT)));
  for (const seats of SEAT_COUNTS) {
    await toDrawWindow();
    // drawSeats is a view; sending it as a transaction of its own measures a cold tree, as a task contract would.
    const data = pool.interface.encodeFunctionData("drawSeats", [ethers.id(`bench/${stakers}/${seats}`), seats]);
    rows.push({
      operation: "drawSeats",
      stakers,
      seats,
      gas: await gasOf(admin!.sendTransaction({ to: poolAddress, data })),
    });
  }
}

log("measuring the reference trees (Kleros v2, keep-network) on the same EVM");
const reference = await measureReferenceDraws(ethers, STAKER_COUNTS, SEAT_COUNTS, log);

const TASK_STAKERS = Number(process.env.BENCH_TASK_STAKERS ?? "10000");
const TASK_SEATS = [5, 16, 64];
log(`measuring full tasks at ${TASK_STAKERS} staked workers`);
const taskDetails = await measureTaskGas(ethers, networkHelpers, TASK_STAKERS, TASK_SEATS, log);
log(`measuring a disputed task (9 seats, challenged, 19-seat escalation) at ${TASK_STAKERS} staked workers`);
taskDetails.push(...(await measureDisputeGas(ethers, networkHelpers, TASK_STAKERS, 9, log)));
for (const { operation, stakers, seats, gas } of taskDetails) rows.push({ operation, stakers, seats, gas });
log(`measuring the bisection game (one-step checks, whole games, a game through the task manager at ${TASK_STAKERS})`);
const gameRows = await measureGameGas(ethers, networkHelpers, TASK_STAKERS, log);
rows.push(...gameRows);

await mkdir(OUT_DIR, { recursive: true });
await writeFile(path.join(OUT_DIR, "gas.json"), `${JSON.stringify(rows, null, 2)}\n`);
await writeFile(path.join(OUT_DIR, "gas-reference.json"), `${JSON.stringify(reference, null, 2)}\n`);

const fmt = (n: number | undefined) => (n === undefined ? "" : n.toLocaleString("en-US"));
const implementations = [...new Set(reference.map((r) => r.implementation))];
console.log(
  "| operation | stakers | seats | Cohort gas | " + implementations.map((i) => `${i} gas`).join(" | ") + " |",
);
console.log("|---|---:|---:|---:|" + implementations.map(() => "---:|").join(""));
for (const r of rows.slice(0, rows.length - taskDetails.length - gameRows.length)) {
  const refs = implementations.map((impl) =>
    fmt(
      reference.find(
        (x) =>
          x.implementation === impl && x.stakers === r.stakers && x.seats === r.seats && x.operation === r.operation,
      )?.gas,
    ),
  );
  console.log(`| ${r.operation} | ${fmt(r.stakers)} | ${r.seats} | ${fmt(r.gas)} | ${refs.join(" | ")} |`);
}
console.log(
  `\nFull tasks at ${fmt(TASK_STAKERS)} staked workers (gas: mean of one transaction; taskTotal and disputeTotal: ` +
    `all of them)\n`,
);
console.log("| operation | seats | transactions | gas | largest |");
console.log("|---|---:|---:|---:|---:|");
for (const d of taskDetails) {
  console.log(`| ${d.operation} | ${d.seats} | ${d.transactions} | ${fmt(d.gas)} | ${fmt(d.maxGas)} |`);
}
console.log(
  `\nThe bisection game (gas of each transaction; Cartesi PRT from its Gas.sol, transaction base included)\n`,
);
console.log(gameTable(gameRows));
console.log(`\nwrote ${path.join(OUT_DIR, "gas.json")} and ${path.join(OUT_DIR, "gas-reference.json")}`);
