import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { AbiCoder, keccak256, type Signer } from "ethers";

import { type GameView, planMove, Side, type Trace } from "../../../sdk/src/game/index.js";
import type { BisectionGame } from "../../../types/ethers-contracts/index.js";

const coder = AbiCoder.defaultAbiCoder();

/** The HashChainStepVerifier's trace for `abi.encode(seed, steps)`: state `i` is `abi.encode(seed, i)`. */
export function hashChainTrace(seed: string, steps: number): Trace {
  const stateAt = (i: number) =>
    Uint8Array.from(Buffer.from(coder.encode(["bytes32", "uint256"], [seed, i]).slice(2), "hex"));
  return { steps, hashAt: (i) => keccak256(stateAt(i)), stateAt };
}

export const hashChainInput = (seed: string, steps: number): string =>
  coder.encode(["bytes32", "uint256"], [seed, steps]);

/** A trace that is `truth` except where `wrong(i)`: there it gives a made-up hash. */
export function lyingTrace(truth: Trace, wrong: (i: number) => boolean, salt = "lie"): Trace {
  return {
    steps: truth.steps,
    hashAt: (i) => (wrong(i) ? keccak256(new TextEncoder().encode(`${salt}/${i}`)) : truth.hashAt(i)),
    stateAt: (i) => truth.stateAt(i),
  };
}

/**
 * How a test party plays. `honest`: plans with its trace, proves the last step, calls timeouts. `liar`: plans with
 * its (lying) trace but never proves (a proof would show it wrong); it still calls timeouts. `silent`: never acts.
 */
export type Policy = "honest" | "liar" | "silent";

export interface Player {
  signer: Signer;
  side: Side;
  trace: Trace;
  policy: Policy;
}

export interface PlayedGame {
  view: GameView & {
    resolution: bigint;
    moves: bigint;
    defender: string;
    challenger: string;
    defenderHiHash: string;
    challengerHiHash: string;
  };
  moveGas: bigint[];
  proveGas: bigint | undefined;
  timeoutGas: bigint | undefined;
  startBlock: bigint;
  endBlock: bigint;
}

/**
 * Plays game `gameId` to its end: each round, every player does what its plan says (the side to move first); when
 * nobody acts (a silent side's turn), the chain advances past that side's deadline so the timeout can be called, by
 * `bystander` when the other player does not. `delay(side)` blocks are mined before each move of `side`, to play
 * slow sides against their clocks.
 */
export async function playGame(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  game: BisectionGame,
  gameId: bigint,
  players: Player[],
  options: { bystander?: Signer; delay?: (side: Side) => number } = {},
): Promise<PlayedGame> {
  const moveGas: bigint[] = [];
  let proveGas: bigint | undefined;
  let timeoutGas: bigint | undefined;
  const startBlock = BigInt((await game.gameOf(gameId)).turnStart);
  for (let round = 0; round < 200; round++) {
    let acted = false;
    for (const player of players) {
      const view = (await game.gameOf(gameId)) as PlayedGame["view"];
      if (Number(view.winner) !== Side.None) break;
      const block = BigInt(await ethers.provider.getBlockNumber()) + 1n;
      const plan = planMove(view, player.side, player.trace, block);
      if (player.policy === "silent") continue;
      const as = game.connect(player.signer);
      if (plan.kind === "move") {
        const wait = options.delay?.(player.side) ?? 0;
        if (wait > 0) await helpers.mine(wait);
        moveGas.push(await gasOf(as.move(gameId, plan.answer, plan.next)));
        acted = true;
      } else if (plan.kind === "prove" && player.policy === "honest") {
        proveGas = await gasOf(as.prove(gameId, plan.preState));
        acted = true;
      } else if (plan.kind === "timeout" && plan.loser !== player.side) {
        timeoutGas = await gasOf(as.timeout(gameId));
        acted = true;
      }
    }
    const view = (await game.gameOf(gameId)) as PlayedGame["view"];
    if (Number(view.winner) !== Side.None) {
      return {
        view,
        moveGas,
        proveGas,
        timeoutGas,
        startBlock,
        endBlock: BigInt(await ethers.provider.getBlockNumber()),
      };
    }
    if (!acted) {
      const [, deadline] = await game.deadlineOf(gameId);
      const now = BigInt(await ethers.provider.getBlockNumber());
      if (deadline >= now) await helpers.mine(deadline - now + 1n);
      if (options.bystander !== undefined) {
        timeoutGas = await gasOf(game.connect(options.bystander).timeout(gameId));
      }
    }
  }
  throw new Error(`game ${gameId} did not end in 200 rounds`);
}

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}
