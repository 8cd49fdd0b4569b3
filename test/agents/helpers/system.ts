import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { HDNodeWallet, Mnemonic, keccak256 } from "ethers";

import { network } from "hardhat";

import { encodeInput, randomState } from "../../../sdk/src/domain/particles/index.js";
import { withGasMargin } from "../../../sdk/src/internal/write.js";
import { UNIT } from "../../helpers/pool.js";
import { deployTaskSystem, type TaskSystem, type TaskSystemOptions } from "../../helpers/tasks.js";
import type { HardhatNode } from "./node.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Hardhat's default accounts (`hardhat node` funds them); the agents need their private keys. */
const MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");

export function keyOf(index: number): string {
  return HDNodeWallet.fromMnemonic(MNEMONIC, `m/44'/60'/0'/0/${index}`).privateKey;
}

export interface AgentSystem<S extends TaskSystemBase = TaskSystem> {
  sys: S;
  ethers: HardhatEthers;
  helpers: NetworkHelpers;
  node: HardhatNode;
  manager: string;
  /** The particle-world program, copied where this run's agents read it, and its id. */
  program: { path: string; id: string };
  /** A folder for this run's stores and agent specs. */
  dir: string;
  /** Private key of a signer of the node (by address). */
  keyFor(address: string): string;
}

/** What the agents tests use of a deployed task system, whatever its randomness source. */
export type TaskSystemBase = Pick<TaskSystem, "manager" | "requester" | "workers" | "token" | "pool">;

/**
 * Deploys the task system of the task tests against a `hardhat node` (automining while it deploys), copies the
 * particle program into a temporary folder (its id is its hash, whatever another engineer rebuilds meanwhile) and,
 * if asked, switches the node to interval mining so that the agents see time pass.
 */
export async function deployOnNode<S extends TaskSystemBase = TaskSystem>(
  node: HardhatNode,
  options: TaskSystemOptions & { blockMs?: number } = {},
  deploy: (
    ethers: HardhatEthers,
    helpers: NetworkHelpers,
    options: TaskSystemOptions,
  ) => Promise<S> = deployTaskSystem as never,
): Promise<AgentSystem<S>> {
  const { ethers, networkHelpers } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const sys = await deploy(ethers, networkHelpers, options);
  const dir = mkdtempSync(path.join(tmpdir(), "cohort-agents-"));
  const programPath = path.join(dir, "particles.wasm");
  copyFileSync(path.join(ROOT, "programs/particles/build/particles.wasm"), programPath);
  const id = keccak256(readFileSync(programPath));
  const accounts = (await node.rpc<string[]>("eth_accounts")).map((a) => a.toLowerCase());
  if (options.blockMs !== undefined) await intervalMining(node, options.blockMs);
  return {
    sys,
    ethers,
    helpers: networkHelpers,
    node,
    manager: await sys.manager.getAddress(),
    program: { path: programPath, id },
    dir,
    keyFor(address: string) {
      const index = accounts.indexOf(address.toLowerCase());
      if (index < 0) throw new Error(`${address} is not an account of the node`);
      return keyOf(index);
    },
  };
}

/** Blocks every `ms` milliseconds, transactions wait in the mempool for them (like a real chain). */
export async function intervalMining(node: HardhatNode, ms: number): Promise<void> {
  await node.rpc("evm_setAutomine", [false]);
  await node.rpc("evm_setIntervalMining", [ms]);
}

/** A particle-world input: a seeded random region and a number of ticks. */
export function particleInput(seed: number, ticks = 40): Uint8Array {
  return encodeInput(randomState(seed, { particles: 12, radius: 4 }), ticks);
}

/** Posts a particle-world task from the requester and returns its id. */
export async function postParticleTask(
  a: AgentSystem<TaskSystemBase>,
  seed: number,
  overrides: {
    seats?: bigint;
    quorum?: bigint;
    commitBlocks?: bigint;
    revealBlocks?: bigint;
    challengeBlocks?: bigint;
  } = {},
): Promise<bigint> {
  const input = particleInput(seed);
  const seats = overrides.seats ?? 3n;
  const request = {
    programId: a.program.id,
    inputHash: keccak256(input),
    inputKind: 0,
    input,
    seats,
    quorum: overrides.quorum ?? seats / 2n + 1n,
    reward: 300n * UNIT,
    commitBlocks: overrides.commitBlocks ?? 20n,
    revealBlocks: overrides.revealBlocks ?? 20n,
    challengeBlocks: overrides.challengeBlocks ?? 10n,
    valueAtRisk: 0n,
    noQuorumRule: 0,
  };
  const manager = a.sys.manager.connect(a.sys.requester);
  const tx = await manager.createTask(request, {
    gasLimit: withGasMargin(await manager.createTask.estimateGas(request)),
  });
  const receipt = await tx.wait();
  for (const log of receipt?.logs ?? []) {
    const parsed = a.sys.manager.interface.parseLog(log);
    if (parsed?.name === "TaskCreated") return parsed.args.taskId as bigint;
  }
  throw new Error("no TaskCreated event");
}

/** The agent config every test starts from: fast polling, small confirmations, the program, a store per agent. */
export function baseConfig(
  a: AgentSystem<TaskSystemBase>,
  store: string,
  key: string,
  extra: Record<string, unknown> = {},
) {
  return {
    rpcUrls: [a.node.url],
    privateKey: key,
    taskManager: a.manager,
    store: path.join(a.dir, store),
    confirmations: 2,
    pollIntervalMs: 100,
    rpcTimeoutMs: 5_000,
    programs: { [a.program.id]: a.program.path },
    shutdownTimeoutMs: 10_000,
    ...extra,
  };
}
