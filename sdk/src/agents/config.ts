import { z } from "zod";

import { ConfigError } from "../errors/base.js";
import { addressSchema, bytes32Schema } from "../config/schema.js";

const url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "expected an http(s) URL");

/** An amount in token units or wei: a bigint, a safe integer or a decimal string. */
const amount = z.union([z.bigint(), z.number().int().nonnegative(), z.string().regex(/^[0-9]+$/)]).transform(BigInt);

const gwei = (n: number) => BigInt(Math.round(n * 1e9));

/**
 * What every agent needs, validated at the edge (the CLI builds it from flags and the environment). Block counts
 * are blocks, times are milliseconds.
 */
export const agentConfigSchema = z
  .object({
    /** One or more endpoints of the same chain, in order of preference (failover goes down the list). */
    rpcUrls: z.array(url).min(1),
    /** The agent's key, 0x-prefixed hex, unless a wallet is given beside the config. Never logged or stored. */
    privateKey: bytes32Schema.optional(),
    taskManager: addressSchema,
    /** The SQLite file (created if missing). One per agent process. */
    store: z.string().min(1),
    /** The first block to scan on a fresh store (the deployment's block; 0 on a local node). */
    fromBlock: z.number().int().nonnegative().default(0),
    /** A block is acted on once this deep (1: the head itself). */
    confirmations: z.number().int().min(1).max(64).default(2),
    /** Pause between rounds of the agent's loop. */
    pollIntervalMs: z.number().int().min(10).max(60_000).default(1_000),
    rpcTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    rpcMaxAttempts: z.number().int().min(1).max(50).default(8),
    rpcBackoffMs: z.number().int().min(1).max(60_000).default(200),
    logRange: z
      .object({
        initial: z.number().int().min(1).default(2_000),
        min: z.number().int().min(1).default(1),
        max: z.number().int().min(1).default(10_000),
      })
      .default({ initial: 2_000, min: 1, max: 10_000 }),
    /** Fees in gwei: the tip offered first and the most ever offered per gas. */
    priorityFeeGwei: z.number().nonnegative().default(1),
    maxFeeGwei: z.number().positive().default(1_000),
    /** Percent a stuck transaction's fees rise by (at least 10). */
    bumpPercent: z.number().min(10).max(500).default(12.5),
    /** Blocks without inclusion after which a transaction counts as stuck. */
    stuckBlocks: z.number().int().min(1).max(1_000).default(3),
    maxInFlight: z.number().int().min(1).max(256).default(16),
    /** Serve GET /health and /status on this loopback port (0: any free port); omit for none. */
    healthPort: z.number().int().min(0).max(65_535).optional(),
    healthHost: z.string().default("127.0.0.1"),
    /** How long a shutdown waits for in-flight work before it stops anyway (the store keeps what is unfinished). */
    shutdownTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
    /** programId -> path or URI of its WASM bytes (file:, data:, http(s):); the bytes' keccak256 must be the id. */
    programs: z.record(bytes32Schema, z.string().min(1)).default({}),
    fetchTimeoutMs: z.number().int().min(100).default(30_000),
    computeTimeoutMs: z.number().int().min(100).default(60_000),
    memoryPages: z.number().int().min(1).max(65_536).default(256),
    maxConcurrentComputations: z.number().int().min(1).max(64).default(2),
    /** Tasks looked at per round of the loop (the rest wait for the next round). */
    tasksPerRound: z.number().int().min(1).max(10_000).default(200),
  })
  .strict();

/** Which permissionless calls an agent makes when they serve it (rule 6: anyone may). */
const progressSchema = z
  .object({
    draw: z.boolean().default(true),
    replaceNoShows: z.boolean().default(true),
    tally: z.boolean().default(true),
    finalize: z.boolean().default(true),
    expire: z.boolean().default(true),
  })
  .default({ draw: true, replaceNoShows: true, tally: true, finalize: true, expire: true });

export const workerConfigSchema = agentConfigSchema
  .extend({
    progress: progressSchema,
    /** Claim rewards of won records. */
    claim: z.boolean().default(true),
    /**
     * Compute every task when it is posted, before any committee is drawn: the commit then goes out as soon as the
     * seats are seen, at the price of running programs for tasks this worker never sits on.
     */
    precompute: z.boolean().default(false),
    /** Emit the result bytes with the reveal (gas grows with their size; at most the contract's 16,384 bytes). */
    revealResultBytes: z.boolean().default(false),
    /**
     * Blocks a worker may wait, after a permissionless call becomes possible, before making it (a hash of its address
     * and the task picks 0..jitterBlocks), so that a committee does not send the same tally in the same block.
     */
    jitterBlocks: z.number().int().min(0).max(16).default(1),
    /**
     * Testing only: `wrong-result` commits and reveals a hash that is not the program's output, the behaviour a
     * watchtower must catch and the contracts must slash.
     */
    adversary: z.enum(["none", "wrong-result"]).default("none"),
    /**
     * Defend the worker's own revealed result when a bisection game is opened against it and no defender is
     * assigned yet (`defendGame`), then play the defender's side to the end (docs/Agents.md, "Games").
     */
    defendGames: z.boolean().default(true),
  })
  .strict();

export const watchtowerConfigSchema = agentConfigSchema
  .extend({
    progress: progressSchema,
    /** The largest bond the watchtower puts up for one challenge, in token units (default: no limit). */
    maxBond: amount.optional(),
    /** Allowance to grant the manager when it is short, in token units, at least the bond (default: the balance). */
    approveAmount: amount.optional(),
    /**
     * How a wrong result of a task whose program has a step verifier is challenged. `prefer`: by a bisection game
     * whenever the task allows one (the watchtower alone decides it), else by an escalation. `escalate-first`: by an
     * escalation while one is left and the result came from a committee, then by a game. `off`: escalations only.
     */
    game: z.enum(["prefer", "escalate-first", "off"]).default("prefer"),
  })
  .strict();

export type AgentConfigInput = z.input<typeof agentConfigSchema>;
export type AgentConfig = z.output<typeof agentConfigSchema>;
export type WorkerConfigInput = z.input<typeof workerConfigSchema>;
export type WorkerConfig = z.output<typeof workerConfigSchema>;
export type WatchtowerConfigInput = z.input<typeof watchtowerConfigSchema>;
export type WatchtowerConfig = z.output<typeof watchtowerConfigSchema>;

/** Parses agent options, turning zod's issues into one `ConfigError` (the key is never echoed). */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError("Invalid agent configuration", {
      details: parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; "),
      meta: { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    });
  }
  return parsed.data;
}

export function feeOptions(config: AgentConfig) {
  return {
    priorityFee: gwei(config.priorityFeeGwei),
    maxFeeCap: gwei(config.maxFeeGwei),
    bumpPercent: config.bumpPercent,
  };
}
