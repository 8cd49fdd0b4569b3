import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, LogDescription } from "ethers";
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";

import { POOL_CONFIG, UNIT, mineToOpen, mineUntilNext, nextBlock } from "./helpers/pool.js";
import {
  NoQuorumRule,
  Phase,
  RecordStatus,
  commitmentOf,
  deployTaskSystem,
  finalSplit,
  saltOf,
  signerOf,
  taskRequest,
} from "./helpers/tasks.js";
import type { TaskRequestShape, TaskSystem } from "./helpers/tasks.js";

const { ethers, networkHelpers } = await network.create();

/** `ITaskManagerTypes.TaskState`. */
const State = {
  None: 0n,
  Drawing: 1n,
  Committing: 2n,
  Proposed: 3n,
  Finalized: 4n,
  Refunded: 5n,
  Closing: 6n,
} as const;
/** `ITaskManagerTypes.PenaltyReason`. */
const Reason = { MissedCommit: 0n, MissedReveal: 1n, WrongResult: 2n } as const;
const BPS = 10_000n;
const RESULT = ethers.id("result: 16 bodies after 100 ticks");
const wrongResultOf = (member: string) => ethers.id(`wrong result of ${member}`);

/** What a member does with a record: commit and reveal the result, nothing, commit only, or reveal another result. */
type Behaviour = "honest" | "noCommit" | "silent" | "wrong";
const BEHAVIOURS: Behaviour[] = ["honest", "noCommit", "silent", "wrong"];

/** A record as the driver sees it when it asks what its member does. */
interface RecordContext {
  round: bigint;
  draw: bigint;
  index: bigint;
  member: string;
  seats: bigint;
}
type BehaviourOf = (r: RecordContext) => Behaviour;

/** One draw's outcome, as checked against the pool's `drawSeats` and the members' free stake. */
interface DrawLog {
  round: bigint;
  draw: bigint;
  seed: string;
  seatsDrawn: bigint;
  block: bigint;
  target: bigint;
  /** The records the draw created or added seats to, in event order. */
  seated: { member: string; index: bigint; seats: bigint; declined: boolean; merged: boolean }[];
}

/** Everything a driven task left behind. */
interface DriveLog {
  created: bigint;
  ended: bigint;
  draws: DrawLog[];
  events: LogDescription[];
  rearms: number;
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** `RewardMath.bondSlash`: `ceil(seats * seatBond * bps / 10_000)`. */
const penaltyOf = (seats: bigint, bond: bigint, bps: bigint) => ceilDiv(seats * bond * bps, BPS);

/** The seats of a draw grouped by member in order of first appearance, as `TaskManager._group` groups them. */
function group(drawn: string[]): { member: string; seats: bigint }[] {
  const out: { member: string; seats: bigint }[] = [];
  for (const m of drawn) {
    const g = out.find((x) => x.member === m);
    if (g) g.seats += 1n;
    else out.push({ member: m, seats: 1n });
  }
  return out;
}

/** Rule 1 for both contracts: each one's token balance equals its own sums. */
async function expectBalancesMatchTotals(sys: TaskSystem) {
  const p = await sys.pool.totals();
  expect(await sys.token.balanceOf(await sys.pool.getAddress()), "pool balance").to.equal(
    p.active + p.unbonding + p.claimable,
  );
  const m = await sys.manager.totals();
  expect(await sys.token.balanceOf(await sys.manager.getAddress()), "manager balance").to.equal(
    m.escrowed + m.unclaimedRewards + m.credits,
  );
}

/** Every account that can hold tokens in these tests. */
async function holders(sys: TaskSystem): Promise<string[]> {
  const signers = (await ethers.getSigners()).map((s) => s.address);
  return [...signers, await sys.pool.getAddress(), await sys.manager.getAddress()];
}

async function tokenSum(sys: TaskSystem): Promise<bigint> {
  let sum = 0n;
  for (const a of await holders(sys)) sum += await sys.token.balanceOf(a);
  return sum;
}

/**
 * Sends a transaction, waits for it, checks rule 1 of both contracts and returns the manager's events with the block.
 */
async function send(sys: TaskSystem, tx: Promise<ContractTransactionResponse>) {
  const receipt = (await (await tx).wait())!;
  const events: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address !== (await sys.manager.getAddress())) continue;
    const parsed = sys.manager.interface.parseLog(log);
    if (parsed) events.push(parsed);
  }
  await expectBalancesMatchTotals(sys);
  return { receipt, events, block: BigInt(receipt.blockNumber) };
}

/**
 * Draws the task's pending seats as the keeper and checks the draw against the rules: the seats are the pool's
 * `drawSeats(seed, count)` grouped by member; a member whose free stake covers its seats is `Assigned` (and, in a
 * replacement draw, gets them added to its live record), the others are `Declined` with nothing locked.
 */
async function keeperDraw(sys: TaskSystem, taskId: bigint, keeper: HardhatEthersSigner, log: DriveLog) {
  const info = await sys.manager.taskOf(taskId);
  const target = await sys.randomness.targetOf(info.requestId);
  const members = sys.workers.map((w) => w.address);
  const free = new Map<string, bigint>();
  const locked = new Map<string, bigint>();
  for (const m of members) {
    const s = await sys.pool.stakeOf(m);
    free.set(m, s.active - s.locked);
    locked.set(m, s.locked);
  }
  const before = await sys.manager.recordsOf(taskId, info.round, 0n, info.recordCount);
  const live = new Map<string, bigint>();
  before.forEach((r, i) => {
    if (Number(r.status) === RecordStatus.Assigned || Number(r.status) === RecordStatus.Committed)
      live.set(r.member, BigInt(i));
  });

  const { events, block } = await send(sys, sys.manager.connect(keeper).drawCommittee(taskId));
  log.events.push(...events);
  const drawn = events.find((e) => e.name === "CommitteeDrawn");
  if (!drawn) {
    expect(events.map((e) => e.name)).to.deep.equal(["SeedRequested"]);
    log.rearms += 1;
    return;
  }
  expect(drawn.args.round).to.equal(info.round);
  expect(drawn.args.draw).to.equal(info.replacementDraws);
  expect(drawn.args.seatsDrawn).to.equal(info.pendingSeats);
  expect(drawn.args.commitDeadline).to.equal(block + info.commitBlocks);
  expect(drawn.args.revealDeadline).to.equal(block + info.commitBlocks + info.revealBlocks);
  // The seed is the hash of the target block mixed with the task's coordinates (checked in full in the committee
  // tests); here the draw must be exactly the pool's seats for it, read in the same window.
  const hash = (await ethers.provider.getBlock(target))!.hash!;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const seed = ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "uint256", "address", "uint256", "uint256", "uint256"],
      [hash, chainId, await sys.manager.getAddress(), taskId, info.round, info.replacementDraws],
    ),
  );
  expect(drawn.args.seed).to.equal(seed);
  const expected = group(await sys.pool.drawSeats(seed, info.pendingSeats));

  const seated = events.filter((e) => e.name === "SeatsAssigned" || e.name === "SeatsDeclined");
  expect(seated.length).to.equal(expected.length);
  const bond = info.seatBond;
  let nextIndex = info.recordCount;
  const entry: DrawLog = {
    round: info.round,
    draw: info.replacementDraws,
    seed,
    seatsDrawn: info.pendingSeats,
    block,
    target,
    seated: [],
  };
  const lockAdded = new Map<string, bigint>();
  for (const [i, e] of seated.entries()) {
    const want = expected[i]!;
    expect(e.args.member).to.equal(want.member);
    expect(e.args.seats).to.equal(want.seats);
    expect(e.args.round).to.equal(info.round);
    const needed = want.seats * bond;
    const f = free.get(want.member)!;
    if (needed <= f) {
      expect(e.name, `${want.member} can cover ${needed}`).to.equal("SeatsAssigned");
      free.set(want.member, f - needed);
      lockAdded.set(want.member, (lockAdded.get(want.member) ?? 0n) + needed);
      // A member with a live record of the round gets the seats added to it: one member, one live record.
      const existing = info.replacementDraws === 0n ? undefined : live.get(want.member);
      const index = existing ?? nextIndex++;
      expect(e.args.index).to.equal(index);
      entry.seated.push({
        member: want.member,
        index,
        seats: want.seats,
        declined: false,
        merged: existing !== undefined,
      });
    } else {
      expect(e.name, `${want.member} cannot cover ${needed}`).to.equal("SeatsDeclined");
      expect(e.args.index).to.equal(nextIndex);
      entry.seated.push({ member: want.member, index: nextIndex, seats: want.seats, declined: true, merged: false });
      nextIndex++;
    }
  }
  const after = await sys.manager.taskOf(taskId);
  expect(after.recordCount).to.equal(nextIndex);
  expect(after.pendingSeats).to.equal(0n);
  for (const m of members) {
    // Declined members lock nothing; assigned ones lock exactly their seats' bonds.
    expect((await sys.pool.stakeOf(m)).locked, `lock of ${m}`).to.equal(locked.get(m)! + (lockAdded.get(m) ?? 0n));
  }
  log.draws.push(entry);
}

/** Posts a task from the requester and returns its id and creation block. */
async function post(sys: TaskSystem, overrides: Partial<TaskRequestShape> = {}) {
  const { events, block } = await send(
    sys,
    sys.manager.connect(sys.requester).createTask(taskRequest(ethers, overrides)),
  );
  const created = events.find((e) => e.name === "TaskCreated")!;
  const log: DriveLog = { created: block, ended: 0n, draws: [], events, rearms: 0 };
  return { taskId: created.args.taskId as bigint, created: block, log };
}

/**
 * Moves a task to its end like a keeper that acts as soon as each step is allowed (draw at the first block its seed
 * is ready, replacements, tallies and finalization in the first block after each deadline), while members act by
 * `behaviourOf`. Stops early once `until` holds. Appends to `log`.
 */
async function drive(
  sys: TaskSystem,
  taskId: bigint,
  log: DriveLog,
  behaviourOf: BehaviourOf,
  until?: (info: Awaited<ReturnType<TaskSystem["manager"]["taskOf"]>>) => boolean,
): Promise<DriveLog> {
  const keeper = sys.outsider;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const manager = await sys.manager.getAddress();
  const drawOf = (round: bigint, index: bigint) => {
    for (const d of log.draws) {
      if (d.round !== round) continue;
      const s = d.seated.find((x) => x.index === index && !x.merged);
      if (s) return d.draw;
    }
    throw new Error(`no draw made record ${index} of round ${round}`);
  };
  const contextOf = (round: bigint, index: bigint, member: string, seats: bigint): RecordContext => ({
    round,
    draw: drawOf(round, index),
    index,
    member,
    seats,
  });
  let revealedRound = -1n;

  for (let step = 0; step < 100; step++) {
    const info = await sys.manager.taskOf(taskId);
    if (until?.(info)) return log;
    const next = await nextBlock(ethers);
    const round = info.round;
    if (info.state === State.Finalized || info.state === State.Refunded) return log;
    if (info.state === State.Drawing) {
      const target = await sys.randomness.targetOf(info.requestId);
      if (next <= target) await mineUntilNext(ethers, networkHelpers, target + 1n);
      await keeperDraw(sys, taskId, keeper, log);
    } else if (info.state === State.Committing) {
      if (next <= info.commitDeadline) {
        const records = await sys.manager.recordsOf(taskId, round, 0n, info.recordCount);
        for (const [i, r] of records.entries()) {
          if (Number(r.status) !== RecordStatus.Assigned) continue;
          const b = behaviourOf(contextOf(round, BigInt(i), r.member, BigInt(r.seats)));
          if (b === "noCommit") continue;
          const result = b === "wrong" ? wrongResultOf(r.member) : RESULT;
          const c = commitmentOf(
            ethers,
            chainId,
            manager,
            taskId,
            round,
            r.member,
            result,
            saltOf(ethers, taskId, round, r.member),
          );
          const { events } = await send(sys, sys.manager.connect(signerOf(sys, r.member)).commit(taskId, i, c));
          log.events.push(...events);
        }
        await mineUntilNext(ethers, networkHelpers, info.commitDeadline + 1n);
      } else if (info.committedSeats < info.seats && info.replacementDraws < info.config.maxReplacementDraws) {
        const { events } = await send(sys, sys.manager.connect(keeper).replaceNoShows(taskId));
        log.events.push(...events);
      } else if (next <= info.revealDeadline && revealedRound !== round) {
        revealedRound = round;
        const records = await sys.manager.recordsOf(taskId, round, 0n, info.recordCount);
        for (const [i, r] of records.entries()) {
          if (Number(r.status) !== RecordStatus.Committed) continue;
          const b = behaviourOf(contextOf(round, BigInt(i), r.member, BigInt(r.seats)));
          if (b === "silent") continue;
          const result = b === "wrong" ? wrongResultOf(r.member) : RESULT;
          const salt = saltOf(ethers, taskId, round, r.member);
          const { events } = await send(
            sys,
            sys.manager.connect(signerOf(sys, r.member)).reveal(taskId, i, result, salt, "0x"),
          );
          log.events.push(...events);
        }
        await mineUntilNext(ethers, networkHelpers, info.revealDeadline + 1n);
      } else {
        if (next <= info.revealDeadline) await mineUntilNext(ethers, networkHelpers, info.revealDeadline + 1n);
        const { events, block } = await send(sys, sys.manager.connect(keeper).tally(taskId));
        log.events.push(...events);
        log.ended = block;
      }
    } else if (info.state === State.Proposed || info.state === State.Closing) {
      // Nobody challenges: the keeper finalizes after the window (a settlement in progress goes on at once).
      const deadline = info.state === State.Proposed ? info.challengeDeadline : 0n;
      if (next <= deadline) await mineUntilNext(ethers, networkHelpers, deadline + 1n);
      const { events, block } = await send(sys, sys.manager.connect(keeper).finalize(taskId));
      log.events.push(...events);
      log.ended = block;
    } else {
      throw new Error(`task ${taskId} in state ${info.state}`);
    }
  }
  throw new Error(`task ${taskId} did not end in 100 steps`);
}

/** The task's life bound, as the manager computes it for its request. */
async function lifeBoundOf(sys: TaskSystem, req: TaskRequestShape): Promise<bigint> {
  return await sys.manager.lifeBound(req.commitBlocks, req.revealBlocks, req.challengeBlocks, req.noQuorumRule);
}

/** All records of every round the task had. */
async function allRecords(sys: TaskSystem, taskId: bigint) {
  const info = await sys.manager.taskOf(taskId);
  const out: { round: bigint; index: bigint; member: string; seats: bigint; status: number; sealed: string }[] = [];
  for (let round = 0n; round <= info.round; round++) {
    const records = await sys.manager.recordsOf(taskId, round, 0n, 256n);
    records.forEach((r, i) =>
      out.push({
        round,
        index: BigInt(i),
        member: r.member,
        seats: BigInt(r.seats),
        status: Number(r.status),
        sealed: r.sealedHash,
      }),
    );
  }
  return out;
}

/** What every party holds before a task, for the accounting checks. */
async function ledger(sys: TaskSystem) {
  const active = new Map<string, bigint>();
  const balance = new Map<string, bigint>();
  for (const w of sys.workers) active.set(w.address, (await sys.pool.stakeOf(w.address)).active);
  for (const a of await holders(sys)) balance.set(a, await sys.token.balanceOf(a));
  return {
    active,
    balance,
    requesterCredit: await sys.manager.creditOf(sys.requester.address),
    treasuryCredit: await sys.manager.creditOf(sys.treasury.address),
    sum: await tokenSum(sys),
  };
}

/**
 * Checks a task that ended against the rules, claims everything and checks that the manager ends empty:
 * penalties `ceil(seats * seatBond * bps / 10_000)` per defaulting record (a missed commit or reveal at its round's
 * tally, a revealer of another result than the final one, in any round, at finalization), taken from pool stake
 * into the task's pot; with a result, `floor((reward + missed-deadline penalties + floor(wrongSlashed *
 * honestShareBps / 10_000)) / winningSeats)` per seat that revealed it in any round, the dust and the rest of the
 * wrong revealers' slashes to the treasury; without one, every revealer released, the reward back to the requester
 * and the pot to the treasury; every token accounted for.
 */
async function expectAccounting(
  sys: TaskSystem,
  taskId: bigint,
  before: Awaited<ReturnType<typeof ledger>>,
  log: DriveLog,
) {
  const info = await sys.manager.taskOf(taskId);
  const bond = info.seatBond;
  const cfg = info.config;
  const bpsOf = (status: number) =>
    status === RecordStatus.Replaced || status === RecordStatus.Absent
      ? BigInt(cfg.missedCommitPenaltyBps)
      : status === RecordStatus.Silent
        ? BigInt(cfg.missedRevealPenaltyBps)
        : status === RecordStatus.Lost
          ? BigInt(cfg.slashFractionBps)
          : 0n;
  const reasonOf = (status: number) =>
    status === RecordStatus.Silent
      ? Reason.MissedReveal
      : status === RecordStatus.Lost
        ? Reason.WrongResult
        : Reason.MissedCommit;

  // Penalties: one per defaulting record, exactly as the rules say, all of it taken and all of it in the pot.
  const records = await allRecords(sys, taskId);
  const penalized = log.events.filter((e) => e.name === "MemberPenalized");
  const taken = new Map<string, bigint>();
  let pot = 0n;
  const defaulted = [RecordStatus.Replaced, RecordStatus.Absent, RecordStatus.Silent, RecordStatus.Lost];
  for (const r of records) {
    const ev = penalized.filter((e) => e.args.round === r.round && e.args.index === r.index);
    if (!defaulted.includes(r.status)) {
      expect(ev, `record ${r.round}/${r.index} is not penalized`).to.have.length(0);
      continue;
    }
    const p = penaltyOf(r.seats, bond, bpsOf(r.status));
    expect(ev, `record ${r.round}/${r.index} (status ${r.status}) is penalized once`).to.have.length(1);
    expect(ev[0]!.args.member).to.equal(r.member);
    expect(ev[0]!.args.reason).to.equal(reasonOf(r.status));
    expect(ev[0]!.args.requested).to.equal(p);
    expect(ev[0]!.args.slashed).to.equal(p);
    taken.set(r.member, (taken.get(r.member) ?? 0n) + p);
    pot += p;
  }
  expect(penalized.length).to.equal(records.filter((r) => defaulted.includes(r.status)).length);
  expect(info.slashPot, "slashPot").to.equal(pot);
  // The task has ended: no record of any round is still locked.
  const live = [RecordStatus.Assigned, RecordStatus.Committed, RecordStatus.Revealed];
  for (const r of records) expect(live, `record ${r.round}/${r.index} settled`).to.not.include(r.status);
  const wrong = records
    .filter((r) => r.status === RecordStatus.Lost)
    .reduce((a, r) => a + penaltyOf(r.seats, bond, bpsOf(r.status)), 0n);
  expect(info.wrongSlashed, "wrongSlashed").to.equal(wrong);
  for (const w of sys.workers) {
    const s = await sys.pool.stakeOf(w.address);
    expect(s.active, `stake of ${w.address}`).to.equal(before.active.get(w.address)! - (taken.get(w.address) ?? 0n));
    expect(s.locked, `lock of ${w.address}`).to.equal(0n);
    expect(s.seats, `seats of ${w.address}`).to.equal(0n);
  }
  expect((await sys.pool.totals()).locked).to.equal(0n);

  const requesterCredit = (await sys.manager.creditOf(sys.requester.address)) - before.requesterCredit;
  const treasuryCredit = (await sys.manager.creditOf(sys.treasury.address)) - before.treasuryCredit;
  const paid = new Map<string, bigint>();
  if (info.state === State.Finalized) {
    // Every seat that revealed the final result, in any round, won; every other revealer lost.
    const won = records.filter((r) => r.status === RecordStatus.Won);
    const winningSeats = won.reduce((a, r) => a + r.seats, 0n);
    let votes = 0n;
    for (let round = 0n; round <= info.round; round++) {
      votes += await sys.manager.votesFor(taskId, round, info.proposedResult);
    }
    expect(votes, "winning seats == votes for the final result over all rounds").to.equal(winningSeats);
    for (const r of records.filter((x) => x.status === RecordStatus.Won || x.status === RecordStatus.Lost)) {
      expect(r.sealed === info.proposedResult, `record ${r.round}/${r.index}`).to.equal(r.status === RecordStatus.Won);
    }
    expect(await sys.manager.votesFor(taskId, info.round, info.proposedResult)).to.be.gte(info.quorum);
    const split = finalSplit({
      reward: info.reward,
      penalties: pot - wrong,
      wrongSlashed: wrong,
      honestShareBps: cfg.honestShareBps,
      winningSeats,
    });
    const perSeat = split.rewardPerSeat;
    expect(info.rewardPerSeat, "rewardPerSeat").to.equal(perSeat);
    expect(cfg.burnRemainder).to.equal(false);
    expect(treasuryCredit, "dust and the rest of the wrong slashes").to.equal(split.dust + split.remainder);
    expect(requesterCredit).to.equal(0n);
    const finalized = log.events.find((e) => e.name === "TaskFinalized")!;
    expect([finalized.args.winningSeats, finalized.args.rewardPerSeat, finalized.args.dust]).to.deep.equal([
      winningSeats,
      perSeat,
      split.dust,
    ]);
    const distributed = log.events.find((e) => e.name === "SlashesDistributed")!;
    expect([...distributed.args]).to.deep.equal([taskId, wrong, 0n, split.honestShare, split.remainder, false]);
    for (const r of won) {
      const signer = signerOf(sys, r.member);
      const b = await sys.token.balanceOf(r.member);
      const { events } = await send(sys, sys.manager.connect(signer).claimReward(taskId, r.round, r.index));
      expect(events.map((e) => [e.name, ...e.args])).to.deep.equal([
        ["RewardClaimed", taskId, r.member, r.round, r.index, perSeat * r.seats],
      ]);
      expect((await sys.token.balanceOf(r.member)) - b).to.equal(perSeat * r.seats);
      paid.set(r.member, (paid.get(r.member) ?? 0n) + perSeat * r.seats);
      expect((await sys.manager.recordOf(taskId, r.round, r.index)).status).to.equal(RecordStatus.Claimed);
    }
  } else {
    expect(info.state).to.equal(State.Refunded);
    // Without a result nobody was wrong: every revealer, in every round, was released without penalty.
    expect(wrong).to.equal(0n);
    // The requester gets its whole reward back; the penalties go to the treasury.
    expect(requesterCredit, "refund").to.equal(info.reward);
    expect(treasuryCredit, "pot to the treasury").to.equal(pot);
    const refunded = log.events.find((e) => e.name === "TaskRefunded")!;
    expect([refunded.args.reward, refunded.args.slashPot]).to.deep.equal([info.reward, pot]);
  }
  for (const who of [sys.requester, sys.treasury]) {
    if ((await sys.manager.creditOf(who.address)) !== 0n) await send(sys, sys.manager.connect(who).claimCredit());
  }

  // The manager ends empty, the pool holds exactly its sums, and no token appeared or vanished.
  const managerAddress = await sys.manager.getAddress();
  expect(await sys.token.balanceOf(managerAddress)).to.equal(0n);
  const t = await sys.manager.totals();
  expect([t.escrowed, t.unclaimedRewards, t.credits]).to.deep.equal([0n, 0n, 0n]);
  await expectBalancesMatchTotals(sys);
  expect(await tokenSum(sys)).to.equal(before.sum);

  // Each party's balance moved by exactly what the rules give it.
  const delta = async (a: string) => (await sys.token.balanceOf(a)) - before.balance.get(a)!;
  const refunded = info.state === State.Refunded ? info.reward : 0n;
  expect(await delta(sys.requester.address), "requester").to.equal(refunded - info.reward - before.requesterCredit);
  expect(await delta(sys.treasury.address), "treasury").to.equal(treasuryCredit + before.treasuryCredit);
  expect(await delta(await sys.pool.getAddress()), "pool").to.equal(-pot);
  for (const w of sys.workers)
    expect(await delta(w.address), `worker ${w.address}`).to.equal(paid.get(w.address) ?? 0n);
  return { pot, records, info };
}

/** The events of the log with `name`. */
const named = (log: DriveLog, name: string) => log.events.filter((e) => e.name === name);

// -------------------------------------------------------------------------------------------------------------------

async function defaultSystem() {
  return await deployTaskSystem(ethers, networkHelpers);
}

async function liveSystem() {
  return await deployTaskSystem(ethers, networkHelpers, { config: { maxReplacementDraws: 2, maxRedraws: 2 } });
}

/** Runs `body` from `snapshot`, restoring it first; on a retry, also moves a few epochs on so the seeds differ. */
async function fromSnapshot<T>(
  snapshot: Awaited<ReturnType<typeof networkHelpers.takeSnapshot>>,
  attempt: number,
  body: () => Promise<T>,
): Promise<T> {
  await snapshot.restore();
  if (attempt > 0) await networkHelpers.mine(POOL_CONFIG.epochBlocks * BigInt(attempt) + BigInt(attempt));
  await mineToOpen(ethers, networkHelpers);
  return await body();
}

/**
 * Posts and draws tasks (from `snapshot`, moving on an epoch between attempts) until the first committee satisfies
 * `suits`; returns the task at that point.
 */
async function postSuitable(
  sys: TaskSystem,
  snapshot: Awaited<ReturnType<typeof networkHelpers.takeSnapshot>>,
  overrides: Partial<TaskRequestShape>,
  suits: (records: Awaited<ReturnType<typeof allRecords>>) => boolean,
  behaviourOf: BehaviourOf = () => "honest",
) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const out = await fromSnapshot(snapshot, attempt, async () => {
      const before = await ledger(sys);
      const { taskId, log: posted } = await post(sys, overrides);
      const log = await drive(sys, taskId, posted, behaviourOf, (i) => i.state === State.Committing);
      return { before, taskId, log, records: await allRecords(sys, taskId) };
    });
    if (suits(out.records)) return out;
  }
  throw new Error("no suitable committee in 30 attempts");
}

describe("TaskManager liveness: every task ends within lifeBound", function () {
  it("all members silent, Redraw: replacement draws, then redraw rounds, then a refund when redraws run out", async function () {
    const sys = await networkHelpers.loadFixture(liveSystem);
    const req = taskRequest(ethers);
    const before = await ledger(sys);
    const { taskId, log: posted } = await post(sys);
    const log = await drive(sys, taskId, posted, () => "noCommit");
    const bound = await lifeBoundOf(sys, req);
    expect(log.ended - log.created, `ended after ${log.ended - log.created} of ${bound}`).to.be.lte(bound);
    expect(log.rearms).to.equal(0);

    // Three rounds (maxRedraws 2), each with a first draw and two replacement draws (maxReplacementDraws 2).
    expect(log.draws.map((d) => [d.round, d.draw])).to.deep.equal([
      [0n, 0n],
      [0n, 1n],
      [0n, 2n],
      [1n, 0n],
      [1n, 1n],
      [1n, 2n],
      [2n, 0n],
      [2n, 1n],
      [2n, 2n],
    ]);
    expect(named(log, "NoShowsReplaced").map((e) => [e.args.round, e.args.draw, e.args.vacantSeats])).to.deep.equal(
      [0n, 1n, 2n].flatMap((r) => [
        [r, 1n, 5n],
        [r, 2n, 5n],
      ]),
    );
    expect(named(log, "NoQuorum").map((e) => [e.args.round, e.args.revealedSeats, e.args.redraw])).to.deep.equal([
      [0n, 0n, true],
      [1n, 0n, true],
      [2n, 0n, false],
    ]);
    // Every redraw asks for a fresh seed for the next round.
    const seedRounds = named(log, "SeedRequested").map((e) => e.args.round);
    expect(seedRounds).to.deep.equal([0n, 0n, 0n, 1n, 1n, 1n, 2n, 2n, 2n]);
    expect(await sys.manager.phaseOf(taskId)).to.equal(Phase.Refunded);
    // Every record missed its commit: Replaced when a replacement followed, Absent in the last draw of each round.
    const records = await allRecords(sys, taskId);
    for (const r of records) {
      const lastDraw = log.draws.find((d) => d.round === r.round && d.draw === 2n)!;
      const inLast = lastDraw.seated.some((s) => s.index === r.index);
      expect(r.status).to.equal(inLast ? RecordStatus.Absent : RecordStatus.Replaced);
    }
    const { pot } = await expectAccounting(sys, taskId, before, log);
    expect(pot).to.be.gt(0n);
  });

  it("all members silent, Refund: replacement draws, then a refund after the only round", async function () {
    const sys = await networkHelpers.loadFixture(liveSystem);
    const req = taskRequest(ethers, { noQuorumRule: NoQuorumRule.Refund });
    const before = await ledger(sys);
    const { taskId, log: posted } = await post(sys, { noQuorumRule: NoQuorumRule.Refund });
    const log = await drive(sys, taskId, posted, () => "noCommit");
    expect(log.ended - log.created).to.be.lte(await lifeBoundOf(sys, req));
    expect(log.draws.map((d) => [d.round, d.draw])).to.deep.equal([
      [0n, 0n],
      [0n, 1n],
      [0n, 2n],
    ]);
    expect(named(log, "NoQuorum").map((e) => e.args.redraw)).to.deep.equal([false]);
    expect(named(log, "TaskRefunded")).to.have.length(1);
    await expectAccounting(sys, taskId, before, log);
  });

  it("partial no-shows: a replacement draw fills exactly the vacant seats, adding to live records it lands on", async function () {
    // Three equal workers: replacement seats often land on a member that already holds a live record.
    const sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [100n, 100n, 100n] });
    const snapshot = await networkHelpers.takeSnapshot();
    // Record 0 of the first draw never commits; every other record is honest.
    const behaviourOf: BehaviourOf = (r) => (r.round === 0n && r.draw === 0n && r.index === 0n ? "noCommit" : "honest");
    let merged = false;
    for (let attempt = 0; attempt < 12 && !merged; attempt++) {
      await fromSnapshot(snapshot, attempt, async () => {
        const before = await ledger(sys);
        const { taskId, log: posted } = await post(sys);
        const log = await drive(sys, taskId, posted, behaviourOf);
        expect(log.ended - log.created).to.be.lte(await lifeBoundOf(sys, taskRequest(ethers)));
        const first = log.draws[0]!;
        const noShow = first.seated[0]!;
        expect(noShow.declined).to.equal(false);
        // The no-show was penalized for its missed commit and replaced; its seats, and only those, were re-drawn.
        const replaced = named(log, "NoShowsReplaced");
        expect(replaced.map((e) => [e.args.round, e.args.draw, e.args.vacantSeats])).to.deep.equal([
          [0n, 1n, noShow.seats],
        ]);
        const missed = named(log, "MemberPenalized").filter((e) => e.args.reason === Reason.MissedCommit);
        expect(missed.map((e) => [e.args.member, e.args.index])).to.deep.equal([[noShow.member, 0n]]);
        const second = log.draws[1]!;
        expect([second.round, second.draw, second.seatsDrawn]).to.deep.equal([0n, 1n, noShow.seats]);
        const records = await allRecords(sys, taskId);
        expect(records[0]!.status).to.equal(RecordStatus.Replaced);
        // Each member holds at most one live record; a replacement landing on a committed member added seats to it.
        const finalSeats = new Map<string, bigint>();
        for (const r of records.filter((x) => x.status !== RecordStatus.Replaced)) {
          expect(finalSeats.has(r.member), `${r.member} holds one live record`).to.equal(false);
          finalSeats.set(r.member, r.seats);
        }
        for (const s of second.seated) {
          const r = records[Number(s.index)]!;
          if (s.merged) {
            merged = true;
            const initial = first.seated.find((x) => x.index === s.index)!;
            expect(r.seats).to.equal(initial.seats + s.seats);
            expect(r.member).to.equal(s.member);
          } else {
            expect(s.index).to.be.gte(BigInt(first.seated.length));
          }
        }
        expect([...finalSeats.values()].reduce((a, b) => a + b, 0n)).to.equal(5n);
        const rewarded = await expectAccounting(sys, taskId, before, log);
        expect(rewarded.info.state).to.equal(State.Finalized);
      });
    }
    expect(merged, "a replacement landed on a live member in 12 attempts").to.equal(true);
  });

  it("committed-but-silent members are penalized (MissedReveal) at tally and released", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    const snapshot = await networkHelpers.takeSnapshot();
    // Record 0 commits and never reveals; the others must still make quorum (3 of 5 seats).
    const { before, taskId, log } = await postSuitable(sys, snapshot, {}, (rs) => rs.length > 1 && rs[0]!.seats <= 2n);
    const silentOf: BehaviourOf = (r) => (r.round === 0n && r.index === 0n ? "silent" : "honest");
    await drive(sys, taskId, log, silentOf);
    const silent = (await allRecords(sys, taskId))[0]!;
    expect(silent.status).to.equal(RecordStatus.Silent);
    const ev = named(log, "MemberPenalized");
    expect(ev.map((e) => [e.args.member, e.args.index, e.args.reason])).to.deep.equal([
      [silent.member, 0n, Reason.MissedReveal],
    ]);
    expect(ev[0]!.args.requested).to.equal(penaltyOf(silent.seats, POOL_CONFIG.seatBond, 2_000n));
    const { info } = await expectAccounting(sys, taskId, before, log);
    expect(info.state).to.equal(State.Finalized);
  });

  it("a split without quorum redraws a fresh committee in round 1, which finalizes; round 0's revealers wait for it", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    const snapshot = await networkHelpers.takeSnapshot();
    // Round 0: the first record of at most 2 seats reveals the result, the other such records each their own wrong
    // result, and a member that alone holds a quorum (3 seats) stays silent: no result reaches quorum. Round 1:
    // everyone is honest.
    const small = (rs: Awaited<ReturnType<typeof allRecords>>) => rs.filter((r) => r.seats < 3n);
    const {
      before,
      taskId,
      log,
      records: first,
    } = await postSuitable(sys, snapshot, {}, (rs) => small(rs).length >= 2);
    const early = small(first)[0]!;
    const behaviourOf: BehaviourOf = (r) =>
      r.round > 0n ? "honest" : r.seats >= 3n ? "silent" : r.index === early.index ? "honest" : "wrong";
    await drive(sys, taskId, log, behaviourOf, (i) => i.round === 1n);
    const noQuorum = named(log, "NoQuorum");
    expect(noQuorum.map((e) => [e.args.round, e.args.redraw])).to.deep.equal([[0n, true]]);
    // After the redraw tally, round 0's revealers are still Revealed and their bonds locked; the silent were released.
    const revealers = (await allRecords(sys, taskId)).filter((r) => r.round === 0n && r.seats < 3n);
    for (const r of revealers) {
      expect(r.status, `round-0 record ${r.index}`).to.equal(RecordStatus.Revealed);
      const s = await sys.pool.stakeOf(r.member);
      expect([s.locked, s.seats]).to.deep.equal([r.seats * POOL_CONFIG.seatBond, r.seats]);
    }
    expect((await sys.pool.totals()).locked).to.equal(
      revealers.reduce((a, r) => a + r.seats, 0n) * POOL_CONFIG.seatBond,
    );
    expect(named(log, "MemberPenalized").every((e) => e.args.reason === Reason.MissedReveal)).to.equal(true);

    await drive(sys, taskId, log, behaviourOf);
    expect(log.ended - log.created).to.be.lte(await lifeBoundOf(sys, taskRequest(ethers)));
    const round1 = log.draws.filter((d) => d.round === 1n);
    expect(round1[0]!.draw).to.equal(0n);
    expect(round1[0]!.seed).to.not.equal(log.draws[0]!.seed);
    expect(round1[0]!.target).to.be.gt(log.draws[0]!.block);
    const records = await allRecords(sys, taskId);
    // Round 1 reached the result. Round 0's revealer of that result won with it; its wrong revealers were slashed
    // only now, when the task ended.
    for (const r of records.filter((x) => x.round === 0n)) {
      const expected =
        r.seats >= 3n ? RecordStatus.Silent : r.index === early.index ? RecordStatus.Won : RecordStatus.Lost;
      expect(r.status, `round-0 record ${r.index}`).to.equal(expected);
    }
    for (const r of records.filter((x) => x.round === 1n)) expect(r.status).to.equal(RecordStatus.Won);
    const wrongSlashes = named(log, "MemberPenalized").filter((e) => e.args.reason === Reason.WrongResult);
    expect(wrongSlashes.map((e) => [e.args.round, e.args.index])).to.deep.equal(
      records.filter((r) => r.status === RecordStatus.Lost).map((r) => [0n, r.index]),
    );
    expect(wrongSlashes.length).to.be.gte(1);
    const { info } = await expectAccounting(sys, taskId, before, log);
    expect([info.state, info.round, info.proposedResult]).to.deep.equal([State.Finalized, 1n, RESULT]);
    // The round-0 winner claimed its reward for round 0 (expectAccounting claims every Won record).
    const claimed = await sys.manager.queryFilter(sys.manager.filters.RewardClaimed(taskId, early.member));
    expect(claimed.map((e) => [e.args.round, e.args.index, e.args.amount])).to.deep.include([
      0n,
      early.index,
      info.rewardPerSeat * early.seats,
    ]);
  });

  it("property: any mix of honest, absent, silent and wrong members ends within the bound; refunds are whole", async function () {
    const sys = await networkHelpers.loadFixture(liveSystem);
    const snapshot = await networkHelpers.takeSnapshot();
    const rounds = 1 + Number(sys.config.maxRedraws);
    const bounds = new Map<number, bigint>();
    for (const rule of [NoQuorumRule.Redraw, NoQuorumRule.Refund]) {
      bounds.set(rule, await lifeBoundOf(sys, taskRequest(ethers, { noQuorumRule: rule })));
    }
    const outcomes = { finalized: 0, refunded: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(NoQuorumRule.Redraw, NoQuorumRule.Refund),
        fc.array(fc.constantFrom(...BEHAVIOURS), {
          minLength: sys.workers.length * rounds,
          maxLength: sys.workers.length * rounds,
        }),
        async (rule, plan) => {
          await snapshot.restore();
          await mineToOpen(ethers, networkHelpers);
          const workerIndex = new Map(sys.workers.map((w, i) => [w.address, i]));
          // Each worker behaves the same way throughout a round, in every draw of it.
          const behaviourOf: BehaviourOf = (r) =>
            plan[Number(r.round) * sys.workers.length + workerIndex.get(r.member)!]!;
          const before = await ledger(sys);
          const { taskId, log: posted } = await post(sys, { noQuorumRule: rule });
          const log = await drive(sys, taskId, posted, behaviourOf);
          expect(log.ended - log.created, "life").to.be.lte(bounds.get(rule)!);
          expect(log.rearms).to.equal(0);
          const { info } = await expectAccounting(sys, taskId, before, log);
          if (info.state === State.Refunded) {
            outcomes.refunded++;
            // The failure was the committee's: the requester got every unit of its escrow back.
            expect(await sys.token.balanceOf(sys.requester.address)).to.equal(
              before.balance.get(sys.requester.address)! + before.requesterCredit,
            );
          } else {
            outcomes.finalized++;
            expect(await sys.manager.votesFor(taskId, info.round, info.proposedResult)).to.be.gte(info.quorum);
          }
        },
      ),
      { numRuns: 20, seed: 20260 },
    );
    expect(outcomes.finalized).to.be.gt(0);
    expect(outcomes.refunded).to.be.gt(0);
  });
});

describe("TaskManager accounting per path", function () {
  type Records = Awaited<ReturnType<typeof allRecords>>;
  interface Path {
    name: string;
    overrides: Partial<TaskRequestShape>;
    /** Whether the first committee can play the path (others are re-drawn). */
    suits: (rs: Records) => boolean;
    behaviour: (rs: Records) => BehaviourOf;
    state: bigint;
    check?: (log: DriveLog, rs: Records) => void;
  }
  const REWARD = 1_000n * UNIT + 7n;
  const fewest = (rs: Records) => rs.reduce((a, r) => (r.seats < a.seats ? r : a), rs[0]!);
  const twoFewest = (rs: Records) => [...rs].sort((a, b) => Number(a.seats - b.seats)).slice(0, 2);
  const paths: Path[] = [
    {
      name: "all honest",
      overrides: {},
      suits: () => true,
      behaviour: () => () => "honest",
      state: State.Finalized,
      check: (log) => expect(named(log, "MemberPenalized")).to.have.length(0),
    },
    {
      name: "one wrong revealer",
      overrides: {},
      suits: (rs) => rs.length > 1 && fewest(rs).seats <= 2n,
      behaviour: (rs) => {
        const wrong = fewest(rs).index;
        return (r) => (r.round === 0n && r.index === wrong ? "wrong" : "honest");
      },
      state: State.Finalized,
      check: (log) =>
        expect(named(log, "MemberPenalized").map((e) => e.args.reason)).to.deep.equal([Reason.WrongResult]),
    },
    {
      name: "no-shows replaced",
      overrides: {},
      suits: (rs) => rs.length > 1,
      behaviour: () => (r) => (r.round === 0n && r.draw === 0n && r.index === 0n ? "noCommit" : "honest"),
      state: State.Finalized,
      check: (log) => {
        expect(named(log, "NoShowsReplaced")).to.have.length(1);
        expect(named(log, "MemberPenalized").map((e) => e.args.reason)).to.deep.equal([Reason.MissedCommit]);
      },
    },
    {
      name: "silent revealers",
      overrides: {},
      // The two smallest records stay silent; the rest (at least 3 of 5 seats) still reach quorum.
      suits: (rs) => rs.length > 2 && twoFewest(rs).reduce((a, r) => a + r.seats, 0n) <= 2n,
      behaviour: (rs) => {
        const silent = new Set(twoFewest(rs).map((r) => r.index));
        return (r) => (r.round === 0n && silent.has(r.index) ? "silent" : "honest");
      },
      state: State.Finalized,
      check: (log) =>
        expect(named(log, "MemberPenalized").map((e) => e.args.reason)).to.deep.equal([
          Reason.MissedReveal,
          Reason.MissedReveal,
        ]),
    },
    {
      name: "refund after no-shows",
      overrides: { noQuorumRule: NoQuorumRule.Refund },
      suits: () => true,
      behaviour: () => () => "noCommit",
      state: State.Refunded,
    },
    {
      name: "refund after a split (silent quorum holders, wrong revealers released)",
      overrides: { noQuorumRule: NoQuorumRule.Refund },
      // The wrong revealers must stay below quorum (3 seats) for the round to end without one.
      suits: (rs) =>
        rs.length > 1 && rs.filter((r) => r.seats < 3n && r.index !== 0n).reduce((a, r) => a + r.seats, 0n) < 3n,
      behaviour: () => (r) => (r.seats >= 3n ? "silent" : r.index === 0n ? "silent" : "wrong"),
      state: State.Refunded,
      check: (log) => expect(named(log, "MemberPenalized").length).to.be.gte(1),
    },
  ];

  for (const path of paths) {
    it(`${path.name}: stakes, pot, rewards, dust, refunds and every balance follow the rules`, async function () {
      const sys = await networkHelpers.loadFixture(defaultSystem);
      const snapshot = await networkHelpers.takeSnapshot();
      const overrides = { reward: REWARD, ...path.overrides };
      const { before, taskId, log, records } = await postSuitable(sys, snapshot, overrides, path.suits);
      await drive(sys, taskId, log, path.behaviour(records));
      expect(log.ended - log.created).to.be.lte(await lifeBoundOf(sys, taskRequest(ethers, overrides)));
      const out = await expectAccounting(sys, taskId, before, log);
      expect(out.info.state).to.equal(path.state);
      path.check?.(log, out.records);
    });
  }
});

describe("TaskManager multi-seat members", function () {
  it("a member holding several seats locks, votes and earns per seat", async function () {
    // One worker holds most of the stake: it sits on several seats of one committee.
    const sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [1_000n, 20n, 20n] });
    const snapshot = await networkHelpers.takeSnapshot();
    const { before, taskId, log, records } = await postSuitable(sys, snapshot, {}, (rs) =>
      rs.some((r) => r.seats >= 2n),
    );
    for (const r of records) {
      const s = await sys.pool.stakeOf(r.member);
      expect([s.locked, s.seats]).to.deep.equal([r.seats * POOL_CONFIG.seatBond, r.seats]);
    }
    const multi = records.reduce((a, r) => (r.seats > a.seats ? r : a));
    expect(multi.seats).to.be.gte(2n);
    await drive(
      sys,
      taskId,
      log,
      () => "honest",
      (i) => i.state === State.Proposed,
    );
    // Each record's reveal counts its seats.
    expect(await sys.manager.votesFor(taskId, 0n, RESULT)).to.equal(5n);
    const revealed = named(log, "Revealed");
    let running = 0n;
    for (const e of revealed) {
      running += records.find((r) => r.member === e.args.member)!.seats;
      expect(e.args.seatsForResult).to.equal(running);
    }
    await drive(sys, taskId, log, () => "honest");
    const { info } = await expectAccounting(sys, taskId, before, log);
    const claimed = (await sys.manager.queryFilter(sys.manager.filters.RewardClaimed(taskId, multi.member))).map(
      (e) => e.args.amount,
    );
    expect(claimed).to.deep.equal([info.rewardPerSeat * multi.seats]);
  });

  it("a wrong member with several seats is slashed per seat, and its votes count per seat", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [100n, 100n, 100n] });
    const snapshot = await networkHelpers.takeSnapshot();
    const { before, taskId, log, records } = await postSuitable(sys, snapshot, {}, (rs) =>
      rs.some((r) => r.seats === 2n),
    );
    const wrong = records.find((r) => r.seats === 2n)!;
    const behaviourOf: BehaviourOf = (r) => (r.member === wrong.member ? "wrong" : "honest");
    await drive(sys, taskId, log, behaviourOf, (i) => i.state === State.Proposed);
    expect(await sys.manager.votesFor(taskId, 0n, wrongResultOf(wrong.member))).to.equal(2n);
    expect(await sys.manager.votesFor(taskId, 0n, RESULT)).to.equal(3n);
    await drive(sys, taskId, log, behaviourOf);
    const penalty = named(log, "MemberPenalized");
    const perSeat = penaltyOf(1n, POOL_CONFIG.seatBond, BigInt(sys.config.slashFractionBps));
    expect(penalty.map((e) => [e.args.member, e.args.reason, e.args.requested])).to.deep.equal([
      [wrong.member, Reason.WrongResult, 2n * perSeat],
    ]);
    const { records: after } = await expectAccounting(sys, taskId, before, log);
    expect(after.find((r) => r.member === wrong.member)!.status).to.equal(RecordStatus.Lost);
  });
});

describe("TaskManager declined seats", function () {
  it("a member whose free stake cannot cover its seats is Declined: nothing locked, no penalty, seats re-drawn", async function () {
    // Two workers just above the minimum stake: one of them is drawn for at least 3 of the 5 seats (15 tokens of
    // bonds), more than its 14 tokens.
    const sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [14n, 14n] });
    const big = (await ethers.getSigners())[12]!;
    await sys.token.mint(big.address, 1_000n * UNIT);
    await sys.token.connect(big).approve(await sys.pool.getAddress(), ethers.MaxUint256);
    const before = await ledger(sys);
    const { taskId, log } = await post(sys);
    await drive(
      sys,
      taskId,
      log,
      () => "honest",
      (i) => i.state === State.Committing,
    );
    const declined = named(log, "SeatsDeclined");
    expect(declined.length).to.be.gte(1);
    for (const e of declined) {
      expect(e.args.seats * POOL_CONFIG.seatBond).to.be.gt(14n * UNIT);
      const r = await sys.manager.recordOf(taskId, 0n, e.args.index);
      expect([r.member, r.status]).to.deep.equal([e.args.member, BigInt(RecordStatus.Declined)]);
      expect((await sys.pool.stakeOf(e.args.member)).locked).to.equal(0n);
      // A Declined record is no assignment.
      expect((await sys.manager.assignmentOf(taskId, e.args.member)).found).to.equal(false);
    }
    const info = await sys.manager.taskOf(taskId);
    const declinedSeats = declined.reduce((a, e) => a + (e.args.seats as bigint), 0n);
    expect(info.filledSeats).to.equal(5n - declinedSeats);

    // A large worker joins in the open part, so the replacement draw has stake to land on.
    await mineToOpen(ethers, networkHelpers);
    await (await sys.pool.connect(big).stake(1_000n * UNIT)).wait();
    sys.workers.push(big);
    before.active.set(big.address, 1_000n * UNIT);
    // Its stake moved from its balance into the pool before the accounting starts for it.
    before.balance.set(big.address, 0n);
    const poolAddress = await sys.pool.getAddress();
    before.balance.set(poolAddress, before.balance.get(poolAddress)! + 1_000n * UNIT);

    await drive(sys, taskId, log, () => "honest");
    // The declined seats counted as vacant and were re-drawn; the declined member paid nothing.
    const replaced = named(log, "NoShowsReplaced");
    expect(replaced.map((e) => e.args.vacantSeats)).to.deep.equal([declinedSeats]);
    expect(log.draws[1]!.seatsDrawn).to.equal(declinedSeats);
    const penalized = named(log, "MemberPenalized");
    expect(penalized).to.have.length(0);
    const { info: end } = await expectAccounting(sys, taskId, before, log);
    expect(end.state).to.be.oneOf([State.Finalized, State.Refunded]);
  });

  it("a member whose stake another task locks is Declined in the next task", async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [14n, 14n] });
    const snapshot = await networkHelpers.takeSnapshot();
    for (let attempt = 0; attempt < 12; attempt++) {
      const ok = await fromSnapshot(snapshot, attempt, async () => {
        const a = await post(sys);
        await drive(
          sys,
          a.taskId,
          a.log,
          () => "honest",
          (i) => i.state === State.Committing,
        );
        // A holder whose free stake after task A's lock covers no seat at all (14 - 5 * seats < 5: two seats); a
        // one-seat holder keeps 9 free and could rightly take a seat of task B, so that draw is retried.
        const holder = (await allRecords(sys, a.taskId)).find(
          (r) =>
            r.status === RecordStatus.Assigned && 14n * UNIT - r.seats * POOL_CONFIG.seatBond < POOL_CONFIG.seatBond,
        );
        if (!holder) return false;
        const lockedByA = holder.seats * POOL_CONFIG.seatBond;
        expect((await sys.pool.stakeOf(holder.member)).locked).to.equal(lockedByA);
        const b = await post(sys);
        await drive(
          sys,
          b.taskId,
          b.log,
          () => "honest",
          (i) => i.state === State.Committing,
        );
        const inB = (await allRecords(sys, b.taskId)).filter((r) => r.member === holder.member);
        if (inB.length === 0) return false;
        // 14 - lockedByA < 5: not even one seat is covered.
        expect(inB.map((r) => r.status)).to.deep.equal([RecordStatus.Declined]);
        expect(named(b.log, "SeatsDeclined").map((e) => e.args.member)).to.include(holder.member);
        expect((await sys.pool.stakeOf(holder.member)).locked).to.equal(lockedByA);
        return true;
      });
      if (ok) return;
    }
    expect.fail("the holder of task A was never drawn for task B in 12 attempts");
  });
});
