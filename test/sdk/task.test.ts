import { expect } from "chai";
import { keccak256, toUtf8Bytes, type Result } from "ethers";
import { network } from "hardhat";

import {
  InvalidArgumentError,
  NotAssignedError,
  Phase,
  RandomnessStatus,
  RecordStatus,
  ResultHashMismatchError,
  TaskManagerUnknownTaskError,
  TaskState,
  challengeBondFloor,
  computeCommitment,
  corruptionCost,
  createCohort,
  deriveSalt,
  escalationsFitting,
  lifeBound,
  settlementSplit,
  type Cohort,
  type DrawCommitteeReturnType,
} from "../../sdk/src/index.js";
import { POOL_CONFIG, UNIT } from "../helpers/pool.js";
import { TASK_CONFIG, TASK_UNBONDING_PERIOD, deployTaskSystem, signerOf, type TaskSystem } from "../helpers/tasks.js";
import {
  clientOf,
  drawThroughSdk,
  mineAfter,
  nameWord,
  refusedWithoutSending,
  request,
  revertsWithoutSending,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const RESULT = toUtf8Bytes("the particles, 100 ticks later");
const RESULT_HASH = keccak256(RESULT);
const CONFIG = Object.fromEntries(
  Object.entries(TASK_CONFIG).map(([k, v]) => [k, typeof v === "boolean" ? v : BigInt(v)]),
) as Record<string, bigint | boolean>;

/** One task through every step, with exact values at each, and each step's refusals. */
describe("SDK: a task's actions", function () {
  let sys: TaskSystem;
  let requester: Cohort;
  let outsider: Cohort;
  let manager: string;
  let chainId: bigint;
  let taskId: bigint;
  let drawn: DrawCommitteeReturnType;
  /** One client per committee member, in the order of the draw's records. */
  let members: { client: Cohort; address: string; index: bigint; seats: bigint }[];

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    requester = await clientOf(ethers, sys, sys.requester);
    outsider = await clientOf(ethers, sys, sys.outsider);
    manager = await sys.manager.getAddress();
    chainId = requester.chainId;
  });

  describe("posting", function () {
    it("createTask escrows the reward, copies the rules; getTask reads them back, expiresAt from lifeBound", async function () {
      const balance = await sys.token.balanceOf(sys.requester.address);
      const created = await requester.createTask(request());
      taskId = created.taskId;
      expect(taskId).to.equal(1n);
      expect(created.inputHash).to.equal(keccak256(toUtf8Bytes("particles: 16 bodies, 100 ticks")));
      expect(created.approval).to.equal(undefined);
      expect(await sys.token.balanceOf(sys.requester.address)).to.equal(balance - 1_000n * UNIT);
      expect((await sys.manager.totals()).escrowed).to.equal(1_000n * UNIT);

      const posted = created.events.find((e) => e.name === "TaskCreated")!;
      expect(posted.contract).to.equal("manager");
      expect([posted.args.taskId, posted.args.requester, posted.args.seatBond]).to.deep.equal([
        1n,
        sys.requester.address,
        POOL_CONFIG.seatBond,
      ]);
      expect((posted.args.request as Result).toObject()).to.deep.include({
        inputHash: created.inputHash,
        inputKind: 0n,
        seats: 5n,
        quorum: 3n,
        reward: 1_000n * UNIT,
      });
      const seed = created.events.find((e) => e.name === "SeedRequested")!;
      expect([seed.args.taskId, seed.args.round]).to.deep.equal([1n, 0n]);

      const task = await requester.getTask({ taskId });
      const life = lifeBound(
        { commitBlocks: 10n, revealBlocks: 10n, challengeBlocks: 10n, noQuorumRule: "redraw" },
        { maxReplacementDraws: 1n, maxEscalations: 1n, maxRedraws: 1n },
        POOL_CONFIG.epochBlocks,
      );
      expect(task).to.deep.include({
        taskId,
        requester: sys.requester.address,
        programId: request().programId,
        inputHash: created.inputHash,
        state: BigInt(TaskState.Drawing),
        noQuorumRule: 0n,
        seats: 5n,
        quorum: 3n,
        reward: 1_000n * UNIT,
        valueAtRisk: 0n,
        seatBond: POOL_CONFIG.seatBond,
        round: 0n,
        escalations: 0n,
        maxEscalations: escalationsFitting(5n, 1n),
        requestId: seed.args.requestId,
        pendingSeats: 5n,
        expiresAt: BigInt(created.blockNumber) + life,
        challengeBondFloor: challengeBondFloor({
          seats: 5n,
          reward: 1_000n * UNIT,
          challengeBondPerSeat: TASK_CONFIG.challengeBondPerSeat,
        }),
        phase: Phase.AwaitingSeed,
        phaseName: "AwaitingSeed",
      });
      expect(task.config).to.deep.equal(CONFIG);
    });

    it("getTaskInput gives inline bytes or the URI; listTasks pages newest first", async function () {
      const uri = "https://example.org/inputs/world-7.bin";
      const second = await requester.createTask(
        request({ input: { uri, inputHash: keccak256("0x07") }, noQuorumRule: "refund", quorum: 4n }),
      );
      expect(second.taskId).to.equal(2n);
      const inline = await requester.getTaskInput({ taskId: 1n });
      expect(inline).to.deep.include({ taskId: 1n, kind: "inline", uri: undefined });
      expect(Buffer.from(inline.input!).toString()).to.equal("particles: 16 bodies, 100 ticks");
      const byUri = await requester.getTaskInput({ taskId: 2n });
      expect(byUri).to.deep.include({ kind: "uri", uri, input: undefined, inputHash: keccak256("0x07") });
      expect(byUri.createdAtBlock).to.equal(second.blockNumber);
      expect((await requester.getTask({ taskId: 2n })).noQuorumRule).to.equal(1n);

      const all = await requester.listTasks();
      expect([all.taskCount, all.tasks.map((t) => t.taskId)]).to.deep.equal([2n, [2n, 1n]]);
      expect((await requester.listTasks({ limit: 1 })).tasks.map((t) => t.taskId)).to.deep.equal([2n]);
      expect((await requester.listTasks({ before: 1n })).tasks.map((t) => t.taskId)).to.deep.equal([1n]);
      for (const read of [() => requester.getTask({ taskId: 3n }), () => requester.getTaskInput({ taskId: 3n })]) {
        const error = await refusedWithoutSending(requester, sys.requester.address, read);
        expect(error).to.be.instanceOf(TaskManagerUnknownTaskError);
        expect((error as TaskManagerUnknownTaskError).taskId).to.equal(3n);
      }
    });

    it("createTask refuses, by name and before sending, what the contracts would", async function () {
      const maxValue = corruptionCost(3n, POOL_CONFIG.seatBond, BigInt(TASK_CONFIG.slashFractionBps));
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.createTask(request({ valueAtRisk: maxValue + 1n })),
        "TaskManagerValueAtRiskTooHigh",
        { valueAtRisk: maxValue + 1n, maxValue },
      );
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.createTask(request({ quorum: 2n })),
        "TaskManagerParameterOutOfBounds",
        { name: nameWord(ethers, "quorum"), value: 2n, min: 3n, max: 5n },
      );
      const long = request({ commitBlocks: 1_000n });
      await revertsWithoutSending(
        requester,
        sys.requester.address,
        () => requester.createTask(long),
        "TaskManagerTaskOutlivesUnbonding",
        {
          lifeBound: lifeBound(
            { ...long, noQuorumRule: 0 },
            { maxReplacementDraws: 1n, maxEscalations: 1n, maxRedraws: 1n },
            POOL_CONFIG.epochBlocks,
          ),
          unbondingPeriod: TASK_UNBONDING_PERIOD,
        },
      );
      // The outsider holds tokens but approved nothing.
      await (await sys.token.mint(sys.outsider.address, 5_000n * UNIT)).wait();
      await revertsWithoutSending(
        outsider,
        sys.outsider.address,
        () => outsider.createTask(request()),
        "ERC20InsufficientAllowance",
        {
          spender: manager,
          allowance: 0n,
          needed: 1_000n * UNIT,
        },
      );
      const bad = await refusedWithoutSending(requester, sys.requester.address, () =>
        requester.createTask(request({ input: { uri: "ipfs://bafy", inputHash: keccak256("0x07") } })),
      );
      expect((bad as InvalidArgumentError).argument).to.equal("input.uri");
    });
  });

  describe("the committee", function () {
    it("getSeed follows the blockhash request: pending until its target block, then ready from it", async function () {
      const { requestId } = await requester.getTask({ taskId });
      const target = await sys.randomness.targetOf(requestId);
      expect(BigInt(await ethers.provider.getBlockNumber()) <= target).to.equal(true);
      expect(await outsider.getSeed({ taskId })).to.deep.equal({
        taskId,
        requestId,
        status: RandomnessStatus.Pending,
        statusName: "Pending",
        ready: false,
        knownFrom: 0n,
        target,
      });
      const snapshot = await networkHelpers.takeSnapshot();
      await mineAfter(ethers, networkHelpers, target);
      expect(await outsider.getSeed({ taskId })).to.deep.include({
        status: RandomnessStatus.Ready,
        ready: true,
        knownFrom: target,
      });
      await snapshot.restore();
    });

    it("drawCommittee refuses before the seed exists, then draws the seats and locks their bonds", async function () {
      const { requestId } = await requester.getTask({ taskId });
      const error = await refusedWithoutSending(outsider, sys.outsider.address, () =>
        outsider.drawCommittee({ taskId }),
      );
      expect((error as { errorName: string }).errorName).to.equal("TaskManagerSeedNotReady");
      expect((error as { args: Record<string, unknown> }).args).to.deep.include({ taskId, requestId });

      drawn = await drawThroughSdk(ethers, networkHelpers, outsider, taskId);
      const committee = drawn.events.find((e) => e.name === "CommitteeDrawn")!.args;
      expect([committee.taskId, committee.round, committee.draw, committee.seatsDrawn]).to.deep.equal([
        taskId,
        0n,
        0n,
        5n,
      ]);
      expect(committee.commitDeadline).to.equal(BigInt(drawn.blockNumber) + 10n);
      expect(committee.revealDeadline).to.equal(BigInt(drawn.blockNumber) + 20n);
      expect(drawn.assigned.reduce((sum, a) => sum + a.seats, 0n)).to.equal(5n);
      expect(new Set(drawn.assigned.map((a) => a.member)).size).to.equal(drawn.assigned.length);

      members = await Promise.all(
        drawn.assigned.map(async (a) => ({
          client: await clientOf(ethers, sys, signerOf(sys, a.member)),
          address: a.member,
          index: a.index,
          seats: a.seats,
        })),
      );
      const task = await outsider.getTask({ taskId });
      expect(task).to.deep.include({
        state: BigInt(TaskState.Committing),
        phase: Phase.Committing,
        commitDeadline: committee.commitDeadline,
        revealDeadline: committee.revealDeadline,
        filledSeats: 5n,
        pendingSeats: 0n,
        recordCount: BigInt(drawn.assigned.length),
      });
      const { info, records, round } = await outsider.getRecords({ taskId });
      expect([round, info]).to.deep.equal([
        0n,
        { seats: 5n, quorum: 3n, recordCount: BigInt(records.length), step: 0n },
      ]);
      expect(records).to.deep.equal(
        members.map((m) => ({
          member: m.address,
          seats: m.seats,
          status: BigInt(RecordStatus.Assigned),
          sealedHash: ethers.ZeroHash,
          index: m.index,
          statusName: "Assigned",
        })),
      );
      for (const m of members) {
        const assignment = await outsider.getAssignment({ taskId, member: m.address });
        expect(assignment).to.deep.include({ found: true, index: m.index, round: 0n, statusName: "Assigned" });
        const stake = await outsider.getStake({ worker: m.address });
        expect([stake.locked, stake.seats]).to.deep.equal([m.seats * POOL_CONFIG.seatBond, m.seats]);
      }
      expect((await outsider.getAssignment({ taskId, member: sys.outsider.address })).found).to.equal(false);
    });
  });

  describe("commit and reveal", function () {
    it("commit derives a salt the key alone recovers (a new client, after a crash), distinct per task, round and record", async function () {
      for (const m of members) {
        const committed = await m.client.commit({ taskId, resultHash: RESULT_HASH });
        const signer = signerOf(sys, m.address);
        const fields = { chainId, manager, taskId, round: 0n, index: m.index };
        expect(committed.salt).to.equal(await deriveSalt(signer, fields));
        // A fresh client instance with the same key: the salt a restarted worker computes.
        const restarted = await createCohort({ provider: ethers.provider, signer, taskManager: manager });
        expect(await deriveSalt(restarted.signer!, fields)).to.equal(committed.salt);
        const others = [
          { ...fields, taskId: taskId + 1n },
          { ...fields, round: 1n },
          { ...fields, index: m.index + 1n },
          { ...fields, chainId: 1n },
        ];
        const salts = new Set([committed.salt, ...(await Promise.all(others.map((f) => deriveSalt(signer, f))))]);
        expect(salts.size).to.equal(others.length + 1);
        expect(committed.commitment).to.equal(
          computeCommitment({
            chainId,
            manager,
            taskId,
            round: 0n,
            member: m.address,
            resultHash: RESULT_HASH,
            salt: committed.salt,
          }),
        );
        expect([committed.round, committed.index]).to.deep.equal([0n, m.index]);
        expect(committed.events.find((e) => e.name === "Committed")!.args).to.deep.equal({
          taskId,
          member: m.address,
          round: 0n,
          index: m.index,
          commitment: committed.commitment,
        });
      }
      const { records } = await outsider.getRecords({ taskId });
      expect(records.every((r) => r.statusName === "Committed")).to.equal(true);
    });

    it("commit refuses a second commit and a non-member, before sending", async function () {
      const m = members[0]!;
      await revertsWithoutSending(
        m.client,
        m.address,
        () => m.client.commit({ taskId, resultHash: RESULT_HASH }),
        "TaskManagerWrongRecordStatus",
        {
          taskId,
          index: m.index,
          status: BigInt(RecordStatus.Committed),
          expected: BigInt(RecordStatus.Assigned),
        },
      );
      const error = await refusedWithoutSending(outsider, sys.outsider.address, () =>
        outsider.commit({ taskId, resultHash: RESULT_HASH }),
      );
      expect(error).to.be.instanceOf(NotAssignedError);
    });

    it("reveal waits for the commit window; commit after it is TaskManagerWrongPhase", async function () {
      const m = members[0]!;
      await revertsWithoutSending(
        m.client,
        m.address,
        () => m.client.reveal({ taskId, result: RESULT }),
        "TaskManagerWrongPhase",
        {
          taskId,
          phase: BigInt(Phase.Committing),
          expected: BigInt(Phase.Revealing),
        },
      );
      const { commitDeadline } = await outsider.getTask({ taskId });
      await mineAfter(ethers, networkHelpers, commitDeadline);
      expect((await outsider.getTask({ taskId })).phase).to.equal(Phase.Revealing);
      await revertsWithoutSending(
        m.client,
        m.address,
        () => m.client.commit({ taskId, resultHash: RESULT_HASH }),
        "TaskManagerWrongPhase",
        {
          taskId,
          phase: BigInt(Phase.Revealing),
          expected: BigInt(Phase.Committing),
        },
      );
    });

    it("reveal refuses bytes that do not hash to the result hash before sending, and a wrong salt by name", async function () {
      const m = members[0]!;
      const mismatch = await refusedWithoutSending(m.client, m.address, () =>
        m.client.reveal({ taskId, resultHash: RESULT_HASH, result: toUtf8Bytes("something else") }),
      );
      expect(mismatch).to.be.instanceOf(ResultHashMismatchError);
      expect((mismatch as ResultHashMismatchError).meta).to.deep.equal({
        expected: RESULT_HASH,
        actual: keccak256(toUtf8Bytes("something else")),
      });
      const salt = keccak256("0x5a17");
      const { sealedHash } = (await outsider.getRecords({ taskId })).records[0]!;
      await revertsWithoutSending(
        m.client,
        m.address,
        () => m.client.reveal({ taskId, resultHash: RESULT_HASH, salt }),
        "TaskManagerRevealMismatch",
        {
          taskId,
          index: m.index,
          committed: sealedHash,
          computed: computeCommitment({
            chainId,
            manager,
            taskId,
            round: 0n,
            member: m.address,
            resultHash: RESULT_HASH,
            salt,
          }),
        },
      );
    });

    it("reveal with the result bytes: the hash is computed, the bytes emitted, the seats counted", async function () {
      let counted = 0n;
      const sent: { hash: string; blockNumber: number }[] = [];
      for (const m of members) {
        // A new client per member: the salt is derived again from the key, as after a restart.
        const restarted = await createCohort({
          provider: ethers.provider,
          signer: signerOf(sys, m.address),
          taskManager: manager,
        });
        const revealed = await restarted.reveal({ taskId, result: RESULT });
        counted += m.seats;
        expect([revealed.resultHash, revealed.seatsForResult, revealed.index]).to.deep.equal([
          RESULT_HASH,
          counted,
          m.index,
        ]);
        const args = revealed.events.find((e) => e.name === "Revealed")!.args;
        expect([args.member, args.resultHash, args.result]).to.deep.equal([
          m.address,
          RESULT_HASH,
          ethers.hexlify(RESULT),
        ]);
        sent.push(revealed);
      }
      expect((await outsider.getTask({ taskId })).revealedSeats).to.equal(5n);
      // The reveals as their events keep them, oldest first, bytes included.
      let seen = 0n;
      expect(await outsider.getReveals({ taskId })).to.deep.equal({
        taskId,
        reveals: members.map((m, i) => ({
          member: m.address,
          round: 0n,
          index: m.index,
          resultHash: RESULT_HASH,
          seatsForResult: (seen += m.seats),
          result: RESULT,
          blockNumber: sent[i]!.blockNumber,
          transactionHash: sent[i]!.hash,
        })),
      });
      const unknown = await refusedWithoutSending(outsider, sys.outsider.address, () =>
        outsider.getReveals({ taskId: 9n }),
      );
      expect(unknown).to.be.instanceOf(TaskManagerUnknownTaskError);
    });
  });

  describe("tally, finalize, claims", function () {
    it("tally waits for the reveal deadline, then proposes the result with a challenge window", async function () {
      await revertsWithoutSending(
        outsider,
        sys.outsider.address,
        () => outsider.tally({ taskId }),
        "TaskManagerWrongPhase",
        {
          taskId,
          phase: BigInt(Phase.Revealing),
          expected: BigInt(Phase.AwaitingTally),
        },
      );
      await mineAfter(ethers, networkHelpers, (await outsider.getTask({ taskId })).revealDeadline);
      const tallied = await outsider.tally({ taskId });
      expect([tallied.proposedResult, tallied.redraw]).to.deep.equal([RESULT_HASH, false]);
      const proposed = tallied.events.find((e) => e.name === "ResultProposed")!.args;
      expect(proposed).to.deep.equal({
        taskId,
        round: 0n,
        resultHash: RESULT_HASH,
        seatsForResult: 5n,
        revealedSeats: 5n,
        challengeDeadline: BigInt(tallied.blockNumber) + 10n,
      });
      expect((await outsider.getTask({ taskId })).phase).to.equal(Phase.Challengeable);
    });

    it("finalize waits for the challenge window, then fixes the reward per seat", async function () {
      await revertsWithoutSending(
        outsider,
        sys.outsider.address,
        () => outsider.finalize({ taskId }),
        "TaskManagerWrongPhase",
        {
          taskId,
          phase: BigInt(Phase.Challengeable),
          expected: BigInt(Phase.AwaitingFinalization),
        },
      );
      await mineAfter(ethers, networkHelpers, (await outsider.getTask({ taskId })).challengeDeadline);
      const finalized = await outsider.finalize({ taskId });
      expect(finalized.done).to.equal(true);
      const split = settlementSplit({
        reward: 1_000n * UNIT,
        slashPot: 0n,
        wrongSlashed: 0n,
        bountyBps: BigInt(TASK_CONFIG.bountyBps),
        honestShareBps: BigInt(TASK_CONFIG.honestShareBps),
        winningSeats: 5n,
      });
      expect(finalized.events.find((e) => e.name === "TaskFinalized")!.args).to.deep.equal({
        taskId,
        resultHash: RESULT_HASH,
        winningSeats: 5n,
        rewardPerSeat: split.rewardPerSeat,
        dust: split.dust,
      });
      const task = await outsider.getTask({ taskId });
      expect([task.phase, task.rewardPerSeat]).to.deep.equal([Phase.Finalized, 200n * UNIT]);
      for (const m of members) {
        const stake = await outsider.getStake({ worker: m.address });
        expect([stake.locked, stake.seats]).to.deep.equal([0n, 0n]);
      }
    });

    it("claimReward pays each winning record seats x rewardPerSeat, once", async function () {
      for (const m of members) {
        const before = await sys.token.balanceOf(m.address);
        const claimed = await m.client.claimReward({ taskId });
        expect(claimed.amount).to.equal(m.seats * 200n * UNIT);
        expect(claimed.claims.map((c) => [c.round, c.index, c.amount])).to.deep.equal([
          [0n, m.index, m.seats * 200n * UNIT],
        ]);
        expect(await sys.token.balanceOf(m.address)).to.equal(before + claimed.amount);
        expect(claimed.claims[0]!.events.find((e) => e.name === "RewardClaimed")!.args).to.deep.equal({
          taskId,
          member: m.address,
          round: 0n,
          index: m.index,
          amount: claimed.amount,
        });
      }
      const m = members[0]!;
      expect(await refusedWithoutSending(m.client, m.address, () => m.client.claimReward({ taskId }))).to.be.instanceOf(
        NotAssignedError,
      );
      await revertsWithoutSending(
        m.client,
        m.address,
        () => m.client.claimReward({ taskId, round: 0n, index: m.index }),
        "TaskManagerWrongRecordStatus",
        {
          taskId,
          index: m.index,
          status: BigInt(RecordStatus.Claimed),
          expected: BigInt(RecordStatus.Won),
        },
      );
      // 1000 tokens over 5 seats leave no dust: the treasury has nothing to claim.
      const treasury = await clientOf(ethers, sys, sys.treasury);
      await revertsWithoutSending(
        treasury,
        sys.treasury.address,
        () => treasury.claimCredit(),
        "TaskManagerNothingToClaim",
        {
          account: sys.treasury.address,
        },
      );
    });
  });
});
