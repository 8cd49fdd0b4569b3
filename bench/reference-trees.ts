/**
 * Reference sortition trees for the gas benchmark: Kleros v2's K-ary sum tree (K = 6) and keep-network's
 * sortition-pools tree, deployed behind the bench-only harnesses in contracts/bench/ and measured on the same EVM, in
 * the same run, as our own tree (see bench/gas.ts).
 *
 * Each harness is filled incrementally with synthetic members (stake 1..1000 whole units, derived from a hash) up to
 * every requested pool size, reusing the fill between sizes; at each size one `draw(seed, seats)` transaction per seat
 * count is sent on its own, so the tree is cold, and its receipt `gasUsed` (21,000 included) is recorded.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

export interface ReferenceGasRow {
  operation: string;
  implementation: string;
  stakers: number;
  seats: number;
  gas: number;
}

/** What the benchmark needs from a harness (both KlerosTreeBench and KeepTreeBench have this shape). */
interface TreeBench {
  fill(count: bigint, salt: bigint, overrides: { gasLimit: bigint }): Promise<SentTransaction>;
  draw(seed: string, count: bigint): Promise<SentTransaction>;
}

interface SentTransaction {
  wait(): Promise<{ gasUsed: bigint } | null>;
}

interface Reference {
  implementation: string;
  bench: TreeBench;
  members: number;
  fillSeconds: number;
}

/** Transactions must stay under this (the Osaka per-transaction cap is 2^24 = 16,777,216). */
const TX_GAS_LIMIT = 16_000_000n;
/**
 * Synthetic members per fill transaction, the same for both trees so that both hold the very same members (addresses
 * and stakes come from keccak(salt, i) with the salt the current size). An append costs about 106,000 gas in keep's
 * tree (fixed depth) and 83,000 to 90,000 in Kleros' (growing with log6 of the size), so 120 cost at most ~12.7M gas.
 */
const FILL_BATCH = 120;

async function gasUsed(tx: Promise<SentTransaction>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction has no receipt");
  return receipt.gasUsed;
}

async function fillTo(reference: Reference, target: number): Promise<void> {
  const started = Date.now();
  while (reference.members < target) {
    const batch = Math.min(FILL_BATCH, target - reference.members);
    await gasUsed(reference.bench.fill(BigInt(batch), BigInt(reference.members), { gasLimit: TX_GAS_LIMIT }));
    reference.members += batch;
  }
  reference.fillSeconds += (Date.now() - started) / 1000;
}

/**
 * Measures `draw` of `seats` members in the reference trees at each pool size.
 *
 * @param ethers The hardhat-ethers object of a network connection (`(await network.create()).ethers`).
 * @param stakerCounts Pool sizes to measure at (filled incrementally, in ascending order).
 * @param seatCounts Members drawn in one transaction, one measurement each.
 * @param log Progress lines (fill times); silent by default.
 * @returns One row per implementation, pool size and seat count, operation "drawSeats".
 */
export async function measureReferenceDraws(
  ethers: HardhatEthers,
  stakerCounts: number[],
  seatCounts: number[],
  log: (s: string) => void = () => {},
): Promise<ReferenceGasRow[]> {
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("no signer");
  const kleros = await (await ethers.getContractFactory("KlerosTreeBench", deployer)).deploy();
  const keep = await (await ethers.getContractFactory("KeepTreeBench", deployer)).deploy();
  await Promise.all([kleros.waitForDeployment(), keep.waitForDeployment()]);

  const references: Reference[] = [
    { implementation: "kleros-v2 (K=6)", bench: kleros, members: 0, fillSeconds: 0 },
    { implementation: "keep sortition-pools", bench: keep, members: 0, fillSeconds: 0 },
  ];

  const rows: ReferenceGasRow[] = [];
  for (const stakers of [...stakerCounts].sort((a, b) => a - b)) {
    for (const reference of references) {
      await fillTo(reference, stakers);
      const seconds = reference.fillSeconds.toFixed(1);
      log(`  ${reference.implementation} filled to ${reference.members} members (${seconds} s so far)`);
      for (const seats of seatCounts) {
        // Its own transaction, so the tree is cold as in a real draw.
        const gas = await gasUsed(reference.bench.draw(ethers.id(`bench/${stakers}/${seats}`), BigInt(seats)));
        rows.push({
          operation: "drawSeats",
          implementation: reference.implementation,
          stakers,
          seats,
          gas: Number(gas),
        });
      }
    }
  }
  return rows;
}
