/**
 * Gas of a full compute task (part of `npm run bench`): one task per committee size on a pool of real stakers, every
 * transaction measured from its receipt (21,000 included).
 *
 * The pool is filled with synthetic stakers that hold real stake records (`SecurityPoolBenchHarness.benchFillStaked`),
 * so the drawn members lock seats exactly as real workers do; they act through the in-process network's account
 * impersonation, which costs the same gas as a signed transaction. The committee comes from a block hash, and block
 * hashes carry wall-clock timestamps, so the members (and a few hundred gas of calldata and tree paths) differ from run
 * to run; everything else is fixed. Each member commits, reveals and claims its own
 * reward; every member holds no liquid tokens before its claim, so each claim pays for a fresh token balance.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import type { TestToken } from "../types/ethers-contracts/index.js";

export interface TaskGasRow {
  operation: string;
  stakers: number;
  seats: number;
  gas: number;
}

/** Per-operation details for the printed table: how many transactions and the largest one. */
export interface TaskGasDetail extends TaskGasRow {
  transactions: number;
  maxGas: number;
}

export const UNIT = 10n ** 18n;
/** The bench pool's epoch layout (`deployBenchTaskSystem`'s defaults). */
export const EPOCH_BLOCKS = 64n;
export const WINDOW_BLOCKS = 16n;
const FILL_BATCH = 150;

interface Receipt {
  gasUsed: bigint;
}
type Sent = Promise<{ wait(): Promise<Receipt | null> }>;

/** The gas a transaction paid (its receipt's `gasUsed`, 21,000 included). */
export async function gasOf(tx: Sent): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

/** The task rules of a bench or caps deployment (`ITaskManagerTypes.Config`). */
export interface BenchTaskConfig {
  slashFractionBps: number;
  missedCommitPenaltyBps: number;
  missedRevealPenaltyBps: number;
  maxReplacementDraws: number;
  maxRedraws: number;
  maxEscalations: number;
  bountyBps: number;
  honestShareBps: number;
  /** A token amount (uint96). */
  challengeBondPerSeat: bigint;
  burnRemainder: boolean;
}

/** The rules of the bench's tasks (one escalation allowed, so a first result keeps its challenge window). */
export const BENCH_TASK_CONFIG: BenchTaskConfig = {
  slashFractionBps: 5_000,
  missedCommitPenaltyBps: 1_000,
  missedRevealPenaltyBps: 2_000,
  maxReplacementDraws: 1,
  maxRedraws: 1,
  maxEscalations: 1,
  bountyBps: 2_000,
  honestShareBps: 5_000,
  challengeBondPerSeat: UNIT,
  burnRemainder: false,
};

/** `Commitments.commitment(chainId, manager, taskId, round, member, resultHash, salt)`. */
export function benchCommitment(
  ethers: HardhatEthers,
  fields: [
    chainId: bigint,
    manager: string,
    taskId: bigint,
    round: bigint,
    member: string,
    result: string,
    salt: string,
  ],
): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
      fields,
    ),
  );
}

/**
 * Deploys a bench pool (`SecurityPoolBenchHarness`; by default 64-block epochs with 16-block windows), a blockhash
 * randomness source (lookahead 1) and a task manager wired with its roles, and funds `requester`'s rewards.
 */
export async function deployBenchTaskSystem(
  ethers: HardhatEthers,
  token: TestToken,
  options: {
    admin: string;
    treasury: string;
    requester: HardhatEthersSigner;
    unbondingPeriod: bigint;
    seatBond: bigint;
    config: BenchTaskConfig;
    epochBlocks?: bigint;
    windowBlocks?: bigint;
  },
) {
  const pool = await ethers.deployContract("SecurityPoolBenchHarness", [
    await token.getAddress(),
    options.admin,
    UNIT,
    options.epochBlocks ?? EPOCH_BLOCKS,
    options.windowBlocks ?? WINDOW_BLOCKS,
    {
      minStake: 10n * UNIT,
      seatBond: options.seatBond,
      unbondingPeriod: options.unbondingPeriod,
      treasury: options.treasury,
    },
  ]);
  const randomness = await ethers.deployContract("BlockhashRandomness", [options.admin, 1n]);
  const manager = await ethers.deployContract("TaskManager", [
    await pool.getAddress(),
    await randomness.getAddress(),
    options.admin,
    options.config,
  ]);
  const managerAddress = await manager.getAddress();
  await (await pool.grantRole(await pool.SEAT_MANAGER_ROLE(), managerAddress)).wait();
  await (await pool.grantRole(await pool.SLASHER_ROLE(), managerAddress)).wait();
  await (await randomness.grantRole(await randomness.CONSUMER_ROLE(), managerAddress)).wait();
  await (await token.mint(options.requester.address, 1_000_000n * UNIT)).wait();
  await (await token.connect(options.requester).approve(managerAddress, ethers.MaxUint256)).wait();
  return { pool, randomness, manager, managerAddress };
}

/** The block controls every bench measurement uses: the head, mining up to a block, a funded impersonated member. */
export function chainControls(ethers: HardhatEthers, helpers: NetworkHelpers) {
  const latest = async () => BigInt(await ethers.provider.getBlockNumber());
  return {
    latest,
    mineTo: async (block: bigint) => {
      const now = await latest();
      if (block > now) await helpers.mine(block - now);
    },
    memberSigner: async (address: string) => {
      await helpers.impersonateAccount(address);
      await helpers.setBalance(address, 10n ** 20n);
      return await ethers.getSigner(address);
    },
  };
}

/** Adds `count` synthetic staked workers to a bench pool, sending it the tokens their stakes stand for. */
export async function fillStakedWorkers(
  token: TestToken,
  pool: Awaited<ReturnType<typeof deployBenchTaskSystem>>["pool"],
  count: number,
): Promise<void> {
  for (let size = 0; size < count; size += FILL_BATCH) {
    const batch = Math.min(FILL_BATCH, count - size);
    // The pool's books must balance: send it the tokens the synthetic stakes stand for.
    await (await token.mint(await pool.getAddress(), await pool.benchStakedAmount(batch, size))).wait();
    await (await pool.benchFillStaked(batch, size, { gasLimit: 16_000_000n })).wait();
  }
}

export async function measureTaskGas(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  stakers: number,
  seatCounts: number[],
  log: (line: string) => void,
): Promise<TaskGasDetail[]> {
  const [admin, requester] = await ethers.getSigners();
  const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
  const { pool, randomness, manager, managerAddress } = await deployBenchTaskSystem(ethers, token, {
    admin: admin!.address,
    treasury: admin!.address,
    requester: requester!,
    // Above the tasks' lifeBound: 3 rounds (first, escalation, redraw) of 2 * (3 * 64 + 100) + 100 blocks, plus 2
    // challenge windows of 10: 2,072 blocks.
    unbondingPeriod: 3_000n,
    seatBond: 5n * UNIT,
    config: BENCH_TASK_CONFIG,
  });
  const started = Date.now();
  await fillStakedWorkers(token, pool, stakers);
  log(`  task pool filled to ${stakers} staked workers in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const { latest, mineTo, memberSigner } = chainControls(ethers, helpers);

  const details: TaskGasDetail[] = [];
  for (const seats of seatCounts) {
    const byOperation = new Map<string, number[]>();
    const record = (operation: string, gas: number) =>
      byOperation.set(operation, [...(byOperation.get(operation) ?? []), gas]);

    // Post in the open part of an epoch, far enough before the window for the seed to target its first block.
    const next = (await latest()) + 1n;
    const windowStart = (next / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
    if (next + 2n >= windowStart) await mineTo(windowStart + WINDOW_BLOCKS);
    const request = {
      programId: ethers.id("program: particles.wasm"),
      inputHash: ethers.keccak256(ethers.toUtf8Bytes(`bench input ${seats}`)),
      inputKind: 1,
      input: ethers.toUtf8Bytes(`https://example.org/inputs/bench-${seats}.bin`),
      seats: BigInt(seats),
      quorum: BigInt(Math.floor(seats / 2) + 1),
      reward: 1_000n * UNIT,
      commitBlocks: 100n,
      revealBlocks: 100n,
      challengeBlocks: 10n,
      valueAtRisk: 0n,
      noQuorumRule: 0,
    };
    record("createTask", await gasOf(manager.connect(requester!).createTask(request)));
    const taskId = await manager.taskCount();

    const target = await randomness.targetOf((await manager.taskOf(taskId)).requestId);
    await mineTo(target);
    record("drawCommittee", await gasOf(manager.drawCommittee(taskId)));
    const info = await manager.taskOf(taskId);
    if (info.state !== 2n) throw new Error(`task ${taskId}: no committee drawn`);
    const records = await manager.recordsOf(taskId, 0n, 0n, info.recordCount);
    const members = records.filter((r) => Number(r.status) === 1);
    if (members.length !== records.length) log(`  ${records.length - members.length} drawn member(s) declined`);

    const chainId = (await ethers.provider.getNetwork()).chainId;
    const resultHash = ethers.keccak256(ethers.toUtf8Bytes(`bench result ${seats}`));
    const salts = new Map<string, string>();
    for (const [index, r] of records.entries()) {
      if (Number(r.status) !== 1) continue;
      const salt = ethers.id(`bench salt ${seats} ${index}`);
      salts.set(r.member, salt);
      const commitment = benchCommitment(ethers, [chainId, managerAddress, taskId, 0n, r.member, resultHash, salt]);
      const signer = await memberSigner(r.member);
      record("commit", await gasOf(manager.connect(signer).commit(taskId, index, commitment)));
    }
    await mineTo(info.commitDeadline);
    for (const [index, r] of records.entries()) {
      const salt = salts.get(r.member);
      if (salt === undefined) continue;
      const signer = await ethers.getSigner(r.member);
      record("reveal", await gasOf(manager.connect(signer).reveal(taskId, index, resultHash, salt, "0x")));
    }
    await mineTo(info.commitDeadline + info.revealBlocks);
    record("tally", await gasOf(manager.tally(taskId)));
    await mineTo((await manager.taskOf(taskId)).challengeDeadline);
    // One call settles every record (far below SETTLE_BATCH).
    record("finalize", await gasOf(manager.finalize(taskId)));
    if ((await manager.taskOf(taskId)).state !== 4n) throw new Error(`task ${taskId}: not finalized`);
    for (const [index, r] of records.entries()) {
      if (!salts.has(r.member)) continue;
      const signer = await ethers.getSigner(r.member);
      record("claim", await gasOf(manager.connect(signer).claimReward(taskId, 0n, index)));
    }

    let total = 0;
    for (const [operation, gases] of byOperation) {
      const sum = gases.reduce((a, b) => a + b, 0);
      total += sum;
      details.push({
        operation,
        stakers,
        seats,
        gas: Math.round(sum / gases.length),
        transactions: gases.length,
        maxGas: Math.max(...gases),
      });
    }
    const transactions = [...byOperation.values()].reduce((a, g) => a + g.length, 0);
    details.push({ operation: "taskTotal", stakers, seats, gas: total, transactions, maxGas: total });
    log(`  task with ${seats} seats: ${members.length} members, ${transactions} transactions, ${total} gas in all`);
  }
  return details;
}
