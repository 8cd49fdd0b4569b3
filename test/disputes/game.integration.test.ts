import type { Signer } from "ethers";
import { expect } from "chai";
import { keccak256, ZeroAddress } from "ethers";
import { network } from "hardhat";

import { encodeInput, randomState } from "../../sdk/src/domain/particles/index.js";
import { particleTrace, Resolution, Side } from "../../sdk/src/game/index.js";
import {
  BPS,
  Outcome,
  type DisputeSystem,
  type TaskRun,
  advance,
  allRecords,
  challenge,
  deployDisputeSystem,
  expectManagerBalanced,
  finish,
  openTask,
  penaltyOf,
  reveal,
  roles,
} from "../helpers/disputes.js";
import { UNIT } from "../helpers/pool.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { particlesWasm } from "../programs/helpers/particlesWasm.js";
import { lyingTrace, type Player, type Policy, playGame } from "./helpers/players.js";

/**
 * The bisection game as step 3 of the escalation ladder: a task of a program with a step verifier is challenged by a
 * game, a defeated proposed result is replaced by the challenger's and the task goes on; one honest challenger
 * overturns any committee; a lying challenger pays the defender; a result a game produced can only be re-challenged
 * by a game, defended by its winner; life bound, named errors, balances and rule 1 throughout.
 */
// 5 role accounts, 12 workers, 3 challengers, and spares.
const { ethers, networkHelpers } = await network.create({ override: { accounts: { count: 24 } } });

const PROGRAM_ID = keccak256(particlesWasm());
const CLOCK = 30;
const EXTENSION = 5;
const STAKES = [300n, 280n, 260n, 240n, 220n, 200n, 180n, 160n, 140n, 120n, 110n, 100n];
/** `TaskState.Gaming`, `Phase.InGame`, `PenaltyReason.LostGame`: appended to the enums for the game. */
const GAMING = 7n;
const IN_GAME = 10n;
const LOST_GAME = 3n;

const state = randomState(5, { particles: 16, radius: 10, clustering: 0.7, borders: 0b0011 });
const TICKS = 24;
const INPUT = encodeInput(state, TICKS);
const truth = particleTrace(INPUT);
const RIGHT = truth.hashAt(TICKS);

async function deploy() {
  const sys = await deployDisputeSystem(ethers, networkHelpers, {
    stakes: STAKES,
    challengers: 3,
    unbondingPeriod: 5_000n,
  });
  const game = await ethers.deployContract("BisectionGame", [sys.admin.address, CLOCK, EXTENSION]);
  const verifier = await ethers.deployContract("ParticleStepVerifier", [PROGRAM_ID]);
  await (await game.connect(sys.admin).setVerifier(PROGRAM_ID, await verifier.getAddress())).wait();
  await (await sys.manager.connect(sys.admin).setBisectionGame(await game.getAddress())).wait();
  return { sys, game, verifier };
}

const fixture = () => networkHelpers.loadFixture(deploy);

/** Posts the particle task and has its committee reveal `result`, stopping in its challenge window. */
async function proposed(sys: DisputeSystem, result: string): Promise<TaskRun> {
  const run = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input: INPUT });
  await advance(run, roles({ rest: reveal(result) }), { stopAt: [Phase.Challengeable] });
  expect((await run.info()).proposedResult).to.equal(result);
  return run;
}

/** The records of the current round that revealed `result`. */
async function revealers(sys: DisputeSystem, run: TaskRun, result: string) {
  const round = (await run.info()).round;
  return (await allRecords(sys, run.taskId)).filter((r) => r.round === round && r.sealed === result);
}

async function challengeByGame(sys: DisputeSystem, run: TaskRun, who: Signer, claimed: string) {
  const bond = (await sys.manager.taskGameOf(run.taskId)).gameBondFloor;
  await run.send(sys.manager.connect(who).challengeByGame(run.taskId, claimed, bond, INPUT));
  const game = (await sys.manager.taskGameOf(run.taskId)).games;
  return { bond, game, gameId: (await sys.manager.gameChallengeOf(run.taskId, game)).gameId };
}

const player = (signer: Signer, side: Side, trace: typeof truth, policy: Policy): Player => ({
  signer,
  side,
  trace,
  policy,
});

describe("the bisection game in the escalation ladder", () => {
  it("freezes the verifier and the clocks into the task, and adds the games' worst case to its life bound", async () => {
    const { sys, game, verifier } = await fixture();
    const run = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input: INPUT });
    const g = await sys.manager.taskGameOf(run.taskId);
    expect([g.verifier, g.clockBlocks, g.extensionBlocks, g.games, g.topGame]).to.eql([
      await verifier.getAddress(),
      BigInt(CLOCK),
      BigInt(EXTENSION),
      0n,
      0n,
    ]);
    const info = await run.info();
    const base = await sys.manager.lifeBound(info.commitBlocks, info.revealBlocks, info.challengeBlocks, 0);
    const duration = await game.maxDuration(100_000, CLOCK, EXTENSION);
    expect(duration).to.equal(BigInt(2 * CLOCK + 18 * EXTENSION + 1));
    expect(info.expiresAt - run.created).to.equal(base + 3n * (duration + info.challengeBlocks + 1n));
    // Rule 9: the registry's later changes do not reach the task.
    await game.connect(sys.admin).setVerifier(PROGRAM_ID, ZeroAddress);
    await game.connect(sys.admin).setParameters(500, 50);
    expect((await sys.manager.taskGameOf(run.taskId)).verifier).to.equal(await verifier.getAddress());
    const later = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input: INPUT });
    expect((await sys.manager.taskGameOf(later.taskId)).verifier).to.equal(ZeroAddress);
    expect((await later.info()).expiresAt - later.created).to.equal(base);
  });

  it("refuses a task whose games could outlive the unbonding period (rule 4)", async () => {
    const { sys, game } = await fixture();
    await game.connect(sys.admin).setParameters(100_000, 100_000);
    const request = {
      programId: PROGRAM_ID,
      inputHash: keccak256(INPUT),
      inputKind: 0,
      input: INPUT,
      seats: 5n,
      quorum: 3n,
      reward: 1_000n * UNIT,
      commitBlocks: 10n,
      revealBlocks: 10n,
      challengeBlocks: 10n,
      valueAtRisk: 0n,
      noQuorumRule: 0,
    };
    const base = await sys.manager.lifeBound(10, 10, 10, 0);
    const games = 3n * ((await game.maxDuration(100_000, 100_000, 100_000)) + 10n + 1n);
    await expect(sys.manager.connect(sys.requester).createTask(request))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerTaskOutlivesUnbonding")
      .withArgs(base + games, 5_000n);
  });

  it("one honest challenger overturns a committee whose every member revealed a wrong result", async () => {
    const { sys, game } = await fixture();
    const liar = lyingTrace(truth, (i) => i >= 17);
    const WRONG = liar.hashAt(TICKS);
    const run = await proposed(sys, WRONG);
    const watchtower = sys.challengers[0]!;
    const treasuryCredit = await sys.manager.creditOf(sys.treasury.address);
    const { bond, game: number, gameId } = await challengeByGame(sys, run, watchtower, RIGHT);
    expect(await sys.manager.phaseOf(run.taskId)).to.equal(IN_GAME);
    expect((await run.info()).state).to.equal(GAMING);

    // A member that revealed the wrong result takes the defender's role and plays its (lying) trace.
    const [d] = await revealers(sys, run, WRONG);
    const defender = await sys.signerFor(d!.member);
    await expect(sys.manager.connect(defender).defendGame(run.taskId, d!.index))
      .to.emit(sys.manager, "GameDefended")
      .withArgs(run.taskId, number, d!.member, 0, d!.index);
    const played = await playGame(ethers, networkHelpers, game, gameId, [
      player(defender, Side.Defender, liar, "liar"),
      player(watchtower, Side.Challenger, truth, "honest"),
    ]);
    expect([played.view.winner, played.view.resolution]).to.eql([BigInt(Side.Challenger), BigInt(Resolution.OneStep)]);
    expect([played.view.lo, played.view.hi]).to.eql([16n, 17n]);

    const info = await run.info();
    const penalty = penaltyOf(d!.seats, info.seatBond, BigInt(info.config.slashFractionBps));
    const { events, block } = await run.send(sys.manager.connect(sys.keeper).settleGame(run.taskId));
    const penalized = events.find((e) => e.name === "MemberPenalized")!;
    expect([...penalized.args]).to.eql([run.taskId, d!.member, 0n, d!.index, LOST_GAME, penalty, penalty]);
    const settled = events.find((e) => e.name === "GameSettled")!;
    expect([...settled.args]).to.eql([run.taskId, number, 2n, d!.member, RIGHT, block + info.challengeBlocks]);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    expect((await sys.manager.taskGameOf(run.taskId)).topGame).to.equal(number);
    expect((await sys.manager.recordOf(run.taskId, 0, d!.index)).status).to.equal(BigInt(RecordStatus.Lost));
    expect(await sys.manager.votesFor(run.taskId, 0, WRONG)).to.equal(info.revealedSeats - d!.seats);
    await expectManagerBalanced(sys);

    // Nobody challenges the game's result: it is final. Every other revealer of the wrong result is slashed; the
    // watchtower gets its bond, the whole bounty and (no seat revealed the right result) the honest pot.
    await finish(run);
    const end = await run.info();
    expect([end.state, end.proposedResult, end.rewardPerSeat]).to.eql([4n, RIGHT, 0n]);
    let wrongSlashed = penalty;
    for (const r of (await allRecords(sys, run.taskId)).filter((r) => r.sealed === WRONG && r.index !== d!.index)) {
      expect(r.status).to.equal(RecordStatus.Lost);
      wrongSlashed += penaltyOf(r.seats, info.seatBond, BigInt(info.config.slashFractionBps));
    }
    expect(end.wrongSlashed).to.equal(wrongSlashed);
    const bounty = (wrongSlashed * BigInt(sys.config.bountyBps)) / BPS;
    const honestShare = (wrongSlashed * BigInt(sys.config.honestShareBps)) / BPS;
    const payout = bond + bounty + end.reward + honestShare;
    const c = await sys.manager.gameChallengeOf(run.taskId, number);
    expect([c.outcome, c.payout]).to.eql([Outcome.Won, payout]);
    expect(await sys.manager.creditOf(watchtower.address)).to.equal(payout);
    expect((await sys.manager.creditOf(sys.treasury.address)) - treasuryCredit).to.equal(
      wrongSlashed - bounty - honestShare,
    );
    await expectManagerBalanced(sys);
    const wallet = await sys.token.balanceOf(watchtower.address);
    await sys.manager.connect(watchtower).claimCredit();
    expect(await sys.token.balanceOf(watchtower.address)).to.equal(wallet + payout);
    await expectManagerBalanced(sys);
  });

  it("a defender that stops answering loses by timeout and is slashed; so is no defender at all, at the end", async () => {
    const { sys, game } = await fixture();
    const liar = lyingTrace(truth, (i) => i >= 5);
    const WRONG = liar.hashAt(TICKS);
    for (const defends of [true, false]) {
      const run = await proposed(sys, WRONG);
      const watchtower = sys.challengers[1]!;
      const { gameId } = await challengeByGame(sys, run, watchtower, RIGHT);
      const [d] = await revealers(sys, run, WRONG);
      const defender = await sys.signerFor(d!.member);
      if (defends) await sys.manager.connect(defender).defendGame(run.taskId, d!.index);
      const stake = (await sys.pool.stakeOf(d!.member)).active;
      // The defender never moves: the watchtower (or anyone) calls the timeout once its clock ran out.
      const played = await playGame(ethers, networkHelpers, game, gameId, [
        player(defender, Side.Defender, liar, "silent"),
        player(watchtower, Side.Challenger, truth, "honest"),
      ]);
      expect([played.view.winner, played.view.resolution]).to.eql([
        BigInt(Side.Challenger),
        BigInt(Resolution.Timeout),
      ]);
      const { events } = await run.send(sys.manager.connect(sys.keeper).settleGame(run.taskId));
      expect(
        events.some((e) => e.name === "MemberPenalized"),
        `defends: ${defends}`,
      ).to.equal(defends);
      const info = await run.info();
      const penalty = penaltyOf(d!.seats, info.seatBond, BigInt(info.config.slashFractionBps));
      expect((await sys.pool.stakeOf(d!.member)).active).to.equal(defends ? stake - penalty : stake);
      await finish(run);
      expect((await run.info()).proposedResult).to.equal(RIGHT);
      // Slashed once either way: by the game, or at the end as a revealer of a result that is not final.
      expect((await sys.pool.stakeOf(d!.member)).active).to.equal(stake - penalty);
      await expectManagerBalanced(sys);
    }
  });

  it("a lying challenger loses to an honest defender and pays it its bond; the result stands and is paid", async () => {
    const { sys, game } = await fixture();
    const run = await proposed(sys, RIGHT);
    const liar = lyingTrace(truth, (i) => i >= 9);
    const cheat = sys.challengers[2]!;
    const { bond, game: number, gameId } = await challengeByGame(sys, run, cheat, liar.hashAt(TICKS));
    const [d] = await revealers(sys, run, RIGHT);
    const defender = await sys.signerFor(d!.member);
    await sys.manager.connect(defender).defendGame(run.taskId, d!.index);
    const played = await playGame(ethers, networkHelpers, game, gameId, [
      player(defender, Side.Defender, truth, "honest"),
      player(cheat, Side.Challenger, liar, "liar"),
    ]);
    expect(played.view.winner).to.equal(BigInt(Side.Defender));
    const credit = await sys.manager.creditOf(d!.member);
    const { events, block } = await run.send(sys.manager.connect(sys.keeper).settleGame(run.taskId));
    expect(events.map((e) => e.name)).to.eql(["GameChallengeSettled", "Credited", "GameSettled"]);
    expect([...events[2]!.args]).to.eql([run.taskId, number, 1n, cheat.address, RIGHT, block + 10n]);
    expect(await sys.manager.creditOf(d!.member)).to.equal(credit + bond);
    expect((await sys.manager.gameChallengeOf(run.taskId, number)).outcome).to.equal(Outcome.Lost);
    await finish(run);
    const end = await run.info();
    expect([end.state, end.proposedResult, end.wrongSlashed]).to.eql([4n, RIGHT, 0n]);
    // Every seat revealed the right result: all share the reward (the dust goes to the treasury).
    expect(end.rewardPerSeat).to.equal(end.reward / end.revealedSeats);
    await expectManagerBalanced(sys);
  });

  it("recovers from a thrown defence: a game result is re-challenged by a game, against its winner, and restored", async () => {
    const { sys, game } = await fixture();
    // The committee revealed the right result, but its defender plays a made-up trace (the right final state, wrong
    // intermediate hashes) and loses to a lying challenger whose trace is true up to its last step.
    const run = await proposed(sys, RIGHT);
    const lazy = lyingTrace(truth, (i) => i > 0 && i < TICKS, "lazy");
    const wrongEnd = lyingTrace(truth, (i) => i === TICKS);
    const WRONG = wrongEnd.hashAt(TICKS);
    const cheat = sys.challengers[0]!;
    const first = await challengeByGame(sys, run, cheat, WRONG);
    const [d] = await revealers(sys, run, RIGHT);
    const lazyDefender = await sys.signerFor(d!.member);
    await sys.manager.connect(lazyDefender).defendGame(run.taskId, d!.index);
    const thrown = await playGame(ethers, networkHelpers, game, first.gameId, [
      player(lazyDefender, Side.Defender, lazy, "liar"),
      player(cheat, Side.Challenger, wrongEnd, "honest"),
    ]);
    expect(thrown.view.winner).to.equal(BigInt(Side.Challenger));
    await run.send(sys.manager.connect(sys.keeper).settleGame(run.taskId));
    expect((await run.info()).proposedResult).to.equal(WRONG);

    // A committee cannot overturn a game's result...
    const floor = (await run.info()).challengeBondFloor;
    await expect(sys.manager.connect(sys.challengers[1]!).challenge(run.taskId, RIGHT, floor))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerResultFromGame")
      .withArgs(run.taskId, first.game);
    // ... but a game can, and its defender is the first game's winner, assigned at once.
    const watchtower = sys.challengers[1]!;
    const treasuryCredit = await sys.manager.creditOf(sys.treasury.address);
    const second = await challengeByGame(sys, run, watchtower, RIGHT);
    expect((await sys.manager.gameChallengeOf(run.taskId, second.game)).defender).to.equal(cheat.address);
    await expect(sys.manager.connect(lazyDefender).defendGame(run.taskId, d!.index))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerGameDefended")
      .withArgs(run.taskId, second.game, cheat.address);
    const restored = await playGame(ethers, networkHelpers, game, second.gameId, [
      player(cheat, Side.Defender, wrongEnd, "liar"),
      player(watchtower, Side.Challenger, truth, "honest"),
    ]);
    expect([restored.view.winner, restored.view.lo, restored.view.hi]).to.eql([
      BigInt(Side.Challenger),
      BigInt(TICKS - 1),
      BigInt(TICKS),
    ]);
    const { events } = await run.send(sys.manager.connect(sys.keeper).settleGame(run.taskId));
    // The first winner forfeits its bond to the treasury (this task's rules do not burn), not to the new winner.
    const forfeit = events.find((e) => e.name === "GameChallengeSettled")!;
    expect([...forfeit.args]).to.eql([run.taskId, first.game, cheat.address, Outcome.Lost, 0n]);
    expect((await sys.manager.creditOf(sys.treasury.address)) - treasuryCredit).to.equal(first.bond);
    expect((await run.info()).proposedResult).to.equal(RIGHT);

    await finish(run);
    const end = await run.info();
    expect([end.state, end.proposedResult]).to.eql([4n, RIGHT]);
    // The lazy defender was slashed for its game and does not share the reward; the other revealers of the right
    // result do; the watchtower gets its bond and the bounty of the stake slashed.
    const rest = (await allRecords(sys, run.taskId)).filter((r) => r.sealed === RIGHT && r.index !== d!.index);
    expect(rest.every((r) => r.status === RecordStatus.Won)).to.equal(true);
    const winningSeats = rest.reduce((a, r) => a + r.seats, 0n);
    const bounty = (end.wrongSlashed * BigInt(sys.config.bountyBps)) / BPS;
    const honestShare = (end.wrongSlashed * BigInt(sys.config.honestShareBps)) / BPS;
    expect(end.rewardPerSeat).to.equal((end.reward + honestShare) / winningSeats);
    expect(await sys.manager.creditOf(watchtower.address)).to.equal(second.bond + bounty);
    expect((await sys.manager.gameChallengeOf(run.taskId, second.game)).outcome).to.equal(Outcome.Won);
    await expectManagerBalanced(sys);
  });

  it("plays one game at a time, at most MAX_GAMES per task, each lost bond paid to the defender", async () => {
    const { sys, game } = await fixture();
    const run = await proposed(sys, RIGHT);
    const [d] = await revealers(sys, run, RIGHT);
    const defender = await sys.signerFor(d!.member);
    for (let g = 1n; g <= 3n; g++) {
      const cheat = sys.challengers[Number(g - 1n)]!;
      const liar = lyingTrace(truth, (i) => i >= 3, `liar ${g}`);
      const { gameId } = await challengeByGame(sys, run, cheat, liar.hashAt(TICKS));
      // A second challenger meanwhile is refused by name; its bond is never taken.
      const bond = (await sys.manager.taskGameOf(run.taskId)).gameBondFloor;
      await expect(sys.manager.connect(sys.workers[11]!).challengeByGame(run.taskId, RIGHT, bond, INPUT))
        .to.be.revertedWithCustomError(sys.manager, "TaskManagerWrongPhase")
        .withArgs(run.taskId, IN_GAME, Phase.Challengeable);
      await expect(sys.manager.connect(sys.workers[11]!).challenge(run.taskId, RIGHT, bond))
        .to.be.revertedWithCustomError(sys.manager, "TaskManagerWrongPhase")
        .withArgs(run.taskId, IN_GAME, Phase.Challengeable);
      await expect(sys.manager.settleGame(run.taskId))
        .to.be.revertedWithCustomError(sys.manager, "TaskManagerGameNotOver")
        .withArgs(run.taskId, g, gameId);
      await sys.manager.connect(defender).defendGame(run.taskId, d!.index);
      await playGame(ethers, networkHelpers, game, gameId, [
        player(defender, Side.Defender, truth, "honest"),
        player(cheat, Side.Challenger, liar, "liar"),
      ]);
      const { events, block } = await run.send(sys.manager.settleGame(run.taskId));
      // After the third game no game is left and this task's escalations remain: a window still opens.
      expect(events.at(-1)!.args.at(-1)).to.equal(block + 10n);
    }
    const bond = (await sys.manager.taskGameOf(run.taskId)).gameBondFloor;
    await expect(sys.manager.connect(sys.challengers[0]!).challengeByGame(run.taskId, keccak256("0x01"), bond, INPUT))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerNoGameLeft")
      .withArgs(run.taskId, 3);
    // The defender earned three bonds; rule 1 holds.
    expect(await sys.manager.creditOf(d!.member)).to.equal(3n * bond);
    await finish(run);
    await expectManagerBalanced(sys);
  });

  it("excludes game challengers, as escalation challengers, from the escalation committees that follow", async () => {
    const { sys, game } = await fixture();
    // Retried until the draw really had to skip the game challenger (its seed drew it as a candidate).
    for (let attempt = 0; attempt < 8; attempt++) {
      const run = await proposed(sys, RIGHT);
      const firstRound = new Set((await allRecords(sys, run.taskId)).map((r) => r.member));
      // The largest staker that did not sit in round 0: the likeliest candidate of the escalation draw.
      const staker = sys.workers.find((w) => !firstRound.has(w.address))!;
      const liar = lyingTrace(truth, (i) => i >= 2, "staker");
      const { gameId } = await challengeByGame(sys, run, staker, liar.hashAt(TICKS));
      const [d] = await revealers(sys, run, RIGHT);
      const defender = await sys.signerFor(d!.member);
      await sys.manager.connect(defender).defendGame(run.taskId, d!.index);
      await playGame(ethers, networkHelpers, game, gameId, [
        player(defender, Side.Defender, truth, "honest"),
        player(staker, Side.Challenger, liar, "liar"),
      ]);
      await run.send(sys.manager.settleGame(run.taskId));
      // The result stood; now a committee challenge escalates it (a committee result may still escalate).
      await challenge(run, sys.challengers[0]!, keccak256("0x0bad"));
      let candidate = false;
      await advance(run, roles({ rest: reveal(RIGHT) }), {
        stopAt: [Phase.Challengeable, Phase.AwaitingFinalization],
        onDraw: async (before, events) => {
          const drawn = events.find((e) => e.name === "CommitteeDrawn")!;
          const seated = events.filter((e) => e.name === "SeatsAssigned" || e.name === "SeatsDeclined");
          expect(seated.map((e) => e.args.member)).to.not.include(staker.address);
          const pending = before.pendingSeats;
          const candidates = await sys.pool.drawSeats(drawn.args.seed as string, 2n * pending);
          if (candidates.includes(staker.address)) candidate = true;
        },
      });
      expect((await allRecords(sys, run.taskId)).filter((r) => r.member === staker.address)).to.eql([]);
      if (candidate) return;
    }
    expect.fail("the game challenger was never a candidate of an escalation draw");
  });

  it("refuses bad game challenges and defences by name", async () => {
    const { sys } = await fixture();
    const run = await proposed(sys, RIGHT);
    const who = sys.challengers[0]!;
    const floor = (await sys.manager.taskGameOf(run.taskId)).gameBondFloor;
    const m = sys.manager.connect(who);
    await expect(m.challengeByGame(run.taskId, RIGHT, floor, INPUT))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerClaimNotDifferent")
      .withArgs(run.taskId, RIGHT);
    const other = encodeInput(randomState(6, { particles: 3 }), 2);
    await expect(m.challengeByGame(run.taskId, keccak256("0x01"), floor, other))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerInputHashMismatch")
      .withArgs(keccak256(INPUT), keccak256(other));
    await expect(m.challengeByGame(run.taskId, keccak256("0x01"), floor - 1n, INPUT))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerChallengeBondTooLow")
      .withArgs(floor - 1n, floor);
    await expect(m.settleGame(run.taskId))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerWrongPhase")
      .withArgs(run.taskId, Phase.Challengeable, IN_GAME);
    await expect(m.defendGame(run.taskId, 0))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerWrongPhase")
      .withArgs(run.taskId, Phase.Challengeable, IN_GAME);

    await challengeByGame(sys, run, who, keccak256("0x01"));
    const records = await allRecords(sys, run.taskId);
    const r = records[0]!;
    await expect(sys.manager.connect(who).defendGame(run.taskId, r.index))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerNotSeatHolder")
      .withArgs(run.taskId, r.index, who.address, r.member);

    // A task without a verifier (the game contract knows none for its program) cannot be challenged by a game.
    const plain = await openTask(sys, ethers, networkHelpers, { input: INPUT });
    await advance(plain, roles({ rest: reveal(RIGHT) }), { stopAt: [Phase.Challengeable] });
    await expect(m.challengeByGame(plain.taskId, keccak256("0x01"), floor, INPUT))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerGameUnavailable")
      .withArgs(plain.taskId, (await plain.info()).programId);
  });

  it("refuses a defender that revealed another result, and a game after the window closed", async () => {
    const { sys } = await fixture();
    const OTHER = keccak256("0x0bad");
    // Two records reveal another result; the rest (a quorum) the right one.
    const run = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input: INPUT });
    await advance(run, roles({ special: [reveal(OTHER)], rest: reveal(RIGHT), restQuorum: true }), {
      stopAt: [Phase.Challengeable],
    });
    const info = await run.info();
    await run.mineAfter(info.challengeDeadline);
    const floor = (await sys.manager.taskGameOf(run.taskId)).gameBondFloor;
    await expect(sys.manager.connect(sys.challengers[0]!).challengeByGame(run.taskId, OTHER, floor, INPUT))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerChallengeWindowClosed")
      .withArgs(run.taskId, info.challengeDeadline, info.challengeDeadline + 2n);

    const second = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input: INPUT });
    await advance(second, roles({ special: [reveal(OTHER)], rest: reveal(RIGHT), restQuorum: true }), {
      stopAt: [Phase.Challengeable],
    });
    await challengeByGame(sys, second, sys.challengers[0]!, OTHER);
    const [odd] = await revealers(sys, second, OTHER);
    await expect(sys.manager.connect(await sys.signerFor(odd!.member)).defendGame(second.taskId, odd!.index))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerNotProposedResult")
      .withArgs(second.taskId, odd!.index, OTHER, RIGHT);
  });

  it("sets the game contract once, by the admin only", async () => {
    const { sys, game } = await fixture();
    expect(await sys.manager.bisectionGame()).to.equal(await game.getAddress());
    await expect(sys.manager.connect(sys.admin).setBisectionGame(sys.admin.address))
      .to.be.revertedWithCustomError(sys.manager, "TaskManagerBisectionGameAlreadySet")
      .withArgs(await game.getAddress());
    await expect(sys.manager.connect(sys.keeper).setBisectionGame(sys.admin.address)).to.be.revertedWithCustomError(
      sys.manager,
      "AccessControlUnauthorizedAccount",
    );
    const fresh = await deployDisputeSystem(ethers, networkHelpers, { stakes: STAKES.slice(0, 6), challengers: 0 });
    await expect(fresh.manager.connect(fresh.admin).setBisectionGame(ZeroAddress)).to.be.revertedWithCustomError(
      fresh.manager,
      "TaskManagerZeroAddress",
    );
    await expect(fresh.manager.connect(fresh.admin).setBisectionGame(await game.getAddress()))
      .to.emit(fresh.manager, "BisectionGameSet")
      .withArgs(await game.getAddress());
  });

  it("leaves tasks of programs without a verifier exactly as before: a committee challenge still escalates", async () => {
    const { sys } = await fixture();
    const run = await openTask(sys, ethers, networkHelpers, { input: INPUT });
    expect((await sys.manager.taskGameOf(run.taskId)).verifier).to.equal(ZeroAddress);
    await advance(run, roles({ rest: reveal(keccak256("0x0bad")) }), { stopAt: [Phase.Challengeable] });
    const { events } = await challenge(run, sys.challengers[0]!, RIGHT);
    expect(events.some((e) => e.name === "Challenged")).to.equal(true);
  });
});
