/**
 * Deploys Cohort with Ignition's own module, `ignition/modules/CohortLocal.ts` (TestToken, SecurityPool,
 * BlockhashRandomness, TaskManager with its TaskSettlement module, the manager's roles, BisectionGame with
 * ParticleStepVerifier registered for the particle program and set on the manager), with the parameters of
 * `ignition/parameters/local.json` and the demo's admin and treasury: the system a user deploys with
 * `npm run deploy:local` is the system the demo runs.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import CohortLocal from "../../ignition/modules/CohortLocal.ts";
import { deployCohort } from "../../ignition/modules/core.ts";
import type { BisectionGame, SecurityPool, TaskManager, TestToken } from "../../types/ethers-contracts/index.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const PARAMETERS_FILE = path.join(ROOT, "ignition/parameters/local.json");

export interface Deployment {
  token: TestToken;
  pool: SecurityPool;
  manager: TaskManager;
  game: BisectionGame | undefined;
  addresses: { token: string; pool: string; taskManager: string; bisectionGame?: string; stepVerifier?: string };
  /** The pool's draw schedule, read from the deployed pool: stakes must land outside a draw window. */
  schedule: { epochBlocks: bigint; drawWindowBlocks: bigint };
  /** The block the deployment ended at: agents scan from here. */
  block: number;
}

/** The particle program in the checkout is not the one `local.json` registers the step verifier for. */
export class DemoProgramMismatchError extends Error {
  override readonly name = "DemoProgramMismatchError";
  readonly registered: string;
  readonly built: string;
  constructor(registered: string, built: string) {
    super(
      `ignition/parameters/local.json registers the step verifier for program ${registered}, but ` +
        `programs/particles/build/particles.wasm is ${built}: rebuild the program (npm run build:programs) or update ` +
        "particleProgramId",
    );
    this.registered = registered;
    this.built = built;
  }
}

/** The file's `CohortLocal` values, read as Ignition reads them ("123n" strings are bigints). */
function readParameterFile(): Record<string, bigint | number | boolean | string> {
  const raw = JSON.parse(readFileSync(PARAMETERS_FILE, "utf8"), (_k, v: unknown) =>
    typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  ) as { CohortLocal: Record<string, bigint | number | boolean | string> };
  return raw.CohortLocal;
}

export async function deploySystem(
  conn: NetworkConnection,
  admin: HardhatEthersSigner,
  treasury: string,
  programId: string,
  withGame: boolean,
): Promise<Deployment> {
  const { ethers } = conn;
  const file = readParameterFile();
  const registered = String(file.particleProgramId);
  // The deployment registers the verifier for the file's program id; the demo's tasks name the program by the hash
  // of the WASM it runs, so the two must be the same program or no task could use the game.
  if (registered.toLowerCase() !== programId.toLowerCase()) throw new DemoProgramMismatchError(registered, programId);
  // On a node Ignition keeps a journal under ignition/deployments/<id>: a fresh id per run, so that an earlier
  // deployment on the same chain is not taken for this one, and the journal is deleted once the contracts exist
  // (the demo reads its addresses from the result). The in-process network keeps no journal.
  const deploymentId = `demo-${Date.now()}`;
  try {
    const deployed = await deployCohort(conn.ignition, CohortLocal, {
      parameters: { CohortLocal: { ...file, admin: admin.address, treasury } },
      defaultSender: admin.address,
      deploymentId,
    });
    const at = async <T>(name: string, contract: { getAddress(): Promise<string> }) =>
      (await ethers.getContractAt(name, await contract.getAddress(), admin)) as unknown as T;
    const token = await at<TestToken>("TestToken", deployed.stakeToken);
    const pool = await at<SecurityPool>("SecurityPool", deployed.pool);
    const manager = await at<TaskManager>("TaskManager", deployed.manager);
    const addresses: Deployment["addresses"] = {
      token: await token.getAddress(),
      pool: await pool.getAddress(),
      taskManager: await manager.getAddress(),
    };
    // Ignition always wires the game; `--no-game` only keeps the agents out of it (the record then shows none).
    let game: BisectionGame | undefined;
    if (withGame) {
      game = await at<BisectionGame>("BisectionGame", deployed.bisectionGame);
      addresses.bisectionGame = await game.getAddress();
      addresses.stepVerifier = await deployed.particleVerifier.getAddress();
    }
    const schedule = { epochBlocks: await pool.epochBlocks(), drawWindowBlocks: await pool.drawWindowBlocks() };
    return { token, pool, manager, game, addresses, schedule, block: await ethers.provider.getBlockNumber() };
  } finally {
    rmSync(path.join(ROOT, "ignition/deployments", deploymentId), { recursive: true, force: true });
  }
}
