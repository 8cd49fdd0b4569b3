import type { TaskManager } from "../../../types/ethers-contracts/index.js";
import type { AgentSystem as AnyAgentSystem, TaskSystemBase } from "./system.js";

type AgentSystem = AnyAgentSystem<TaskSystemBase>;

/** Every decoded event of a name a task manager emitted, from block 0 (the test chains are short). */
export async function eventsOf(manager: TaskManager, name: string) {
  const logs = await manager.queryFilter(manager.getEvent(name as "TaskCreated"), 0, "latest");
  return logs.map((l) => ({
    args: (l as unknown as { args: Record<string, unknown> }).args,
    block: l.blockNumber,
    tx: l.transactionHash,
  }));
}

/** `eventsOf` the system's manager. */
export async function eventsNamed(a: AgentSystem, name: string) {
  return await eventsOf(a.sys.manager, name);
}

/** The records a member was assigned, from its SeatsAssigned events, one entry per (task, round, index). */
export async function assignmentsOf(a: AgentSystem, member: string) {
  const seen = new Map<string, { taskId: bigint; round: bigint; index: bigint }>();
  for (const e of await eventsNamed(a, "SeatsAssigned")) {
    if ((e.args.member as string).toLowerCase() !== member.toLowerCase()) continue;
    const key = `${e.args.taskId}:${e.args.round}:${e.args.index}`;
    seen.set(key, { taskId: e.args.taskId as bigint, round: e.args.round as bigint, index: e.args.index as bigint });
  }
  return [...seen.values()];
}

/** How many times each (task, round, index) of a member appears in events of a name. */
export async function countByRecord(a: AgentSystem, name: string, member: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await eventsNamed(a, name)) {
    if ((e.args.member as string).toLowerCase() !== member.toLowerCase()) continue;
    const key = `${e.args.taskId}:${e.args.round}:${e.args.index}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every transaction `from` sent that is on the chain, with its receipt status (walks the blocks: test chains are a
 * few hundred blocks long).
 */
export async function minedTransactionsOf(a: AgentSystem, from: string) {
  const provider = a.ethers.provider;
  const latest = await provider.getBlockNumber();
  const out: { hash: string; nonce: number; to: string | null; status: number; block: number; data: string }[] = [];
  for (let n = 0; n <= latest; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from.toLowerCase() !== from.toLowerCase()) continue;
      const receipt = await provider.getTransactionReceipt(tx.hash);
      out.push({ hash: tx.hash, nonce: tx.nonce, to: tx.to, status: receipt?.status ?? -1, block: n, data: tx.data });
    }
  }
  return out;
}
