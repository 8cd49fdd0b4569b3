import { readFileSync } from "node:fs";
import { join } from "node:path";

import { z } from "zod";

import { CohortError } from "../errors/base.js";
import { addressSchema } from "./schema.js";

/** No Ignition deployment of the system for this chain (or the file does not name a task manager). */
export class DeploymentNotFoundError extends CohortError {
  override name = "DeploymentNotFoundError";
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`No Cohort deployment at ${path}: ${problem}`, {
      meta: { path },
      details: "deploy with `npx hardhat ignition deploy` (see docs/Deployment.md) or pass the task manager's address",
    });
    this.path = path;
  }
}

const addressBookSchema = z.record(z.string(), addressSchema);

/** The future id the Ignition modules give the task manager (`<ModuleId>#TaskManager`). */
const TASK_MANAGER_FUTURE = "TaskManager";

/**
 * The task manager's address from `<dir>/<deploymentId | chain-<chainId>>/deployed_addresses.json`, the address book
 * Ignition writes. Every other address (pool, token, randomness) is read from the manager itself, so one entry is
 * all the SDK needs and a book cannot point at parts of two different deployments.
 */
export function readTaskManagerAddress(dir: string, chainId: bigint, deploymentId?: string): string {
  const path = join(dir, deploymentId ?? `chain-${chainId}`, "deployed_addresses.json");
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch {
    throw new DeploymentNotFoundError(path, "the file does not exist");
  }
  let book: Record<string, string>;
  try {
    book = addressBookSchema.parse(JSON.parse(raw));
  } catch (cause) {
    throw new DeploymentNotFoundError(path, `not an Ignition address book (${(cause as Error).message})`);
  }
  const keys = Object.keys(book).filter((k) => k.split("#")[1] === TASK_MANAGER_FUTURE);
  if (keys.length !== 1) {
    throw new DeploymentNotFoundError(
      path,
      keys.length === 0 ? `no "<module>#${TASK_MANAGER_FUTURE}" entry` : `several task managers: ${keys.join(", ")}`,
    );
  }
  const [key] = keys as [string];
  return book[key] as string;
}
