/**
 * What every flow script shares: the network connection Hardhat gives a script (`--network localhost`, `sepolia`),
 * the task manager of the Ignition deployment for that chain, SDK clients for the network's accounts, the script's
 * settings from the environment (validated here, nowhere else), and waiting for blocks (mined on a local node, waited
 * for elsewhere).
 */
import { network } from "hardhat";
import { z } from "zod";

import { createCohort, type Cohort } from "../../sdk/src/index.js";

export const UNIT = 10n ** 18n;
const LOCAL_CHAIN_ID = 31337n;

export async function connect() {
  const { ethers, networkName } = await network.create();
  const signers = await ethers.getSigners();
  const { chainId } = await ethers.provider.getNetwork();
  const taskManager = process.env.COHORT_TASK_MANAGER;
  const clientOf = async (index: number): Promise<Cohort> => {
    const signer = signers[index];
    if (signer === undefined) throw new Error(`the network has ${signers.length} accounts, not ${index + 1}`);
    return await createCohort({
      provider: ethers.provider,
      signer,
      ...(taskManager ? { taskManager } : { deploymentsDir: process.env.COHORT_DEPLOYMENTS ?? "ignition/deployments" }),
    });
  };
  const reader = await clientOf(0);
  console.log(`network "${networkName}" (chain ${chainId}), task manager ${reader.addresses.taskManager}`);

  /** Lets the chain reach block `target`: mines on a local node, polls elsewhere. */
  async function untilBlock(target: bigint): Promise<void> {
    const latest = BigInt(await ethers.provider.getBlockNumber());
    if (latest >= target) return;
    if (chainId === LOCAL_CHAIN_ID) {
      await ethers.provider.send("hardhat_mine", [`0x${(target - latest).toString(16)}`]);
      return;
    }
    console.log(`waiting for block ${target} (now ${latest})...`);
    while (BigInt(await ethers.provider.getBlockNumber()) < target) await new Promise((r) => setTimeout(r, 4_000));
  }

  return { ethers, networkName, chainId, signers, reader, clientOf, untilBlock };
}

/** The settings of a flow script, from the environment, with their defaults; a bad value stops the script by name. */
export function settings<T extends z.ZodRawShape>(shape: T): z.infer<z.ZodObject<T>> {
  const parsed = z.object(shape).safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid settings: ${issues}`);
  }
  return parsed.data;
}

/** A comma-separated list of account indices (`"1,2,3"`). */
export const indexList = z
  .string()
  .regex(/^\d+(,\d+)*$/, "expected account indices like 1,2,3")
  .transform((s) => s.split(",").map(Number));

/** The task id from `TASK`, or the newest task. */
export async function taskIdFrom(reader: Cohort, value: string | undefined): Promise<bigint> {
  if (value !== undefined) return BigInt(value);
  const { taskCount } = await reader.listTasks({ limit: 1 });
  if (taskCount === 0n) throw new Error("no task yet: run scripts/flows/post-task.ts first");
  return taskCount;
}
