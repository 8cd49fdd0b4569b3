/**
 * Posts results: every local account that holds seats in the task's current round runs the program on the task's
 * input, commits, and reveals after the commit deadline; seats left vacant at the deadline (an escalation round drawn
 * around excluded members, or no-shows) are re-drawn and their new holders commit in turn; after the reveal deadline
 * the round is tallied. It stops once a result is proposed (or the task ended). Accounts in WRONG reveal a wrong
 * result instead, to have something to challenge.
 *
 *   TASK=1 npx hardhat run scripts/flows/post-results.ts --network localhost
 *
 * Settings: TASK (default: the newest), WRONG (account indices that lie, or `all`; default none), PROGRAM (the WASM
 * file, default the committed particles build).
 */
import { keccak256 } from "ethers";
import { z } from "zod";

import { Phase, type Cohort } from "../../sdk/src/index.js";
import { computeResult } from "./compute.js";
import { connect, indexList, settings, taskIdFrom } from "./connect.js";
import { drawWhenReady } from "./draw.js";

const env = settings({
  TASK: z.string().regex(/^\d+$/).optional(),
  WRONG: z.union([z.literal("all"), indexList]).optional(),
  PROGRAM: z.string().default("programs/particles/build/particles.wasm"),
});
const { reader, clientOf, signers, untilBlock } = await connect();
const taskId = await taskIdFrom(reader, env.TASK);
const { output, resultHash } = await computeResult(reader, taskId, env.PROGRAM);
const wrongHash = keccak256(new Uint8Array([...output, 0]));
console.log(`task ${taskId}: the program's result is ${resultHash} (${output.length} bytes)`);
const lies = (index: number) => (env.WRONG === "all" ? true : (env.WRONG?.includes(index) ?? false));

/** The local accounts holding a record of the current round in the given status, with their clients. */
async function holders(status: "Assigned" | "Committed"): Promise<{ client: Cohort; index: number }[]> {
  const { records } = await reader.getRecords({ taskId });
  const found = [];
  for (const [index, signer] of signers.entries()) {
    const mine = records.some(
      (r) => r.member.toLowerCase() === signer.address.toLowerCase() && r.statusName === status,
    );
    if (mine) found.push({ client: await clientOf(index), index });
  }
  return found;
}

for (let step = 0; step < 32; step++) {
  const task = await reader.getTask({ taskId });
  if (task.phase === Phase.AwaitingSeed) {
    await drawWhenReady(reader, taskId, untilBlock);
  } else if (task.phase === Phase.Committing) {
    for (const m of await holders("Assigned")) {
      const committed = await m.client.commit({ taskId, resultHash: lies(m.index) ? wrongHash : resultHash });
      console.log(`account ${m.index}: committed${lies(m.index) ? " a WRONG result" : ""} (record ${committed.index})`);
    }
    await untilBlock(task.commitDeadline + 1n); // views read at the latest block: past the deadline there
  } else if (task.phase === Phase.AwaitingReplacement) {
    await reader.replaceNoShows({ taskId });
    console.log(`task ${taskId}: vacant seats of round ${task.round} put up for a replacement draw`);
  } else if (task.phase === Phase.Revealing) {
    for (const m of await holders("Committed")) {
      const revealed = lies(m.index)
        ? await m.client.reveal({ taskId, resultHash: wrongHash })
        : await m.client.reveal({ taskId, resultHash, result: output.length <= 16_384 ? output : undefined });
      console.log(`account ${m.index}: revealed, ${revealed.seatsForResult} seats for its result so far`);
    }
    await untilBlock(task.revealDeadline + 1n);
  } else if (task.phase === Phase.AwaitingTally) {
    const tallied = await reader.tally({ taskId });
    if (tallied.proposedResult === undefined) console.log(`task ${taskId}: no quorum in round ${task.round}`);
  } else {
    const verdict = task.proposedResult === resultHash ? "correct" : "WRONG";
    console.log(`task ${taskId}: ${task.phaseName}, proposed ${task.proposedResult} (${verdict})`);
    if (task.phase === Phase.Challengeable) console.log(`challengeable through block ${task.challengeDeadline}`);
    break;
  }
}
