import { expect } from "chai";
import { type BaseContract, keccak256, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { encodeInput, randomState } from "../../sdk/src/domain/particles/index.js";
import { maxMoves, midOf, particleTrace, planMove, Resolution, Side, type Trace } from "../../sdk/src/game/index.js";
import type { BisectionGame } from "../../types/ethers-contracts/index.js";
import { particlesWasm } from "../programs/helpers/particlesWasm.js";
import { hashChainInput, hashChainTrace, lyingTrace, type Player, playGame } from "./helpers/players.js";

/**
 * The bisection game on its own: full games against each kind of cheater (on the particle world and on a cheap hash
 * chain), the clocks and their extension, timeouts, the registry, and every named error.
 */
const { ethers, networkHelpers } = await network.create();
const [admin, defender, challenger, bystander, stranger] = await ethers.getSigners();

const CLOCK = 40;
const EXTENSION = 8;
const PARTICLES_ID = keccak256(particlesWasm());
const CHAIN_ID = keccak256(new TextEncoder().encode("hash chain"));
const SEED = keccak256(new TextEncoder().encode("seed"));

async function deploy() {
  const game = await ethers.deployContract("BisectionGame", [admin!.address, CLOCK, EXTENSION]);
  const particles = await ethers.deployContract("ParticleStepVerifier", [PARTICLES_ID]);
  const chain = await ethers.deployContract("HashChainStepVerifier", [CHAIN_ID, 2n ** 40n]);
  return { game, particles, chain };
}

const fixture = () => networkHelpers.loadFixture(deploy);

interface Setup {
  verifier: string;
  defender: string;
  challenger: string;
  defenderClaim: string;
  challengerClaim: string;
  clockBlocks: number;
  extensionBlocks: number;
}

async function create(game: BisectionGame, setup: Partial<Setup> & { verifier: string }, input: string | Uint8Array) {
  const full: Setup = {
    defender: defender!.address,
    challenger: challenger!.address,
    defenderClaim: keccak256("0x01"),
    challengerClaim: keccak256("0x02"),
    clockBlocks: CLOCK,
    extensionBlocks: EXTENSION,
    ...setup,
  };
  const gameId = (await game.gameCount()) + 1n;
  const tx = await game.createGame(full, input);
  return { gameId, tx };
}

/** A game between `defenderTrace` and `challengerTrace`, each claiming its own final hash. */
async function gameBetween(
  game: BisectionGame,
  verifier: BaseContract,
  input: string | Uint8Array,
  d: Trace,
  c: Trace,
) {
  return await create(
    game,
    { verifier: await verifier.getAddress(), defenderClaim: d.hashAt(d.steps), challengerClaim: c.hashAt(c.steps) },
    input,
  );
}

const players = (d: Trace, dp: Player["policy"], c: Trace, cp: Player["policy"]): Player[] => [
  { signer: defender!, side: Side.Defender, trace: d, policy: dp },
  { signer: challenger!, side: Side.Challenger, trace: c, policy: cp },
];

describe("BisectionGame", () => {
  describe("full games on the particle world (one tick a step, the Solidity verifier at the end)", () => {
    const state = randomState(11, { particles: 24, radius: 12, borders: 0b0101, clustering: 0.7 });
    const ticks = 37;
    const input = encodeInput(state, ticks);
    const truth = particleTrace(input);

    it("an honest challenger beats a defender that claims a wrong final state", async () => {
      const { game, particles } = await fixture();
      const liar = lyingTrace(truth, (i) => i >= 29);
      const { gameId, tx } = await gameBetween(game, particles, input, liar, truth);
      await expect(tx)
        .to.emit(game, "GameCreated")
        .withArgs(
          gameId,
          admin!.address,
          await particles.getAddress(),
          defender!.address,
          challenger!.address,
          truth.hashAt(0),
          ticks,
          liar.hashAt(ticks),
          truth.hashAt(ticks),
          CLOCK,
          EXTENSION,
        );
      const played = await playGame(ethers, networkHelpers, game, gameId, players(liar, "liar", truth, "honest"));
      expect(played.view.winner).to.equal(BigInt(Side.Challenger));
      expect(played.view.resolution).to.equal(BigInt(Resolution.OneStep));
      // The one step the verifier ran is the first the liar got wrong: 28 -> 29.
      expect([played.view.lo, played.view.hi]).to.eql([28n, 29n]);
      expect(played.moveGas.length).to.be.at.most(maxMoves(ticks));
      expect(played.proveGas).to.be.a("bigint");
    });

    it("an honest defender beats a challenger that claims a wrong final state, and the proof names the step", async () => {
      const { game, particles } = await fixture();
      const liar = lyingTrace(truth, (i) => i >= 3);
      const { gameId } = await gameBetween(game, particles, input, truth, liar);
      const played = await playGame(ethers, networkHelpers, game, gameId, players(truth, "honest", liar, "liar"));
      expect(played.view.winner).to.equal(BigInt(Side.Defender));
      expect([played.view.lo, played.view.hi]).to.eql([2n, 3n]);
      const proven = await game.queryFilter(game.filters.StepProven(gameId));
      expect(proven).to.have.length(1);
      expect(proven[0]!.args.slice(2)).to.eql([2n, truth.hashAt(2), truth.hashAt(3), truth.hashAt(3)]);
      const resolved = await game.queryFilter(game.filters.GameResolved(gameId));
      expect(resolved[0]!.args.slice(1)).to.eql([
        BigInt(Side.Defender),
        BigInt(Resolution.OneStep),
        challenger!.address,
      ]);
    });

    it("a correct final state does not save a side whose intermediate trace is wrong", async () => {
      const { game, particles } = await fixture();
      // The defender claims the true result but made its intermediate hashes up; the challenger's trace is true
      // except its final hash (claims must differ). The first disputed step is the defender's: it loses.
      const lazy = lyingTrace(truth, (i) => i > 0 && i < ticks, "lazy");
      const wrongEnd = lyingTrace(truth, (i) => i === ticks);
      const { gameId } = await gameBetween(game, particles, input, lazy, wrongEnd);
      const played = await playGame(ethers, networkHelpers, game, gameId, [
        { signer: defender!, side: Side.Defender, trace: lazy, policy: "liar" },
        { signer: challenger!, side: Side.Challenger, trace: wrongEnd, policy: "honest" },
      ]);
      expect(played.view.defenderHiHash).to.not.equal(truth.hashAt(Number(played.view.hi)));
      expect(played.view.winner).to.equal(BigInt(Side.Challenger));
      expect(played.view.lo).to.equal(0n);
    });

    it("the same holds with the sides swapped: a lazy challenger with the true result loses to a true trace", async () => {
      const { game, particles } = await fixture();
      const lazy = lyingTrace(truth, (i) => i > 0 && i < ticks, "lazy");
      const wrongEnd = lyingTrace(truth, (i) => i === ticks);
      const { gameId } = await gameBetween(game, particles, input, wrongEnd, lazy);
      const played = await playGame(ethers, networkHelpers, game, gameId, [
        { signer: defender!, side: Side.Defender, trace: wrongEnd, policy: "honest" },
        { signer: challenger!, side: Side.Challenger, trace: lazy, policy: "liar" },
      ]);
      expect(played.view.winner).to.equal(BigInt(Side.Defender));
    });
  });

  describe("full games on a long hash chain", () => {
    for (const steps of [1, 2, 3, 1024, 65_536, 1_000_003]) {
      it(`an honest side wins against a liar in at most ceil(log2 T) + 1 moves (T = ${steps})`, async () => {
        const { game, chain } = await fixture();
        const input = hashChainInput(SEED, steps);
        const truth = hashChainTrace(SEED, steps);
        const divergesAt = Math.max(1, Math.floor((steps * 2) / 3));
        const liar = lyingTrace(truth, (i) => i >= divergesAt);
        for (const liarSide of [Side.Defender, Side.Challenger]) {
          const [d, c] = liarSide === Side.Defender ? [liar, truth] : [truth, liar];
          const { gameId } = await gameBetween(game, chain, input, d, c);
          const played = await playGame(
            ethers,
            networkHelpers,
            game,
            gameId,
            players(
              d,
              liarSide === Side.Defender ? "liar" : "honest",
              c,
              liarSide === Side.Challenger ? "liar" : "honest",
            ),
          );
          expect(played.view.winner, `liar as ${liarSide}`).to.equal(BigInt(liarSide === Side.Defender ? 2 : 1));
          expect([played.view.lo, played.view.hi]).to.eql([BigInt(divergesAt - 1), BigInt(divergesAt)]);
          expect(played.view.moves).to.equal(BigInt(played.moveGas.length));
          expect(played.moveGas.length).to.be.at.most(maxMoves(steps));
        }
      });
    }

    it("resolves an empty trace at creation: the claim equal to the start state wins", async () => {
      const { game, chain } = await fixture();
      const truth = hashChainTrace(SEED, 0);
      for (const [claims, winner] of [
        [[truth.hashAt(0), keccak256("0x09")], Side.Defender],
        [[keccak256("0x09"), truth.hashAt(0)], Side.Challenger],
        [[keccak256("0x08"), keccak256("0x09")], Side.Challenger],
      ] as const) {
        const { gameId, tx } = await create(
          game,
          { verifier: await chain.getAddress(), defenderClaim: claims[0], challengerClaim: claims[1] },
          hashChainInput(SEED, 0),
        );
        await expect(tx)
          .to.emit(game, "GameResolved")
          .withArgs(
            gameId,
            winner,
            Resolution.NoSteps,
            winner === Side.Defender ? challenger!.address : defender!.address,
          );
        await expect(game.move(gameId, ZeroHash, ZeroHash))
          .to.be.revertedWithCustomError(game, "BisectionGameAlreadyResolved")
          .withArgs(gameId, winner);
      }
    });
  });

  describe("clocks", () => {
    const steps = 64;
    const truth = hashChainTrace(SEED, steps);
    const liar = lyingTrace(truth, (i) => i >= 40);

    it("a defender that stops answering loses by timeout, which anyone can call once its clock ran out", async () => {
      const { game, chain } = await fixture();
      const { gameId } = await gameBetween(game, chain, hashChainInput(SEED, steps), liar, truth);
      const [side, deadline] = await game.deadlineOf(gameId);
      expect(side).to.equal(BigInt(Side.Defender));
      await networkHelpers.mineUpTo(deadline - 1n);
      // The timeout mined at the deadline itself is still too early.
      await expect(game.connect(bystander!).timeout(gameId))
        .to.be.revertedWithCustomError(game, "BisectionGameClockRunning")
        .withArgs(gameId, Side.Defender, deadline, deadline);
      await networkHelpers.mine(1);
      await expect(game.connect(bystander!).timeout(gameId))
        .to.emit(game, "GameResolved")
        .withArgs(gameId, Side.Challenger, Resolution.Timeout, defender!.address);
      const view = await game.gameOf(gameId);
      expect([view.winner, view.resolution, view.turn]).to.eql([2n, 3n, 0n]);
    });

    it("a challenger that stops answering loses by timeout, and a move after its clock ran out is refused", async () => {
      const { game, chain } = await fixture();
      const { gameId } = await gameBetween(game, chain, hashChainInput(SEED, steps), truth, liar);
      await game.connect(defender!).move(gameId, truth.hashAt(midOf(0, steps)), ZeroHash);
      const [, deadline] = await game.deadlineOf(gameId);
      await networkHelpers.mineUpTo(deadline);
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(32), liar.hashAt(48)))
        .to.be.revertedWithCustomError(game, "BisectionGameClockExpired")
        .withArgs(gameId, Side.Challenger, deadline, deadline + 1n);
      await expect(game.connect(defender!).timeout(gameId))
        .to.emit(game, "GameResolved")
        .withArgs(gameId, Side.Defender, Resolution.Timeout, challenger!.address);
    });

    it("charges each side only its own time, and tops a side up to the extension when its turn starts", async () => {
      const { game, chain } = await fixture();
      const { gameId } = await gameBetween(game, chain, hashChainInput(SEED, steps), truth, liar);
      // The defender thinks 10 blocks (its move is mined in the 11th): 29 of its 40 left.
      await networkHelpers.mine(10);
      await expect(game.connect(defender!).move(gameId, truth.hashAt(32), ZeroHash))
        .to.emit(game, "Moved")
        .withArgs(gameId, Side.Defender, 1, ZeroHash, 0, steps, truth.hashAt(32), CLOCK - 11);
      // The challenger moves at the last block of its clock: 0 left; the defender, at 29, is not topped up.
      const [, deadline] = await game.deadlineOf(gameId);
      await networkHelpers.mineUpTo(deadline - 1n);
      await game.connect(challenger!).move(gameId, liar.hashAt(32), liar.hashAt(48));
      let view = await game.gameOf(gameId);
      expect([view.challengerClock, view.defenderClock]).to.eql([0n, BigInt(CLOCK - 11)]);
      // The defender answers: the challenger's turn starts with 0 left, so it gets the extension.
      await game.connect(defender!).move(gameId, truth.hashAt(48), truth.hashAt(40));
      view = await game.gameOf(gameId);
      expect(view.challengerClock).to.equal(BigInt(EXTENSION));
      const [side, next] = await game.deadlineOf(gameId);
      expect([side, next]).to.eql([BigInt(Side.Challenger), view.turnStart + BigInt(EXTENSION)]);
      // Late moves cannot starve the opponent: the challenger still gets exactly the extension to answer.
      await networkHelpers.mineUpTo(next - 1n);
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(40), liar.hashAt(36)))
        .to.emit(game, "Moved")
        .withArgs(gameId, Side.Challenger, 4, liar.hashAt(40), 32, 40, liar.hashAt(36), 0);
    });

    it("resolves within maxDuration even when both sides use every block of their clocks", async () => {
      const { game, chain } = await fixture();
      const { gameId } = await gameBetween(game, chain, hashChainInput(SEED, steps), liar, truth);
      const created = BigInt(await ethers.provider.getBlockNumber());
      // Each side moves at the last block it may (the slowest game the clocks allow) and nobody proves the last
      // step: the side to move then runs out, and the timeout ends the game.
      const sides = {
        [Side.Defender]: { signer: defender!, trace: liar },
        [Side.Challenger]: { signer: challenger!, trace: truth },
      };
      for (;;) {
        const view = await game.gameOf(gameId);
        const plan = planMove(view, Number(view.turn) as Side, sides[Number(view.turn) as 1 | 2].trace, 0n);
        const [, deadline] = await game.deadlineOf(gameId);
        await networkHelpers.mineUpTo(deadline - 1n);
        if (plan.kind !== "move") break;
        await game.connect(sides[Number(view.turn) as 1 | 2].signer).move(gameId, plan.answer, plan.next);
      }
      await networkHelpers.mine(1);
      await game.connect(bystander!).timeout(gameId);
      const ended = BigInt(await ethers.provider.getBlockNumber());
      const bound = await game.maxDuration(steps, CLOCK, EXTENSION);
      expect(bound).to.equal(BigInt(2 * CLOCK + (Math.log2(steps) + 1) * EXTENSION + 1));
      expect(ended - created).to.be.at.most(bound);
      // The clocks were really used up: the game took more than the two clocks alone.
      expect(ended - created).to.be.greaterThan(BigInt(2 * CLOCK));
    });

    it("refuses a proof once the side to move ran out of time: only the timeout decides then", async () => {
      const { game, chain } = await fixture();
      const one = hashChainTrace(SEED, 1);
      const { gameId } = await gameBetween(
        game,
        chain,
        hashChainInput(SEED, 1),
        lyingTrace(one, (i) => i === 1),
        one,
      );
      const [, deadline] = await game.deadlineOf(gameId);
      await networkHelpers.mineUpTo(deadline);
      await expect(game.connect(challenger!).prove(gameId, one.stateAt(0)))
        .to.be.revertedWithCustomError(game, "BisectionGameClockExpired")
        .withArgs(gameId, Side.Defender, deadline, deadline + 1n);
    });
  });

  describe("defender assignment", () => {
    it("lets only the arbiter assign a missing defender, once; until then the defender's clock runs", async () => {
      const { game, chain } = await fixture();
      const truth = hashChainTrace(SEED, 8);
      const { gameId } = await create(
        game,
        { verifier: await chain.getAddress(), defender: ZeroAddress, challengerClaim: truth.hashAt(8) },
        hashChainInput(SEED, 8),
      );
      await expect(game.connect(defender!).move(gameId, truth.hashAt(4), ZeroHash))
        .to.be.revertedWithCustomError(game, "BisectionGameNotYourTurn")
        .withArgs(gameId, defender!.address, Side.Defender, ZeroAddress);
      await expect(game.connect(stranger!).assignDefender(gameId, defender!.address))
        .to.be.revertedWithCustomError(game, "BisectionGameNotArbiter")
        .withArgs(gameId, stranger!.address, admin!.address);
      await expect(game.assignDefender(gameId, ZeroAddress)).to.be.revertedWithCustomError(
        game,
        "BisectionGameZeroAddress",
      );
      await expect(game.assignDefender(gameId, challenger!.address))
        .to.be.revertedWithCustomError(game, "BisectionGameSameParty")
        .withArgs(challenger!.address);
      await expect(game.assignDefender(gameId, defender!.address))
        .to.emit(game, "DefenderAssigned")
        .withArgs(gameId, defender!.address);
      await expect(game.assignDefender(gameId, stranger!.address))
        .to.be.revertedWithCustomError(game, "BisectionGameDefenderAlreadySet")
        .withArgs(gameId, defender!.address);
      await expect(game.connect(defender!).move(gameId, truth.hashAt(4), ZeroHash)).to.emit(game, "Moved");
    });

    it("gives the challenger the game when no defender is ever assigned", async () => {
      const { game, chain } = await fixture();
      const { gameId } = await create(
        game,
        { verifier: await chain.getAddress(), defender: ZeroAddress },
        hashChainInput(SEED, 8),
      );
      const [, deadline] = await game.deadlineOf(gameId);
      await networkHelpers.mineUpTo(deadline);
      await expect(game.timeout(gameId))
        .to.emit(game, "GameResolved")
        .withArgs(gameId, Side.Challenger, Resolution.Timeout, ZeroAddress);
    });
  });

  describe("moves and proofs", () => {
    const truth = hashChainTrace(SEED, 4);
    const input = hashChainInput(SEED, 4);

    it("refuses moves out of turn, of the wrong shape, and at one step; proofs before one step and of wrong states", async () => {
      const { game, chain } = await fixture();
      const liar = lyingTrace(truth, (i) => i >= 2);
      const { gameId } = await gameBetween(game, chain, input, truth, liar);
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(2), ZeroHash))
        .to.be.revertedWithCustomError(game, "BisectionGameNotYourTurn")
        .withArgs(gameId, challenger!.address, Side.Defender, defender!.address);
      // The first move posts exactly one hash.
      await expect(game.connect(defender!).move(gameId, truth.hashAt(2), truth.hashAt(1)))
        .to.be.revertedWithCustomError(game, "BisectionGameWrongMoveShape")
        .withArgs(gameId, 1, 2);
      await expect(game.connect(defender!).move(gameId, ZeroHash, ZeroHash))
        .to.be.revertedWithCustomError(game, "BisectionGameWrongMoveShape")
        .withArgs(gameId, 1, 0);
      await expect(game.prove(gameId, truth.stateAt(0)))
        .to.be.revertedWithCustomError(game, "BisectionGameNotAtOneStep")
        .withArgs(gameId, 0, 4);
      await game.connect(defender!).move(gameId, truth.hashAt(2), ZeroHash);
      // They disagree at 2, so [0, 2] remains: a hash at 1 is due.
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(2), ZeroHash))
        .to.be.revertedWithCustomError(game, "BisectionGameWrongMoveShape")
        .withArgs(gameId, 2, 1);
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(2), liar.hashAt(1)))
        .to.emit(game, "Moved")
        .withArgs(gameId, Side.Challenger, 2, liar.hashAt(2), 0, 2, liar.hashAt(1), CLOCK - 1);
      await expect(game.prove(gameId, truth.stateAt(0)))
        .to.be.revertedWithCustomError(game, "BisectionGameNotAtOneStep")
        .withArgs(gameId, 0, 2);
      // They agree at 1: [1, 2] remains, one step, so no further hash may be posted.
      await expect(game.connect(defender!).move(gameId, truth.hashAt(1), truth.hashAt(1)))
        .to.be.revertedWithCustomError(game, "BisectionGameWrongMoveShape")
        .withArgs(gameId, 1, 2);
      await game.connect(defender!).move(gameId, truth.hashAt(1), ZeroHash);
      await expect(game.connect(challenger!).move(gameId, liar.hashAt(1), ZeroHash))
        .to.be.revertedWithCustomError(game, "BisectionGameAtOneStep")
        .withArgs(gameId, 1, 2);
      await expect(game.prove(gameId, truth.stateAt(2)))
        .to.be.revertedWithCustomError(chain, "StepVerifierPreStateMismatch")
        .withArgs(truth.hashAt(1), truth.hashAt(2));
      // Anyone may prove, on anyone's turn.
      await expect(game.connect(stranger!).prove(gameId, truth.stateAt(1)))
        .to.emit(game, "StepProven")
        .withArgs(gameId, stranger!.address, 1, truth.hashAt(1), truth.hashAt(2), truth.hashAt(2));
      await expect(game.prove(gameId, truth.stateAt(1)))
        .to.be.revertedWithCustomError(game, "BisectionGameAlreadyResolved")
        .withArgs(gameId, Side.Defender);
      await expect(game.timeout(gameId))
        .to.be.revertedWithCustomError(game, "BisectionGameAlreadyResolved")
        .withArgs(gameId, Side.Defender);
    });

    it("refuses calls on an unknown game, and reads it as zeroes", async () => {
      const { game } = await fixture();
      const calls = [
        () => game.move(9, ZeroHash, ZeroHash),
        () => game.prove(9, "0x"),
        () => game.timeout(9),
        () => game.deadlineOf(9),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(game, "BisectionGameUnknownGame").withArgs(9);
      }
      await expect(game.assignDefender(9, defender!.address))
        .to.be.revertedWithCustomError(game, "BisectionGameUnknownGame")
        .withArgs(9);
      const view = await game.gameOf(9);
      expect([view.arbiter, view.steps, view.winner]).to.eql([ZeroAddress, 0n, 0n]);
    });
  });

  describe("creation", () => {
    it("refuses bad setups by name", async () => {
      const { game, chain, particles } = await fixture();
      const verifier = await chain.getAddress();
      const input = hashChainInput(SEED, 8);
      await expect(create(game, { verifier: ZeroAddress }, input)).to.be.revertedWithCustomError(
        game,
        "BisectionGameZeroAddress",
      );
      await expect(create(game, { verifier, challenger: ZeroAddress }, input)).to.be.revertedWithCustomError(
        game,
        "BisectionGameZeroAddress",
      );
      await expect(create(game, { verifier, defender: challenger!.address }, input))
        .to.be.revertedWithCustomError(game, "BisectionGameSameParty")
        .withArgs(challenger!.address);
      for (const [d, c] of [
        [ZeroHash, keccak256("0x01")],
        [keccak256("0x01"), ZeroHash],
        [keccak256("0x01"), keccak256("0x01")],
      ]) {
        await expect(create(game, { verifier, defenderClaim: d, challengerClaim: c }, input))
          .to.be.revertedWithCustomError(game, "BisectionGameInvalidClaims")
          .withArgs(d, c);
      }
      const clocks = [
        [0, 0, "clockBlocks", 0, 1, 100_000],
        [100_001, 1, "clockBlocks", 100_001, 1, 100_000],
        [10, 0, "extensionBlocks", 0, 1, 10],
        [10, 11, "extensionBlocks", 11, 1, 10],
      ] as const;
      for (const [clockBlocks, extensionBlocks, name, value, min, max] of clocks) {
        await expect(create(game, { verifier, clockBlocks, extensionBlocks }, input))
          .to.be.revertedWithCustomError(game, "BisectionGameParameterOutOfBounds")
          .withArgs(ethers.encodeBytes32String(name), value, min, max);
      }
      const short = await ethers.deployContract("HashChainStepVerifier", [CHAIN_ID, 100]);
      await expect(create(game, { verifier: await short.getAddress() }, hashChainInput(SEED, 101)))
        .to.be.revertedWithCustomError(game, "BisectionGameTraceTooLong")
        .withArgs(101, 100);
      // The verifier's own refusals come through: a particle input above the on-chain bound.
      const big = encodeInput(randomState(1, { particles: 129 }), 5);
      await expect(create(game, { verifier: await particles.getAddress() }, big))
        .to.be.revertedWithCustomError(particles, "ParticleStepVerifierRegionTooLarge")
        .withArgs(129, 128);
    });
  });

  describe("registry and parameters", () => {
    it("maps program ids to verifiers that report them, set by the admin only", async () => {
      const { game, particles, chain } = await fixture();
      const verifier = await particles.getAddress();
      await expect(game.setVerifier(PARTICLES_ID, verifier))
        .to.emit(game, "VerifierSet")
        .withArgs(PARTICLES_ID, verifier);
      expect(await game.verifierOf(PARTICLES_ID)).to.equal(verifier);
      await expect(game.setVerifier(CHAIN_ID, verifier))
        .to.be.revertedWithCustomError(game, "BisectionGameVerifierMismatch")
        .withArgs(CHAIN_ID, PARTICLES_ID);
      const empty = await ethers.deployContract("HashChainStepVerifier", [CHAIN_ID, 0]);
      await expect(game.setVerifier(CHAIN_ID, await empty.getAddress()))
        .to.be.revertedWithCustomError(game, "BisectionGameParameterOutOfBounds")
        .withArgs(ethers.encodeBytes32String("maxSteps"), 0, 1, 2n ** 40n);
      await expect(game.connect(stranger!).setVerifier(CHAIN_ID, await chain.getAddress()))
        .to.be.revertedWithCustomError(game, "AccessControlUnauthorizedAccount")
        .withArgs(stranger!.address, ZeroHash);
      await expect(game.setVerifier(PARTICLES_ID, ZeroAddress))
        .to.emit(game, "VerifierSet")
        .withArgs(PARTICLES_ID, ZeroAddress);
      expect(await game.verifierOf(PARTICLES_ID)).to.equal(ZeroAddress);
    });

    it("sets bounded clock parameters, by the admin only", async () => {
      const { game } = await fixture();
      expect(await game.parameters()).to.eql([BigInt(CLOCK), BigInt(EXTENSION)]);
      await expect(game.setParameters(300, 30)).to.emit(game, "ParametersSet").withArgs(300, 30);
      expect(await game.parameters()).to.eql([300n, 30n]);
      await expect(game.setParameters(300, 301))
        .to.be.revertedWithCustomError(game, "BisectionGameParameterOutOfBounds")
        .withArgs(ethers.encodeBytes32String("extensionBlocks"), 301, 1, 300);
      await expect(game.connect(stranger!).setParameters(300, 30))
        .to.be.revertedWithCustomError(game, "AccessControlUnauthorizedAccount")
        .withArgs(stranger!.address, ZeroHash);
      await expect(ethers.deployContract("BisectionGame", [ZeroAddress, 10, 1])).to.be.revertedWithCustomError(
        game,
        "BisectionGameZeroAddress",
      );
    });
  });
});
