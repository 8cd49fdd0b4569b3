/**
 * Challenges a proposed result: re-executes the task, and if the proposed result differs from what the program
 * computes, challenges it with the bond floor, claiming the computed result. That opens an escalation round: run
 * join.ts and post-results.ts again for it, then finalize-and-claim.ts.
 *
 *   TASK=1 npx hardhat run scripts/flows/challenge.ts --network localhost
 *
 * Settings: TASK (default: the newest), CHALLENGER (account index, default 11; not a staker, so it is never drawn),
 * PROGRAM (default the committed particles build).
 */
import { z } from "zod";

import { Phase } from "../../sdk/src/index.js";
import { computeResult } from "./compute.js";
import { UNIT, connect, settings, taskIdFrom } from "./connect.js";

const env = settings({
  TASK: z.string().regex(/^\d+$/).optional(),
  CHALLENGER: z.coerce.number().int().min(0).default(11),
  PROGRAM: z.string().default("programs/particles/build/particles.wasm"),
});
const { reader, clientOf } = await connect();
const taskId = await taskIdFrom(reader, env.TASK);
const task = await reader.getTask({ taskId });
if (task.phase !== Phase.Challengeable) throw new Error(`task ${taskId} is ${task.phaseName}, not Challengeable`);
const { resultHash } = await computeResult(reader, taskId, env.PROGRAM);
if (resultHash === task.proposedResult) {
  console.log(`task ${taskId}: the proposed result ${task.proposedResult} is correct; nothing to challenge`);
} else {
  const challenger = await clientOf(env.CHALLENGER);
  const address = await challenger.signer!.getAddress();
  const { token } = await challenger.getBalances({ account: address });
  if (token < task.challengeBondFloor)
    await challenger.mintTestTokens({ to: address, amount: task.challengeBondFloor - token });
  const opened = await challenger.challenge({ taskId, claimedResult: resultHash, approve: true });
  console.log(
    `task ${taskId}: challenged ${task.proposedResult} with ${resultHash}, bond ${opened.bond / UNIT} tokens; ` +
      `escalation step ${opened.step} draws a fresh committee`,
  );
}
