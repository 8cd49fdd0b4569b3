/**
 * The run record (`scripts/demo/report/types.ts`) from what the run collected: the chain's events, the tasks and the
 * states, the pool's stakes, gas per task and the checks.
 */
import { keccak256 } from "ethers";

import { particles as world } from "../../sdk/dist/index.js";
import type { PostedTask } from "./epochs.ts";
import { REASONS } from "./epochs.ts";
import type { EventCollector } from "./events.ts";
import type { PoolMember } from "./pool.ts";
import type {
  Checks,
  DemoConfig,
  DemoReport,
  LayerSeats,
  SlashRow,
  TaskRow,
  WatchtowerRow,
  WorkerRow,
} from "./report/types.ts";
import type { RegionRef, WorldShape } from "./world.ts";

export interface RecordInput {
  network: { name: string; chainId: number };
  config: DemoConfig;
  addresses: DemoReport["addresses"];
  members: PoolMember[];
  stakeEnd: Map<string, bigint>;
  watchtower: { address: string; earned: bigint };
  tasks: PostedTask[];
  trusted: string[][];
  events: EventCollector;
  gas: Map<bigint, bigint>;
  shape: WorldShape;
  regions: RegionRef[];
  end: world.ParticleState[];
  checks: Checks;
  wallClockSeconds: number;
}

const key = (a: string) => a.toLowerCase();

export function buildRecord(x: RecordInput): DemoReport {
  const ev = x.events;
  const ofTask = (name: string, taskId: bigint, source: "manager" | "game" = "manager") =>
    ev.named(name, source).filter((e) => e.args.taskId === taskId);

  // Seats per worker, per layer (round 0 is the first committee, round r the r-th escalation).
  const layers = new Map<number, Map<string, number>>();
  const seatsOf = new Map<string, number>();
  for (const e of ev.named("SeatsAssigned")) {
    const round = Number(e.args.round);
    const member = key(e.args.member as string);
    const seats = Number(e.args.seats);
    const layer = layers.get(round) ?? new Map<string, number>();
    layer.set(member, (layer.get(member) ?? 0) + seats);
    layers.set(round, layer);
    seatsOf.set(member, (seatsOf.get(member) ?? 0) + seats);
  }
  const seatsTotal = [...seatsOf.values()].reduce((a, b) => a + b, 0);
  const seatsByLayer: LayerSeats[] = [...layers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([round, m]) => ({
      layer: round === 0 ? "first committee" : `escalation ${round}`,
      seats: Object.fromEntries([...m.entries()].map(([a, n]) => [checksum(x.members, a), n])),
      total: [...m.values()].reduce((a, b) => a + b, 0),
    }));

  const slashes: SlashRow[] = ev
    .named("MemberPenalized")
    .filter((e) => (e.args.slashed as bigint) > 0n)
    .map((e) => ({
      taskId: String(e.args.taskId),
      worker: e.args.member as string,
      amount: String(e.args.slashed),
      reason: REASONS[Number(e.args.reason)] ?? String(e.args.reason),
      block: e.block,
    }));

  const rewardsOf = new Map<string, bigint>();
  for (const e of ev.named("RewardClaimed")) {
    const m = key(e.args.member as string);
    rewardsOf.set(m, (rewardsOf.get(m) ?? 0n) + (e.args.amount as bigint));
  }
  const totalStake = x.members.reduce((a, m) => a + m.stake, 0n);
  const workers: WorkerRow[] = x.members.map((m) => {
    const a = key(m.wallet.address);
    const mine = slashes.filter((s) => key(s.worker) === a);
    return {
      address: m.wallet.address,
      label: m.label,
      adversarial: m.adversarial,
      stakeStart: String(m.stake),
      stakeEnd: String(x.stakeEnd.get(a) ?? 0n),
      stakeShare: Number((m.stake * 1_000_000n) / totalStake) / 1_000_000,
      seats: seatsOf.get(a) ?? 0,
      seatShare: seatsTotal === 0 ? 0 : (seatsOf.get(a) ?? 0) / seatsTotal,
      rewards: String(rewardsOf.get(a) ?? 0n),
      slashed: String(mine.reduce((s, r) => s + BigInt(r.amount), 0n)),
      slashCount: mine.length,
    };
  });

  const wt = key(x.watchtower.address);
  const settled = [...ev.named("ChallengeSettled"), ...ev.named("GameChallengeSettled")].filter(
    (e) => key(e.args.challenger as string) === wt,
  );
  const watchtowers: WatchtowerRow[] = [
    {
      address: x.watchtower.address,
      label: "watchtower",
      challenges: [...ev.named("Challenged"), ...ev.named("GameChallenged")].filter(
        (e) => key(e.args.challenger as string) === wt,
      ).length,
      won: settled.filter((e) => Number(e.args.outcome) === 1).length,
      lost: settled.filter((e) => Number(e.args.outcome) === 2).length,
      earned: String(x.watchtower.earned),
    },
  ];

  const tasks: TaskRow[] = x.tasks.map((t) => {
    const proposed = ofTask("ResultProposed", t.taskId).find((e) => e.args.round === 0n);
    const proposedResultHash = (proposed?.args.resultHash as string | undefined) ?? t.finalResultHash;
    const committee = ofTask("Challenged", t.taskId).length;
    const games = ofTask("GameChallenged", t.taskId).length;
    const challenges = committee + games;
    const outcome: TaskRow["outcome"] =
      challenges === 0 ? "finalized" : proposedResultHash === t.finalResultHash ? "challenged" : "overturned";
    const inputState = world.decodeInput(t.input).state;
    return {
      taskId: String(t.taskId),
      region: { x: t.region.x, y: t.region.y },
      epoch: t.epoch,
      createdBlock: t.createdBlock,
      finalizedBlock: t.finalizedBlock,
      outcome,
      proposedResultHash,
      finalResultHash: t.finalResultHash,
      trustedResultHash: x.trusted[t.epoch]![t.region.index]!,
      ...(challenges === 0 ? {} : { settledBy: games > 0 ? ("game" as const) : ("committee" as const) }),
      challenges,
      seats: ofTask("SeatsAssigned", t.taskId).reduce((n, e) => n + Number(e.args.seats), 0),
      gasUsed: String(x.gas.get(t.taskId) ?? 0n),
      particlesIn: inputState.particles.length,
      particlesOut: t.output.particles.length,
      input: `0x${Buffer.from(t.input).toString("hex")}`,
      outputFrom: t.outputFrom,
    };
  });

  const gasTotal = tasks.reduce((a, t) => a + BigInt(t.gasUsed), 0n);
  const slashedAmount = slashes.reduce((a, s) => a + BigInt(s.amount), 0n);
  return {
    generatedAt: new Date().toISOString(),
    network: x.network,
    config: x.config,
    addresses: x.addresses,
    workers,
    watchtowers,
    tasks,
    slashes,
    seatsByLayer,
    world: {
      width: x.shape.gridX * x.shape.regionWidth,
      height: x.shape.gridY * x.shape.regionHeight,
      radius: x.shape.radius,
      regions: x.regions.map((r) => ({
        x: r.x,
        y: r.y,
        ox: r.x * x.shape.regionWidth,
        oy: r.y * x.shape.regionHeight,
        width: x.shape.regionWidth,
        height: x.shape.regionHeight,
      })),
      particles: x.end.flatMap((s, region) => s.particles.map((p) => ({ x: p.x, y: p.y, vx: p.vx, vy: p.vy, region }))),
      ticks: x.config.epochs * x.config.ticksPerTask,
    },
    totals: {
      tasks: tasks.length,
      finalized: tasks.filter((t) => t.outcome === "finalized").length,
      challenged: tasks.filter((t) => t.outcome === "challenged").length,
      overturned: tasks.filter((t) => t.outcome === "overturned").length,
      challenges: tasks.reduce((a, t) => a + t.challenges, 0),
      slashes: slashes.length,
      slashedAmount: String(slashedAmount),
      rewardsPaid: String([...rewardsOf.values()].reduce((a, b) => a + b, 0n)),
      gasTotal: String(gasTotal),
      gasPerTask: String(tasks.length === 0 ? 0n : gasTotal / BigInt(tasks.length)),
      wallClockSeconds: x.wallClockSeconds,
    },
    checks: x.checks,
  };
}

/** The address as the pool member spells it (events give checksummed addresses too; this keeps one spelling). */
function checksum(members: PoolMember[], lower: string): string {
  return members.find((m) => key(m.wallet.address) === lower)?.wallet.address ?? lower;
}

/** keccak256 of a state's encoding: its result hash. */
export function hashOf(state: world.ParticleState): string {
  return keccak256(world.encodeState(state));
}
