/**
 * Joins committees: once a task's seed can be read, draws its committee (anyone may; a worker does it to get to work)
 * and prints who holds which seats. On a local node it mines up to the seed's block; elsewhere it waits for it.
 *
 *   TASK=1 npx hardhat run scripts/flows/join.ts --network localhost
 *
 * Settings: TASK (default: the newest task), CALLER (account index, default 0).
 */
import { z } from "zod";

import { connect, settings, taskIdFrom } from "./connect.js";
import { drawWhenReady } from "./draw.js";

const env = settings({ TASK: z.string().regex(/^\d+$/).optional(), CALLER: z.coerce.number().int().min(0).default(0) });
const { reader, clientOf, untilBlock, signers } = await connect();
const caller = await clientOf(env.CALLER);
const taskId = await taskIdFrom(reader, env.TASK);

await drawWhenReady(caller, taskId, untilBlock);
const { round, records } = await reader.getRecords({ taskId });
const local = new Map(signers.map((s, i) => [s.address.toLowerCase(), i]));
console.log(`task ${taskId}, round ${round}:`);
for (const r of records) {
  const index = local.get(r.member.toLowerCase());
  console.log(
    `  record ${r.index}: ${r.member}${index === undefined ? "" : ` (account ${index})`} ${r.seats} seats, ${r.statusName}`,
  );
}
