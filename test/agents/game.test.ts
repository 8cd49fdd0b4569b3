import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { expect } from "chai";
import { keccak256, type Signer } from "ethers";
import { network } from "hardhat";
import { pino } from "pino";

import { ContractRevertError, createCohort } from "../../sdk/src/index.js";
import { encodeInput, randomState } from "../../sdk/src/domain/particles/index.js";
import {
  challengeByGame,
  createGameClient,
  defendGame,
  GAME_RACE_ERRORS,
  move,
  planMove,
  type GameClient,
  getGame,
  getGameChallenge,
  particleTrace,
  playGame,
  Resolution,
  Side,
  type Trace,
} from "../../sdk/src/game/index.js";
import { WatchtowerAgent } from "../../sdk/src/watchtower/agent.js";
import { WorkerAgent } from "../../sdk/src/worker/agent.js";
import {
  type DisputeSystem,
  Outcome,
  Reason,
  advance,
  deployDisputeSystem,
  expectManagerBalanced,
  openTask,
  reveal,
  roles,
  taskEvents,
} from "../helpers/disputes.js";
import { Phase, RecordStatus } from "../helpers/tasks.js";
import { lyingTrace } from "../disputes/helpers/players.js";
import { expectNoDuplicateActions } from "./helpers/checks.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { keyOf } from "./helpers/system.js";
import { sleep, waitUntil } from "./helpers/wait.js";

/**
 * Full bisection games played by the agents (issue 7): the watchtower agent against a defender that lies about the
 * final state, a colluding pair that throws a game with a correct final state and a made-up intermediate trace (the
 * watchtower overturns the thrown result), and a defender that stops answering; the worker agent against a challenger
 * that lies. The cheaters are scripted with the SDK's game actions and player; the honest side is always the agent.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const silent = () => pino({ level: process.env.AGENT_LOG ?? "silent" });
const TICKS = 40;
const INPUT = encodeInput(randomState(9, { particles: 20, radius: 12, clustering: 0.7, borders: 0b1000 }), TICKS);
const truth = particleTrace(INPUT);
const RIGHT = truth.hashAt(TICKS);
/** Each side's clock and the least time per turn, in blocks (250 ms blocks: 10 s and 2 s). */
const CLOCK = 40;
const EXTENSION = 8;
const BLOCK_MS = 250;
const WINDOWS = { seats: 1n, quorum: 1n, commitBlocks: 20n, revealBlocks: 20n, challengeBlocks: 40n };

interface GameWorld {
  node: HardhatNode;
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
  sys: DisputeSystem;
  programId: string;
  programPath: string;
  dir: string;
  keyFor(address: string): string;
  client(signer: Signer): Promise<GameClient>;
}

/** A dispute system on a fresh `hardhat node` with the bisection game and the particle verifier wired in. */
async function gameWorld(stakes: bigint[], challengers: number): Promise<GameWorld> {
  const node = await startNode();
  const { ethers, networkHelpers: helpers } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const dir = mkdtempSync(path.join(tmpdir(), "cohort-game-"));
  const programPath = path.join(dir, "particles.wasm");
  copyFileSync(path.join(ROOT, "programs/particles/build/particles.wasm"), programPath);
  const programId = keccak256(readFileSync(programPath));
  const sys = await deployDisputeSystem(ethers, helpers, { stakes, challengers, unbondingPeriod: 5_000n });
  const game = await ethers.deployContract("BisectionGame", [sys.admin.address, CLOCK, EXTENSION]);
  const verifier = await ethers.deployContract("ParticleStepVerifier", [programId]);
  await (await game.connect(sys.admin).setVerifier(programId, await verifier.getAddress())).wait();
  await (await sys.manager.connect(sys.admin).setBisectionGame(await game.getAddress())).wait();
  const accounts = (await node.rpc<string[]>("eth_accounts")).map((a) => a.toLowerCase());
  const manager = await sys.manager.getAddress();
  return {
    node,
    ethers,
    helpers,
    sys,
    programId,
    programPath,
    dir,
    keyFor: (address) => keyOf(accounts.indexOf(address.toLowerCase())),
    client: async (signer) =>
      await createGameClient(await createCohort({ provider: ethers.provider, signer, taskManager: manager })),
  };
}

function agentConfig(w: GameWorld, store: string, address: string, extra: Record<string, unknown> = {}) {
  return {
    rpcUrls: [w.node.url],
    privateKey: w.keyFor(address),
    taskManager: w.sys.manager.target as string,
    store: path.join(w.dir, store),
    confirmations: 1,
    pollIntervalMs: 100,
    rpcTimeoutMs: 5_000,
    programs: { [w.programId]: w.programPath },
    shutdownTimeoutMs: 10_000,
    ...extra,
  };
}

async function phaseOf(w: GameWorld, taskId: bigint): Promise<number> {
  return Number(await w.sys.manager.phaseOf(taskId));
}

const events = async (w: GameWorld, taskId: bigint, name: string) =>
  (await taskEvents(w.sys, w.ethers.provider, taskId)).filter((e) => e.name === name);

/** Waits for game challenge `game` of a task and returns its record. */
async function gameOpened(w: GameWorld, taskId: bigint, game: bigint) {
  return await waitUntil(`game ${game} of task ${taskId}`, async () => {
    const opened = (await events(w, taskId, "GameChallenged")).find((e) => e.args.game === game);
    return opened === undefined ? undefined : opened.args;
  });
}

async function finalized(w: GameWorld, taskId: bigint) {
  await waitUntil(
    `task ${taskId} finalized`,
    async () => ((await phaseOf(w, taskId)) === Phase.Finalized ? true : undefined),
    180_000,
  );
}

/** The penalties of `member` on a task, by reason, and the stake they took. */
async function penaltiesOf(w: GameWorld, taskId: bigint, member: string) {
  const penalized = (await events(w, taskId, "MemberPenalized")).filter((e) => e.args.member === member);
  return {
    reasons: penalized.map((e) => e.args.reason as bigint),
    slashed: penalized.reduce((a, e) => a + (e.args.slashed as bigint), 0n),
  };
}

const wait = async (): Promise<void> => {
  await sleep(BLOCK_MS);
};

/**
 * A cheater's play: the moves its (lying) trace gives, never the one-step proof (it would show the lie) and never
 * a timeout; it returns when the game has ended, however.
 */
async function playLiar(client: GameClient, gameId: bigint, side: Side, trace: Trace): Promise<number> {
  let moves = 0;
  for (let round = 0; round < 2_000; round++) {
    const game = await getGame(client, { gameId });
    if (Number(game.winner) !== Side.None) return moves;
    const block = BigInt(await client.cohort.provider.getBlockNumber()) + 1n;
    const plan = planMove(game, side, trace, block);
    if (plan.kind === "move") {
      try {
        await move(client, { gameId, answer: plan.answer, next: plan.next });
        moves++;
        continue;
      } catch (error) {
        if (!(error instanceof ContractRevertError && GAME_RACE_ERRORS.has(error.errorName))) throw error;
      }
    }
    await wait();
  }
  throw new Error(`game ${gameId} did not end`);
}

describe("agents: the watchtower plays bisection games against cheating defenders", function () {
  let w: GameWorld;
  let watchtower: WatchtowerAgent;
  let liar: string;
  let accomplice: Signer;
  /** Each task's creation block. */
  const run0 = new Map<bigint, bigint>();

  before(async function () {
    // One staker, the cheating member: every 1-seat committee is its (no draw is assumed, there is one candidate).
    w = await gameWorld([400n], 2);
    liar = w.sys.workers[0]!.address;
    accomplice = w.sys.challengers[1]!;
    watchtower = new WatchtowerAgent(agentConfig(w, "watchtower.sqlite", w.sys.challengers[0]!.address), {
      logger: silent(),
    });
    await watchtower.start();
    await w.node.rpc("evm_setIntervalMining", [BLOCK_MS]);
  });

  after(async function () {
    await watchtower?.stop("test over");
    await w?.node.stop();
  });

  /** A task whose committee (the liar) proposed `result`; returns once its window is open. */
  async function proposed(result: string) {
    const run = await openTask(w.sys, w.ethers, w.helpers, { programId: w.programId, input: INPUT, ...WINDOWS });
    run0.set(run.taskId, run.created);
    await advance(run, roles({ rest: reveal(result) }), { stopAt: [Phase.Challengeable] });
    return run;
  }

  /** What every won game of the watchtower leaves: its credit claimed, bond back and more; rule 1. */
  async function expectWatchtowerPaid(taskId: bigint, game: bigint, balanceBefore: bigint) {
    const me = w.sys.challengers[0]!.address;
    const challenge = await w.sys.manager.gameChallengeOf(taskId, game);
    expect(challenge.challenger).to.equal(me);
    expect(challenge.outcome).to.equal(Outcome.Won);
    expect(challenge.payout).to.be.greaterThan(challenge.bond);
    // Its credit from the task: the game payout (bond and bounty) and, as no seat's revealed result counts after a
    // lost defence, the honest pot. All of it is claimed, and its wallet moved by exactly that less the bond.
    const credited = (await w.sys.manager.queryFilter(w.sys.manager.filters.Credited(me)))
      .filter((e) => e.blockNumber >= Number(run0.get(taskId)))
      .reduce((a, e) => a + e.args.amount, 0n);
    expect(credited).to.be.greaterThanOrEqual(challenge.payout);
    await waitUntil("the watchtower's credit claimed", async () =>
      (await w.sys.manager.creditOf(me)) === 0n && (await w.sys.token.balanceOf(me)) !== balanceBefore
        ? true
        : undefined,
    );
    expect((await w.sys.token.balanceOf(me)) - balanceBefore).to.equal(credited - challenge.bond);
    await expectManagerBalanced(w.sys);
  }

  it("(a) a wrong final state: the game ends at the last step, the watchtower proves it and the liar is slashed", async function () {
    const wrongEnd = lyingTrace(truth, (i) => i === TICKS);
    const balance = await w.sys.token.balanceOf(w.sys.challengers[0]!.address);
    const stake = (await w.sys.pool.stakeOf(liar)).active;
    const run = await proposed(wrongEnd.hashAt(TICKS));
    const opened = await gameOpened(w, run.taskId, 1n);
    expect([opened.challenger, opened.claimedResult, opened.defendedResult]).to.eql([
      w.sys.challengers[0]!.address,
      RIGHT,
      wrongEnd.hashAt(TICKS),
    ]);
    const liarClient = await w.client(await w.sys.signerFor(liar));
    await defendGame(liarClient, { taskId: run.taskId });
    const moved = await playLiar(liarClient, opened.gameId as bigint, Side.Defender, wrongEnd);
    expect(moved).to.be.within(1, Math.ceil(Math.log2(TICKS)));
    const game = await getGame(liarClient, { gameId: opened.gameId as bigint });
    expect([Number(game.winner), Number(game.resolution)]).to.eql([Side.Challenger, Resolution.OneStep]);
    // The liar's trace is true up to its last hash: the bisection lands on the last step.
    expect([game.lo, game.hi]).to.eql([BigInt(TICKS - 1), BigInt(TICKS)]);
    // The liar never proves: the watchtower did.
    const proof = (await w.ethers.provider.getLogs({ address: liarClient.address, fromBlock: 0 })).map((l) =>
      liarClient.game.interface.parseLog(l),
    );
    const proven = proof.find((p) => p?.name === "StepProven" && p.args.gameId === opened.gameId);
    expect(proven?.args.prover, "the watchtower sent the one-step proof").to.equal(w.sys.challengers[0]!.address);

    await finalized(w, run.taskId);
    const info = await run.info();
    expect(info.proposedResult).to.equal(RIGHT);
    const settled = await events(w, run.taskId, "GameSettled");
    expect(settled.map((e) => [e.args.game, e.args.winner, e.args.loser])).to.eql([[1n, 2n, liar]]);
    const penalties = await penaltiesOf(w, run.taskId, liar);
    expect(penalties.reasons).to.include(Reason.LostGame);
    expect(penalties.slashed).to.be.greaterThan(0n);
    expect((await w.sys.pool.stakeOf(liar)).active).to.equal(stake - penalties.slashed);
    expect(Number((await w.sys.manager.recordOf(run.taskId, 0n, 0n)).status)).to.equal(RecordStatus.Lost);
    await expectWatchtowerPaid(run.taskId, 1n, balance);
    expectNoDuplicateActions([watchtower.store]);
  });

  it("(b) a correct final state with a made-up trace throws a game; the watchtower overturns the thrown result", async function () {
    // The member reveals the right result, then throws the game its accomplice opens against it: its intermediate
    // hashes are made up (its final one is true). The accomplice's trace is true but for its final hash.
    const lazy = lyingTrace(truth, (i) => i > 0 && i < TICKS, "lazy");
    const wrongEnd = lyingTrace(truth, (i) => i === TICKS);
    const balance = await w.sys.token.balanceOf(w.sys.challengers[0]!.address);
    const accompliceBalance = await w.sys.token.balanceOf(await accomplice.getAddress());
    const run = await proposed(RIGHT);
    const member = await w.client(await w.sys.signerFor(liar));
    const thrower = await w.client(accomplice);
    const thrown = await challengeByGame(thrower, {
      taskId: run.taskId,
      claimedResult: wrongEnd.hashAt(TICKS),
      input: INPUT,
    });
    await defendGame(member, { taskId: run.taskId });
    const [first] = await Promise.all([
      playGame(thrower, { gameId: thrown.gameId, side: Side.Challenger, trace: wrongEnd, wait }),
      playGame(member, { gameId: thrown.gameId, side: Side.Defender, trace: lazy, wait }),
    ]);
    expect([first.winner, first.resolution]).to.eql([Side.Challenger, Resolution.OneStep]);
    // The first made-up hash is the first step: the correct final state did not save the made-up trace.
    expect((await getGame(member, { gameId: thrown.gameId })).lo).to.equal(0n);

    // Someone settles the thrown game (the accomplice); the wrong claim is proposed, and the watchtower challenges it
    // by the only way left (a game result), against the accomplice, now its defender.
    await (await w.sys.manager.connect(accomplice).settleGame(run.taskId)).wait();
    expect((await run.info()).proposedResult).to.equal(wrongEnd.hashAt(TICKS));
    const second = await gameOpened(w, run.taskId, 2n);
    expect([second.challenger, second.defender, second.claimedResult]).to.eql([
      w.sys.challengers[0]!.address,
      await accomplice.getAddress(),
      RIGHT,
    ]);
    await playLiar(thrower, second.gameId as bigint, Side.Defender, wrongEnd);
    const overturned = await getGame(thrower, { gameId: second.gameId as bigint });
    expect([Number(overturned.winner), Number(overturned.resolution)]).to.eql([Side.Challenger, Resolution.OneStep]);

    await finalized(w, run.taskId);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    const settled = await events(w, run.taskId, "GameSettled");
    expect(settled.map((e) => [e.args.game, e.args.winner])).to.eql([
      [1n, 2n],
      [2n, 2n],
    ]);
    // The throw cost the member its slash and the accomplice its bond (forfeited, not paid to anyone who threw).
    expect((await penaltiesOf(w, run.taskId, liar)).reasons).to.include(Reason.LostGame);
    const forfeited = await getGameChallenge(thrower, { taskId: run.taskId, game: 1n });
    expect(forfeited.outcome).to.equal(Outcome.Lost);
    expect(forfeited.payout).to.equal(0n);
    expect((await w.sys.token.balanceOf(await accomplice.getAddress())) - accompliceBalance).to.equal(-thrown.bond);
    await expectWatchtowerPaid(run.taskId, 2n, balance);
    expectNoDuplicateActions([watchtower.store]);
  });

  it("a watchtower restarted in the middle of a game carries on from its store and the chain, sending nothing twice", async function () {
    const wrongEnd = lyingTrace(truth, (i) => i === TICKS);
    const balance = await w.sys.token.balanceOf(w.sys.challengers[0]!.address);
    const run = await proposed(wrongEnd.hashAt(TICKS));
    const opened = await gameOpened(w, run.taskId, 1n);
    const gameId = opened.gameId as bigint;
    const liarClient = await w.client(await w.sys.signerFor(liar));
    await defendGame(liarClient, { taskId: run.taskId });
    const restart = (async () => {
      // Once the watchtower has answered at least once, it is stopped and a new process takes its store.
      await waitUntil("the watchtower's first move", async () =>
        (await getGame(liarClient, { gameId })).moves >= 2n ? true : undefined,
      );
      await watchtower.stop("restart");
      watchtower = new WatchtowerAgent(agentConfig(w, "watchtower.sqlite", w.sys.challengers[0]!.address), {
        logger: silent(),
      });
      await watchtower.start();
    })();
    await playLiar(liarClient, gameId, Side.Defender, wrongEnd);
    await restart;
    const game = await getGame(liarClient, { gameId });
    expect([Number(game.winner), Number(game.resolution)]).to.eql([Side.Challenger, Resolution.OneStep]);
    await finalized(w, run.taskId);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    await expectWatchtowerPaid(run.taskId, 1n, balance);
    // Moves on both sides of the restart, each key once; the stored game knows how it ended.
    const moves = watchtower.store.txs.all().filter((t) => t.taskId === run.taskId && t.label === "move");
    expect(moves.length).to.be.at.least(2);
    expect(new Set(moves.map((t) => t.key)).size).to.equal(moves.length);
    expect(watchtower.store.games.get(run.taskId, 1n)).to.include({
      side: "challenger",
      status: "ended",
      winner: Side.Challenger,
    });
    expectNoDuplicateActions([watchtower.store]);
  });

  it("(c) a defender that stops answering loses by the timeout the watchtower calls", async function () {
    const balance = await w.sys.token.balanceOf(w.sys.challengers[0]!.address);
    const stake = (await w.sys.pool.stakeOf(liar)).active;
    const run = await proposed(keccak256("0x0bad"));
    const opened = await gameOpened(w, run.taskId, 1n);
    await defendGame(await w.client(await w.sys.signerFor(liar)), { taskId: run.taskId });
    await finalized(w, run.taskId);
    const game = await w.sys.manager.gameChallengeOf(run.taskId, 1n);
    expect(game.defender).to.equal(liar);
    const client = await w.client(w.sys.challengers[0]!);
    const state = await getGame(client, { gameId: opened.gameId as bigint });
    expect([Number(state.winner), Number(state.resolution), state.moves]).to.eql([
      Side.Challenger,
      Resolution.Timeout,
      0n,
    ]);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    const penalties = await penaltiesOf(w, run.taskId, liar);
    expect(penalties.reasons).to.include(Reason.LostGame);
    expect((await w.sys.pool.stakeOf(liar)).active).to.equal(stake - penalties.slashed);
    await expectWatchtowerPaid(run.taskId, 1n, balance);
    const timeouts = watchtower.store.txs
      .all()
      .filter((t) => t.label === "timeoutGame" && t.taskId === run.taskId && t.receiptStatus === 1);
    expect(timeouts).to.have.length(1);
  });
});

describe("agents: the worker defends its result against a lying challenger", function () {
  let w: GameWorld;
  let worker: WorkerAgent;

  before(async function () {
    // One staker, the honest worker agent: it sits on every committee, computes, commits, reveals, defends.
    w = await gameWorld([400n], 1);
    worker = new WorkerAgent(agentConfig(w, "worker.sqlite", w.sys.workers[0]!.address), { logger: silent() });
    await worker.start();
    await w.node.rpc("evm_setIntervalMining", [BLOCK_MS]);
  });

  after(async function () {
    await worker?.stop("test over");
    await w?.node.stop();
  });

  it("(d) defends, wins the game, keeps its stake and is paid the liar's bond", async function () {
    const me = w.sys.workers[0]!.address;
    const liar = w.sys.challengers[0]!;
    const lie = lyingTrace(truth, (i) => i >= TICKS / 2);
    const stake = (await w.sys.pool.stakeOf(me)).active;
    const liarBalance = await w.sys.token.balanceOf(liar.address);
    const workerBalance = await w.sys.token.balanceOf(me);
    const run = await openTask(w.sys, w.ethers, w.helpers, { programId: w.programId, input: INPUT, ...WINDOWS });
    await waitUntil(
      "the worker's result proposed",
      async () => ((await phaseOf(w, run.taskId)) === Phase.Challengeable ? true : undefined),
      90_000,
    );
    expect((await run.info()).proposedResult).to.equal(RIGHT);

    const client = await w.client(liar);
    const opened = await challengeByGame(client, {
      taskId: run.taskId,
      claimedResult: lie.hashAt(TICKS),
      input: INPUT,
    });
    const played = await playGame(client, { gameId: opened.gameId, side: Side.Challenger, trace: lie, wait });
    expect([played.winner, played.resolution]).to.eql([Side.Defender, Resolution.OneStep]);
    const challenge = await getGameChallenge(client, { taskId: run.taskId, game: 1n });
    expect(challenge.defender, "the worker took the defence").to.equal(me);
    const game = await getGame(client, { gameId: opened.gameId });
    // The lie starts at the middle: the bisection lands on the step into it.
    expect([game.lo, game.hi]).to.eql([BigInt(TICKS / 2 - 1), BigInt(TICKS / 2)]);

    await finalized(w, run.taskId);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    const lost = (await events(w, run.taskId, "GameChallengeSettled")).map((e) => [
      e.args.game,
      e.args.outcome,
      e.args.payout,
    ]);
    expect(lost).to.eql([[1n, Outcome.Lost, 0n]]);
    const credited = (await events(w, run.taskId, "GameSettled")).map((e) => [e.args.winner, e.args.loser]);
    expect(credited).to.eql([[1n, liar.address]]);
    // The worker claims its reward and the liar's bond; its stake is untouched.
    await waitUntil("the worker's reward and credit claimed", async () => {
      const record = await w.sys.manager.recordOf(run.taskId, 0n, 0n);
      return Number(record.status) === RecordStatus.Claimed && (await w.sys.manager.creditOf(me)) === 0n
        ? true
        : undefined;
    });
    const reward = (await events(w, run.taskId, "RewardClaimed")).reduce((a, e) => a + (e.args.amount as bigint), 0n);
    expect((await w.sys.token.balanceOf(me)) - workerBalance).to.equal(reward + opened.bond);
    expect((await w.sys.token.balanceOf(liar.address)) - liarBalance).to.equal(-opened.bond);
    expect((await w.sys.pool.stakeOf(me)).active).to.equal(stake);
    expect(await penaltiesOf(w, run.taskId, me)).to.eql({ reasons: [], slashed: 0n });
    await expectManagerBalanced(w.sys);
    expectNoDuplicateActions([worker.store]);
    const moves = worker.store.txs.all().filter((t) => t.label === "move" && t.receiptStatus === 1);
    expect(moves.length).to.be.within(1, Math.ceil(Math.log2(TICKS)) + 1);
  });
});

describe("agents: the watchtower falls back to an escalation when the game refuses a task", function () {
  /** A region over the verifier's bound (`MAX_STEP_PARTICLES`, 128): no one-step proof of it fits a transaction. */
  const BIG_TICKS = 8;
  const BIG = encodeInput(
    randomState(11, { particles: 130, radius: 3, width: 256, height: 256, maxSpeed: 6 }),
    BIG_TICKS,
  );
  const BIG_RIGHT = particleTrace(BIG).hashAt(BIG_TICKS);
  const WRONG = keccak256(new TextEncoder().encode("not the program's result"));
  let w: GameWorld;
  let watchtower: WatchtowerAgent;
  const workers: WorkerAgent[] = [];
  const warnings: Record<string, unknown>[] = [];

  before(async function () {
    // Six equal stakers: the escalation round (three seats) is drawn from the five that did not sit in round 0.
    w = await gameWorld([100n, 100n, 100n, 100n, 100n, 100n], 1);
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, unknown>) },
    );
    watchtower = new WatchtowerAgent(agentConfig(w, "watchtower.sqlite", w.sys.challengers[0]!.address), { logger });
    await watchtower.start();
    await w.node.rpc("evm_setIntervalMining", [BLOCK_MS]);
  });

  after(async function () {
    await Promise.all([...workers, watchtower].map(async (a) => await a?.stop("test over")));
    await w?.node.stop();
  });

  it("tries the game, is refused by name, challenges by escalation instead, and the honest round's result is final", async function () {
    const me = w.sys.challengers[0]!.address;
    const balanceBefore = await w.sys.token.balanceOf(me);
    const run = await openTask(w.sys, w.ethers, w.helpers, { programId: w.programId, input: BIG, ...WINDOWS });
    // Round 0 is scripted: whoever the draw seats reveals a wrong result.
    await advance(run, roles({ rest: reveal(WRONG) }), { stopAt: [Phase.Challengeable] });
    const [first] = await w.sys.manager.recordsOf(run.taskId, 0n, 0n, 1n);
    const liar = first!.member;
    // Honest worker agents from here on: the escalation round's members commit and reveal the program's result.
    for (const [i, s] of w.sys.workers.entries()) {
      const agent = new WorkerAgent(agentConfig(w, `worker-${i}.sqlite`, s.address), { logger: silent() });
      await agent.start();
      workers.push(agent);
    }

    await finalized(w, run.taskId);
    const info = await run.info();
    expect(info.proposedResult).to.equal(BIG_RIGHT);
    expect(info.round).to.equal(1n);
    // The game was tried and refused with the verifier's named error; no game was opened.
    const refusal = warnings.find((l) => l.errorName === "ParticleStepVerifierRegionTooLarge");
    expect(refusal, "the refusal is logged by name").to.not.equal(undefined);
    expect(await events(w, run.taskId, "GameChallenged")).to.have.length(0);
    expect(watchtower.gameChallengesSent).to.equal(0);
    // One escalation challenge instead, the watchtower's, claiming the program's result; it won.
    const challenged = await events(w, run.taskId, "Challenged");
    expect(challenged.map((e) => [e.args.challenger, e.args.claimedResult])).to.eql([[me, BIG_RIGHT]]);
    expect(watchtower.challengesSent).to.equal(1);
    const challenge = await w.sys.manager.challengeOf(run.taskId, 1n);
    expect(challenge.outcome).to.equal(Outcome.Won);
    // The liar's record lost and it was slashed for the wrong result.
    expect(Number((await w.sys.manager.recordOf(run.taskId, 0n, 0n)).status)).to.equal(RecordStatus.Lost);
    const penalties = await penaltiesOf(w, run.taskId, liar);
    expect(penalties.reasons).to.eql([Reason.WrongResult]);
    expect(penalties.slashed > 0n).to.equal(true);
    // The watchtower claims its credit (bond and bounty): its wallet gains the bounty.
    await waitUntil("the watchtower's credit claimed", async () =>
      (await w.sys.manager.creditOf(me)) === 0n && (await w.sys.token.balanceOf(me)) > balanceBefore ? true : undefined,
    );
    await expectManagerBalanced(w.sys);
    expectNoDuplicateActions([watchtower.store, ...workers.map((a) => a.store)]);
  });
});
