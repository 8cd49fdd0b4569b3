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
/** The escalation round of a 64-seat task: 2 * 64 + 1 seats, quorum 65. */
const ESCALATION_SEATS = 129n;
const ESCALATION_QUORUM = 65n;
/** Long enough for the 129 members of an escalation round to commit (and reveal) one transaction per block. */
const WINDOW = 300n;
const MAX_BYTES = 16_384;

const enum RecordStatus {
  Assigned = 1,
  Committed = 3,
  Replaced = 5,
  Silent = 7,
  Lost = 10,
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
    const [admin, requester, treasury, challenger] = await ethers.getSigners();
    const rows: Row[] = [];
    const measure = (operation: string, gas: bigint) => {
      rows.push({ operation, gas });
      expect(gas, operation).to.be.below(TX_GAS_CAP);
    };

    const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
    const deploySystem = async (spread: number, stakers: number) => {
      // The caps: 3 replacement draws and 3 redraws, and one escalation (a 64-seat task allows no more: 2 * 129 + 1
      // passes MAX_ROUND_SEATS). lifeBound: 5 rounds of 4 * (60 + 300) + 300 blocks, plus 2 challenge windows of
      // 300: 9,300 <= 10,000. The remainder of wrong slashes is burned: the finalization pays one more transfer.
      const system = await deployBenchTaskSystem(ethers, token, {
        admin: admin!.address,
        treasury: treasury!.address,
        requester: requester!,
        unbondingPeriod: 10_000n,
        seatBond: SEAT_BOND,
        epochBlocks: EPOCH_BLOCKS,
        windowBlocks: WINDOW_BLOCKS,
        config: {
          slashFractionBps: 5_000,
          missedCommitPenaltyBps: 1_000,
          missedRevealPenaltyBps: 2_000,
          maxReplacementDraws: 3,
          maxRedraws: 3,
          maxEscalations: 1,
          bountyBps: 2_000,
          honestShareBps: 5_000,
          challengeBondPerSeat: UNIT,
          burnRemainder: true,
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
    /** Commits `resultOf(i)` for the `i`-th assigned record of the current round. */
    const commitAll = async (sys: System, taskId: bigint, resultOf: (i: number) => string) => {
      const round = (await sys.manager.taskOf(taskId)).round;
      const all = await records(sys, taskId);
      const assigned = all.filter((r) => r.status === RecordStatus.Assigned);
      for (const [i, r] of assigned.entries()) {
        const c = commitmentOf(sys, taskId, round, r.member, resultOf(i), saltOf(taskId, r.member));
        await (await sys.manager.connect(await signerOf(r.member)).commit(taskId, r.index, c)).wait();
      }
      return assigned;
    };
    /** Every record of rounds 0 .. the current one, with its round. */
    const allRecords = async (sys: System, taskId: bigint) => {
      const info = await sys.manager.taskOf(taskId);
      const out: { round: bigint; member: string; seats: bigint; status: number }[] = [];
      for (let round = 0n; round <= info.round; round++) {
        const count = (await sys.manager.roundOf(taskId, round)).recordCount;
        for (const r of await sys.manager.recordsOf(taskId, round, 0n, count)) {
          out.push({ round, member: r.member, seats: BigInt(r.seats), status: Number(r.status) });
        }
      }
      return out;
    };
    /**
     * Challenges the task's proposed result, claiming `claimed`, with the least bond; then draws the escalation round
     * and checks it: 129 seats, all Assigned, none held by a member of round 0 or the challenger.
     */
    const challengeAndDraw = async (sys: System, taskId: bigint, claimed: string) => {
      const floor = (await sys.manager.taskOf(taskId)).challengeBondFloor;
      // 129 seats at the task's reward per seat of its first round (1,000 / 64 tokens, above the 1-token floor).
      expect(floor).to.equal(ESCALATION_SEATS * ((1_000n * UNIT + SEATS - 1n) / SEATS));
      await (await token.mint(challenger!.address, floor)).wait();
      await (await token.connect(challenger!).approve(sys.managerAddress, floor)).wait();
      const challengeGas = (await gasOf(sys.manager.connect(challenger!).challenge(taskId, claimed, floor))).gasUsed;
      const excluded = (await allRecords(sys, taskId)).length;
      const drawGas = await draw(sys, taskId);
      const info = await sys.manager.taskOf(taskId);
      expect([info.round, info.escalations, info.seats, info.quorum]).to.deep.equal([
        1n,
        1n,
        ESCALATION_SEATS,
        ESCALATION_QUORUM,
      ]);
      // Every seat found an eligible member among the 256 candidates (one whose free stake falls short, locked by
      // another task, declines its seats: they are re-drawn by the round's replacement draws).
      const round1 = await records(sys, taskId);
      expect(
        round1.reduce((a, r) => a + r.seats, 0n),
        "129 eligible seats kept",
      ).to.equal(ESCALATION_SEATS);
      const earlier = new Set((await allRecords(sys, taskId)).filter((r) => r.round === 0n).map((r) => r.member));
      earlier.add(challenger!.address);
      expect(round1.filter((r) => earlier.has(r.member))).to.have.length(0);
      return { challengeGas, drawGas, excluded };
    };
    /**
     * Commits each assigned record of the current round with `pick(record)` and mines to the commit deadline; while
     * seats stay vacant (declined) and replacements are left, replaces them, draws and commits the newcomers too.
     * Returns the committed records with what each committed.
     */
    const commitRound = async (
      sys: System,
      taskId: bigint,
      pick: (r: Awaited<ReturnType<typeof records>>[number]) => string,
    ) => {
      const round = (await sys.manager.taskOf(taskId)).round;
      const sealed = new Map<bigint, string>();
      for (;;) {
        for (const r of (await records(sys, taskId)).filter((x) => x.status === RecordStatus.Assigned)) {
          const result = pick(r);
          sealed.set(r.index, result);
          const c = commitmentOf(sys, taskId, round, r.member, result, saltOf(taskId, r.member));
          await (await sys.manager.connect(await signerOf(r.member)).commit(taskId, r.index, c)).wait();
        }
        // Views run at the latest block: one past the deadline shows whether replacements are due.
        await mineTo((await sys.manager.taskOf(taskId)).commitDeadline + 1n);
        if ((await sys.manager.phaseOf(taskId)) !== 3n) break; // not AwaitingReplacement
        await (await sys.manager.replaceNoShows(taskId)).wait();
        await draw(sys, taskId);
      }
      const committed = (await records(sys, taskId)).filter((r) => r.status === RecordStatus.Committed);
      return committed.map((r) => ({ ...r, result: sealed.get(r.index)! }));
    };
    /** Reveals what each given record committed, unless `reveals` says otherwise. */
    const revealRound = async (
      sys: System,
      taskId: bigint,
      committed: Awaited<ReturnType<typeof commitRound>>,
      reveals: (r: Awaited<ReturnType<typeof commitRound>>[number]) => boolean = () => true,
    ) => {
      for (const r of committed) {
        if (!reveals(r)) continue;
        const signer = await signerOf(r.member);
        await (
          await sys.manager.connect(signer).reveal(taskId, r.index, r.result, saltOf(taskId, r.member), "0x")
        ).wait();
      }
    };
    /** A picker that gives `first` to records until they hold `seats` seats, then `rest(member)`. */
    const firstSeatsThen = (first: string, seats: bigint, rest: (member: string) => string) => {
      let taken = 0n;
      return (r: { member: string; seats: bigint }) => {
        if (taken >= seats) return rest(r.member);
        taken += r.seats;
        return first;
      };
    };
    /** Calls finalize until the task ends; the gas of each call. */
    const finalizeAll = async (sys: System, taskId: bigint) => {
      const gas: bigint[] = [];
      for (let call = 0; call < 4; call++) {
        gas.push((await gasOf(sys.manager.finalize(taskId))).gasUsed);
        if ((await sys.manager.taskOf(taskId)).state === 4n) return gas;
      }
      throw new Error(`task ${taskId} not finalized after 4 calls`);
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
    // Every drawn staker locks its seats. The spread stakers hold tree weight but no stake (about 0.06 % of the
    // weight, so about one draw in 25 lands on one): those, and only those, decline.
    for (const r of await records(sys, t1.taskId)) {
      const unstaked = (await sys.pool.stakeOf(r.member)).active === 0n;
      expect(r.status, r.member).to.equal(unstaked ? 2 : RecordStatus.Assigned);
    }

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

    // Task 4: the escalation ladder at the caps. Round 0 takes its four draws (~256 records: the most an escalation
    // draw of this task has to exclude), its last committee reveals result A; a challenge claiming B opens the
    // 129-seat escalation round, drawn from 256 candidates after marking every member of round 0 and the
    // challenger. There, the first 65+ seats reveal B and the rest stay silent (penalized at the tally); B is final,
    // so finalize slashes all of round 0's revealers of A, over more records than one call settles (SETTLE_BATCH).
    const A = ethers.id("result A");
    const B = ethers.id("result B");
    const t4 = (await post(sys, ethers.toUtf8Bytes("task 4"))).taskId;
    await drawFourTimes(sys, t4);
    // No replacement is left in round 0: a declined seat of the last draw stays vacant; A still has its quorum.
    const last4 = await commitRound(sys, t4, () => A);
    await revealRound(sys, t4, last4);
    await mineTo((await sys.manager.taskOf(t4)).revealDeadline);
    await (await sys.manager.tally(t4)).wait();
    const e4 = await challengeAndDraw(sys, t4, B);
    measure("challenge, 64-seat round (opens the 129-seat escalation)", e4.challengeGas);
    measure(`drawCommittee, 129-seat escalation, ${e4.excluded} records of round 0 excluded`, e4.drawGas);
    expect(e4.excluded).to.be.at.least(180);
    const voters4 = await commitRound(sys, t4, () => B);
    // The first 65 seats reveal B; the others stay silent.
    let answered4 = 0n;
    await revealRound(sys, t4, voters4, (r) => {
      if (answered4 >= ESCALATION_QUORUM) return false;
      answered4 += r.seats;
      return true;
    });
    await mineTo((await sys.manager.taskOf(t4)).revealDeadline);
    const silent4 = (await records(sys, t4)).filter((r) => r.status === RecordStatus.Committed).length;
    const tally4 = (await gasOf(sys.manager.tally(t4))).gasUsed;
    measure(`tally, 129-seat escalation round, ${silent4} silent members penalized`, tally4);
    expect(silent4).to.be.at.least(55);
    expect(await sys.manager.phaseOf(t4)).to.equal(7n); // AwaitingFinalization: no escalation left
    const records4 = (await allRecords(sys, t4)).length;
    const fin4 = await finalizeAll(sys, t4);
    expect(fin4.length, "more records than one call settles").to.equal(2);
    for (const [i, gas] of fin4.entries()) {
      measure(`finalize over both rounds (${records4} records), call ${i + 1} of ${fin4.length}`, gas);
    }
    const end4 = await allRecords(sys, t4);
    expect(end4.filter((r) => r.status === RecordStatus.Lost).length).to.equal(last4.length);
    expect((await sys.manager.challengeOf(t4, 1n)).outcome).to.equal(1n); // Won

    // Task 5: the heaviest single settlement call of a challenged 64-seat task: round 0 reveals A, the escalation
    // round's first 65+ seats reveal B and the others each a wrong result of their own. Finalize slashes round 0's
    // revealers and the escalation's wrong ones in one call.
    const t5 = (await post(sys, ethers.toUtf8Bytes("task 5"))).taskId;
    await draw(sys, t5);
    const first5 = await commitRound(sys, t5, () => A);
    await revealRound(sys, t5, first5);
    await mineTo((await sys.manager.taskOf(t5)).revealDeadline);
    await (await sys.manager.tally(t5)).wait();
    const e5 = await challengeAndDraw(sys, t5, B);
    measure(`drawCommittee, 129-seat escalation, ${e5.excluded} records of round 0 excluded`, e5.drawGas);
    const voters5 = await commitRound(
      sys,
      t5,
      firstSeatsThen(B, ESCALATION_QUORUM, (m) => ethers.id(`wrong ${m}`)),
    );
    await revealRound(sys, t5, voters5);
    await mineTo((await sys.manager.taskOf(t5)).revealDeadline);
    measure("tally, 129-seat escalation round, everyone revealed (O(1))", (await gasOf(sys.manager.tally(t5))).gasUsed);
    const records5 = (await allRecords(sys, t5)).length;
    const fin5 = await finalizeAll(sys, t5);
    expect(fin5.length).to.equal(1);
    const lost5 = (await allRecords(sys, t5)).filter((r) => r.status === RecordStatus.Lost).length;
    measure(`finalize over both rounds (${records5} records), ${lost5} wrong records slashed`, fin5[0]!);
    expect(lost5).to.be.at.least(first5.length + 55);

    // Task 6: the heaviest tally of an escalation round: all 129 seats commit and none reveals, so every member is
    // penalized; the round has no quorum and the task redraws (Redraw, redraws left).
    const t6 = (await post(sys, ethers.toUtf8Bytes("task 6"))).taskId;
    await draw(sys, t6);
    const first6 = await commitRound(sys, t6, () => A);
    await revealRound(sys, t6, first6);
    await mineTo((await sys.manager.taskOf(t6)).revealDeadline);
    await (await sys.manager.tally(t6)).wait();
    await challengeAndDraw(sys, t6, B);
    const silent6 = await commitRound(sys, t6, () => B);
    await mineTo((await sys.manager.taskOf(t6)).revealDeadline);
    const tally6 = (await gasOf(sys.manager.tally(t6))).gasUsed;
    measure(`tally, 129-seat escalation round, all ${silent6.length} members silent (no quorum, redraw)`, tally6);
    expect(silent6.length).to.be.at.least(120);
    const after6 = await sys.manager.taskOf(t6);
    expect([after6.state, after6.round, after6.seats, after6.slashPot > 0n]).to.deep.equal([
      1n,
      2n,
      ESCALATION_SEATS,
      true,
    ]);
    expect((await records(sys, t6)).length).to.equal(0);
    const round1of6 = await sys.manager.recordsOf(t6, 1n, 0n, 516n);
    expect(round1of6.filter((r) => Number(r.status) === RecordStatus.Silent)).to.have.length(silent6.length);

    // Task 7: the heaviest draws of all. Round 0 takes four draws and proposes A; the challenge opens round 1 (129
    // seats); round 1 and its three redraws (rounds 2-4) each take four draws of no-shows (516 records a round), so
    // the last draw of round 4 excludes every record of rounds 0-3 (about 1,800) and maps about 390 live holders.
    // Then the refund settles every round in SETTLE_BATCH steps.
    const t7 = (await post(sys, ethers.toUtf8Bytes("task 7"))).taskId;
    await drawFourTimes(sys, t7);
    const last7 = await commitRound(sys, t7, () => A);
    await revealRound(sys, t7, last7);
    await mineTo((await sys.manager.taskOf(t7)).revealDeadline);
    await (await sys.manager.tally(t7)).wait();
    const floor7 = (await sys.manager.taskOf(t7)).challengeBondFloor;
    await (await token.mint(challenger!.address, floor7)).wait();
    await (await token.connect(challenger!).approve(sys.managerAddress, floor7)).wait();
    await (await sys.manager.connect(challenger!).challenge(t7, B, floor7)).wait();
    let heaviestDraw = { gas: 0n, excluded: 0, round: 0n };
    let heaviestTally = 0n;
    for (let round = 1n; round <= 4n; round++) {
      const excluded = (await allRecords(sys, t7)).length;
      const draws = [await draw(sys, t7)];
      for (let d = 1; d <= 3; d++) {
        await mineTo((await sys.manager.taskOf(t7)).commitDeadline);
        await (await sys.manager.replaceNoShows(t7)).wait();
        await mineTo(await sys.randomness.targetOf((await sys.manager.taskOf(t7)).requestId));
        draws.push((await gasOf(sys.manager.drawCommittee(t7, { gasLimit: TX_GAS_CAP }))).gasUsed);
      }
      for (const gas of draws) {
        expect(gas).to.be.below(TX_GAS_CAP);
        if (gas > heaviestDraw.gas) heaviestDraw = { gas, excluded, round };
      }
      await mineTo((await sys.manager.taskOf(t7)).revealDeadline);
      const tallyGas = (await gasOf(sys.manager.tally(t7))).gasUsed;
      if (tallyGas > heaviestTally) heaviestTally = tallyGas;
      expect((await sys.manager.taskOf(t7)).round).to.equal(round === 4n ? 4n : round + 1n);
    }
    measure(
      `drawCommittee, worst: round ${heaviestDraw.round}, 4th draw, ${heaviestDraw.excluded} records excluded`,
      heaviestDraw.gas,
    );
    measure("tally, 129 no-shows of an escalation (worst of 4; the last starts the refund)", heaviestTally);
    // The last tally closed the task without a result; finalize goes on with the refund's settlement.
    const refund7: bigint[] = [];
    for (let call = 0; call < 12 && (await sys.manager.taskOf(t7)).state !== 5n; call++) {
      refund7.push((await gasOf(sys.manager.finalize(t7))).gasUsed);
    }
    expect((await sys.manager.taskOf(t7)).state).to.equal(5n);
    measure(
      `finalize, refund of ${(await allRecords(sys, t7)).length} records (worst of ${refund7.length} calls)`,
      refund7.reduce((x, y) => (y > x ? y : x), 0n),
    );

    const width = Math.max(...rows.map((r) => r.operation.length));
    console.log(`      ${STAKERS} staked + ${SPREAD} spread stakers on an 8-level tree, set up in ${fill} s`);
    console.log(`      ${"operation".padEnd(width)}  ${"gas".padStart(10)}  of cap`);
    for (const r of rows) {
      const share = ((Number(r.gas) / Number(TX_GAS_CAP)) * 100).toFixed(1);
      console.log(`      ${r.operation.padEnd(width)}  ${r.gas.toString().padStart(10)}  ${share.padStart(5)}%`);
    }
  });
});
