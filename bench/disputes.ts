/**
 * Gas of a disputed compute task (part of `npm run bench`): a task whose first committee reveals a wrong result, a
 * challenge, an escalation round of `2s + 1` seats that overturns it, and the settlement of both rounds (every
 * first-round member slashed, every escalation member paid, the challenger's bond and bounty credited).
 *
 * Same pool and members as `bench/tasks.ts` (synthetic staked workers acting through impersonation); the committees
 * come from block hashes, so members differ from run to run, and with them a few thousand gas.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import {
  BENCH_TASK_CONFIG,
  chainControls,
  EPOCH_BLOCKS,
  UNIT,
  WINDOW_BLOCKS,
  benchCommitment,
  deployBenchTaskSystem,
  fillStakedWorkers,
  gasOf,
  type TaskGasDetail,
} from "./tasks.js";

const WINDOW = 100n;
const ASSIGNED = 1;

export async function measureDisputeGas(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  stakers: number,
  seats: number,
  log: (line: string) => void,
): Promise<TaskGasDetail[]> {
  const [admin, requester, challenger] = await ethers.getSigners();
  const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
  const { pool, randomness, manager, managerAddress } = await deployBenchTaskSystem(ethers, token, {
    admin: admin!.address,
    treasury: admin!.address,
    requester: requester!,
    unbondingPeriod: 5_000n,
    seatBond: 5n * UNIT,
    config: BENCH_TASK_CONFIG,
  });
  await fillStakedWorkers(token, pool, stakers);
  await (await token.mint(challenger!.address, 1_000_000n * UNIT)).wait();
  await (await token.connect(challenger!).approve(managerAddress, ethers.MaxUint256)).wait();

  const { latest, mineTo, memberSigner } = chainControls(ethers, helpers);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const byOperation = new Map<string, number[]>();
  const record = (operation: string, gas: number) =>
    byOperation.set(operation, [...(byOperation.get(operation) ?? []), gas]);

  const right = ethers.keccak256(ethers.toUtf8Bytes("bench: the right result"));
  const wrong = ethers.keccak256(ethers.toUtf8Bytes("bench: a wrong result"));

  /** Draws the current round (retrying re-arms) and has every member commit and reveal `result`. */
  const runRound = async (taskId: bigint, round: bigint, result: string, prefix: "" | "escalation") => {
    const name = (operation: string) =>
      prefix === "" ? operation : prefix + operation[0]!.toUpperCase() + operation.slice(1);
    const draw = prefix === "" ? "drawCommittee" : "escalationDraw";
    for (let attempt = 0; ; attempt++) {
      const target = await randomness.targetOf((await manager.taskOf(taskId)).requestId);
      await mineTo(target);
      const gas = await gasOf(manager.drawCommittee(taskId));
      if ((await manager.taskOf(taskId)).state === 2n) {
        record(draw, gas);
        break;
      }
      if (attempt === 3) throw new Error(`task ${taskId}: no committee after ${attempt + 1} windows`);
    }
    const info = await manager.taskOf(taskId);
    const records = await manager.recordsOf(taskId, round, 0n, info.recordCount);
    const salts = new Map<number, string>();
    for (const [index, r] of records.entries()) {
      if (Number(r.status) !== ASSIGNED) continue;
      const salt = ethers.id(`bench dispute salt ${taskId} ${round} ${index}`);
      salts.set(index, salt);
      const commitment = benchCommitment(ethers, [chainId, managerAddress, taskId, round, r.member, result, salt]);
      record(
        name("commit"),
        await gasOf(manager.connect(await memberSigner(r.member)).commit(taskId, index, commitment)),
      );
    }
    await mineTo(info.commitDeadline);
    for (const [index, salt] of salts) {
      const signer = await ethers.getSigner(records[index]!.member);
      record(name("reveal"), await gasOf(manager.connect(signer).reveal(taskId, index, result, salt, "0x")));
    }
    await mineTo(info.commitDeadline + info.revealBlocks);
    return { records, salts };
  };

  // Post in the open part of an epoch, far enough before the window for the seed to target its first block.
  const next = (await latest()) + 1n;
  const windowStart = (next / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
  if (next + 2n >= windowStart) await mineTo(windowStart + WINDOW_BLOCKS);
  const request = {
    programId: ethers.id("program: particles.wasm"),
    inputHash: ethers.keccak256(ethers.toUtf8Bytes(`bench dispute input ${seats}`)),
    inputKind: 1,
    input: ethers.toUtf8Bytes(`https://example.org/inputs/bench-dispute-${seats}.bin`),
    seats: BigInt(seats),
    quorum: BigInt(Math.floor(seats / 2) + 1),
    reward: 1_000n * UNIT,
    commitBlocks: WINDOW,
    revealBlocks: WINDOW,
    challengeBlocks: 10n,
    valueAtRisk: 0n,
    noQuorumRule: 0,
  };
  record("createTask", await gasOf(manager.connect(requester!).createTask(request)));
  const taskId = await manager.taskCount();

  const first = await runRound(taskId, 0n, wrong, "");
  record("tally", await gasOf(manager.tally(taskId)));
  const bond = (await manager.taskOf(taskId)).challengeBondFloor;
  record("challenge", await gasOf(manager.connect(challenger!).challenge(taskId, right, bond)));
  const escalation = await runRound(taskId, 1n, right, "escalation");
  record("escalationTally", await gasOf(manager.tally(taskId)));
  record("finalizeEscalated", await gasOf(manager.finalize(taskId)));
  if ((await manager.taskOf(taskId)).state !== 4n) throw new Error(`task ${taskId}: not finalized`);
  for (const [index] of escalation.salts) {
    const signer = await ethers.getSigner(escalation.records[index]!.member);
    record("claim", await gasOf(manager.connect(signer).claimReward(taskId, 1n, index)));
  }
  log(
    `  disputed task with ${seats} + ${2 * seats + 1} seats: ${first.salts.size} members slashed, ` +
      `${escalation.salts.size} paid`,
  );

  const details: TaskGasDetail[] = [];
  let total = 0;
  let transactions = 0;
  for (const [operation, gases] of byOperation) {
    const sum = gases.reduce((a, b) => a + b, 0);
    total += sum;
    transactions += gases.length;
    const rowSeats = operation.startsWith("escalation") || operation === "claim" ? 2 * seats + 1 : seats;
    details.push({
      operation: operation === "claim" ? "escalationClaim" : operation,
      stakers,
      seats: rowSeats,
      gas: Math.round(sum / gases.length),
      transactions: gases.length,
      maxGas: Math.max(...gases),
    });
  }
  details.push({ operation: "disputeTotal", stakers, seats, gas: total, transactions, maxGas: total });
  return details;
}
