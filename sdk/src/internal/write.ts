import type { Contract, ContractTransactionReceipt, LogDescription } from "ethers";

import type { CohortClient } from "../client/create.js";
import { NoSignerError } from "../errors/contract.js";
import { ContractRevertError } from "../errors/contract.js";
import { toCohortError } from "../errors/decode.js";

/** The contracts a client binds, by the key actions name them with. */
export type ContractKey = "pool" | "manager" | "token" | "randomness";

const CONTRACT_NAMES: Record<ContractKey, string> = {
  pool: "SecurityPool",
  manager: "TaskManager",
  token: "StakeToken",
  randomness: "Randomness",
};

/**
 * A contract the client does not bind itself (the bisection game): written to with the same simulate-then-send path,
 * and its events decoded beside the client's own. `key` names it in `DecodedEvent.contract`, `name` in errors.
 */
export interface ExtraContract {
  key: string;
  name: string;
  contract: Contract;
}

/** What a write goes to: one of the client's contracts by key, or another contract. */
export type WriteTarget = ContractKey | ExtraContract;

/** One decoded event of a write's receipt. */
export interface DecodedEvent {
  /** The contract that emitted it, as the client names it (or the `ExtraContract`'s key). */
  contract: ContractKey | (string & {});
  name: string;
  args: Record<string, unknown>;
}

/** What every write action returns at least. */
export interface WriteResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  events: DecodedEvent[];
}

/** The per-transaction gas cap of EIP-7825 (Osaka): a limit above it is refused, whatever the block's limit. */
const TX_GAS_CAP = 16_777_216n;

/**
 * The gas limit a write is sent with: the node's estimate plus a quarter and 10,000. The estimate is exact for the
 * state it ran on, and other transactions of the same block can change that state (a slot warmed or emptied first, a
 * total that reaches zero), which on a busy chain runs an exactly estimated call out of gas. Never above the cap
 * unless the estimate itself is.
 */
export function withGasMargin(estimate: bigint): bigint {
  const padded = (estimate * 125n) / 100n + 10_000n;
  const ceiling = estimate > TX_GAS_CAP ? estimate : TX_GAS_CAP;
  return padded < ceiling ? padded : ceiling;
}

/**
 * Simulates the call first, so that a call the contracts would refuse throws its decoded custom error and sends
 * nothing; then sends it with a gas margin (`withGasMargin`), waits for the client's confirmations, and decodes the
 * receipt's events from every Cohort contract. `returnValue` is the simulated return value (what the mined call
 * returned, as nothing ran in between on an automining node; on a live network it is the best estimate at send time).
 */
export async function writeContract<T = unknown>(
  client: CohortClient,
  target: WriteTarget,
  fn: string,
  args: unknown[],
): Promise<WriteResult & { returnValue: T }> {
  const { contract, name } = resolve(client, target);
  const functionName = `${name}.${fn}`;
  if (client.signer === undefined) throw new NoSignerError(functionName);
  const context = { errors: client.errors, functionName, url: client.url };
  const returnValue = await simulateContract<T>(client, target, fn, args);
  let receipt: ContractTransactionReceipt | null;
  let hash: string | undefined;
  try {
    const call = contract.getFunction(fn);
    const gasLimit = withGasMargin(await call.estimateGas(...args));
    const tx = await call.send(...args, { gasLimit });
    hash = tx.hash;
    receipt = await tx.wait(client.confirmations);
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
    events: decodeEvents(client, receipt, typeof target === "string" ? [] : [target]),
    returnValue,
  };
}

/**
 * Runs the call from the client's signer (or with no sender) without sending it: its return value, or its decoded
 * revert as the SDK's typed error.
 */
export async function simulateContract<T = unknown>(
  client: CohortClient,
  target: WriteTarget,
  fn: string,
  args: unknown[],
): Promise<T> {
  const { contract, name } = resolve(client, target);
  try {
    // "pending": the transaction will run in the next block, and some checks depend on the block number (a seed
    // readable only once its block has passed, deadlines), so the simulation runs where the transaction will.
    return (await contract.getFunction(fn).staticCall(...args, { blockTag: "pending" })) as T;
  } catch (error) {
    throw toCohortError(error, { errors: client.errors, functionName: `${name}.${fn}`, url: client.url });
  }
}

/**
 * Every log of the receipt that one of the client's contracts (or one of `extra`) emitted, decoded against that
 * contract's ABI.
 */
export function decodeEvents(
  client: CohortClient,
  receipt: ContractTransactionReceipt,
  extra: readonly ExtraContract[] = [],
): DecodedEvent[] {
  const byAddress = new Map<string, [string, Contract]>();
  for (const key of Object.keys(CONTRACT_NAMES) as ContractKey[]) {
    byAddress.set(client.addresses[addressKey(key)].toLowerCase(), [key, client[key]]);
  }
  for (const e of extra) byAddress.set(String(e.contract.target).toLowerCase(), [e.key, e.contract]);
  const events: DecodedEvent[] = [];
  for (const log of receipt.logs) {
    const entry = byAddress.get(log.address.toLowerCase());
    if (entry === undefined) continue;
    let parsed: LogDescription | null;
    try {
      parsed = entry[1].interface.parseLog(log);
    } catch {
      parsed = null;
    }
    if (parsed) events.push({ contract: entry[0], name: parsed.name, args: resultToObject(parsed) });
  }
  return events;
}

/** The first event of `name` in a write's result, or undefined. */
export function findEvent(result: { events: DecodedEvent[] }, name: string): DecodedEvent | undefined {
  return result.events.find((e) => e.name === name);
}

function resolve(client: CohortClient, target: WriteTarget): { contract: Contract; name: string } {
  return typeof target === "string" ? { contract: client[target], name: CONTRACT_NAMES[target] } : target;
}

function addressKey(key: ContractKey): keyof CohortClient["addresses"] {
  return ({ pool: "securityPool", manager: "taskManager", token: "stakeToken", randomness: "randomness" } as const)[
    key
  ];
}

function resultToObject(parsed: LogDescription): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    out[input.name === "" ? String(i) : input.name] = parsed.args[i];
  });
  return out;
}
