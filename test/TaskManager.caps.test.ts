import { expect } from "chai";
import hre, { network } from "hardhat";

import { deployBenchTaskSystem, fillStakedWorkers } from "../bench/tasks.js";

const { ethers, networkHelpers } = await network.create();

/** EIP-7825: the per-transaction gas cap. */
const TX_GAS_CAP = 16_777_216n;
const UNIT = 10n ** 18n;
const EPOCH_BLOCKS = 20n;
const WINDOW_BLOCKS = 5n;
const SEAT_BOND = 5n * UNIT;
/**
 * Staked synthetic workers (`benchFillStaked`, stakes of 10-1,000 tokens, so each covers at least 2 seats). 100,000
 * fill in under a minute; with 64 seats drawn from so many similar stakes, almost every seat goes to a distinct member
 * (about 0.02 repeats expected), the worst case for every per-member loop. The tree height, not the number of
 * stakers, drives the cost of a draw, and the tree is forced to its full 8 levels anyway (see `SPREAD`).
 */
const STAKERS = 100_000;
/**
 * Unstaked synthetic stakers inserted first with leaves 8^5 apart (`benchSpread`): the tree takes its full height
 * (8 levels), so every draw walks the longest path, and the staked workers added after them sit just as deep.
 */
const SPREAD = 64;
const SEATS = 64n;
const QUORUM = 33n;
/** Long enough for 64 members to commit (and reveal) one transaction per block. */
const WINDOW = 100n;
const MAX_BYTES = 16_384;

const enum RecordStatus {
  Assigned = 1,
  Committed = 3,
  Replaced = 5,
}

interface Row {
  operation: string;
  gas: bigint;
}

interface Receipt {
  gasUsed: bigint;
  logs: readonly { topics: readonly string[]; data: string }[];
}

describe("TaskManager worst cases at the caps (rule 5, EIP-7825)", function () {
  it("every external function at its caps stays under 16,777,216 gas", async function () {
    // Coverage instrumentation adds gas to every statement, so gas figures under --coverage say nothing.
    if (hre.globalOptions.coverage === true) this.skip();
    const [admin, requester, treasury] = await ethers.getSigners();
    const rows: Row[] = [];
    const measure = (operation: string, gas: bigint) => {
      rows.push({ operation, gas });
      expect(gas, operation).to.be.below(TX_GAS_CAP);
    };

    const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
    const deploySystem = async (spread: number, stakers: number) => {
      // The caps: 3 replacement draws and 3 redraws (lifeBound 4 * (4 * (60 + 100) + 100) + 100 = 3,060 <= 5,000).
      const system = await deployBenchTaskSystem(ethers, token, {
        admin: admin!.address,
        treasury: treasury!.address,
        requester: requester!,
        unbondingPeriod: 5_000n,
        seatBond: SEAT_BOND,
        epochBlocks: EPOCH_BLOCKS,
        windowBlocks: WINDOW_BLOCKS,
        config: {
          slashFractionBps: 5_000,
          missedCommitPenaltyBps: 1_000,
          missedRevealPenaltyBps: 2_000,
          maxReplacementDraws: 3,
          maxRedraws: 3,
        },
      });
      const { pool } = system;
      for (let first = 0; first < spread; first += 32) {
        await (await pool.benchSpread(first, Math.min(32, spread - first), 8 ** 5)).wait();
      }
      await fillStakedWorkers(token, pool, stakers);
      const [height] = await pool.benchShape();
      expect(height).to.equal(8n);
      return system;
    };
    type System = Awaited<ReturnType<typeof deploySystem>>;

    const latest = async () => BigInt(await ethers.provider.getBlockNumber());
    /** Mines until the latest block is `block`: the next transaction lands in `block + 1`. */
    const mineTo = async (block: bigint) => {
      const now = await latest();
      if (block > now) await networkHelpers.mine(block - now);
    };
    const gasOf = async (sent: Promise<{ wait(): Promise<Receipt | null> }>) => {
      const receipt = await (await sent).wait();
      if (!receipt) throw new Error("no receipt");
      return receipt;
    };
    const signers = new Map<string, Awaited<ReturnType<typeof ethers.getSigner>>>();
    const signerOf = async (address: string) => {
      let s = signers.get(address);
      if (s === undefined) {
        await networkHelpers.impersonateAccount(address);
        await networkHelpers.setBalance(address, 10n ** 20n);
        s = await ethers.getSigner(address);
        signers.set(address, s);
      }
      return s;
    };
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const commitmentOf = (sys: System, taskId: bigint, round: bigint, member: string, result: string, salt: string) =>
      ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
          [chainId, sys.managerAddress, taskId, round, member, result, salt],
        ),
      );
    const saltOf = (taskId: bigint, member: string) => ethers.id(`salt/${taskId}/${member}`);

    /** Posts a 64-seat task in the open part of an epoch, early enough for its seed to target the next window. */
    const post = async (sys: System, input: Uint8Array) => {
      const next = (await latest()) + 1n;
      const windowStart = (next / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
      if (next + 2n >= windowStart) await mineTo(windowStart + WINDOW_BLOCKS);
      const request = {
        programId: ethers.id("program: particles.wasm"),
        inputHash: ethers.keccak256(input),
        inputKind: 0,
        input,
        seats: SEATS,
        quorum: QUORUM,
        reward: 1_000n * UNIT,
        commitBlocks: WINDOW,
        revealBlocks: WINDOW,
        challengeBlocks: WINDOW,
        valueAtRisk: 0n,
        noQuorumRule: 0,
      };
      const receipt = await gasOf(sys.manager.connect(requester!).createTask(request));
      return { taskId: await sys.manager.taskCount(), gas: receipt.gasUsed };
    };
    /** Mines to the block after the seed's target (inside the window it serves) and draws; re-arms are retried. */
    const draw = async (sys: System, taskId: bigint) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        const target = await sys.randomness.targetOf((await sys.manager.taskOf(taskId)).requestId);
        await mineTo(target);
        const receipt = await gasOf(sys.manager.drawCommittee(taskId));
        const drawn = receipt.logs.some((l) => sys.manager.interface.parseLog(l)?.name === "CommitteeDrawn");
        if (drawn) return receipt.gasUsed;
      }
      throw new Error(`task ${taskId}: no committee after four windows`);
    };
    const records = async (sys: System, taskId: bigint) => {
      const info = await sys.manager.taskOf(taskId);
      return [...(await sys.manager.recordsOf(taskId, info.round, 0n, info.recordCount))].map((r, index) => ({
        index: BigInt(index),
        member: r.member,
        seats: BigInt(r.seats),
        status: Number(r.status),
      }));
    };
    /** The first draw and three replacement draws, every member a no-show: 4 * 64 records (fewer on repeats). */
    const drawFourTimes = async (sys: System, taskId: bigint) => {
      const gas = { first: 0n, replace: 0n, lastDraw: 0n, recordsBeforeLast: 0 };
      gas.first = await draw(sys, taskId);
      for (let d = 1; d <= 3; d++) {
        await mineTo((await sys.manager.taskOf(taskId)).commitDeadline);
        const receipt = await gasOf(sys.manager.replaceNoShows(taskId));
        if (receipt.gasUsed > gas.replace) gas.replace = receipt.gasUsed;
        gas.recordsBeforeLast = (await records(sys, taskId)).length;
        gas.lastDraw = await draw(sys, taskId);
      }
      return gas;
    };
    const commitAll = async (sys: System, taskId: bigint, resultOf: (i: number) => string) => {
      const all = await records(sys, taskId);
      const assigned = all.filter((r) => r.status === RecordStatus.Assigned);
      for (const [i, r] of assigned.entries()) {
        const c = commitmentOf(sys, taskId, 0n, r.member, resultOf(i), saltOf(taskId, r.member));
        await (await sys.manager.connect(await signerOf(r.member)).commit(taskId, r.index, c)).wait();
      }
      return assigned;
    };

    // The declined case first, on its own pool: 512 unstaked stakers spread over the tallest tree, so every drawn
    // member is declined. Cheaper than the locked case below (no stake written), measured to show it.
    const started = Date.now();
    const declined = await deploySystem(512, 0);
    const dt = await post(declined, ethers.toUtf8Bytes("declined"));
    measure("drawCommittee, 64 seats all declined (8-level tree)", await draw(declined, dt.taskId));
    expect((await records(declined, dt.taskId)).every((r) => r.status === 2)).to.equal(true);

    const sys = await deploySystem(SPREAD, STAKERS);
    const fill = ((Date.now() - started) / 1000).toFixed(1);

    // createTask: the largest inline input and the most seats.
    const input = ethers.randomBytes(MAX_BYTES);
    const t1 = await post(sys, input);
    measure("createTask, 16,384-byte inline input, 64 seats", t1.gas);
    measure("drawCommittee, 64 seats locked (first draw)", await draw(sys, t1.taskId));
    const r1 = await records(sys, t1.taskId);
    expect(r1.every((r) => r.status === RecordStatus.Assigned)).to.equal(true);

    // Task 2: four draws of no-shows, then the last committee commits, 33+ seats reveal the (16 KB) result and the
    // rest (at most 31 seats, since quorum is a strict majority) reveal wrong results; finalize slashes them over
    // a round of ~256 records.
    const t2 = (await post(sys, ethers.toUtf8Bytes("task 2"))).taskId;
    const g2 = await drawFourTimes(sys, t2);
    measure("replaceNoShows, 64 no-shows penalized (worst of 3)", g2.replace);
    measure(`drawCommittee, last replacement draw after ${g2.recordsBeforeLast} records`, g2.lastDraw);
    expect(g2.recordsBeforeLast).to.be.at.least(180);
    const bigResult = ethers.randomBytes(MAX_BYTES);
    const honest = ethers.keccak256(bigResult);
    const last = (await records(sys, t2)).filter((r) => r.status === RecordStatus.Assigned);
    let honestSeats = 0n;
    const resultOf = new Map<string, string>();
    for (const [i, r] of last.entries()) {
      const isHonest = honestSeats < QUORUM;
      if (isHonest) honestSeats += r.seats;
      resultOf.set(r.member, isHonest ? honest : ethers.id(`wrong ${i}`));
    }
    await commitAll(sys, t2, (i) => resultOf.get(last[i]!.member)!);
    const info2 = await sys.manager.taskOf(t2);
    await mineTo(info2.commitDeadline);
    let revealGas = 0n;
    for (const r of last) {
      const result = resultOf.get(r.member)!;
      const bytes = result === honest && revealGas === 0n ? bigResult : "0x";
      const signer = await signerOf(r.member);
      const receipt = await gasOf(sys.manager.connect(signer).reveal(t2, r.index, result, saltOf(t2, r.member), bytes));
      if (bytes !== "0x") revealGas = receipt.gasUsed;
    }
    measure("reveal, 16,384-byte result", revealGas);
    await mineTo(info2.revealDeadline);
    measure("tally, quorum and everyone revealed (O(1))", (await gasOf(sys.manager.tally(t2))).gasUsed);
    await mineTo((await sys.manager.taskOf(t2)).challengeDeadline);
    const wrongSeats = last.reduce((a, r) => a + r.seats, 0n) - honestSeats;
    const finalizeGas = (await gasOf(sys.manager.finalize(t2))).gasUsed;
    measure(`finalize, ${wrongSeats} wrong seats slashed, ${(await records(sys, t2)).length} records`, finalizeGas);
    expect(wrongSeats).to.be.at.most(31n);
    expect(wrongSeats).to.be.at.least(25n);

    // Task 3: four draws of no-shows, then the last committee commits and nobody reveals: the tally penalizes
    // every silent member over a round of ~256 records.
    const t3 = (await post(sys, ethers.toUtf8Bytes("task 3"))).taskId;
    await drawFourTimes(sys, t3);
    const silent = await commitAll(sys, t3, () => honest);
    await mineTo((await sys.manager.taskOf(t3)).revealDeadline);
    const roundRecords = (await records(sys, t3)).length;
    const tallyGas = (await gasOf(sys.manager.tally(t3))).gasUsed;
    measure(`tally, ${silent.length} silent members penalized, ${roundRecords} records`, tallyGas);
    expect(silent.length).to.be.at.least(60);

    // recordsOf: the most records a round can hold, read in one call.
    const full = await sys.manager.recordsOf(t2, 0n, 0n, 256n);
    const readGas = await sys.manager.recordsOf.estimateGas(t2, 0n, 0n, 256n);
    measure(`recordsOf, ${full.length} records (eth_call)`, readGas);

    const width = Math.max(...rows.map((r) => r.operation.length));
    console.log(`      ${STAKERS} staked + ${SPREAD} spread stakers on an 8-level tree, set up in ${fill} s`);
    console.log(`      ${"operation".padEnd(width)}  ${"gas".padStart(10)}  of cap`);
    for (const r of rows) {
      const share = ((Number(r.gas) / Number(TX_GAS_CAP)) * 100).toFixed(1);
      console.log(`      ${r.operation.padEnd(width)}  ${r.gas.toString().padStart(10)}  ${share.padStart(5)}%`);
    }
  });
});
