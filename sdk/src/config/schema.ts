import { z } from "zod";

/** A 20-byte hex address (checksum not required; ethers normalizes it). */
export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address");
/** A 32-byte hex value (ids, hashes, salts). */
export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a 0x-prefixed 32-byte hex value");

/** Networks known by name; anything else needs an RPC URL. */
export const KNOWN_NETWORKS = {
  localhost: { url: "http://127.0.0.1:8545", chainId: 31337n },
  sepolia: { url: undefined, chainId: 11155111n },
} as const;

export type KnownNetwork = keyof typeof KNOWN_NETWORKS;

/**
 * What a client is built from, validated at the edge: a network name or an RPC URL (or, in code, a provider object
 * given beside these options), and either the task manager's address or the Ignition deployment to read it from.
 */
export const clientConfigSchema = z
  .object({
    network: z.string().min(1).optional(),
    rpcUrl: z
      .string()
      .url()
      .refine((u) => /^(https?|wss?):\/\//.test(u), "expected an http(s) or ws(s) URL")
      .optional(),
    taskManager: addressSchema.optional(),
    /** Folder holding `chain-<id>/deployed_addresses.json` (Ignition's layout); default `ignition/deployments`. */
    deploymentsDir: z.string().min(1).default("ignition/deployments"),
    /** An Ignition deployment id other than `chain-<id>`. */
    deploymentId: z.string().min(1).optional(),
    /** Blocks a write waits for after the one that includes it. */
    confirmations: z.number().int().min(1).max(64).default(1),
    /** Per-request timeout of the JSON-RPC provider, in milliseconds. */
    rpcTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();

export type ClientConfigInput = z.input<typeof clientConfigSchema>;
export type ClientConfig = z.output<typeof clientConfigSchema>;
