import { expect } from "chai";

import type { AgentStore } from "../../../sdk/src/store/index.js";
import { RecordStatus } from "../../helpers/tasks.js";
import { eventsNamed } from "./chain.js";
import type { AgentSystem as AnyAgentSystem, TaskSystemBase } from "./system.js";

type AgentSystem = AnyAgentSystem<TaskSystemBase>;

/** Actions a member takes once per record: one of them reverting means the agent sent it twice (or too late). */
const MEMBER_ACTIONS = new Set(["commit", "reveal", "claimReward", "challenge"]);

/**
 * On the chain as it is now: every record of the tasks that voted (won, claimed or lost) was committed exactly once
 * and revealed exactly once.
 */
export async function expectEveryRecordOnce(a: AgentSystem, taskIds: bigint[]): Promise<number> {
  const key = (e: { args: Record<string, unknown> }) => `${e.args.taskId}:${e.args.round}:${e.args.index}`;
  const count = (events: { args: Record<string, unknown> }[]) => {
    const m = new Map<string, number>();
    for (const e of events) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return m;
  };
  const commits = count(await eventsNamed(a, "Committed"));
  const reveals = count(await eventsNamed(a, "Revealed"));
  let voted = 0;
  for (const taskId of taskIds) {
    const info = await a.sys.manager.taskOf(taskId);
    for (let round = 0n; round <= info.round; round++) {
      const records = await a.sys.manager.recordsOf(taskId, round, 0n, 516n);
      records.forEach((r, i) => {
        const status = Number(r.status);
        if (![RecordStatus.Won, RecordStatus.Claimed, RecordStatus.Lost].includes(status)) return;
        const k = `${taskId}:${round}:${i}`;
        expect(commits.get(k), `commits of ${k}`).to.equal(1);
        expect(reveals.get(k), `reveals of ${k}`).to.equal(1);
        voted++;
      });
    }
  }
  return voted;
}

/**
 * In each agent's store: no action succeeded twice, and no member action (commit, reveal, claim, challenge) was
 * mined and reverted.
 */
export function expectNoDuplicateActions(stores: AgentStore[]): void {
  for (const store of stores) {
    const successes = new Map<string, number>();
    for (const tx of store.txs.all()) {
      if (tx.receiptStatus === 1) successes.set(tx.key, (successes.get(tx.key) ?? 0) + 1);
      if (MEMBER_ACTIONS.has(tx.label)) {
        expect(tx.receiptStatus, `${tx.key} in ${store.path}: ${tx.error ?? ""}`).to.not.equal(0);
      }
    }
    for (const [key, n] of successes) expect(n, `${key} in ${store.path}`).to.equal(1);
  }
}
