import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";

import {
  ContractRevertError,
  createCohort,
  type Cohort,
  type CreateTaskParameters,
  type DrawCommitteeReturnType,
} from "../../sdk/src/index.js";
import { UNIT, mineToOpen, mineUntilNext } from "../helpers/pool.js";
import type { TaskSystem } from "../helpers/tasks.js";

/**
 * Helpers of the SDK tests: clients for the test accounts, a draw through the SDK, and the check that a refused call
 * sent nothing. Committees come from block hashes (wall-clock time), so tests pick members from the draw's result.
 */

/** A client for `signer` (or read-only) on the system's manager, over the in-process network. */
export async function clientOf(ethers: HardhatEthers, sys: TaskSystem, signer?: HardhatEthersSigner): Promise<Cohort> {
  return await createCohort({
    provider: ethers.provider,
    ...(signer === undefined ? {} : { signer }),
    taskManager: await sys.manager.getAddress(),
  });
}

/** The default request of the tests: 5 seats, quorum 3, 1000 tokens, windows of 10 blocks. */
export function request(overrides: Partial<CreateTaskParameters> = {}): CreateTaskParameters {
  return {
    programId: "0x" + "ab".repeat(32),
    input: { inline: "particles: 16 bodies, 100 ticks" },
    seats: 5n,
    reward: 1_000n * UNIT,
    commitBlocks: 10n,
    revealBlocks: 10n,
    challengeBlocks: 10n,
    ...overrides,
  };
}

/**
 * Mines to the block after the seed's target and draws through the SDK, again after a re-arm (a window the seed
 * missed), until the committee is drawn.
 */
export async function drawThroughSdk(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  cohort: Cohort,
  taskId: bigint,
): Promise<DrawCommitteeReturnType> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const { requestId } = await cohort.getTask({ taskId });
    const target = (await cohort.randomness.getFunction("targetOf")(requestId)) as bigint;
    const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
    if (next <= target + 1n) await mineUntilNext(ethers, helpers, target + 1n);
    const drawn = await cohort.drawCommittee({ taskId });
    if (drawn.drawn) return drawn;
  }
  throw new Error(`task ${taskId}: no committee after four windows`);
}

/** Mines until the latest block is past `deadline`, so views and the next transaction both see it passed. */
export async function mineAfter(ethers: HardhatEthers, helpers: NetworkHelpers, deadline: bigint): Promise<void> {
  const latest = BigInt(await ethers.provider.getBlockNumber());
  if (latest <= deadline) await helpers.mine(deadline + 1n - latest);
}

/** A committee's members and their seats, from the draw's `SeatsAssigned` entries, fewest seats first. */
export function membersOf(drawn: DrawCommitteeReturnType): { member: string; index: bigint; seats: bigint }[] {
  return drawn.assigned
    .map((a) => ({ member: a.member, index: a.index, seats: a.seats }))
    .sort((a, b) => (a.seats < b.seats ? -1 : a.seats > b.seats ? 1 : 0));
}

/**
 * Posts a task through the SDK and draws its committee until `suits` holds for it: between attempts the chain goes
 * back to where it was and moves on an epoch and a block more, so the seed differs.
 */
export async function postAndDraw(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  requester: Cohort,
  params: CreateTaskParameters,
  suits: (drawn: DrawCommitteeReturnType) => boolean = () => true,
) {
  const snapshot = await helpers.takeSnapshot();
  for (let attempt = 0; attempt < 10; attempt++) {
    if (attempt > 0) {
      await snapshot.restore();
      await helpers.mine(20n * BigInt(attempt) + BigInt(attempt));
      await mineToOpen(ethers, helpers);
    }
    const created = await requester.createTask(params);
    const drawn = await drawThroughSdk(ethers, helpers, requester, created.taskId);
    if (suits(drawn)) return { created, drawn, taskId: created.taskId };
  }
  throw new Error("no suitable committee in 10 attempts");
}

/** What an account holds: its nonce, its ether, its stake tokens. */
async function footprint(cohort: Cohort, account: string) {
  const [nonce, ether, token] = await Promise.all([
    cohort.provider.getTransactionCount(account),
    cohort.provider.getBalance(account),
    cohort.token.getFunction("balanceOf")(account) as Promise<bigint>,
  ]);
  return { nonce, ether, token };
}

/**
 * Runs a call that must be refused and returns the error after checking that nothing was sent: the account's nonce,
 * ether and token balance, and the chain's block number, are all as they were.
 */
export async function refusedWithoutSending(cohort: Cohort, account: string, call: () => Promise<unknown>) {
  const before = await footprint(cohort, account);
  const block = await cohort.provider.getBlockNumber();
  let error: unknown;
  try {
    await call();
  } catch (e) {
    error = e;
  }
  expect(error, "the call was refused").to.not.equal(undefined);
  expect(await footprint(cohort, account)).to.deep.equal(before);
  expect(await cohort.provider.getBlockNumber()).to.equal(block);
  return error;
}

/** As `refusedWithoutSending`, for a revert: a `ContractRevertError` with this name and exactly these arguments. */
export async function revertsWithoutSending(
  cohort: Cohort,
  account: string,
  call: () => Promise<unknown>,
  errorName: string,
  args: Record<string, unknown>,
): Promise<ContractRevertError> {
  const error = await refusedWithoutSending(cohort, account, call);
  expect(error).to.be.instanceOf(ContractRevertError);
  const revert = error as ContractRevertError;
  expect(revert.errorName, revert.message).to.equal(errorName);
  expect(normalize(revert.args)).to.deep.equal(normalize(args));
  expect(revert.transactionHash, "refused by the simulation, not mined").to.equal(undefined);
  return revert;
}

/** Addresses compared case-insensitively, numbers as bigints. */
function normalize(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [
      k,
      typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : typeof v === "number" ? BigInt(v) : v,
    ]),
  );
}

/** A bytes32 of an ASCII name, as the contracts' `TaskManagerParameterOutOfBounds(name, ...)` carries it. */
export function nameWord(ethers: HardhatEthers, name: string): string {
  return ethers.encodeBytes32String(name);
}
