import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import {
  ChallengeOutcome,
  NotAssignedError,
  Phase,
  RecordStatus,
  TaskState,
  bondSlash,
  challengeBondFloor,
  settlementSplit,
  type Cohort,
  type DrawCommitteeReturnType,
} from "../../sdk/src/index.js";
import { POOL_CONFIG, UNIT, mineToOpen } from "../helpers/pool.js";
import { TASK_CONFIG, deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import {
  clientOf,
  drawThroughSdk,
  membersOf,
  mineAfter,
  postAndDraw,
  refusedWithoutSending,
  request,
  revertsWithoutSending,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const WRONG = keccak256(toUtf8Bytes("a wrong world"));
const RIGHT = keccak256(toUtf8Bytes("the right world"));
const BPS = 10_000n;

/**
 * Challenges, escalation, slashes and the claims they lead to, through the SDK; then a no-show replaced and a task
 * that expires. Three small stakers sit in the first committee; ten large ones join after it is drawn, so that the
 * escalation round (which excludes the first round's members) always finds its seats.
 */
describe("SDK: disputes and liveness", function () {
  let sys: TaskSystem;
  let requester: Cohort;
  let challenger: Cohort;
  let treasury: Cohort;
  let manager: string;
  /** Every staker's client by address. */
  const clients = new Map<string, Cohort>();
  const signers = new Map<string, HardhatEthersSigner>();
  const seatBond = POOL_CONFIG.seatBond;

  const clientFor = (address: string): Cohort => {
    const client = clients.get(address);
    if (client === undefined) throw new Error(`${address} is no staker of this test`);
    return client;
  };

  /** Commits and reveals `result` for every record of a draw, through each member's client. */
  async function commitAndReveal(taskId: bigint, drawn: DrawCommitteeReturnType, result: (member: string) => string) {
    for (const a of drawn.assigned) await clientFor(a.member).commit({ taskId, resultHash: result(a.member) });
    await mineAfter(ethers, networkHelpers, (await requester.getTask({ taskId })).commitDeadline);
    for (const a of drawn.assigned) await clientFor(a.member).reveal({ taskId, resultHash: result(a.member) });
    await mineAfter(ethers, networkHelpers, (await requester.getTask({ taskId })).revealDeadline);
  }

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers, { stakes: [20n, 20n, 20n] });
    requester = await clientOf(ethers, sys, sys.requester);
    challenger = await clientOf(ethers, sys, sys.outsider);
    treasury = await clientOf(ethers, sys, sys.treasury);
    manager = await sys.manager.getAddress();
    for (const w of sys.workers) {
      clients.set(w.address, await clientOf(ethers, sys, w));
      signers.set(w.address, w);
    }
    await challenger.mintTestTokens({ to: sys.outsider.address, amount: 10_000n * UNIT });
  });

  describe("a challenge up the escalation ladder", function () {
    let taskId: bigint;
    let round0: DrawCommitteeReturnType;
    let round1: DrawCommitteeReturnType;
    let floor: bigint;
    const reward = 1_000n * UNIT;

    it("round 0: the small stakers' committee proposes a wrong result", async function () {
      const large = (await ethers.getSigners()).slice(8, 18);
      for (const signer of large) {
        const c = await clientOf(ethers, sys, signer);
        await c.mintTestTokens({ to: signer.address, amount: 500n * UNIT });
        clients.set(signer.address, c);
        signers.set(signer.address, signer);
      }
      // A long commit window: the large stakers join while round 0 sits.
      const created = await requester.createTask(request({ seats: 3n, quorum: 2n, reward, commitBlocks: 200n }));
      taskId = created.taskId;
      round0 = await drawThroughSdk(ethers, networkHelpers, requester, taskId);
      expect(round0.assigned.every((a) => sys.workers.some((w) => w.address === a.member))).to.equal(true);

      // Their weight counts from the next draw on: the escalation's, which excludes round 0's members.
      for (const signer of large) {
        await mineToOpen(ethers, networkHelpers);
        const staked = await clientFor(signer.address).stake({ amount: 500n * UNIT, approve: true });
        expect([staked.active, staked.approval?.events[0]?.name]).to.deep.equal([500n * UNIT, "Approval"]);
      }

      await commitAndReveal(taskId, round0, () => WRONG);
      const tallied = await requester.tally({ taskId });
      expect(tallied.proposedResult).to.equal(WRONG);
      floor = challengeBondFloor({ seats: 3n, reward, challengeBondPerSeat: TASK_CONFIG.challengeBondPerSeat });
      // 7 seats of the next round at ceil(1000 / 3) tokens.
      expect(floor).to.equal(7n * ((reward + 2n) / 3n));
      expect((await requester.getTask({ taskId })).challengeBondFloor).to.equal(floor);
    });

    it("challenge refuses a low bond, the proposed result itself, and a missing allowance, sending nothing", async function () {
      const outsider = sys.outsider.address;
      await revertsWithoutSending(
        challenger,
        outsider,
        () => challenger.challenge({ taskId, claimedResult: RIGHT, bond: floor - 1n }),
        "TaskManagerChallengeBondTooLow",
        { bond: floor - 1n, floor },
      );
      await revertsWithoutSending(
        challenger,
        outsider,
        () => challenger.challenge({ taskId, claimedResult: WRONG }),
        "TaskManagerClaimNotDifferent",
        { taskId, proposed: WRONG },
      );
      await revertsWithoutSending(
        challenger,
        outsider,
        () => challenger.challenge({ taskId, claimedResult: RIGHT }),
        "ERC20InsufficientAllowance",
        { spender: manager, allowance: 0n, needed: floor },
      );
    });

    it("challenge escrows the bond and opens escalation round 1 of 2s + 1 seats", async function () {
      const before = await sys.token.balanceOf(sys.outsider.address);
      const challenged = await challenger.challenge({ taskId, claimedResult: RIGHT, approve: true });
      expect([challenged.step, challenged.bond]).to.deep.equal([1n, floor]);
      expect(challenged.approval?.events.find((e) => e.name === "Approval")?.args.value).to.equal(floor);
      expect(await sys.token.balanceOf(sys.outsider.address)).to.equal(before - floor);
      expect(challenged.events.find((e) => e.name === "Challenged")!.args).to.deep.equal({
        taskId,
        step: 1n,
        challenger: sys.outsider.address,
        round: 0n,
        proposedResult: WRONG,
        claimedResult: RIGHT,
        bond: floor,
        nextRound: 1n,
        seats: 7n,
        quorum: 4n,
      });
      expect(await challenger.getChallenge({ taskId, step: 1n })).to.deep.equal({
        challenger: sys.outsider.address,
        bond: floor,
        claimedResult: RIGHT,
        challengedRound: 0n,
        openedRound: 1n,
        outcome: BigInt(ChallengeOutcome.Pending),
        bonusPerSeat: 0n,
        payout: 0n,
        outcomeName: "Pending",
      });
      const task = await requester.getTask({ taskId });
      expect(task).to.deep.include({
        state: BigInt(TaskState.Drawing),
        phase: Phase.AwaitingSeed,
        round: 1n,
        seats: 7n,
        quorum: 4n,
        escalations: 1n,
        pendingSeats: 7n,
        // The next challenge would answer a 7-seat round: 15 seats, still priced per first-round seat.
        challengeBondFloor: challengeBondFloor({
          seats: 7n,
          escalations: 1n,
          reward,
          challengeBondPerSeat: TASK_CONFIG.challengeBondPerSeat,
        }),
      });
      expect((await requester.getRecords({ taskId, round: 0n })).info.step).to.equal(0n);
      expect((await requester.getRecords({ taskId })).info).to.deep.equal({
        seats: 7n,
        quorum: 4n,
        recordCount: 0n,
        step: 1n,
      });
      // One challenge per round: a second challenger is told who was first.
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.challenge({ taskId, claimedResult: RIGHT, bond: floor }),
        "TaskManagerAlreadyChallenged",
        { taskId, round: 0n, challenger: sys.outsider.address },
      );
    });

    it("round 1 excludes round 0's members and the challenger, and reveals the right result, final at once", async function () {
      round1 = await drawThroughSdk(ethers, networkHelpers, requester, taskId);
      expect(round1.assigned.reduce((s, a) => s + a.seats, 0n)).to.equal(7n);
      const excluded = new Set([...round0.assigned.map((a) => a.member), sys.outsider.address]);
      expect(round1.assigned.some((a) => excluded.has(a.member))).to.equal(false);
      await commitAndReveal(taskId, round1, () => RIGHT);
      const tallied = await requester.tally({ taskId });
      expect(tallied.proposedResult).to.equal(RIGHT);
      // The last escalation's result admits no challenge: finalization is due at once.
      expect((await requester.getTask({ taskId })).phase).to.equal(Phase.AwaitingFinalization);
      await revertsWithoutSending(
        challenger,
        sys.outsider.address,
        () => challenger.challenge({ taskId, claimedResult: WRONG, bond: floor }),
        "TaskManagerNoEscalationLeft",
        { taskId, round: 1n, maxEscalations: 1n },
      );
    });

    it("finalize slashes round 0, pays the challenger bond plus bounty, the honest pot to round 1", async function () {
      const stakesBefore = await Promise.all(round0.assigned.map((a) => requester.getStake({ worker: a.member })));
      const finalized = await requester.finalize({ taskId });
      expect(finalized.done).to.equal(true);

      const slashes = round0.assigned.map((a) => bondSlash(a.seats, seatBond, BigInt(TASK_CONFIG.slashFractionBps)));
      const wrongSlashed = slashes.reduce((s, x) => s + x, 0n);
      expect(wrongSlashed).to.equal((3n * seatBond * 5_000n) / BPS);
      const penalized = finalized.events.filter((e) => e.name === "MemberPenalized").map((e) => e.args);
      expect(penalized).to.deep.equal(
        round0.assigned.map((a, i) => ({
          taskId,
          member: a.member,
          round: 0n,
          index: a.index,
          reason: 2n,
          requested: slashes[i],
          slashed: slashes[i],
        })),
      );
      for (const [i, a] of round0.assigned.entries()) {
        const stake = await requester.getStake({ worker: a.member });
        expect([stake.active, stake.locked]).to.deep.equal([stakesBefore[i]!.active - slashes[i]!, 0n]);
      }

      const split = settlementSplit({
        reward,
        slashPot: wrongSlashed,
        wrongSlashed,
        bountyBps: BigInt(TASK_CONFIG.bountyBps),
        honestShareBps: BigInt(TASK_CONFIG.honestShareBps),
        winningSeats: 7n,
        challenges: [{ bond: floor, won: true, answeringSeats: 7n }],
      });
      const args = (name: string) => finalized.events.find((e) => e.name === name)!.args;
      expect(args("SlashesDistributed")).to.deep.equal({
        taskId,
        wrongSlashed,
        bounties: split.bounties,
        honestShare: split.honestShare,
        remainder: split.remainder,
        burned: false,
      });
      expect(args("ChallengeSettled")).to.deep.equal({
        taskId,
        step: 1n,
        challenger: sys.outsider.address,
        outcome: BigInt(ChallengeOutcome.Won),
        payout: split.challenges[0]!.payout,
        bonusPerSeat: 0n,
      });
      expect(args("TaskFinalized")).to.deep.equal({
        taskId,
        resultHash: RIGHT,
        winningSeats: 7n,
        rewardPerSeat: split.rewardPerSeat,
        dust: split.dust,
      });
      const challenge = await requester.getChallenge({ taskId, step: 1n });
      expect([challenge.outcomeName, challenge.payout]).to.deep.equal(["Won", floor + split.bountyEach]);

      // The claims: the challenger its bond and bounty, the treasury the dust and the remainder, round 1 its reward.
      const before = await sys.token.balanceOf(sys.outsider.address);
      const credit = await challenger.claimCredit();
      expect(credit.amount).to.equal(floor + split.bountyEach);
      expect(credit.events.find((e) => e.name === "CreditClaimed")!.args).to.deep.equal({
        account: sys.outsider.address,
        amount: credit.amount,
      });
      expect(await sys.token.balanceOf(sys.outsider.address)).to.equal(before + credit.amount);
      await revertsWithoutSending(
        challenger,
        sys.outsider.address,
        () => challenger.claimCredit(),
        "TaskManagerNothingToClaim",
        {
          account: sys.outsider.address,
        },
      );
      expect((await treasury.getBalances({ account: sys.treasury.address })).managerCredit).to.equal(
        split.dust + split.remainder,
      );
      expect((await treasury.claimCredit()).amount).to.equal(split.dust + split.remainder);
      for (const a of round1.assigned) {
        expect((await clientFor(a.member).claimReward({ taskId })).amount).to.equal(a.seats * split.rewardPerSeat);
      }
      const loser = clientFor(round0.assigned[0]!.member);
      const error = await refusedWithoutSending(loser, round0.assigned[0]!.member, () => loser.claimReward({ taskId }));
      expect(error).to.be.instanceOf(NotAssignedError);
      expect((await requester.getRecords({ taskId, round: 0n })).records.map((r) => r.statusName)).to.deep.equal(
        round0.assigned.map(() => "Lost"),
      );

      // Nothing is lost (rule 1): every token the manager took in has been paid out.
      expect(await sys.manager.totals()).to.deep.equal([0n, 0n, 0n]);
      expect(await sys.token.balanceOf(manager)).to.equal(0n);
    });
  });

  describe("a no-show", function () {
    it("replaceNoShows penalizes a member that did not commit and re-draws its seats", async function () {
      const { taskId, drawn } = await postAndDraw(
        ethers,
        networkHelpers,
        requester,
        request({ seats: 3n, quorum: 2n }),
        (d) => d.assigned.length >= 2,
      );
      const [absent, ...present] = membersOf(drawn);
      for (const m of present) await clientFor(m.member).commit({ taskId, resultHash: RIGHT });
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.replaceNoShows({ taskId }),
        "TaskManagerWrongPhase",
        {
          taskId,
          phase: BigInt(Phase.Committing),
          expected: BigInt(Phase.AwaitingReplacement),
        },
      );
      await mineAfter(ethers, networkHelpers, (await requester.getTask({ taskId })).commitDeadline);
      expect((await requester.getTask({ taskId })).phase).to.equal(Phase.AwaitingReplacement);

      const stakeBefore = await requester.getStake({ worker: absent!.member });
      const replaced = await requester.replaceNoShows({ taskId });
      const penalty = bondSlash(absent!.seats, seatBond, BigInt(TASK_CONFIG.missedCommitPenaltyBps));
      const args = (name: string) => replaced.events.find((e) => e.name === name)!.args;
      expect(args("MemberPenalized")).to.deep.equal({
        taskId,
        member: absent!.member,
        round: 0n,
        index: absent!.index,
        reason: 0n,
        requested: penalty,
        slashed: penalty,
      });
      expect(args("NoShowsReplaced")).to.deep.equal({ taskId, round: 0n, draw: 1n, vacantSeats: absent!.seats });
      const stake = await requester.getStake({ worker: absent!.member });
      expect([stake.active, stake.locked]).to.deep.equal([
        stakeBefore.active - penalty,
        stakeBefore.locked - absent!.seats * seatBond,
      ]);
      const task = await requester.getTask({ taskId });
      expect(task).to.deep.include({
        phase: Phase.AwaitingSeed,
        pendingSeats: absent!.seats,
        replacementDraws: 1n,
        slashPot: penalty,
      });
      const record = (await requester.getRecords({ taskId })).records[Number(absent!.index)]!;
      expect(record.status).to.equal(BigInt(RecordStatus.Replaced));

      const redrawn = await drawThroughSdk(ethers, networkHelpers, requester, taskId);
      expect(redrawn.events.find((e) => e.name === "CommitteeDrawn")!.args.draw).to.equal(1n);
      expect(redrawn.assigned.reduce((s, a) => s + a.seats, 0n)).to.equal(absent!.seats);
      expect((await requester.getTask({ taskId })).phase).to.equal(Phase.Committing);
    });
  });

  describe("a task nobody draws", function () {
    it("expire refunds it after expiresAt; the requester claims the refund as credit", async function () {
      const created = await requester.createTask(request({ seats: 1n, quorum: 1n, reward: 10n * UNIT }));
      const taskId = created.taskId;
      const { expiresAt } = await requester.getTask({ taskId });
      const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.expire({ taskId }),
        "TaskManagerNotExpired",
        {
          taskId,
          expiresAt,
          current: next,
        },
      );
      await mineAfter(ethers, networkHelpers, expiresAt);
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.drawCommittee({ taskId }),
        "TaskManagerTaskExpired",
        {
          taskId,
          expiresAt,
        },
      );
      const expired = await challenger.expire({ taskId });
      const args = (name: string) => expired.events.find((e) => e.name === name)!.args;
      expect(args("TaskExpired")).to.deep.equal({ taskId, round: 0n, expiresAt });
      expect(args("TaskRefunded")).to.deep.equal({
        taskId,
        requester: sys.requester.address,
        reward: 10n * UNIT,
        slashPot: 0n,
      });
      expect((await requester.getTask({ taskId })).phase).to.equal(Phase.Refunded);

      expect((await requester.getBalances({ account: sys.requester.address })).managerCredit).to.equal(10n * UNIT);
      const before = await sys.token.balanceOf(sys.requester.address);
      const claimed = await requester.claimCredit();
      expect(claimed.amount).to.equal(10n * UNIT);
      expect(await sys.token.balanceOf(sys.requester.address)).to.equal(before + 10n * UNIT);
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.claimCredit(),
        "TaskManagerNothingToClaim",
        {
          account: sys.requester.address,
        },
      );
    });
  });
});
