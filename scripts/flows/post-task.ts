/**
 * Posts a particle-world task: a random region (seeded), a number of ticks, the program's id from its committed build,
 * the reward escrowed from the requester's account.
 *
 *   npx hardhat run scripts/flows/post-task.ts --network localhost
 *
 * Settings: REQUESTER (account index, default 10), SEATS (default 5), REWARD (whole tokens, default 100), TICKS
 * (default 50), PARTICLES (default 24), SEED (default 1), COMMIT_BLOCKS / REVEAL_BLOCKS (default 30: on an automining
 * node every commit and reveal is a block of its own, and an escalation round can have 11 members) and
 * CHALLENGE_BLOCKS (default 10).
 */
import { readFileSync } from "node:fs";

import { keccak256 } from "ethers";
import { z } from "zod";

import { encodeInput, randomState } from "../../sdk/src/domain/particles/index.js";
import { UNIT, connect, settings } from "./connect.js";

const PROGRAM = "programs/particles/build/particles.wasm";
const count = (d: number) => z.coerce.number().int().min(1).default(d);
const env = settings({
  REQUESTER: z.coerce.number().int().min(0).default(10),
  SEATS: count(5),
  REWARD: count(100),
  TICKS: count(50),
  PARTICLES: z.coerce.number().int().min(0).max(256).default(24),
  SEED: z.coerce.number().int().default(1),
  COMMIT_BLOCKS: count(30),
  REVEAL_BLOCKS: count(30),
  CHALLENGE_BLOCKS: count(10),
});

const { clientOf } = await connect();
const requester = await clientOf(env.REQUESTER);
const address = await requester.signer!.getAddress();
const reward = BigInt(env.REWARD) * UNIT;
const { token } = await requester.getBalances({ account: address });
if (token < reward) await requester.mintTestTokens({ to: address, amount: reward - token });

const state = randomState(env.SEED, { particles: env.PARTICLES, radius: 8 });
const input = encodeInput(state, env.TICKS);
const created = await requester.createTask({
  programId: keccak256(readFileSync(PROGRAM)),
  input: { inline: input },
  seats: BigInt(env.SEATS),
  reward,
  commitBlocks: BigInt(env.COMMIT_BLOCKS),
  revealBlocks: BigInt(env.REVEAL_BLOCKS),
  challengeBlocks: BigInt(env.CHALLENGE_BLOCKS),
  approve: true,
});
console.log(
  `task ${created.taskId}: ${state.particles.length} particles in a ${state.width}x${state.height} region, ` +
    `${env.TICKS} ticks, ${env.SEATS} seats, reward ${env.REWARD}, input hash ${created.inputHash}`,
);
