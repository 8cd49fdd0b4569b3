/**
 * Funds and stakes workers from several accounts: mints the test token to each (the local and testnet token is the
 * open-mint TestToken), stakes uneven amounts, and applies weights deferred by a draw window.
 *
 *   npx hardhat run scripts/flows/fund-and-stake.ts --network localhost
 *
 * Settings: WORKERS (account indices, default 1-9 and 12-19: 10 posts tasks and 11 challenges in the other flows),
 * STAKES (whole tokens each, default from 300 down to 30). Seventeen workers leave an escalation round enough members
 * once the first round's are excluded.
 */
import { z } from "zod";

import { UNIT, connect, indexList, settings } from "./connect.js";

const env = settings({
  WORKERS: indexList.default([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19]),
  STAKES: z
    .string()
    .regex(/^\d+(,\d+)*$/, "expected whole-token amounts like 300,200")
    .transform((s) => s.split(",").map(BigInt))
    .default([300n, 250n, 200n, 180n, 160n, 140n, 120n, 100n, 90n, 80n, 70n, 60n, 50n, 45n, 40n, 35n, 30n]),
});
if (env.STAKES.length !== env.WORKERS.length) {
  throw new Error(`STAKES has ${env.STAKES.length} amounts for ${env.WORKERS.length} WORKERS`);
}

const { reader, clientOf, untilBlock } = await connect();
const deferred: string[] = [];
for (const [i, index] of env.WORKERS.entries()) {
  const worker = await clientOf(index);
  const address = await worker.signer!.getAddress();
  const amount = env.STAKES[i]! * UNIT;
  const { token } = await worker.getBalances({ account: address });
  if (token < amount) await worker.mintTestTokens({ to: address, amount: amount - token });
  const staked = await worker.stake({ amount, approve: true });
  const deferredNow = staked.events.some((e) => e.name === "WeightChangeDeferred");
  if (deferredNow) deferred.push(address);
  console.log(
    `account ${index} ${address}: staked ${env.STAKES[i]} (active ${staked.active / UNIT})${deferredNow ? ", weight deferred" : ""}`,
  );
}
if (deferred.length > 0) {
  const { drawWindow } = await reader.getPoolStatus();
  await untilBlock(drawWindow.end + 1n);
  for (const worker of deferred) await reader.syncWeight({ worker });
  console.log(`synced the weights of ${deferred.length} workers after the draw window`);
}
const status = await reader.getPoolStatus();
console.log(
  `pool: ${status.totals.stakers} stakers, ${status.totals.active / UNIT} tokens active, weight ${status.totals.weight}`,
);
