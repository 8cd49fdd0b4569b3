import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import type { TaskManager } from "../../types/ethers-contracts/index.js";
import { POOL_CONFIG, UNIT, accounts, mineToOpen, mineUntilNext, stakeOpen, windowStartOf } from "./pool.js";

/**
 * The task rules the tests use unless they say otherwise. One escalation keeps a challenge window after each first
 * result (`maxEscalations: 0` would make results final at their tally); wrong revealers' slashes go 20% to winning
 * challengers, 50% to the honest seats, the rest to the treasury.
 */
export const TASK_CONFIG = {
  slashFractionBps: 5_000,
  missedCommitPenaltyBps: 1_000,
  missedRevealPenaltyBps: 2_000,
  maxReplacementDraws: 1,
  maxRedraws: 1,
  maxEscalations: 1,
  bountyBps: 2_000,
  honestShareBps: 5_000,
  /** A token amount (uint96): one token per seat of the escalation round at least. */
  challengeBondPerSeat: UNIT,
  burnRemainder: false,
};

export type TaskConfig = typeof TASK_CONFIG;

/**
 * Long enough for the longest task the tests post (see `TaskManager.lifeBound`): the default request under
 * `TASK_CONFIG` lives at most 3 rounds of 150 blocks plus 2 challenge windows of 10, 470 blocks.
 */
export const TASK_UNBONDING_PERIOD = 2_000n;
export const LOOKAHEAD = 1n;

export const enum Phase {
  None,
  AwaitingSeed,
  Committing,
  AwaitingReplacement,
  Revealing,
  AwaitingTally,
  Challengeable,
  AwaitingFinalization,
  Finalized,
  Refunded,
  /** A bisection game is being played (`ITaskManagerTypes.Phase.InGame`). */
  InGame,
}

export const enum RecordStatus {
  None,
  Assigned,
  Declined,
  Committed,
  Revealed,
  Replaced,
  Absent,
  Silent,
  Released,
  Won,
  Lost,
  Claimed,
}

export const enum NoQuorumRule {
  Redraw,
  Refund,
}

/** `ITaskManagerTypes.TaskState`. */
export const enum TaskState {
  None,
  Drawing,
  Committing,
  Proposed,
  Finalized,
  Refunded,
  Closing,
}

export interface TaskSystemOptions {
  /** Stake of each worker, in whole tokens (default: six workers, uneven stakes). */
  stakes?: bigint[];
  config?: Partial<TaskConfig>;
  unbondingPeriod?: bigint;
}

/**
 * Deploys a token, a pool (the test epoch layout), a blockhash randomness source and a task manager wired with its
 * roles; stakes the workers in the open part of epochs; mints and approves a reward budget for the requester.
 */
export async function deployTaskSystem(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  options: TaskSystemOptions = {},
) {
  return await deployTaskSystemWith(ethers, helpers, options, async (admin) => ({
    randomness: await ethers.deployContract("BlockhashRandomness", [admin, LOOKAHEAD]),
    extra: {},
  }));
}

/**
 * The same system with Chainlink VRF v2.5 as its randomness source: Chainlink's coordinator mock with a funded
 * subscription whose consumer is the source (a 20-block answer timeout). The test plays the oracle:
 * `coordinator.fulfillRandomWords(vrfRequestId, source)` answers a triggered request.
 */
export async function deployVrfTaskSystem(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  options: TaskSystemOptions = {},
) {
  return await deployTaskSystemWith(ethers, helpers, options, async (admin) => {
    const coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
    const receipt = (await (await coordinator.createSubscription()).wait())!;
    const subscriptionId = receipt.logs
      .map((log) => coordinator.interface.parseLog(log))
      .find((parsed) => parsed?.name === "SubscriptionCreated")!.args[0] as bigint;
    await (await coordinator.fundSubscription(subscriptionId, 100n * UNIT)).wait();
    const randomness = await ethers.deployContract("VrfRandomness", [
      admin,
      await coordinator.getAddress(),
      {
        subscriptionId,
        keyHash: ethers.id("cohort test gas lane"),
        callbackGasLimit: 100_000n,
        requestConfirmations: 3n,
        nativePayment: false,
        timeoutBlocks: 20n,
      },
    ]);
    await (await coordinator.addConsumer(subscriptionId, await randomness.getAddress())).wait();
    return { randomness, extra: { coordinator } };
  });
}

interface RandomnessSourceContract {
  getAddress(): Promise<string>;
  CONSUMER_ROLE(): Promise<string>;
  grantRole(role: string, account: string): Promise<unknown>;
}

async function deployTaskSystemWith<R extends RandomnessSourceContract, E extends object>(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  options: TaskSystemOptions,
  deploySource: (admin: string) => Promise<{ randomness: R; extra: E }>,
) {
  const stakes = options.stakes ?? [300n, 200n, 150n, 100n, 80n, 50n];
  const { admin, treasury, outsider, rest } = await accounts(ethers);
  const requester = rest[0]!;
  const workers = rest.slice(1, 1 + stakes.length);
  if (workers.length < stakes.length) throw new Error(`${stakes.length} workers asked for, ${workers.length} left`);

  const { token, pool } = await deployTaskPool(ethers, admin.address, treasury.address, options.unbondingPeriod);
  const { randomness, extra } = await deploySource(admin.address);
  const config = { ...TASK_CONFIG, ...options.config };
  const manager = await ethers.deployContract("TaskManager", [
    await pool.getAddress(),
    await randomness.getAddress(),
    admin.address,
    config,
  ]);
  const managerAddress = await manager.getAddress();
  await pool.grantRole(await pool.SEAT_MANAGER_ROLE(), managerAddress);
  await pool.grantRole(await pool.SLASHER_ROLE(), managerAddress);
  await randomness.grantRole(await randomness.CONSUMER_ROLE(), managerAddress);

  for (const [i, w] of workers.entries()) {
    await token.mint(w.address, stakes[i]! * UNIT);
    await token.connect(w).approve(await pool.getAddress(), ethers.MaxUint256);
  }
  await stakeOpen(
    ethers,
    helpers,
    pool,
    workers,
    stakes.map((s) => s * UNIT),
  );
  await token.mint(requester.address, 1_000_000n * UNIT);
  await token.connect(requester).approve(managerAddress, ethers.MaxUint256);
  await mineToOpen(ethers, helpers);
  return { token, pool, randomness, manager, admin, treasury, outsider, requester, workers, config, stakes, ...extra };
}

export type TaskSystem = Awaited<ReturnType<typeof deployTaskSystem>>;
export type VrfTaskSystem = Awaited<ReturnType<typeof deployVrfTaskSystem>>;

/** A test token and a pool in the test epoch layout, with an unbonding period long enough for the tests' tasks. */
export async function deployTaskPool(
  ethers: HardhatEthers,
  admin: string,
  treasury: string,
  unbondingPeriod: bigint = TASK_UNBONDING_PERIOD,
) {
  const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
  const pool = await ethers.deployContract("SecurityPool", [
    await token.getAddress(),
    admin,
    POOL_CONFIG.weightUnit,
    POOL_CONFIG.epochBlocks,
    POOL_CONFIG.drawWindowBlocks,
    { minStake: POOL_CONFIG.minStake, seatBond: POOL_CONFIG.seatBond, unbondingPeriod, treasury },
  ]);
  return { token, pool };
}

/** A valid task request; override any field. The input is inline. */
export function taskRequest(ethers: HardhatEthers, overrides: Partial<TaskRequestShape> = {}): TaskRequestShape {
  const input = overrides.input ?? ethers.toUtf8Bytes("particles: 16 bodies, 100 ticks");
  return {
    programId: ethers.id("program: particles.wasm"),
    inputHash: ethers.keccak256(input),
    inputKind: 0,
    input,
    seats: 5n,
    quorum: 3n,
    reward: 1_000n * UNIT,
    commitBlocks: 10n,
    revealBlocks: 10n,
    challengeBlocks: 10n,
    valueAtRisk: 0n,
    noQuorumRule: NoQuorumRule.Redraw,
    ...overrides,
  };
}

export interface TaskRequestShape {
  programId: string;
  inputHash: string;
  inputKind: number;
  input: Uint8Array | string;
  seats: bigint;
  quorum: bigint;
  reward: bigint;
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  valueAtRisk: bigint;
  noQuorumRule: number;
}

/** Posts a task and returns its id. */
export async function postTask(sys: TaskSystem, ethers: HardhatEthers, overrides: Partial<TaskRequestShape> = {}) {
  const tx = await sys.manager.connect(sys.requester).createTask(taskRequest(ethers, overrides));
  await tx.wait();
  return await sys.manager.taskCount();
}

/**
 * Mines to a block inside the draw window the task's seed serves and draws its committee. The seed targets the
 * window's first block (with lookahead 1 when posted early enough), so the draw lands in the window's second block.
 */
export async function drawWhenReady(sys: TaskSystem, ethers: HardhatEthers, helpers: NetworkHelpers, taskId: bigint) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const requestId = (await sys.manager.taskOf(taskId)).requestId;
    const target = await sys.randomness.targetOf(requestId);
    const latest = BigInt(await ethers.provider.getBlockNumber());
    if (latest + 1n <= target) await mineUntilNext(ethers, helpers, target + 1n);
    const tx = await sys.manager.drawCommittee(taskId);
    const receipt = (await tx.wait())!;
    const drawn = receipt.logs.some((l) => sys.manager.interface.parseLog(l)?.name === "CommitteeDrawn");
    if (drawn) return receipt;
  }
  throw new Error(`task ${taskId}: no committee after four windows`);
}

/** The live records of the task's current round, with the signer of each member. */
export async function committee(sys: TaskSystem, taskId: bigint) {
  const info = await sys.manager.taskOf(taskId);
  const records = await sys.manager.recordsOf(taskId, info.round, 0n, info.recordCount);
  return records.map((r, index) => ({
    index: BigInt(index),
    member: r.member,
    seats: BigInt(r.seats),
    status: Number(r.status) as RecordStatus,
    signer: signerOf(sys, r.member),
  }));
}

export function signerOf(sys: TaskSystem, address: string): HardhatEthersSigner {
  const s = sys.workers.find((w) => w.address === address);
  if (!s) throw new Error(`${address} is not a test worker`);
  return s;
}

/** The commitment, exactly as `Commitments.commitment` computes it. */
export function commitmentOf(
  ethers: HardhatEthers,
  chainId: bigint,
  manager: string,
  taskId: bigint,
  round: bigint,
  member: string,
  resultHash: string,
  salt: string,
): string {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
      [chainId, manager, taskId, round, member, resultHash, salt],
    ),
  );
}

/** A deterministic salt per member and task, so tests can reveal what they committed. */
export function saltOf(ethers: HardhatEthers, taskId: bigint, round: bigint, member: string): string {
  return ethers.id(`salt/${taskId}/${round}/${member}`);
}

/** Commits `resultOf(member)` for each given record. */
export async function commitAll(
  sys: TaskSystem,
  ethers: HardhatEthers,
  taskId: bigint,
  records: Awaited<ReturnType<typeof committee>>,
  resultOf: (member: string) => string,
) {
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const round = (await sys.manager.taskOf(taskId)).round;
  const manager = await sys.manager.getAddress();
  for (const r of records) {
    const c = commitmentOf(
      ethers,
      chainId,
      manager,
      taskId,
      round,
      r.member,
      resultOf(r.member),
      saltOf(ethers, taskId, round, r.member),
    );
    await (await sys.manager.connect(r.signer).commit(taskId, r.index, c)).wait();
  }
}

/** Reveals `resultOf(member)` for each given record (without result bytes). */
export async function revealAll(
  sys: TaskSystem,
  ethers: HardhatEthers,
  taskId: bigint,
  records: Awaited<ReturnType<typeof committee>>,
  resultOf: (member: string) => string,
) {
  const round = (await sys.manager.taskOf(taskId)).round;
  for (const r of records) {
    const salt = saltOf(ethers, taskId, round, r.member);
    await (await sys.manager.connect(r.signer).reveal(taskId, r.index, resultOf(r.member), salt, "0x")).wait();
  }
}

/**
 * Mines until the latest block is past `deadline`: views (`eth_call` runs at the latest block) and the next
 * transaction both see the deadline passed.
 */
export async function mineAfter(ethers: HardhatEthers, helpers: NetworkHelpers, deadline: bigint) {
  const latest = BigInt(await ethers.provider.getBlockNumber());
  if (latest <= deadline) await helpers.mine(deadline + 1n - latest);
}

/**
 * Posts tasks and draws their first committee until it `suits` (the committee depends on block hashes, which carry
 * wall-clock time): between attempts the chain goes back to where it was and moves on an epoch and a block more, so
 * the seed differs. Returns the task with its committee drawn.
 */
export async function postSuitable(
  sys: TaskSystem,
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  overrides: Partial<TaskRequestShape>,
  suits: (records: Awaited<ReturnType<typeof committee>>) => boolean,
  attempts = 20,
) {
  const snapshot = await helpers.takeSnapshot();
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      await snapshot.restore();
      await helpers.mine(POOL_CONFIG.epochBlocks * BigInt(attempt) + BigInt(attempt));
      await mineToOpen(ethers, helpers);
    }
    const taskId = await postTask(sys, ethers, overrides);
    const receipt = await drawWhenReady(sys, ethers, helpers, taskId);
    const records = await committee(sys, taskId);
    if (suits(records)) return { taskId, records, receipt };
  }
  throw new Error(`no suitable committee in ${attempts} attempts`);
}

/**
 * The final split of an unchallenged task with a result, recomputed from the spec (`ITaskManager.finalize`): with no
 * winning challenger there is no bounty; `honestShareBps` of the stake slashed from wrong revealers joins the reward
 * and the missed-deadline penalties in the honest pot, split per winning seat with the dust to the treasury; the rest
 * of the slashes is the remainder (burned or credited to the treasury). Challenged tasks: `helpers/disputes.ts`.
 */
export function finalSplit(input: {
  reward: bigint;
  /** Penalties for missed commits and reveals (`slashPot - wrongSlashed`). */
  penalties: bigint;
  wrongSlashed: bigint;
  honestShareBps: bigint | number;
  winningSeats: bigint;
}) {
  const honestShare = (input.wrongSlashed * BigInt(input.honestShareBps)) / 10_000n;
  const honestPot = input.reward + input.penalties + honestShare;
  const remainder = input.wrongSlashed - honestShare;
  const rewardPerSeat = honestPot / input.winningSeats;
  const dust = honestPot - rewardPerSeat * input.winningSeats;
  return { honestShare, honestPot, remainder, rewardPerSeat, dust };
}

/** True when the next transaction would land in a draw window of the test layout. */
export async function nextIsInWindow(ethers: HardhatEthers): Promise<boolean> {
  const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
  return next >= windowStartOf(next);
}

export type { TaskManager };
