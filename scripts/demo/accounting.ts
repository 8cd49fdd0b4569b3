/**
 * The token facts the accounting check compares (rule 1 for the pool and the manager; every minted token held by an
 * account the demo knows), read from the chain at the end of the run.
 */
import type { AccountingFacts } from "./checks.ts";
import type { Deployment } from "./deploy.ts";

export async function accountingOf(d: Deployment, minted: bigint, holders: string[]): Promise<AccountingFacts> {
  const balances = new Map<string, bigint>();
  for (const h of holders) balances.set(h.toLowerCase(), await d.token.balanceOf(h));
  const p = await d.pool.totals();
  const m = await d.manager.totals();
  return {
    minted,
    totalSupply: await d.token.totalSupply(),
    balances,
    pool: {
      balance: await d.token.balanceOf(d.addresses.pool),
      active: p.active,
      unbonding: p.unbonding,
      claimable: p.claimable,
    },
    manager: {
      balance: await d.token.balanceOf(d.addresses.taskManager),
      escrowed: m.escrowed,
      unclaimedRewards: m.unclaimedRewards,
      credits: m.credits,
    },
  };
}
