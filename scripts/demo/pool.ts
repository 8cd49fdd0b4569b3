/**
 * The demo's pool: worker keys, uneven stakes with one adversary holding the share asked for, and the staking itself
 * (each stake in the open part of an epoch, so that its weight counts from the next draw on; a stake inside a draw
 * window would wait for `syncWeight`, rule 2).
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Wallet, keccak256, parseEther, toUtf8Bytes } from "ethers";

import type { Deployment } from "./deploy.ts";

export const UNIT = 10n ** 18n;
/** Ether each generated account gets for gas. */
const GAS_FUNDS = parseEther("100");

export interface PoolMember {
  label: string;
  wallet: Wallet;
  adversarial: boolean;
  stake: bigint;
}

/** An account the demo controls by key (the agents sign with it). Derived from a label: the same every run. */
export function demoWallet(label: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`cohort demo key: ${label}`)));
}

/**
 * `workers - 1` honest stakes spread over 60..380 tokens and one adversary whose stake is `share` of the total:
 * `adversary = share / (1 - share) * honest`.
 */
export function planPool(workers: number, share: number): PoolMember[] {
  const honest: PoolMember[] = [];
  for (let i = 1; i < workers; i++) {
    const tokens = 60n + BigInt((i * 53) % 17) * 20n;
    honest.push({
      label: `w${String(i).padStart(2, "0")}`,
      wallet: demoWallet(`worker ${i}`),
      adversarial: false,
      stake: tokens * UNIT,
    });
  }
  const honestSum = honest.reduce((a, m) => a + m.stake, 0n);
  // In whole tokens, rounded: the share is then exact to a token in thousands.
  const ppm = BigInt(Math.round(share * 1_000_000));
  const adversaryTokens = (honestSum * ppm) / (1_000_000n - ppm) / UNIT;
  const adversary = {
    label: "adversary",
    wallet: demoWallet("adversary"),
    adversarial: true,
    stake: adversaryTokens * UNIT,
  };
  return [adversary, ...honest];
}

/** Funds each account with ether for gas, from `funder`. */
export async function fundGas(funder: HardhatEthersSigner, addresses: string[]): Promise<void> {
  for (const to of addresses) await (await funder.sendTransaction({ to, value: GAS_FUNDS })).wait();
}

/**
 * Mints each member's stake, approves the pool and stakes it in the open part of an epoch. Runs while the network
 * automines (one block per transaction), before interval mining starts. Returns the tokens minted.
 */
export async function stakePool(
  ethers: HardhatEthers,
  d: Deployment,
  admin: HardhatEthersSigner,
  members: PoolMember[],
): Promise<bigint> {
  const poolAddress = await d.pool.getAddress();
  let minted = 0n;
  for (const m of members) {
    const signer = m.wallet.connect(ethers.provider);
    await (await d.token.connect(admin).mint(m.wallet.address, m.stake)).wait();
    minted += m.stake;
    await (await d.token.connect(signer).approve(poolAddress, m.stake)).wait();
    await mineToOpen(ethers, d);
    await (await d.pool.connect(signer).stake(m.stake)).wait();
  }
  return minted;
}

/** Mines until the next transaction lands outside a draw window. */
export async function mineToOpen(ethers: HardhatEthers, d: Deployment): Promise<void> {
  const { epochBlocks, drawWindowBlocks } = d.schedule;
  const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
  const windowStart = (next / epochBlocks + 1n) * epochBlocks - drawWindowBlocks;
  if (next < windowStart) return;
  const open = windowStart + drawWindowBlocks;
  await ethers.provider.send("hardhat_mine", [`0x${(open - next).toString(16)}`]);
}
