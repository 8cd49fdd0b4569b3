import { z } from "zod";

import { KNOWN_NETWORKS } from "../config/schema.js";
import { addressSchema } from "../config/schema.js";
import { ConfigError } from "../errors/base.js";

/**
 * The global options as commander parses them (every value a string, flags booleans). Each has an environment
 * variable; a flag wins over its variable. Secrets (keys, passwords) have no flag: they come from the environment or
 * a prompt only, so they never appear in a shell history or a process list.
 */
export interface GlobalFlags {
  network?: string;
  rpcUrl?: string;
  rpcTimeout?: string;
  deployments?: string;
  deploymentId?: string;
  taskManager?: string;
  confirmations?: string;
  json?: boolean;
  logLevel?: string;
  keystore?: string;
  hardhatKeystore?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The environment variables the CLI reads, by the option they stand for. Nothing else reads the environment. */
export const ENV = {
  network: "COHORT_NETWORK",
  rpcUrl: "COHORT_RPC_URL",
  rpcTimeout: "COHORT_RPC_TIMEOUT_MS",
  deployments: "COHORT_DEPLOYMENTS",
  deploymentId: "COHORT_DEPLOYMENT_ID",
  taskManager: "COHORT_TASK_MANAGER",
  confirmations: "COHORT_CONFIRMATIONS",
  logLevel: "COHORT_LOG_LEVEL",
  keystore: "COHORT_KEYSTORE",
  hardhatKeystore: "COHORT_HARDHAT_KEYSTORE",
  privateKey: "COHORT_PRIVATE_KEY",
  keystorePassword: "COHORT_KEYSTORE_PASSWORD",
  hardhatKeystorePassword: "COHORT_HARDHAT_KEYSTORE_PASSWORD",
  hardhatKeystoreFile: "COHORT_HARDHAT_KEYSTORE_FILE",
} as const;

const NETWORK_NAMES = Object.keys(KNOWN_NETWORKS) as [keyof typeof KNOWN_NETWORKS, ...(keyof typeof KNOWN_NETWORKS)[]];
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const configSchema = z
  .object({
    network: z
      .enum(NETWORK_NAMES, { error: () => `unknown network: known are ${NETWORK_NAMES.join(", ")}` })
      .optional(),
    rpcUrl: z
      .string()
      .regex(/^(https?|wss?):\/\/\S+$/, "expected an http(s) or ws(s) URL")
      .optional(),
    rpcTimeoutMs: integer(100, 600_000).default(30_000),
    deploymentsDir: z.string().min(1).default("ignition/deployments"),
    deploymentId: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, "expected an Ignition deployment id (letters, digits, _ and -)")
      .optional(),
    taskManager: addressSchema.optional(),
    confirmations: integer(1, 64).default(1),
    json: z.boolean(),
    logLevel: z.enum(LOG_LEVELS).default("info"),
    keystore: z.string().min(1).optional(),
    hardhatKeystore: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected a Hardhat keystore key name such as SEPOLIA_PRIVATE_KEY")
      .optional(),
    hardhatKeystoreFile: z.string().min(1).optional(),
  })
  .strict();

export type CliConfig = z.output<typeof configSchema>;

/** Secrets from the environment, kept apart from the config so that nothing logs or prints them with it. */
export interface Secrets {
  privateKey: string | undefined;
  keystorePassword: string | undefined;
  hardhatKeystorePassword: string | undefined;
}

/** Merges flags over environment variables and validates the result at the edge. */
export function resolveConfig(flags: GlobalFlags, env: Env): { config: CliConfig; secrets: Secrets } {
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? nonEmpty(env[name]);
  const raw = {
    network: pick(flags.network, ENV.network),
    rpcUrl: pick(flags.rpcUrl, ENV.rpcUrl),
    rpcTimeoutMs: pick(flags.rpcTimeout, ENV.rpcTimeout),
    deploymentsDir: pick(flags.deployments, ENV.deployments),
    deploymentId: pick(flags.deploymentId, ENV.deploymentId),
    taskManager: pick(flags.taskManager, ENV.taskManager),
    confirmations: pick(flags.confirmations, ENV.confirmations),
    json: flags.json === true,
    logLevel: pick(flags.logLevel, ENV.logLevel),
    keystore: pick(flags.keystore, ENV.keystore),
    hardhatKeystore: pick(flags.hardhatKeystore, ENV.hardhatKeystore),
    hardhatKeystoreFile: nonEmpty(env[ENV.hardhatKeystoreFile]),
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "options");
      return { option: optionName(key), message: i.message };
    });
    const first = issues[0];
    throw new ConfigError(first ? `Invalid ${first.option}: ${first.message}` : "Invalid options", {
      details: issues.map((i) => `${i.option}: ${i.message}`).join("; "),
      meta: { issues },
    });
  }
  return {
    config: parsed.data,
    secrets: {
      privateKey: nonEmpty(env[ENV.privateKey]),
      keystorePassword: env[ENV.keystorePassword],
      hardhatKeystorePassword: env[ENV.hardhatKeystorePassword],
    },
  };
}

/** `--rpc-url / COHORT_RPC_URL` for a config key, as a person looks it up. */
function optionName(key: string): string {
  const flags: Record<string, string> = {
    rpcTimeoutMs: "--rpc-timeout",
    deploymentsDir: "--deployments",
    hardhatKeystoreFile: "COHORT_HARDHAT_KEYSTORE_FILE",
  };
  const flag = flags[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const envKey = (
    key === "rpcTimeoutMs" ? "rpcTimeout" : key === "deploymentsDir" ? "deployments" : key
  ) as keyof typeof ENV;
  const variable = ENV[envKey] as string | undefined;
  return variable === undefined || flag === variable ? flag : `${flag} / ${variable}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
