/**
 * Gas per task: every transaction to the task manager whose first argument is a task id (createTask by its
 * TaskCreated event), and every move of a bisection game (by the game's id, mapped to its task through
 * GameChallenged), summed by task. Transactions that serve no one task (approvals, stakes, claimCredit) are not
 * counted. Walks the blocks of the run: a demo chain is a few hundred blocks long.
 */
import type { Interface } from "ethers";

import type { EventCollector } from "./events.ts";

interface Rpc {
  send(method: string, params: unknown[]): Promise<unknown>;
}

interface RawTx {
  hash: string;
  to: string | null;
  input: string;
}

export async function gasByTask(
  rpc: Rpc,
  fromBlock: number,
  toBlock: number,
  manager: { address: string; iface: Interface },
  game: { address: string; iface: Interface } | undefined,
  events: EventCollector,
): Promise<Map<bigint, bigint>> {
  const gas = new Map<bigint, bigint>();
  const add = (taskId: bigint, used: bigint) => gas.set(taskId, (gas.get(taskId) ?? 0n) + used);
  const created = new Map(events.named("TaskCreated").map((e) => [e.tx, e.args.taskId as bigint]));
  const gameTask = new Map(
    events.named("GameChallenged").map((e) => [e.args.gameId as bigint, e.args.taskId as bigint]),
  );
  const managerAddress = manager.address.toLowerCase();
  const gameAddress = game?.address.toLowerCase();
  for (let n = fromBlock; n <= toBlock; n++) {
    const block = (await rpc.send("eth_getBlockByNumber", [`0x${n.toString(16)}`, true])) as {
      transactions: RawTx[];
    } | null;
    for (const tx of block?.transactions ?? []) {
      const to = tx.to?.toLowerCase();
      let taskId: bigint | undefined;
      if (to === managerAddress) {
        taskId = created.get(tx.hash) ?? firstUint(manager.iface, tx.input);
      } else if (to !== undefined && to === gameAddress && game !== undefined) {
        const gameId = firstUint(game.iface, tx.input);
        taskId = gameId === undefined ? undefined : gameTask.get(gameId);
      }
      if (taskId === undefined) continue;
      const receipt = (await rpc.send("eth_getTransactionReceipt", [tx.hash])) as { gasUsed: string } | null;
      if (receipt !== null) add(taskId, BigInt(receipt.gasUsed));
    }
  }
  return gas;
}

/**
 * The first argument when it is a uint256: every task manager function a transaction calls with one takes the task id
 * first, every game function the game id (the implementations leave some parameters unnamed, so the ABI's names
 * cannot be relied on).
 */
function firstUint(iface: Interface, data: string): bigint | undefined {
  try {
    const parsed = iface.parseTransaction({ data });
    const input = parsed?.fragment.inputs[0];
    if (parsed === null || input?.type !== "uint256") return undefined;
    return parsed.args[0] as bigint;
  } catch {
    return undefined;
  }
}
