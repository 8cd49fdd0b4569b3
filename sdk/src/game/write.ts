import type { ContractTransactionReceipt, LogDescription } from "ethers";

import { ContractRevertError, NoSignerError } from "../errors/contract.js";
import { toCohortError } from "../errors/decode.js";
import type { GameClient } from "./client.js";

/** One decoded event of a game write's receipt, from the game contract or the task manager. */
export interface GameEvent {
  contract: "game" | "manager";
  name: string;
  args: Record<string, unknown>;
}

/** What every game write returns (the SDK's `WriteResult`, with the game's events). */
export interface GameWriteResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  events: GameEvent[];
}

/**
 * A write to the game contract, as the SDK's `writeContract` does it for the other contracts: simulated first in the
 * pending block (a refusal throws its decoded error and sends nothing), then sent and awaited for the client's
 * confirmations; the receipt's game and manager events decoded.
 */
export async function writeGame<T = unknown>(
  client: GameClient,
  fn: string,
  args: unknown[],
): Promise<GameWriteResult & { returnValue: T }> {
  const functionName = `BisectionGame.${fn}`;
  const { cohort, game } = client;
  if (cohort.signer === undefined) throw new NoSignerError(functionName);
  const context = { errors: cohort.errors, functionName, url: cohort.url };
  let returnValue: T;
  try {
    returnValue = (await game.getFunction(fn).staticCall(...args, { blockTag: "pending" })) as T;
  } catch (error) {
    throw toCohortError(error, context);
  }
  let receipt: ContractTransactionReceipt | null;
  let hash: string | undefined;
  try {
    const tx = await game.getFunction(fn).send(...args);
    hash = tx.hash;
    receipt = await tx.wait(cohort.confirmations);
  } catch (error) {
    throw toCohortError(error, { ...context, ...(hash === undefined ? {} : { transactionHash: hash }) });
  }
  if (receipt === null || receipt.status !== 1) {
    throw new ContractRevertError({
      errorName: "UnknownRevert",
      args: {},
      functionName,
      ...(hash ? { transactionHash: hash } : {}),
    });
  }
  return {
    hash: receipt.hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    events: decodeGameEvents(client, receipt),
    returnValue,
  };
}

function decodeGameEvents(client: GameClient, receipt: ContractTransactionReceipt): GameEvent[] {
  const sources = [
    ["game", client.address, client.game],
    ["manager", client.cohort.addresses.taskManager, client.cohort.manager],
  ] as const;
  const events: GameEvent[] = [];
  for (const log of receipt.logs) {
    const source = sources.find(([, address]) => address.toLowerCase() === log.address.toLowerCase());
    if (source === undefined) continue;
    let parsed: LogDescription | null;
    try {
      parsed = source[2].interface.parseLog(log);
    } catch {
      parsed = null;
    }
    if (parsed === null) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name === "" ? String(i) : input.name] = parsed.args[i]));
    events.push({ contract: source[0], name: parsed.name, args });
  }
  return events;
}
