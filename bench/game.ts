/**
 * Gas of the bisection game (part of `npm run bench`), every figure a receipt's `gasUsed` (21,000 included):
 *
 * - `oneStepCheck` (`particles`: 16, 64, 128, 256): the `prove` transaction of a game at one step, that is the game
 *   plus the particle verifier running one tick of a region of that many particles; `gas` for a typical crowded
 *   region, `worstCaseGas` for the worst (every pair overlapping and colliding). 256 is above `MAX_STEP_PARTICLES`
 *   (128): it is measured on a harness with the bound raised, and its worst case does not fit a transaction.
 * - `gameTotal` (`ticks`: 2^10, 2^16): a whole game over a 64-particle region's trace between a defender whose trace
 *   goes wrong two thirds of the way and an honest challenger: `createGame`, every move, the proof; with `moves`.
 * - `bisectionMove`: the mean (`gas`) and largest (`maxGas`) move of those games.
 * - `challengeByGame`, `defendGame`, `settleGame`, `gameDisputeTotal`: the same dispute through the task manager, on
 *   a bench pool of `stakers` staked workers: a 5-seat committee that all revealed a wrong result, one watchtower.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { keccak256, type Signer } from "ethers";
import { readFileSync } from "node:fs";

import { encodeInput, encodeState, type ParticleState, randomState } from "../sdk/src/domain/particles/index.js";
import { particleTrace, planMove, Side, type Trace } from "../sdk/src/game/index.js";
import type { BisectionGame } from "../types/ethers-contracts/index.js";
import {
  BENCH_TASK_CONFIG,
  chainControls,
  EPOCH_BLOCKS,
  UNIT,
  WINDOW_BLOCKS,
  benchCommitment,
  deployBenchTaskSystem,
  fillStakedWorkers,
  gasOf,
} from "./tasks.js";

export interface GameGasRow {
  operation: string;
  stakers: number;
  seats: number;
  gas: number;
  particles?: number;
  ticks?: number;
  moves?: number;
  transactions?: number;
  maxGas?: number;
  worstCaseGas?: number | null;
  supported?: boolean;
}

const CLOCK = 1_000;
const EXTENSION = 100;
const PROGRAM_ID = keccak256(readFileSync(new URL("../programs/particles/build/particles.wasm", import.meta.url)));

/** A trace that is `truth` up to `from` and made up after it (the defender's in the benchmark games). */
function lyingFrom(truth: Trace, from: number): Trace {
  return {
    steps: truth.steps,
    hashAt: (i) => (i >= from ? keccak256(new TextEncoder().encode(`bench lie ${i}`)) : truth.hashAt(i)),
    stateAt: (i) => truth.stateAt(i),
  };
}

/** A crowded region (the differential tests' typical state) and the worst case: a line whose pairs all collide. */
function typicalState(particles: number): ParticleState {
  return randomState(particles, { particles, radius: 16, borders: 0, clustering: 0.6 });
}

function worstState(particles: number): ParticleState {
  return {
    ox: 0,
    oy: 0,
    width: 1_000_000,
    height: 1_000_000,
    radius: 4096,
    borders: 0,
    tick: 0,
    particles: Array.from({ length: particles }, (_, i) => ({ x: 500_000 + 205 * i, y: 500_000, vx: -200 * i, vy: 0 })),
    emigrants: [],
  };
}

/** Plays game `gameId` to the proof, both sides by the planner; returns each move's gas and the proof's. */
async function play(game: BisectionGame, gameId: bigint, sides: Record<1 | 2, { signer: Signer; trace: Trace }>) {
  const moves: number[] = [];
  for (;;) {
    const view = await game.gameOf(gameId);
    const turn = Number(view.turn) as 1 | 2;
    const plan = planMove(view, turn, sides[turn].trace, 0n);
    if (plan.kind === "prove") {
      // The honest challenger proves (on either side's turn).
      const prove = await gasOf(game.connect(sides[Side.Challenger].signer).prove(gameId, plan.preState));
      return { moves, prove };
    }
    if (plan.kind !== "move") throw new Error(`game ${gameId}: unexpected plan ${plan.kind}`);
    moves.push(await gasOf(game.connect(sides[turn].signer).move(gameId, plan.answer, plan.next)));
  }
}

export async function measureGameGas(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  stakers: number,
  log: (line: string) => void,
): Promise<GameGasRow[]> {
  const [admin, defender, challenger] = await ethers.getSigners();
  const game = await ethers.deployContract("BisectionGame", [admin!.address, CLOCK, EXTENSION]);
  const verifier = await ethers.deployContract("ParticleStepVerifier", [PROGRAM_ID]);
  const harness = await ethers.deployContract("ParticleStepVerifierBenchHarness", [PROGRAM_ID]);
  const rows: GameGasRow[] = [];
  const newGame = async (v: string, input: Uint8Array, d: Trace, c: Trace) => {
    const setup = {
      verifier: v,
      defender: defender!.address,
      challenger: challenger!.address,
      defenderClaim: d.hashAt(d.steps),
      challengerClaim: c.hashAt(c.steps),
      clockBlocks: CLOCK,
      extensionBlocks: EXTENSION,
    };
    const gas = await gasOf(game.createGame(setup, input));
    return { gameId: await game.gameCount(), gas };
  };
  const sides = (d: Trace, c: Trace) => ({
    [Side.Defender]: { signer: defender!, trace: d },
    [Side.Challenger]: { signer: challenger!, trace: c },
  });

  // One-step checks: a one-tick input is at one step at once; the defender claims a wrong next state.
  for (const particles of [16, 64, 128, 256]) {
    const supported = particles <= 128;
    const v = await (supported ? verifier : harness).getAddress();
    const gasFor = async (state: ParticleState): Promise<number | null> => {
      const input = encodeInput(state, 1);
      const truth = particleTrace(input);
      const { gameId } = await newGame(v, input, lyingFrom(truth, 1), truth);
      try {
        return await gasOf(game.connect(challenger!).prove(gameId, encodeState(state), { gasLimit: 16_777_216 }));
      } catch {
        return null; // out of gas within the transaction cap
      }
    };
    const gas = await gasFor(typicalState(particles));
    const worstCaseGas = await gasFor(worstState(particles));
    if (gas === null) throw new Error(`one-step check of ${particles} typical particles does not fit`);
    rows.push({ operation: "oneStepCheck", stakers: 0, seats: 0, gas, particles, worstCaseGas, supported });
    log(`  one-step check, ${particles} particles: ${gas} gas typical, ${worstCaseGas ?? "over the cap"} worst`);
  }

  // Whole games over 2^10 and 2^16 ticks of a 64-particle region.
  const allMoves: number[] = [];
  for (const ticks of [1 << 10, 1 << 16]) {
    const input = encodeInput(typicalState(64), ticks);
    const started = Date.now();
    const truth = particleTrace(input, { checkpointEvery: 1024 });
    log(`  trace of ${ticks} ticks computed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const liar = lyingFrom(truth, Math.floor((2 * ticks) / 3));
    const created = await newGame(await verifier.getAddress(), input, liar, truth);
    const { moves, prove } = await play(game, created.gameId, sides(liar, truth));
    const total = created.gas + moves.reduce((a, b) => a + b, 0) + prove;
    allMoves.push(...moves);
    rows.push({
      operation: "gameTotal",
      stakers: 0,
      seats: 0,
      gas: total,
      ticks,
      particles: 64,
      moves: moves.length,
      transactions: moves.length + 2,
    });
    log(`  game over ${ticks} ticks: ${moves.length} moves, ${total} gas in all`);
  }
  rows.push({
    operation: "bisectionMove",
    stakers: 0,
    seats: 0,
    gas: Math.round(allMoves.reduce((a, b) => a + b, 0) / allMoves.length),
    transactions: allMoves.length,
    maxGas: Math.max(...allMoves),
  });

  rows.push(...(await measureTaskGame(ethers, helpers, stakers, log)));
  return rows;
}

/** The dispute through the task manager: a wrong 5-seat committee, a watchtower's game, its settlement. */
async function measureTaskGame(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  stakers: number,
  log: (line: string) => void,
): Promise<GameGasRow[]> {
  const [admin, requester, watchtower, keeper] = await ethers.getSigners();
  const token = await ethers.deployContract("TestToken", ["Cohort Stake", "CST"]);
  const { pool, randomness, manager, managerAddress } = await deployBenchTaskSystem(ethers, token, {
    admin: admin!.address,
    treasury: admin!.address,
    requester: requester!,
    unbondingPeriod: 20_000n,
    seatBond: 5n * UNIT,
    config: BENCH_TASK_CONFIG,
  });
  const game = await ethers.deployContract("BisectionGame", [admin!.address, CLOCK, EXTENSION]);
  const verifier = await ethers.deployContract("ParticleStepVerifier", [PROGRAM_ID]);
  await (await game.setVerifier(PROGRAM_ID, await verifier.getAddress())).wait();
  await (await manager.setBisectionGame(await game.getAddress())).wait();
  await fillStakedWorkers(token, pool, stakers);
  await (await token.mint(watchtower!.address, 1_000_000n * UNIT)).wait();
  await (await token.connect(watchtower!).approve(managerAddress, ethers.MaxUint256)).wait();

  const { latest, mineTo, memberSigner } = chainControls(ethers, helpers);
  const gas = new Map<string, number>();
  const record = async (operation: string, tx: Parameters<typeof gasOf>[0]) =>
    gas.set(operation, (gas.get(operation) ?? 0) + (await gasOf(tx)));

  const input = encodeInput(typicalState(64), 256);
  const truth = particleTrace(input);
  const liar = lyingFrom(truth, 200);
  const wrong = liar.hashAt(256);
  const next = (await latest()) + 1n;
  const windowStart = (next / EPOCH_BLOCKS + 1n) * EPOCH_BLOCKS - WINDOW_BLOCKS;
  if (next + 2n >= windowStart) await mineTo(windowStart + WINDOW_BLOCKS);
  const request = {
    programId: PROGRAM_ID,
    inputHash: keccak256(input),
    inputKind: 0,
    input,
    seats: 5n,
    quorum: 3n,
    reward: 1_000n * UNIT,
    commitBlocks: 100n,
    revealBlocks: 100n,
    challengeBlocks: 10n,
    valueAtRisk: 0n,
    noQuorumRule: 0,
  };
  await record("createTask", manager.connect(requester!).createTask(request));
  const taskId = await manager.taskCount();
  for (let attempt = 0; (await manager.taskOf(taskId)).state !== 2n; attempt++) {
    if (attempt === 4) throw new Error(`task ${taskId}: no committee`);
    await mineTo(await randomness.targetOf((await manager.taskOf(taskId)).requestId));
    await (await manager.drawCommittee(taskId)).wait();
  }
  const info = await manager.taskOf(taskId);
  const records = await manager.recordsOf(taskId, 0n, 0n, info.recordCount);
  const chainId = (await ethers.provider.getNetwork()).chainId;
  // Every member that took its seats (`Assigned`) commits and reveals the same wrong result.
  const members = [...records.entries()].filter(([, r]) => Number(r.status) === 1);
  const salts = new Map<number, string>();
  for (const [index, r] of members) {
    const salt = ethers.id(`bench game salt ${index}`);
    salts.set(index, salt);
    const commitment = benchCommitment(ethers, [chainId, managerAddress, taskId, 0n, r.member, wrong, salt]);
    await (await manager.connect(await memberSigner(r.member)).commit(taskId, index, commitment)).wait();
  }
  await mineTo(info.commitDeadline);
  for (const [index, r] of members) {
    const signer = await ethers.getSigner(r.member);
    await (await manager.connect(signer).reveal(taskId, index, wrong, salts.get(index)!, "0x")).wait();
  }
  await mineTo(info.commitDeadline + info.revealBlocks);
  await (await manager.tally(taskId)).wait();

  const bond = (await manager.taskGameOf(taskId)).gameBondFloor;
  await record("challengeByGame", manager.connect(watchtower!).challengeByGame(taskId, truth.hashAt(256), bond, input));
  const [defenderIndex, defenderRecord] = members[0]!;
  const defenderSigner = await ethers.getSigner(defenderRecord.member);
  await record("defendGame", manager.connect(defenderSigner).defendGame(taskId, defenderIndex));
  const gameId = (await manager.gameChallengeOf(taskId, 1n)).gameId;
  const played = await play(game, gameId, {
    [Side.Defender]: { signer: defenderSigner, trace: liar },
    [Side.Challenger]: { signer: watchtower!, trace: truth },
  });
  gas.set(
    "moves",
    played.moves.reduce((a, b) => a + b, 0),
  );
  gas.set("prove", played.prove);
  await record("settleGame", manager.connect(keeper!).settleGame(taskId));
  if ((await manager.taskOf(taskId)).proposedResult !== truth.hashAt(256)) throw new Error("the game did not overturn");
  await mineTo((await manager.taskOf(taskId)).challengeDeadline + 1n);
  await record("finalize", manager.connect(keeper!).finalize(taskId));
  if ((await manager.taskOf(taskId)).state !== 4n) throw new Error(`task ${taskId}: not finalized`);
  log(`  task game on ${stakers} stakers: ${played.moves.length} moves, wrong committee of ${members.length} slashed`);

  const row = (operation: string, g: number, extra: Partial<GameGasRow> = {}): GameGasRow => ({
    operation,
    stakers,
    seats: 5,
    gas: g,
    ...extra,
  });
  const dispute = ["challengeByGame", "defendGame", "moves", "prove", "settleGame"].reduce(
    (a, k) => a + gas.get(k)!,
    0,
  );
  return [
    row("challengeByGame", gas.get("challengeByGame")!),
    row("defendGame", gas.get("defendGame")!),
    row("settleGame", gas.get("settleGame")!),
    row("finalizeAfterGame", gas.get("finalize")!),
    row("gameDisputeTotal", dispute, { ticks: 256, moves: played.moves.length, transactions: played.moves.length + 4 }),
  ];
}

/** The printed comparison with Cartesi's PRT (`Gas.sol`, transaction base included). */
export function gameTable(rows: GameGasRow[]): string {
  const fmt = (n: number | null | undefined) =>
    n === undefined || n === null ? "over the cap" : n.toLocaleString("en-US");
  const lines = ["| operation | size | Cohort gas | Cartesi PRT gas | note |", "|---|---:|---:|---:|---|"];
  const move = rows.find((r) => r.operation === "bisectionMove")!;
  lines.push(
    `| bisectionMove | mean of ${move.transactions} | ${fmt(move.gas)} | 127,000 | largest ${fmt(move.maxGas)} |`,
  );
  for (const r of rows.filter((r) => r.operation === "oneStepCheck")) {
    lines.push(
      `| oneStepCheck | ${r.particles} particles | ${fmt(r.gas)} | 4,298,000 | worst case ${fmt(r.worstCaseGas)}` +
        `${r.supported ? "" : ", above MAX_STEP_PARTICLES (harness)"} |`,
    );
  }
  for (const r of rows.filter((r) => r.operation === "gameTotal")) {
    lines.push(`| gameTotal | ${r.ticks} ticks | ${fmt(r.gas)} | | ${r.moves} moves, ${r.transactions} transactions |`);
  }
  for (const r of rows.filter((r) => r.stakers > 0)) {
    lines.push(
      `| ${r.operation} | ${r.seats} seats | ${fmt(r.gas)} | | ${r.stakers} stakers${r.moves ? `, ${r.moves} moves` : ""} |`,
    );
  }
  return lines.join("\n");
}
