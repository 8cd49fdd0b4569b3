import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, LogDescription } from "ethers";
import { expect } from "chai";
import { network } from "hardhat";

import { deployBenchTaskSystem, fillStakedWorkers } from "../bench/tasks.js";
import {
  BURN_ADDRESS,
  DISPUTE_CONFIG,
  DISPUTE_UNBONDING_PERIOD,
  type DisputeConfig,
  type DisputeSystem,
  type Expected,
  type Planner,
  type TaskInfo,
  Outcome,
  SETTLE_BATCH,
  State,
  type TaskRun,
  Unsuitable,
  absent,
  advance,
  allRecords,
  byRound,
  challenge,
  deployDisputeSystem,
  expectManagerBalanced,
  expectSettled,
  expectedSettlement,
  factsOf,
  finish,
  ledger,
  openTask,
  partiesOf,
  reveal,
  roles,
  runEvents,
  silent,
} from "./helpers/disputes.js";
import { POOL_CONFIG, UNIT, mineToOpen, windowStartOf } from "./helpers/pool.js";
import { NoQuorumRule, Phase, RecordStatus, type TaskRequestShape, taskRequest } from "./helpers/tasks.js";
import type { SecurityPool } from "../types/ethers-contracts/index.js";
import { mulberry32 } from "./helpers/prng.js";

// 5 role accounts, 24 workers, 4 challengers, and a spare.
const { ethers, networkHelpers } = await network.create({ override: { accounts: { count: 34 } } });
const { loadFixture } = networkHelpers;

/** The right result, a wrong one, and another wrong one. */
const A = ethers.id("result: 16 bodies after 100 ticks");
const B = ethers.id("result: a wrong answer");
const C = ethers.id("result: another wrong answer");
/** An odd reward, so that the honest pot leaves dust. */
const REWARD = 100n * UNIT + 7n;
const MAX_UINT96 = 2n ** 96n - 1n;

async function disputeSystem() {
  return await deployDisputeSystem(ethers, networkHelpers);
}
async function burningSystem() {
  return await deployDisputeSystem(ethers, networkHelpers, { config: { burnRemainder: true } });
}

/** Named fields of a struct or event result, in order, for readable comparisons. */
const pick = <T extends object>(o: T, keys: (keyof T)[]) => keys.map((k) => o[k]);
const jsonOf = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

/** The first block of the draw window a seed requested in `block` aims at (`_nextWindowStart`). */
function nextWindowStartAt(block: bigint): bigint {
  const start = windowStartOf(block);
  return block >= start ? start + POOL_CONFIG.epochBlocks : start;
}

/** `challengeBondFloor`: `(2 s + 1) * max(challengeBondPerSeat, ceil(reward / firstSeats))`. */
function bondFloor(seats: bigint, firstSeats: bigint, reward: bigint, perSeat: bigint) {
  const fromReward = (reward + firstSeats - 1n) / firstSeats;
  return (2n * seats + 1n) * (fromReward > perSeat ? fromReward : perSeat);
}

/**
 * Runs `body` until its committee suits the scenario: on `Unsuitable`, restores the chain to where it was and moves an
 * epoch or more on (block hashes, hence draws, differ) before trying again.
 */
async function untilSuitable<T>(body: () => Promise<T>, tries = 10): Promise<T> {
  const snapshot = await networkHelpers.takeSnapshot();
  for (let i = 0; i < tries; i++) {
    if (i > 0) {
      await snapshot.restore();
      await networkHelpers.mine(POOL_CONFIG.epochBlocks * BigInt(i) + BigInt(i));
      await mineToOpen(ethers, networkHelpers);
    }
    try {
      return await body();
    } catch (e) {
      if (!(e instanceof Unsuitable)) throw e;
    }
  }
  throw new Error(`no suitable committee in ${tries} draws`);
}

/** The seats of `round` whose members were told to reveal `result`. */
async function seatsRevealing(run: TaskRun, round: bigint, result: string) {
  const records = await allRecords(run.sys, run.taskId);
  return records
    .filter((r) => r.round === round)
    .filter((r) => {
      const m = run.moves.get(`${r.round}/${r.index}`);
      return m?.kind === "reveal" && m.result === result;
    })
    .reduce((a, r) => a + r.seats, 0n);
}

async function latest() {
  return BigInt(await ethers.provider.getBlockNumber());
}

/** The events of `name` of a task. */
async function named(run: TaskRun, name: string) {
  return (await runEvents(run)).filter((e) => e.name === name);
}

const ROUND0 = { seats: 3n, quorum: 2n, reward: REWARD };
/** A round plan: the smallest record reveals `minority`, the others (a quorum on their own) reveal `held`. */
const majority = (held: string, minority: string) =>
  roles({ special: [reveal(minority)], rest: reveal(held), restQuorum: true });

describe("TaskManager disputes", function () {
  it("the dispute rules: config, per-task escalations, lifeBound within the unbonding period", async function () {
    const sys = await loadFixture(disputeSystem);
    const cfg = await sys.manager.config();
    expect([
      cfg.maxEscalations,
      cfg.bountyBps,
      cfg.honestShareBps,
      cfg.challengeBondPerSeat,
      cfg.burnRemainder,
    ]).to.deep.equal([
      BigInt(DISPUTE_CONFIG.maxEscalations),
      BigInt(DISPUTE_CONFIG.bountyBps),
      BigInt(DISPUTE_CONFIG.honestShareBps),
      DISPUTE_CONFIG.challengeBondPerSeat,
      DISPUTE_CONFIG.burnRemainder,
    ]);
    // lifeBound = rounds * perRound + (1 + maxEscalations) * challengeBlocks, rounds = 1 + maxEscalations (+ redraws).
    const perRound = (1n + 1n) * (3n * POOL_CONFIG.epochBlocks + 10n) + 10n;
    expect(await sys.manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.equal(4n * perRound + 3n * 10n);
    expect(await sys.manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Refund)).to.equal(3n * perRound + 3n * 10n);
    expect(await sys.manager.lifeBound(10n, 10n, 10n, NoQuorumRule.Redraw)).to.be.lte(DISPUTE_UNBONDING_PERIOD);
    // A task's escalations: the config's, fewer when the ladder s -> 2s + 1 would pass 129 seats.
    for (const [seats, expected] of [
      [1n, 2n],
      [31n, 2n],
      [32n, 1n],
      [64n, 1n],
    ] as const) {
      const run = await openTask(sys, ethers, networkHelpers, { seats, quorum: seats / 2n + 1n });
      expect((await run.info()).maxEscalations, `${seats} seats`).to.equal(expected);
    }
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("paths", function () {
    it("unchallenged: the proposal is final after its window; the wrong minority is slashed", async function () {
      const sys = await loadFixture(disputeSystem);
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        await advance(run, majority(A, B));
        const info = await run.info();
        const [proposed] = await named(run, "ResultProposed");
        const tallied = proposed!.block;
        expect(
          pick(proposed!.args.toObject(), ["round", "resultHash", "seatsForResult", "revealedSeats"]),
        ).to.deep.equal([0n, A, await seatsRevealing(run, 0n, A), 3n]);
        expect(proposed!.args.challengeDeadline).to.equal(tallied + 10n);
        expect([
          info.state,
          info.proposedResult,
          info.challengeDeadline,
          info.escalations,
          info.maxEscalations,
        ]).to.deep.equal([State.Proposed, A, tallied + 10n, 0n, 2n]);
        expect(info.challengeBondFloor).to.equal(bondFloor(3n, 3n, REWARD, DISPUTE_CONFIG.challengeBondPerSeat));
        // Challengeable through the deadline, then awaiting finalization.
        // Views run at the latest block: the deadline block itself is still in the window.
        await run.mineAfter(info.challengeDeadline - 1n);
        expect(await latest()).to.equal(info.challengeDeadline);
        expect(await run.phase()).to.equal(Phase.Challengeable);
        await networkHelpers.mine(1);
        expect(await run.phase()).to.equal(Phase.AwaitingFinalization);
        expect(await sys.manager.connect(sys.keeper).finalize.staticCall(run.taskId)).to.equal(true);
        await finish(run);
        expect(await run.phase()).to.equal(Phase.Finalized);
        const round0 = await sys.manager.roundOf(run.taskId, 0n);
        expect([round0.seats, round0.quorum, round0.step]).to.deep.equal([3n, 2n, 0n]);
        expect(await named(run, "ChallengeSettled")).to.have.length(0);
        expect((await sys.manager.challengeOf(run.taskId, 1n)).challenger).to.equal(ethers.ZeroAddress);
        const exp = await expectSettled(run, before);
        expect(exp.wrong).to.be.gt(0n);
        expect([exp.bounties, exp.honestShare]).to.deep.equal([0n, (exp.wrong * 5_000n) / 10_000n]);
      });
    });

    it("challenged and upheld: the challenger loses its bond to the escalation seats that revealed the result", async function () {
      const sys = await loadFixture(disputeSystem);
      const challenger = sys.challengers[0]!;
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        await advance(run, majority(A, B));
        const n0 = (await run.info()).recordCount;
        const floor = (await run.info()).challengeBondFloor;
        const bond = floor + 1n;
        expect(await sys.manager.connect(challenger).challenge.staticCall(run.taskId, B, bond)).to.equal(1n);
        const escrowed = (await sys.manager.totals()).escrowed;
        const { events, block } = await challenge(run, challenger, B, { bond });
        expect(events.map((e) => e.name)).to.deep.equal(["Challenged", "SeedRequested"]);
        const info = await run.info();
        expect([...events[0]!.args]).to.deep.equal([run.taskId, 1n, challenger.address, 0n, A, B, bond, 1n, 7n, 4n]);
        expect([...events[1]!.args]).to.deep.equal([run.taskId, 1n, info.requestId, nextWindowStartAt(block)]);
        expect(
          pick(info, [
            "state",
            "round",
            "seats",
            "quorum",
            "escalations",
            "pendingSeats",
            "recordCount",
            "proposedResult",
            "challengeDeadline",
            "commitDeadline",
          ]),
        ).to.deep.equal([State.Drawing, 1n, 7n, 4n, 1n, 7n, 0n, ethers.ZeroHash, 0n, 0n]);
        expect(await run.phase()).to.equal(Phase.AwaitingSeed);
        expect([...(await sys.manager.roundOf(run.taskId, 0n))]).to.deep.equal([3n, 2n, n0, 0n]);
        expect([...(await sys.manager.roundOf(run.taskId, 1n))]).to.deep.equal([7n, 4n, 0n, 1n]);
        expect([...(await sys.manager.challengeOf(run.taskId, 1n))]).to.deep.equal([
          challenger.address,
          bond,
          B,
          0n,
          1n,
          Outcome.Pending,
          0n,
          0n,
        ]);
        expect((await sys.manager.totals()).escrowed).to.equal(escrowed + bond);
        await expectManagerBalanced(sys);

        // Round 1: one no-show (replaced), one member reveals the challenger's claim, the rest the first result.
        await advance(run, roles({ special: [absent, reveal(B)], rest: reveal(A), restQuorum: true }));
        expect(await named(run, "NoShowsReplaced")).to.have.length(1);
        const [, proposed] = await named(run, "ResultProposed");
        expect([proposed!.args.round, proposed!.args.resultHash]).to.deep.equal([1n, A]);
        expect(await run.phase()).to.equal(Phase.Challengeable);
        await finish(run);
        const exp = await expectSettled(run, before);
        const answering = await seatsRevealing(run, 1n, A);
        expect(exp.challenges).to.deep.equal([
          {
            step: 1n,
            challenger: challenger.address,
            outcome: Outcome.Lost,
            payout: 0n,
            bonusPerSeat: bond / answering,
          },
        ]);
        // Every round-1 seat that revealed A got the bonus on top of the reward per seat; round 0's did not.
        for (const r of await allRecords(sys, run.taskId)) {
          if (r.status !== RecordStatus.Claimed) continue;
          const bonus = r.round === 1n ? bond / answering : 0n;
          expect(exp.rewardOf.get(`${r.round}/${r.index}`)).to.equal(r.seats * (exp.rewardPerSeat + bonus));
        }
      });
    });

    it("challenged and overturned: the challenger wins bond + bounty; round-0 majority slashed, minority paid", async function () {
      const sys = await loadFixture(disputeSystem);
      const challenger = sys.challengers[1]!;
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        // Round 0: a wrong majority (B) and an honest minority (A).
        await advance(run, majority(B, A));
        expect((await run.info()).proposedResult).to.equal(B);
        const bond = (await run.info()).challengeBondFloor;
        await challenge(run, challenger, A, { bond });
        await advance(run, majority(A, B));
        expect((await run.info()).proposedResult).to.equal(A);
        await finish(run);
        const exp = await expectSettled(run, before);
        const bounty = (exp.wrong * 2_000n) / 10_000n;
        expect(exp.challenges).to.deep.equal([
          { step: 1n, challenger: challenger.address, outcome: Outcome.Won, payout: bond + bounty, bonusPerSeat: 0n },
        ]);
        expect(exp.delta.get(challenger.address)).to.equal(bounty);
        const records = await allRecords(sys, run.taskId);
        for (const r of records.filter((x) => x.round === 0n)) {
          const move = run.moves.get(`0/${r.index}`)!;
          expect(r.status).to.equal(
            move.kind === "reveal" && move.result === A ? RecordStatus.Claimed : RecordStatus.Lost,
          );
        }
        // The round-0 honest minority was paid like every other seat that revealed A.
        const minority = records.find((r) => r.round === 0n && r.status === RecordStatus.Claimed)!;
        expect(exp.rewardOf.get(`0/${minority.index}`)).to.equal(minority.seats * exp.rewardPerSeat);
        expect(exp.winningSeats).to.equal((await seatsRevealing(run, 0n, A)) + (await seatsRevealing(run, 1n, A)));
      });
    });

    it("overturned, then re-challenged at the last block; the last round is final at once", async function () {
      const sys = await loadFixture(disputeSystem);
      const [first, second, late] = sys.challengers;
      await untilSuitable(async () => {
        const before = await ledger(sys);
        // Ladder 1 -> 3 -> 7 seats.
        const run = await openTask(sys, ethers, networkHelpers, { seats: 1n, quorum: 1n, reward: REWARD });
        await advance(run, roles({ rest: reveal(B) }));
        // The floor prices the next round's seats at the first round's reward per seat.
        expect((await run.info()).challengeBondFloor).to.equal(3n * REWARD);
        const bond1 = 3n * REWARD;
        await challenge(run, first!, A, { bond: bond1 });
        await advance(run, majority(A, B));
        let info = await run.info();
        expect([info.round, info.seats, info.proposedResult, await run.phase()]).to.deep.equal([
          1n,
          3n,
          A,
          Phase.Challengeable,
        ]);
        const bond2 = bondFloor(3n, 1n, REWARD, DISPUTE_CONFIG.challengeBondPerSeat);
        expect(info.challengeBondFloor).to.equal(bond2);
        // An adversary challenges the (right) new proposal in the last block of its window.
        const { events, block } = await challenge(run, second!, B, { bond: bond2, atLastBlock: true });
        expect(block).to.equal(info.challengeDeadline);
        expect([...events[0]!.args]).to.deep.equal([run.taskId, 2n, second!.address, 1n, A, B, bond2, 2n, 7n, 4n]);
        expect([...(await sys.manager.roundOf(run.taskId, 1n))].slice(0, 2)).to.deep.equal([3n, 2n]);
        expect((await sys.manager.roundOf(run.taskId, 1n)).step).to.equal(1n);

        await advance(run, majority(A, B));
        info = await run.info();
        const [, , last] = await named(run, "ResultProposed");
        // The last round: no window, final at once.
        expect([last!.args.round, last!.args.resultHash, last!.args.challengeDeadline]).to.deep.equal([
          2n,
          A,
          last!.block,
        ]);
        expect([info.state, info.escalations, info.maxEscalations, info.challengeDeadline]).to.deep.equal([
          State.Proposed,
          2n,
          2n,
          last!.block,
        ]);
        expect(await run.phase()).to.equal(Phase.AwaitingFinalization);
        await expect(sys.manager.connect(late!).challenge(run.taskId, B, 10n ** 30n))
          .to.be.revertedWithCustomError(sys.manager, "TaskManagerNoEscalationLeft")
          .withArgs(run.taskId, 2n, 2n);
        await finish(run);
        const exp = await expectSettled(run, before);
        const answering2 = await seatsRevealing(run, 2n, A);
        expect(exp.challenges).to.deep.equal([
          {
            step: 1n,
            challenger: first!.address,
            outcome: Outcome.Won,
            payout: bond1 + (exp.wrong * 2_000n) / 10_000n,
            bonusPerSeat: 0n,
          },
          {
            step: 2n,
            challenger: second!.address,
            outcome: Outcome.Lost,
            payout: 0n,
            bonusPerSeat: bond2 / answering2,
          },
        ]);
        expect([...(await sys.manager.roundOf(run.taskId, 2n))].slice(0, 2)).to.deep.equal([7n, 4n]);
      });
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("balances per path", function () {
    interface PathSpec {
      name: string;
      request: Partial<TaskRequestShape>;
      plans: Planner[];
      /** The k-th challenge, made at the k-th challengeable proposal: by `sys.challengers[who]`, floor + `extra`. */
      challenges: { who: number; claim: string; extra?: bigint; atLastBlock?: boolean }[];
      finalized: boolean;
      check?: (exp: Expected) => void;
    }
    const noQuorum = roles({ special: [reveal(A)], rest: silent(A), specialBelowQuorum: true });
    const paths: PathSpec[] = [
      {
        name: "unchallenged",
        request: ROUND0,
        plans: [majority(A, B)],
        challenges: [],
        finalized: true,
        check: (exp) => expect(exp.challenges).to.have.length(0),
      },
      {
        name: "challenged and upheld",
        request: ROUND0,
        plans: [majority(A, B), roles({ special: [absent, reveal(B)], rest: reveal(A), restQuorum: true })],
        challenges: [{ who: 0, claim: B, extra: 1n }],
        finalized: true,
        check: (exp) => expect(exp.challenges.map((c) => c.outcome)).to.deep.equal([Outcome.Lost]),
      },
      {
        name: "challenged and overturned",
        request: ROUND0,
        plans: [majority(B, A), majority(A, B)],
        challenges: [{ who: 1, claim: A }],
        finalized: true,
        check: (exp) => expect(exp.challenges.map((c) => c.outcome)).to.deep.equal([Outcome.Won]),
      },
      {
        name: "overturned, re-challenged (a third result), last round",
        request: { seats: 1n, quorum: 1n, reward: REWARD },
        plans: [
          roles({ rest: reveal(B) }),
          majority(A, B),
          roles({ special: [silent(A)], rest: reveal(A), restQuorum: true }),
        ],
        challenges: [
          { who: 0, claim: A },
          { who: 2, claim: C, extra: 5n, atLastBlock: true },
        ],
        finalized: true,
        check: (exp) => expect(exp.challenges.map((c) => c.outcome)).to.deep.equal([Outcome.Won, Outcome.Lost]),
      },
    ];
    paths.push({
      // Round 0 proposes A; a challenge claims B and round 1 agrees (all B); a second challenge claims A and round 2
      // agrees. The first challenge lost, and no seat of its step revealed A: its bond joins the honest pot.
      name: "flip-flop: a lost challenge whose step has no seat revealing the final result",
      request: { seats: 1n, quorum: 1n, reward: REWARD },
      plans: [roles({ rest: reveal(A) }), roles({ rest: reveal(B) }), majority(A, B)],
      challenges: [
        { who: 0, claim: B, extra: 2n },
        { who: 1, claim: A },
      ],
      finalized: true,
      check: (exp) => {
        expect(exp.challenges.map((c) => [c.outcome, c.bonusPerSeat])).to.deep.equal([
          [Outcome.Lost, 0n],
          [Outcome.Won, 0n],
        ]);
      },
    });
    const refunds: PathSpec[] = [
      {
        name: "refund: the escalation round gets no quorum (rule Refund)",
        request: { ...ROUND0, noQuorumRule: NoQuorumRule.Refund },
        plans: [majority(A, B), noQuorum],
        challenges: [{ who: 0, claim: B, extra: 3n }],
        finalized: false,
      },
      {
        name: "refund: the escalation round and its redraw get no quorum (rule Redraw)",
        request: ROUND0,
        plans: [majority(A, B), noQuorum, noQuorum],
        challenges: [{ who: 3, claim: B }],
        finalized: false,
      },
    ];
    const rows = [
      ...paths.map((p) => ({ path: p, burn: false })),
      ...paths.map((p) => ({ path: p, burn: true })),
      ...refunds.map((p) => ({ path: p, burn: false })),
    ];

    for (const { path, burn } of rows) {
      it(`${path.name}${burn ? " (remainder burned)" : ""}: every party's balance follows the rules`, async function () {
        const sys = await loadFixture(burn ? burningSystem : disputeSystem);
        await untilSuitable(async () => {
          const before = await ledger(sys);
          const run = await openTask(sys, ethers, networkHelpers, path.request);
          const plan = byRound(...path.plans);
          let k = 0;
          for (;;) {
            await advance(run, plan);
            if ((await run.phase()) !== Phase.Challengeable || k === path.challenges.length) break;
            const c = path.challenges[k++]!;
            const floor = (await run.info()).challengeBondFloor;
            await challenge(run, sys.challengers[c.who]!, c.claim, {
              bond: floor + (c.extra ?? 0n),
              atLastBlock: c.atLastBlock,
            });
          }
          expect(k, "challenges made").to.equal(path.challenges.length);
          await finish(run);
          const exp = await expectSettled(run, before);
          expect(exp.finalized).to.equal(path.finalized);
          if (exp.finalized) {
            expect(exp.burned).to.equal(burn ? exp.remainder : 0n);
            expect(exp.delta.get(BURN_ADDRESS) ?? 0n, "burned").to.equal(exp.burned);
            expect(exp.remainder).to.be.gt(0n);
          } else {
            // Every bond came back and the requester got its whole reward back.
            expect(exp.challenges.map((c) => c.outcome)).to.deep.equal(path.challenges.map(() => Outcome.Refunded));
            expect(exp.delta.get(sys.requester.address)).to.equal(0n);
            for (const c of path.challenges) expect(exp.delta.get(sys.challengers[c.who]!.address)).to.equal(0n);
          }
          path.check?.(exp);
        });
      });
    }
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("challenge errors and guards", function () {
    /** Everything a refused call must leave untouched: the task, its challenges and records, every balance. */
    async function stateOf(sys: DisputeSystem, taskId: bigint) {
      const parties = await partiesOf(sys);
      const info = await sys.manager.taskOf(taskId);
      return jsonOf({
        task: info,
        challenges: await Promise.all([1n, 2n, 3n].map((k) => sys.manager.challengeOf(taskId, k))),
        records: info.state === State.None ? [] : await allRecords(sys, taskId),
        taskCount: await sys.manager.taskCount(),
        totals: await sys.manager.totals(),
        poolTotals: await sys.pool.totals(),
        balances: await Promise.all(parties.map((a) => sys.token.balanceOf(a))),
        allowances: await Promise.all(
          sys.challengers.map(async (c) => sys.token.allowance(c.address, await sys.manager.getAddress())),
        ),
        credits: await Promise.all(parties.map((a) => sys.manager.creditOf(a))),
        stakes: await Promise.all(parties.map((a) => sys.pool.stakeOf(a))),
      });
    }

    /** A challenge that must revert with `error(args)` and change nothing. */
    async function refused(
      sys: DisputeSystem,
      taskId: bigint,
      who: HardhatEthersSigner,
      claim: string,
      bond: bigint,
      error: string,
      args: unknown[],
    ) {
      const before = await stateOf(sys, taskId);
      await expect(sys.manager.connect(who).challenge(taskId, claim, bond))
        .to.be.revertedWithCustomError(sys.manager, error)
        .withArgs(...args);
      expect(await stateOf(sys, taskId), `${error}: nothing changed`).to.equal(before);
    }

    it("every refused challenge names its reason and changes nothing", async function () {
      const sys = await loadFixture(disputeSystem);
      const [c1, c2] = sys.challengers as [HardhatEthersSigner, HardhatEthersSigner];
      const big = 10n ** 30n;
      await untilSuitable(async () => {
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        const id = run.taskId;
        await refused(sys, 999n, c1, B, big, "TaskManagerUnknownTask", [999n]);
        // Before a result is proposed: the wrong phase, whatever the phase.
        await refused(sys, id, c1, B, big, "TaskManagerWrongPhase", [id, Phase.AwaitingSeed, Phase.Challengeable]);
        const plan = roles({ special: [absent], rest: reveal(A), restQuorum: true });
        for (const phase of [Phase.Committing, Phase.AwaitingReplacement, Phase.Revealing, Phase.AwaitingTally]) {
          await advance(run, plan, { stopAt: [phase] });
          await refused(sys, id, c1, B, big, "TaskManagerWrongPhase", [id, phase, Phase.Challengeable]);
        }
        await advance(run, plan);
        expect(await run.phase()).to.equal(Phase.Challengeable);

        // The claim must differ from the proposal and not be zero.
        await refused(sys, id, c1, A, big, "TaskManagerClaimNotDifferent", [id, A]);
        await refused(sys, id, c1, ethers.ZeroHash, big, "TaskManagerClaimNotDifferent", [id, A]);
        // The bond floor: 7 seats priced at max(challengeBondPerSeat, ceil(reward / 3)).
        const floor = bondFloor(3n, 3n, REWARD, DISPUTE_CONFIG.challengeBondPerSeat);
        expect((await run.info()).challengeBondFloor).to.equal(floor);
        await refused(sys, id, c1, B, floor - 1n, "TaskManagerChallengeBondTooLow", [floor - 1n, floor]);
        await refused(sys, id, c1, B, 0n, "TaskManagerChallengeBondTooLow", [0n, floor]);
        await refused(sys, id, c1, B, MAX_UINT96 + 1n, "TaskManagerParameterOutOfBounds", [
          ethers.encodeBytes32String("bond"),
          MAX_UINT96 + 1n,
          floor,
          MAX_UINT96,
        ]);

        // The first challenge is in; every later one is refused while the escalation is drawn and sits, naming it.
        await challenge(run, c1, B, { bond: floor });
        const already = [id, 0n, c1.address];
        await refused(sys, id, c2, C, big, "TaskManagerAlreadyChallenged", already);
        await refused(sys, id, c1, B, big, "TaskManagerAlreadyChallenged", already);
        const honest = roles({ rest: reveal(A) });
        for (const phase of [Phase.Committing, Phase.Revealing, Phase.AwaitingTally]) {
          await advance(run, honest, { stopAt: [phase] });
          await refused(sys, id, c2, C, big, "TaskManagerAlreadyChallenged", already);
        }
        await advance(run, honest);
        const info = await run.info();
        expect([info.round, await run.phase()]).to.deep.equal([1n, Phase.Challengeable]);

        // After the window.
        await run.mineAfter(info.challengeDeadline);
        await refused(sys, id, c2, B, big, "TaskManagerChallengeWindowClosed", [
          id,
          info.challengeDeadline,
          (await latest()) + 1n,
        ]);
        await finish(run);
        await refused(sys, id, c2, B, big, "TaskManagerWrongPhase", [id, Phase.Finalized, Phase.Challengeable]);
      });
    });

    it("the bond floor prices seats at challengeBondPerSeat when the reward per seat is lower", async function () {
      const sys = await loadFixture(disputeSystem);
      const run = await openTask(sys, ethers, networkHelpers, { seats: 3n, quorum: 2n, reward: 3n });
      expect((await run.info()).challengeBondFloor).to.equal(7n * DISPUTE_CONFIG.challengeBondPerSeat);
      const one = await openTask(sys, ethers, networkHelpers, { seats: 1n, quorum: 1n, reward: 5n * UNIT + 1n });
      expect((await one.info()).challengeBondFloor).to.equal(3n * (5n * UNIT + 1n));
    });

    it("maxEscalations 0: the result is final at once and cannot be challenged", async function () {
      const sys = await loadFixture(disputeSystem);
      await sys.manager.connect(sys.admin).setConfig({ ...DISPUTE_CONFIG, maxEscalations: 0 });
      const before = await ledger(sys);
      const run = await openTask(sys, ethers, networkHelpers, { seats: 1n, quorum: 1n, reward: REWARD });
      await advance(run, roles({ rest: reveal(A) }));
      const [proposed] = await named(run, "ResultProposed");
      expect(proposed!.args.challengeDeadline).to.equal(proposed!.block);
      expect(await run.phase()).to.equal(Phase.AwaitingFinalization);
      await refused(sys, run.taskId, sys.challengers[0]!, B, 10n ** 30n, "TaskManagerNoEscalationLeft", [
        run.taskId,
        0n,
        0n,
      ]);
      await finish(run);
      await expectSettled(run, before);
    });

    it("the settlement module called directly reverts TaskManagerNotDelegated", async function () {
      const sys = await loadFixture(disputeSystem);
      const address = ethers.getCreateAddress({ from: await sys.manager.getAddress(), nonce: 1 });
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      const module = (await ethers.getContractAt("TaskSettlement", address)).connect(sys.keeper);
      // A live task on the manager, so that only the delegation check can refuse.
      const run = await openTask(sys, ethers, networkHelpers, ROUND0);
      const id = run.taskId;
      const calls: [string, () => Promise<unknown>][] = [
        ["replaceNoShows", () => module.replaceNoShows(id)],
        ["tally", () => module.tally(id)],
        ["challenge", () => module.challenge(id, B, 10n ** 24n)],
        ["finalize", () => module.finalize(id)],
        ["expire", () => module.expire(id)],
        ["claimReward", () => module.claimReward(id, 0n, 0n)],
      ];
      for (const [name, call] of calls) {
        await expect(call(), name).to.be.revertedWithCustomError(module, "TaskManagerNotDelegated");
      }
    });

    it("a pause stops new tasks only: challenges, rounds, finalization and claims go on", async function () {
      const sys = await loadFixture(disputeSystem);
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        await advance(run, majority(B, A));
        await sys.manager.connect(sys.admin).pause();
        await expect(
          sys.manager.connect(sys.requester).createTask(taskRequest(ethers, ROUND0)),
        ).to.be.revertedWithCustomError(sys.manager, "EnforcedPause");
        await challenge(run, sys.challengers[0]!, A);
        await advance(run, majority(A, B));
        await finish(run);
        expect(await sys.manager.paused()).to.equal(true);
        // Claims of every reward and credit run while paused.
        await expectSettled(run, before);
        await sys.manager.connect(sys.admin).unpause();
      });
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("escalation committees", function () {
    it("exclude every member of earlier rounds and every challenger (a staker too), in every draw", async function () {
      const sys = await loadFixture(disputeSystem);
      const stakeOf = new Map<string, bigint>();
      for (const w of sys.workers) stakeOf.set(w.address, (await sys.pool.stakeOf(w.address)).active);
      let checkedDraws = 0;
      let replacementDraws = 0;
      let skipped = 0;
      let skippedChallenger = 0;
      const challengersSeen: string[] = [];
      let escalations = 0n;

      /** Each escalation draw: its seats are exactly the first eligible ones of the pool's candidates for its seed. */
      const onDraw = async (run: TaskRun, before: TaskInfo, events: LogDescription[]) => {
        if (before.escalations === 0n) return;
        const excluded = new Set<string>();
        for (const r of await allRecords(sys, run.taskId)) if (r.round < before.round) excluded.add(r.member);
        for (let k = 1n; k <= before.escalations; k++)
          excluded.add((await sys.manager.challengeOf(run.taskId, k)).challenger);
        const drawn = events.find((e) => e.name === "CommitteeDrawn")!;
        const seated = events.filter((e) => e.name === "SeatsAssigned" || e.name === "SeatsDeclined");
        for (const e of seated) {
          expect(excluded.has(e.args.member as string), `round ${before.round}: ${e.args.member} is excluded`).to.equal(
            false,
          );
        }
        const pending = before.pendingSeats;
        const candidates = await sys.pool.drawSeats(
          drawn.args.seed as string,
          2n * pending > 256n ? 256n : 2n * pending,
        );
        const kept: string[] = [];
        for (const m of candidates) {
          if (kept.length === Number(pending)) break;
          if (excluded.has(m)) {
            skipped++;
            if (challengersSeen.includes(m)) skippedChallenger++;
          } else kept.push(m);
        }
        expect(drawn.args.seatsDrawn, "seats kept").to.equal(BigInt(kept.length));
        const grouped: [string, bigint][] = [];
        for (const m of kept) {
          const g = grouped.find((x) => x[0] === m);
          if (g) g[1] += 1n;
          else grouped.push([m, 1n]);
        }
        expect(
          seated.map((e) => [e.args.member, e.args.seats]),
          "the draw's seats",
        ).to.deep.equal(grouped);
        checkedDraws++;
        if (before.replacementDraws > 0n) replacementDraws++;
      };

      for (let t = 0; t < 4; t++) {
        const run = await openTask(sys, ethers, networkHelpers, {
          seats: t % 2 === 0 ? 1n : 3n,
          quorum: t % 2 === 0 ? 1n : 2n,
          reward: REWARD,
        });
        // Escalation rounds: the smallest record never commits (a replacement draw follows), the rest reveal A.
        const plan = byRound(roles({ rest: reveal(A) }), (drawn, ctx) =>
          drawn.length > 1 ? roles({ special: [absent], rest: reveal(A) })(drawn, ctx) : drawn.map(() => reveal(A)),
        );
        const hook = { onDraw: (b: TaskInfo, e: LogDescription[]) => onDraw(run, b, e) };
        for (;;) {
          await advance(run, plan, hook);
          const info = await run.info();
          if ((await run.phase()) !== Phase.Challengeable) break;
          // Step 1: the largest staker that sat in no round so far challenges; step 2: a non-staker.
          let who: HardhatEthersSigner;
          if (info.escalations === 0n) {
            const sat = new Set((await allRecords(sys, run.taskId)).map((r) => r.member));
            who = [...sys.workers]
              .filter((w) => !sat.has(w.address))
              .sort((a, b) => (stakeOf.get(b.address)! > stakeOf.get(a.address)! ? 1 : -1))[0]!;
          } else {
            who = sys.challengers[t]!;
          }
          challengersSeen.push(who.address);
          await challenge(run, who, B);
        }
        await finish(run);
        escalations += (await run.info()).escalations;
        // Nobody sits twice in a task, and no challenger sits after its challenge.
        const records = await allRecords(sys, run.taskId);
        const rounds = new Map<string, Set<bigint>>();
        for (const r of records) rounds.set(r.member, (rounds.get(r.member) ?? new Set()).add(r.round));
        for (const r of records) {
          if (r.round === 0n) continue;
          const step = BigInt((await sys.manager.roundOf(run.taskId, r.round)).step);
          expect(step, `round ${r.round} is an escalation round`).to.be.gte(1n);
        }
        for (const [member, rs] of rounds) {
          // A member sits in one round only, except rounds of the same step (a redraw does not exclude).
          const steps = new Set<bigint>();
          for (const round of rs) steps.add(BigInt((await sys.manager.roundOf(run.taskId, round)).step));
          expect(steps.size, `${member} sat in one step`).to.equal(1);
        }
        for (let k = 1n; k <= 2n; k++) {
          const c = await sys.manager.challengeOf(run.taskId, k);
          expect(
            records.filter((r) => r.round >= BigInt(c.openedRound)).map((r) => r.member),
            `challenger ${k} sits in no later round`,
          ).to.not.include(c.challenger);
        }
        await expectManagerBalanced(sys);
      }
      expect(escalations, "escalations").to.be.gte(6n);
      expect(checkedDraws).to.be.gte(6);
      expect(replacementDraws, "replacement draws checked").to.be.gte(1);
      expect(skipped, "excluded candidates skipped").to.be.gte(1);
      // The stakers that challenged were drawn as candidates, and skipped.
      expect(skippedChallenger, "challengers skipped").to.be.gte(1);
      console.log(
        `      ${checkedDraws} escalation draws (${replacementDraws} replacements): ${skipped} excluded candidates skipped, ${skippedChallenger} of them challengers`,
      );
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("liveness", function () {
    it("nobody can make a task unfinishable: adversarial members and challengers at every step", async function () {
      const sys = await loadFixture(disputeSystem);
      const snapshot = await networkHelpers.takeSnapshot();
      const stats = { finalized: 0, refunded: 0, expired: 0, pastExpiry: 0, challenges: 0, rounds: 0 };
      const SCENARIOS = 12;
      for (let n = 0; n < SCENARIOS; n++) {
        const rand = mulberry32(0xd15b07e + n);
        const pickOf = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
        await snapshot.restore();
        await networkHelpers.mine(n);
        await mineToOpen(ethers, networkHelpers);
        const seats = pickOf([1n, 3n]);
        const rule = pickOf([NoQuorumRule.Redraw, NoQuorumRule.Refund]);
        // The keeper: prompt; late (up to two epochs before each draw); or stalling (before some draws it waits
        // until anywhere up to expiresAt). It never waits past expiresAt, and then expires the task at once.
        const keeperMode = pickOf(["prompt", "prompt", "late", "stalling"]);
        // Challengers that challenge every proposal, right or wrong, or most of them.
        const challengeEvery = rand() < 0.5;
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, {
          seats,
          quorum: seats / 2n + 1n,
          reward: REWARD,
          noQuorumRule: rule,
        });
        const bound = await sys.manager.lifeBound(10n, 10n, 10n, rule);
        expect(run.expiresAt).to.equal(run.created + bound);

        // Members, per draw: the adversary holds every seat (wrong result), nobody commits, or a random mix of
        // right, wrong, silent and absent members.
        const plan: Planner = (drawn) => {
          const mode = rand();
          if (mode < 0.2) return drawn.map(() => reveal(B));
          if (mode < 0.3) return drawn.map(() => absent);
          return drawn.map(() => pickOf([reveal(A), reveal(A), reveal(B), reveal(C), silent(A), absent]));
        };
        let delayed = false;
        const keeperDelay = (_: TaskInfo, now: bigint) => {
          if (keeperMode === "prompt" || rand() < 0.5) return 0n;
          delayed = true;
          if (keeperMode === "late") return BigInt(Math.floor(rand() * Number(2n * POOL_CONFIG.epochBlocks)));
          // Stalling: until one of the last 40 blocks before expiry (or expiry itself).
          const wait = run.expiresAt - now - BigInt(Math.floor(rand() * 40));
          return wait > 0n ? wait : 0n;
        };
        for (let i = 0; i < 50; i++) {
          await advance(run, plan, {
            keeperDelay,
            stopAt: [Phase.Challengeable, ...[Phase.Finalized, Phase.Refunded]],
          });
          const phase = await run.phase();
          if (phase !== Phase.Challengeable) break;
          const info = await run.info();
          if (!challengeEvery && rand() < 0.3) {
            await run.mineAfter(info.challengeDeadline);
            continue;
          }
          const claims = [A, B, C].filter((x) => x !== info.proposedResult);
          const who = pickOf([...sys.challengers, ...sys.workers]);
          const bond = info.challengeBondFloor + BigInt(Math.floor(rand() * 1000));
          await challenge(run, who, pickOf(claims), { bond, atLastBlock: true });
          stats.challenges++;
        }
        const events = await runEvents(run);
        const end = events.find((e) => e.name === "TaskFinalized" || e.name === "TaskRefunded");
        expect(end, `scenario ${n} ended`).to.not.equal(undefined);
        const info = await run.info();
        stats.rounds += Number(info.round) + 1;
        if (events.some((e) => e.name === "TaskExpired")) stats.expired++;
        if (end!.block > run.expiresAt) stats.pastExpiry++;
        if (end!.name === "TaskFinalized") stats.finalized++;
        else stats.refunded++;
        // The bound: a keeper that acts after each deadline ends every task by expiresAt; a late one (draws up to
        // expiresAt) by expiresAt plus one commit, reveal and challenge window, and the two blocks after the reveal
        // and challenge deadlines in which `tally` and `finalize`/`expire` can first run.
        const windows = info.commitBlocks + info.revealBlocks + info.challengeBlocks;
        expect(end!.block, `scenario ${n}: ended at ${end!.block - run.created} of ${bound}`).to.be.lte(
          delayed ? run.expiresAt + windows + 2n : run.expiresAt,
        );
        // Every token where the rules say, every lock released.
        await expectSettled(run, before);
        expect((await sys.pool.totals()).locked).to.equal(0n);
      }
      console.log(`      ${SCENARIOS} scenarios: ${jsonOf(stats)}`);
      expect(stats.challenges).to.be.gte(1);
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("front-running", function () {
    // The rule is first-come: one challenge per round, and the first one mined wins. Someone who copies a pending
    // challenge and outbids its tip is simply the challenger: it earns exactly what the honest challenger would have
    // (its bond back and its bounty share) and nothing more; a copy of a wrong challenge loses the copier its bond.
    const GWEI = 10n ** 9n;

    /** The original sends its challenge; the copier sends the same call with a higher tip; one block is mined. */
    async function race(
      sys: DisputeSystem,
      run: TaskRun,
      original: HardhatEthersSigner,
      copier: HardhatEthersSigner,
      claim: string,
    ) {
      const bond = (await run.info()).challengeBondFloor;
      const managerAddress = await sys.manager.getAddress();
      const balance = await sys.token.balanceOf(original.address);
      const allowance = await sys.token.allowance(original.address, managerAddress);
      const fees = (tip: bigint) => ({ gasLimit: 1_000_000n, maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: tip });
      let sent: ContractTransactionResponse;
      let copied: { hash: string };
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        sent = await sys.manager.connect(original).challenge(run.taskId, claim, bond, fees(1n * GWEI));
        // The copier reads the pending transaction and sends its calldata as its own, with a higher tip.
        const pending = (await ethers.provider.getTransaction(sent.hash))!;
        expect(pending.blockNumber).to.equal(null);
        copied = await copier.sendTransaction({ to: pending.to, data: pending.data, ...fees(2n * GWEI) });
        await ethers.provider.send("evm_mine", []);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      const copiedReceipt = (await ethers.provider.getTransactionReceipt(copied.hash))!;
      const sentReceipt = (await ethers.provider.getTransactionReceipt(sent.hash))!;
      expect([copiedReceipt.status, sentReceipt.status]).to.deep.equal([1, 0]);
      expect(sentReceipt.blockNumber).to.equal(copiedReceipt.blockNumber);
      expect(copiedReceipt.index).to.be.lt(sentReceipt.index);
      await expect(sent)
        .to.be.revertedWithCustomError(sys.manager, "TaskManagerAlreadyChallenged")
        .withArgs(run.taskId, 0n, copier.address);
      expect((await sys.manager.challengeOf(run.taskId, 1n)).challenger).to.equal(copier.address);
      // The original's tokens were never touched.
      expect(await sys.token.balanceOf(original.address)).to.equal(balance);
      expect(await sys.token.allowance(original.address, managerAddress)).to.equal(allowance);
      return bond;
    }

    it("a copied right challenge pays the copier exactly the honest payoff; the original loses nothing", async function () {
      const sys = await loadFixture(disputeSystem);
      const [original, copier] = sys.challengers as [HardhatEthersSigner, HardhatEthersSigner];
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        await advance(run, majority(B, A));
        const bond = await race(sys, run, original, copier, A);
        await advance(run, majority(A, B));
        await finish(run);
        const exp = await expectSettled(run, before);
        // What the honest challenger would have got had its transaction come first: the same facts, its address.
        const facts = await factsOf(run);
        const honest = expectedSettlement({
          ...facts,
          challenges: facts.challenges.map((c) => ({ ...c, challenger: original.address })),
        });
        const honestPayoff = honest.delta.get(original.address)!;
        expect(honestPayoff).to.equal((exp.wrong * 2_000n) / 10_000n);
        expect(exp.delta.get(copier.address), "copier's gain").to.equal(honestPayoff);
        expect(exp.challenges[0]!.payout).to.equal(bond + honestPayoff);
        expect(exp.delta.get(original.address) ?? 0n, "original's gain").to.equal(0n);
      });
    });

    it("a copied wrong challenge loses the copier its bond", async function () {
      const sys = await loadFixture(disputeSystem);
      const [original, copier] = sys.challengers as [HardhatEthersSigner, HardhatEthersSigner];
      await untilSuitable(async () => {
        const before = await ledger(sys);
        const run = await openTask(sys, ethers, networkHelpers, ROUND0);
        await advance(run, majority(A, B));
        const bond = await race(sys, run, original, copier, B);
        await advance(run, majority(A, B));
        await finish(run);
        const exp = await expectSettled(run, before);
        expect(exp.challenges.map((c) => [c.challenger, c.outcome])).to.deep.equal([[copier.address, Outcome.Lost]]);
        expect(exp.delta.get(copier.address)).to.equal(-bond);
        expect(exp.delta.get(original.address) ?? 0n).to.equal(0n);
      });
    });
  });

  // -----------------------------------------------------------------------------------------------------------------
  describe("settlement in batches", function () {
    it("finalize settles 256 records per call, emitting SettlementProgress, and ends on a later call", async function () {
      const [admin, requester, treasury, keeper, challenger] = await ethers.getSigners();
      const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
      // Two replacement draws per round and one escalation: a 64-seat task whose 129-seat escalation round sees
      // all its members miss two commit windows holds well over 256 records.
      const config: DisputeConfig = { ...DISPUTE_CONFIG, maxReplacementDraws: 2, maxRedraws: 0, maxEscalations: 1 };
      const bench = await deployBenchTaskSystem(ethers, token, {
        admin: admin!.address,
        treasury: treasury!.address,
        requester: requester!,
        unbondingPeriod: 5_000n,
        seatBond: POOL_CONFIG.seatBond,
        config,
      });
      await fillStakedWorkers(token, bench.pool, 300);
      await (await token.mint(challenger!.address, 1_000_000n * UNIT)).wait();
      await (await token.connect(challenger!).approve(bench.managerAddress, ethers.MaxUint256)).wait();
      const known = new Map<string, HardhatEthersSigner>(
        [admin!, requester!, treasury!, keeper!, challenger!].map((s) => [s.address, s]),
      );
      const sys: DisputeSystem = {
        token,
        pool: bench.pool as unknown as SecurityPool,
        randomness: bench.randomness,
        manager: bench.manager,
        admin: admin!,
        treasury: treasury!,
        keeper: keeper!,
        requester: requester!,
        workers: [],
        challengers: [challenger!],
        config,
        epochBlocks: 64n,
        signerFor: async (address: string) => {
          let s = known.get(address);
          if (!s) {
            await networkHelpers.impersonateAccount(address);
            await networkHelpers.setBalance(address, 10n ** 20n);
            s = await ethers.getSigner(address);
            known.set(address, s);
          }
          return s;
        },
      };
      const before = await ledger(sys);
      const run = await openTask(sys, ethers, networkHelpers, {
        seats: 64n,
        quorum: 33n,
        reward: REWARD,
        commitBlocks: 300n,
        revealBlocks: 300n,
        noQuorumRule: NoQuorumRule.Refund,
      });
      // Round 0 proposes A; the escalation round's first two draws never commit, its last one reveals B.
      const plan: Planner = (drawn, ctx) =>
        drawn.map(() => (ctx.round === 0n ? reveal(A) : ctx.draw < 2n ? absent : reveal(B)));
      await advance(run, plan);
      await challenge(run, challenger!, B);
      await advance(run, plan);
      expect(await run.phase()).to.equal(Phase.AwaitingFinalization);
      const n0 = BigInt((await sys.manager.roundOf(run.taskId, 0n)).recordCount);
      const n1 = (await run.info()).recordCount;
      expect(n0 + n1, "records").to.be.gt(SETTLE_BATCH);
      const cursorAt = (position: bigint): [bigint, bigint] => (position < n0 ? [0n, position] : [1n, position - n0]);

      let visited = 0n;
      let calls = 0;
      for (;;) {
        const done = await sys.manager.connect(keeper!).finalize.staticCall(run.taskId);
        const { events } = await run.send(sys.manager.connect(keeper!).finalize(run.taskId));
        calls++;
        const progress = events.filter((e) => e.name === "SettlementProgress");
        if (done) {
          expect(progress).to.have.length(0);
          expect(events.filter((e) => e.name === "TaskFinalized")).to.have.length(1);
          break;
        }
        visited += SETTLE_BATCH;
        expect(progress.map((e) => [e.args.round, e.args.index])).to.deep.equal([cursorAt(visited)]);
        expect(events.filter((e) => e.name === "TaskFinalized")).to.have.length(0);
        const info = await run.info();
        expect([info.state, await run.phase()]).to.deep.equal([State.Closing, Phase.AwaitingFinalization]);
        // Records before the cursor are settled; revealers from the cursor on are still waiting.
        const records = await allRecords(sys, run.taskId);
        let lost = 0n;
        records.forEach((r, position) => {
          if (BigInt(position) < visited) {
            expect(r.status, `record ${r.round}/${r.index}`).to.not.equal(RecordStatus.Revealed);
            if (r.status === RecordStatus.Lost) lost += 1n;
          } else if (run.moves.get(`${r.round}/${r.index}`)?.kind === "reveal") {
            expect(r.status, `record ${r.round}/${r.index}`).to.equal(RecordStatus.Revealed);
          }
        });
        expect(lost).to.be.gt(0n);
        // A settlement in progress can be neither challenged nor finalized twice over.
        await expect(sys.manager.connect(challenger!).challenge(run.taskId, A, 10n ** 24n))
          .to.be.revertedWithCustomError(sys.manager, "TaskManagerWrongPhase")
          .withArgs(run.taskId, Phase.AwaitingFinalization, Phase.Challengeable);
      }
      expect(calls).to.equal(Number((n0 + n1 + SETTLE_BATCH - 1n) / SETTLE_BATCH));
      const totals = (await sys.manager.totals()).unclaimedRewards;
      const exp = await expectSettled(run, before, { claim: false });
      let rewards = 0n;
      for (const v of exp.rewardOf.values()) rewards += v;
      expect(totals).to.equal(rewards);
      expect(exp.challenges.map((c) => c.outcome)).to.deep.equal([Outcome.Won]);
      console.log(`      ${n0 + n1} records (${n0} + ${n1}) settled in ${calls} finalize calls`);
    });
  });
});
