/**
 * The run record's shape (types.ts) as a zod schema, so a record read from disk, or handed over by the engine, is
 * checked before anything is drawn. A compile-time check below keeps the schema and the interface the same type.
 */
import { z } from "zod";

import { ReportDataInvalidError } from "./errors.ts";
import type { DemoReport } from "./types.ts";

/** Decimal base units or gas: JSON has no bigint (types.ts). */
const units = z.string().regex(/^\d+$/, "a non-negative decimal integer string");
const signedUnits = z.string().regex(/^-?\d+$/, "a decimal integer string");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 20-byte 0x address");
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte 0x hash");
const share = z.number().min(0).max(1);
const count = z.number().int().min(0);
const int = z.number().int();
const finite = z.number().finite();

const config = z.object({
  gridX: count,
  gridY: count,
  regionWidth: count,
  regionHeight: count,
  radius: count,
  particlesPerRegion: count,
  ticksPerTask: count,
  epochs: count,
  workers: count,
  adversaryShare: share,
  seats: count,
  quorum: count,
});

const worker = z.object({
  address,
  label: z.string().min(1),
  adversarial: z.boolean(),
  stakeStart: units,
  stakeEnd: units,
  stakeShare: share,
  seats: count,
  seatShare: share,
  rewards: units,
  slashed: units,
  slashCount: count,
});

const watchtower = z.object({
  address,
  label: z.string().min(1),
  challenges: count,
  won: count,
  lost: count,
  earned: signedUnits,
});

const task = z.object({
  taskId: z.string().min(1),
  region: z.object({ x: count, y: count }),
  epoch: count,
  createdBlock: count,
  finalizedBlock: count,
  outcome: z.enum(["finalized", "challenged", "overturned"]),
  proposedResultHash: hash,
  finalResultHash: hash,
  trustedResultHash: hash,
  settledBy: z.enum(["committee", "game"]).optional(),
  challenges: count,
  seats: count,
  gasUsed: units,
  particlesIn: count,
  particlesOut: count,
  input: z
    .string()
    .regex(/^0x([0-9a-fA-F]{2})*$/, "0x-hex bytes")
    .optional(),
  outputFrom: z.enum(["reveal", "recomputed", "trusted"]).optional(),
});

const slash = z.object({
  taskId: z.string().min(1),
  worker: address,
  amount: units,
  reason: z.string().min(1),
  block: count,
});

const layer = z.object({ layer: z.string().min(1), seats: z.record(z.string(), count), total: count });

const world = z.object({
  width: finite,
  height: finite,
  radius: finite,
  regions: z.array(z.object({ x: count, y: count, ox: int, oy: int, width: count, height: count })),
  particles: z.array(z.object({ x: finite, y: finite, vx: finite, vy: finite, region: count })),
  ticks: count,
});

const totals = z.object({
  tasks: count,
  finalized: count,
  challenged: count,
  overturned: count,
  challenges: count,
  slashes: count,
  slashedAmount: units,
  rewardsPaid: units,
  gasTotal: units,
  gasPerTask: units,
  wallClockSeconds: z.number().min(0),
});

const checks = z.object({
  allFinalCorrect: z.boolean(),
  adversarySlashed: z.boolean(),
  accountingExact: z.boolean(),
  detail: z.array(z.string()),
});

export const demoReportSchema = z
  .object({
    generatedAt: z.iso.datetime({ offset: true }),
    network: z.object({ name: z.string().min(1), chainId: count }),
    config,
    addresses: z.object({
      token: address,
      pool: address,
      taskManager: address,
      bisectionGame: address.optional(),
      stepVerifier: address.optional(),
    }),
    workers: z.array(worker).min(1),
    watchtowers: z.array(watchtower),
    tasks: z.array(task),
    slashes: z.array(slash),
    seatsByLayer: z.array(layer),
    world,
    totals,
    checks,
  })
  .superRefine((report, ctx) => {
    // What the charts rely on beyond field types: particles name a region that exists, a layer's total is its seats.
    report.world.particles.forEach((p, i) => {
      if (p.region >= report.world.regions.length)
        ctx.addIssue({
          code: "custom",
          path: ["world", "particles", i, "region"],
          message: `region ${p.region} but the world has ${report.world.regions.length} regions`,
        });
    });
    report.seatsByLayer.forEach((l, i) => {
      const sum = Object.values(l.seats).reduce((a, b) => a + b, 0);
      if (sum !== l.total)
        ctx.addIssue({
          code: "custom",
          path: ["seatsByLayer", i, "total"],
          message: `total ${l.total} but the seats add up to ${sum}`,
        });
    });
    report.tasks.forEach((t, i) => {
      if (t.finalizedBlock < t.createdBlock)
        ctx.addIssue({
          code: "custom",
          path: ["tasks", i, "finalizedBlock"],
          message: `finalized in block ${t.finalizedBlock}, before its creation block ${t.createdBlock}`,
        });
    });
  });

// The schema's type and the interface must be the same type both ways, or this line does not compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesInterface: Same<z.infer<typeof demoReportSchema>, DemoReport> = true;
void schemaMatchesInterface;

/** Checks `value` is a DemoReport; `source` names it in the error (a file path, "the engine's record"). */
export function parseReport(value: unknown, source: string): DemoReport {
  const result = demoReportSchema.safeParse(value);
  if (!result.success) {
    throw new ReportDataInvalidError(
      source,
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return result.data;
}
