import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

export const UNIT = 10n ** 18n;

/** The pool layout the tests use: 20-block epochs whose last 5 blocks are the draw window. */
export const POOL_CONFIG = {
  weightUnit: UNIT,
  epochBlocks: 20n,
  drawWindowBlocks: 5n,
  minStake: 10n * UNIT,
  seatBond: 5n * UNIT,
  unbondingPeriod: 50n,
};

/** The test accounts by role; the rest are workers. */
export async function accounts(ethers: HardhatEthers) {
  const all = await ethers.getSigners();
  const at = (i: number): HardhatEthersSigner => {
    const signer = all[i];
    if (signer === undefined) throw new Error(`the network has no account ${i}`);
    return signer;
  };
  return { admin: at(0), taskManager: at(1), treasury: at(2), outsider: at(3), rest: all.slice(4) };
}

/** Deploys a test token and a pool, mints `mintEach` to every worker and approves the pool for it. */
export async function deployPool(ethers: HardhatEthers, workerCount = 6, mintEach = 1_000_000n * UNIT) {
  const { admin, taskManager, treasury, outsider, rest } = await accounts(ethers);
  if (rest.length < workerCount) throw new Error(`${workerCount} workers asked for, ${rest.length} accounts left`);
  const workers = rest.slice(0, workerCount);
  const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
  const pool = await ethers.deployContract("SecurityPool", [
    await token.getAddress(),
    admin.address,
    POOL_CONFIG.weightUnit,
    POOL_CONFIG.epochBlocks,
    POOL_CONFIG.drawWindowBlocks,
    {
      minStake: POOL_CONFIG.minStake,
      seatBond: POOL_CONFIG.seatBond,
      unbondingPeriod: POOL_CONFIG.unbondingPeriod,
      treasury: treasury.address,
    },
  ]);
  await pool.grantRole(await pool.SEAT_MANAGER_ROLE(), taskManager.address);
  await pool.grantRole(await pool.SLASHER_ROLE(), taskManager.address);
  for (const w of workers) {
    await token.mint(w.address, mintEach);
    await token.connect(w).approve(await pool.getAddress(), ethers.MaxUint256);
  }
  return { token, pool, admin, taskManager, treasury, outsider, workers };
}

/** The block number the next transaction will be mined in. */
export async function nextBlock(ethers: HardhatEthers): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber()) + 1n;
}

/** Mines blocks so that the next transaction lands in block `target`. */
export async function mineUntilNext(ethers: HardhatEthers, helpers: NetworkHelpers, target: bigint): Promise<void> {
  const next = await nextBlock(ethers);
  if (target < next) throw new Error(`block ${target} is already past (next is ${next})`);
  if (target > next) await helpers.mine(target - next);
}

/** Block position helpers for the test pool's epoch layout. */
export function windowStartOf(block: bigint): bigint {
  const epoch = block / POOL_CONFIG.epochBlocks;
  return (epoch + 1n) * POOL_CONFIG.epochBlocks - POOL_CONFIG.drawWindowBlocks;
}

/** Mines until the next transaction lands in the first block of the next draw window (or the current one's start). */
export async function mineToWindowStart(ethers: HardhatEthers, helpers: NetworkHelpers): Promise<bigint> {
  const next = await nextBlock(ethers);
  let start = windowStartOf(next);
  if (start < next) start += POOL_CONFIG.epochBlocks;
  await mineUntilNext(ethers, helpers, start);
  return start;
}

/** Mines until the next transaction lands in the first block of the next epoch's open part. */
export async function mineToOpen(ethers: HardhatEthers, helpers: NetworkHelpers): Promise<bigint> {
  const next = await nextBlock(ethers);
  const start = windowStartOf(next);
  if (next < start) return next;
  const open = start + POOL_CONFIG.drawWindowBlocks;
  await mineUntilNext(ethers, helpers, open);
  return open;
}

/**
 * Mines until the latest block is the first block of the next draw window. Views (`eth_call`) run with the latest
 * block's number, so draws can be read from here on; the next transaction lands in the window's second block.
 */
export async function enterWindow(ethers: HardhatEthers, helpers: NetworkHelpers): Promise<bigint> {
  const latest = BigInt(await ethers.provider.getBlockNumber());
  let start = windowStartOf(latest);
  if (start <= latest) start += POOL_CONFIG.epochBlocks;
  await mineUntilNext(ethers, helpers, start + 1n);
  return start;
}

/**
 * Stakes `amounts[i]` from `signers[i]`, each in the open part of an epoch so that its weight applies at once
 * (a stake made inside a draw window would wait for `syncWeight`).
 */
export async function stakeOpen(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  pool: { connect(s: HardhatEthersSigner): { stake(amount: bigint): Promise<unknown> } },
  signers: HardhatEthersSigner[],
  amounts: bigint[],
): Promise<void> {
  for (const [i, amount] of amounts.entries()) {
    await mineToOpen(ethers, helpers);
    const tx = (await pool.connect(signers[i]!).stake(amount)) as { wait(): Promise<unknown> };
    await tx.wait();
  }
}
