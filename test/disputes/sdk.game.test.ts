import type { Signer } from "ethers";
import { expect } from "chai";
import { keccak256 } from "ethers";
import { network } from "hardhat";

import { ContractRevertError, createCohort, type Cohort } from "../../sdk/src/index.js";
import { encodeInput, randomState } from "../../sdk/src/domain/particles/index.js";
import {
  challengeByGame,
  createGameClient,
  defendGame,
  type GameClient,
  getGameChallenge,
  getTaskGame,
  NoBisectionGameError,
  particleTrace,
  playGame,
  Resolution,
  settleGame,
  Side,
  type Trace,
} from "../../sdk/src/game/index.js";
import { type DisputeSystem, advance, deployDisputeSystem, openTask, reveal, roles } from "../helpers/disputes.js";
import { Phase } from "../helpers/tasks.js";
import { particlesWasm } from "../programs/helpers/particlesWasm.js";
import { lyingTrace } from "./helpers/players.js";

/**
 * The SDK side of the game (`sdk/src/game`): a watchtower's client challenges a wrong result with a game and plays it
 * to the end with `playGame`, against a defender played by the same player code with a lying trace, and against one
 * that stops answering; the refusals of the manager, the game and the verifier come back decoded by name.
 */
const { ethers, networkHelpers } = await network.create({ override: { accounts: { count: 24 } } });

const PROGRAM_ID = keccak256(particlesWasm());
const STAKES = [300n, 280n, 260n, 240n, 220n, 200n, 180n, 160n, 140n, 120n, 110n, 100n];
const INPUT = encodeInput(randomState(9, { particles: 20, radius: 12, clustering: 0.7, borders: 0b1000 }), 40);
const truth = particleTrace(INPUT);
const RIGHT = truth.hashAt(40);

async function deploy() {
  const sys = await deployDisputeSystem(ethers, networkHelpers, {
    stakes: STAKES,
    challengers: 2,
    unbondingPeriod: 5_000n,
  });
  const game = await ethers.deployContract("BisectionGame", [sys.admin.address, 30, 5]);
  const verifier = await ethers.deployContract("ParticleStepVerifier", [PROGRAM_ID]);
  await (await game.connect(sys.admin).setVerifier(PROGRAM_ID, await verifier.getAddress())).wait();
  await (await sys.manager.connect(sys.admin).setBisectionGame(await game.getAddress())).wait();
  return { sys };
}

async function gameClientOf(sys: DisputeSystem, signer: Signer): Promise<{ cohort: Cohort; client: GameClient }> {
  const cohort = await createCohort({ provider: ethers.provider, signer, taskManager: await sys.manager.getAddress() });
  return { cohort, client: await createGameClient(cohort) };
}

/** The committee reveals `result`; returns the task and one revealer's address. */
async function proposed(sys: DisputeSystem, result: string, input = INPUT) {
  const run = await openTask(sys, ethers, networkHelpers, { programId: PROGRAM_ID, input });
  await advance(run, roles({ rest: reveal(result) }), { stopAt: [Phase.Challengeable] });
  const info = await run.info();
  const member = (await sys.manager.recordOf(run.taskId, info.round, 0)).member;
  return { run, member };
}

// Both players run at once on an automining node: a player with nothing to send mines one block and looks again.
const mineOne = async () => await networkHelpers.mine(1);

describe("SDK: the bisection game", () => {
  it("a watchtower challenges a wrong result and wins the game it plays; the result is replaced", async () => {
    const { sys } = await networkHelpers.loadFixture(deploy);
    const liar: Trace = lyingTrace(truth, (i) => i >= 31);
    const { run, member } = await proposed(sys, liar.hashAt(40));
    const watchtower = await gameClientOf(sys, sys.challengers[0]!);
    const defender = await gameClientOf(sys, await sys.signerFor(member));

    const opened = await challengeByGame(watchtower.client, { taskId: run.taskId, claimedResult: RIGHT, input: INPUT });
    expect([opened.game, opened.gameId]).to.eql([1n, 1n]);
    expect(opened.bond).to.equal((await getGameChallenge(watchtower.client, { taskId: run.taskId, game: 1n })).bond);
    await defendGame(defender.client, { taskId: run.taskId });
    expect((await getGameChallenge(watchtower.client, { taskId: run.taskId, game: 1n })).defender).to.equal(member);

    const [w, d] = await Promise.all([
      playGame(watchtower.client, { gameId: 1n, side: Side.Challenger, trace: truth, wait: mineOne }),
      playGame(defender.client, { gameId: 1n, side: Side.Defender, trace: liar, wait: mineOne }),
    ]);
    expect([w.winner, w.resolution]).to.eql([Side.Challenger, Resolution.OneStep]);
    expect(d.winner).to.equal(Side.Challenger);
    // Each move was sent by the side whose turn it was: the defender's and the challenger's alternate.
    const moves = [...w.actions, ...d.actions].filter((a) => a.kind === "move");
    expect(moves.length).to.be.within(1, Math.ceil(Math.log2(40)) + 1);

    const settled = await settleGame(watchtower.client, { taskId: run.taskId });
    expect(settled.events.map((e) => e.name)).to.include.members(["MemberPenalized", "GameSettled"]);
    expect((await run.info()).proposedResult).to.equal(RIGHT);
    expect((await getTaskGame(watchtower.client, { taskId: run.taskId })).topGame).to.equal(1n);
  });

  it("a player wins by timeout against a defender that stops answering", async () => {
    const { sys } = await networkHelpers.loadFixture(deploy);
    const { run, member } = await proposed(sys, keccak256("0x0bad"));
    const watchtower = await gameClientOf(sys, sys.challengers[1]!);
    const defender = await gameClientOf(sys, await sys.signerFor(member));
    const { gameId } = await challengeByGame(watchtower.client, {
      taskId: run.taskId,
      claimedResult: RIGHT,
      input: INPUT,
    });
    await defendGame(defender.client, { taskId: run.taskId });
    const played = await playGame(watchtower.client, { gameId, side: Side.Challenger, trace: truth, wait: mineOne });
    expect([played.winner, played.resolution]).to.eql([Side.Challenger, Resolution.Timeout]);
    expect(played.actions.map((a) => a.kind)).to.eql(["timeout"]);
  });

  it("decodes refusals of the manager, the game and the verifier by name, and sends nothing", async () => {
    const { sys } = await networkHelpers.loadFixture(deploy);
    const { run } = await proposed(sys, keccak256("0x0bad"));
    const watchtower = await gameClientOf(sys, sys.challengers[0]!);
    const nonce = await ethers.provider.getTransactionCount(sys.challengers[0]!.address);
    const refused = async (promise: Promise<unknown>, name: string) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).to.equal(name);
    };
    await refused(
      challengeByGame(watchtower.client, { taskId: run.taskId, claimedResult: RIGHT, input: "0x1234" }),
      "TaskManagerInputHashMismatch",
    );
    // A region above the verifier's bound: the verifier's own error, through the game and the manager.
    const big = encodeInput(randomState(3, { particles: 129 }), 2);
    const { run: large } = await proposed(sys, keccak256("0x0bad"), big);
    await refused(
      challengeByGame(watchtower.client, { taskId: large.taskId, claimedResult: RIGHT, input: big }),
      "ParticleStepVerifierRegionTooLarge",
    );
    expect(await ethers.provider.getTransactionCount(sys.challengers[0]!.address)).to.equal(nonce);
  });

  it("refuses a game client for a deployment without a bisection game", async () => {
    const sys = await deployDisputeSystem(ethers, networkHelpers, { stakes: STAKES.slice(0, 6), challengers: 0 });
    const cohort = await createCohort({
      provider: ethers.provider,
      signer: sys.admin,
      taskManager: await sys.manager.getAddress(),
    });
    const error = await createGameClient(cohort).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(NoBisectionGameError);
  });
});
