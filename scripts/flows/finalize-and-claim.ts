/**
 * Finalizes a task after its challenge window and lets every local account pull what it earned: seat rewards,
 * challenge payouts and refunds (manager credit), slash payouts (pool balance).
 *
 *   TASK=1 npx hardhat run scripts/flows/finalize-and-claim.ts --network localhost
 *
 * Settings: TASK (default: the newest).
 */
import { z } from "zod";

import { ContractRevertError, Phase } from "../../sdk/src/index.js";
import { UNIT, connect, settings, taskIdFrom } from "./connect.js";

const env = settings({ TASK: z.string().regex(/^\d+$/).optional() });
const { reader, clientOf, signers, untilBlock } = await connect();
const taskId = await taskIdFrom(reader, env.TASK);
let task = await reader.getTask({ taskId });
if (task.phase === Phase.Challengeable) await untilBlock(task.challengeDeadline + 1n);
task = await reader.getTask({ taskId });
while (task.phase === Phase.AwaitingFinalization) {
  await reader.finalize({ taskId });
  task = await reader.getTask({ taskId });
}
console.log(
  `task ${taskId}: ${task.phaseName}, result ${task.proposedResult}, ${task.rewardPerSeat / UNIT} tokens per winning seat`,
);

/** A claim that has nothing to pay is not an error here: most accounts have nothing in most places. */
const nothing = (e: unknown) =>
  e instanceof ContractRevertError && /NothingToClaim|WrongRecordStatus/.test(e.errorName) ? 0n : Promise.reject(e);
for (const [index] of signers.entries()) {
  const client = await clientOf(index);
  const account = await client.signer!.getAddress();
  const balances = await client.getBalances({ account });
  let reward = 0n;
  try {
    reward = (await client.claimReward({ taskId })).amount;
  } catch (e) {
    if (!(e instanceof Error && e.name === "NotAssignedError")) reward = await nothing(e);
  }
  const credit = balances.managerCredit > 0n ? (await client.claimCredit()).amount : 0n;
  const pool = balances.poolClaimable > 0n ? (await client.claimPoolBalance()).amount : 0n;
  if (reward + credit + pool > 0n) {
    console.log(`account ${index}: reward ${reward}, credit ${credit}, pool payouts ${pool} (wei)`);
  }
}
