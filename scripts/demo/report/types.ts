/**
 * The demo's record of one run: what the engine (`scripts/demo/`) measures and the report (`scripts/demo/report/`)
 * draws. Written as `demo-report/data.json` next to `index.html`, so the report can be rebuilt from it and tests can
 * read it. Token amounts and gas are decimal strings of base units (JSON has no bigint); shares are fractions in [0, 1].
 */
export interface DemoReport {
  /** ISO time the run ended. */
  generatedAt: string;
  network: { name: string; chainId: number };
  config: DemoConfig;
  addresses: { token: string; pool: string; taskManager: string; bisectionGame?: string; stepVerifier?: string };
  workers: WorkerRow[];
  watchtowers: WatchtowerRow[];
  /** Every task the demo posted, in creation order. */
  tasks: TaskRow[];
  /** Every slash of the run, in block order. */
  slashes: SlashRow[];
  /** Seat counts by ladder layer, so fairness can be shown for first committees and escalation rounds separately. */
  seatsByLayer: LayerSeats[];
  world: WorldView;
  totals: Totals;
  checks: Checks;
}

export interface DemoConfig {
  gridX: number;
  gridY: number;
  regionWidth: number;
  regionHeight: number;
  radius: number;
  particlesPerRegion: number;
  ticksPerTask: number;
  epochs: number;
  workers: number;
  /** The adversary's intended share of the stake. */
  adversaryShare: number;
  seats: number;
  quorum: number;
}

export interface WorkerRow {
  address: string;
  /** Short display name, such as "w07" or "adversary". */
  label: string;
  adversarial: boolean;
  stakeStart: string;
  stakeEnd: string;
  stakeShare: number;
  /** Seats won in all rounds of all tasks. */
  seats: number;
  /** Seats over all seats drawn in the run. */
  seatShare: number;
  rewards: string;
  slashed: string;
  slashCount: number;
}

export interface WatchtowerRow {
  address: string;
  label: string;
  challenges: number;
  won: number;
  lost: number;
  /** Bounties and returned bonds, net of bonds lost. */
  earned: string;
}

export type TaskOutcome = "finalized" | "challenged" | "overturned";

export interface TaskRow {
  taskId: string;
  region: { x: number; y: number };
  /** The batch of ticks this task advances (0-based): the region's n-th task. */
  epoch: number;
  createdBlock: number;
  finalizedBlock: number;
  /** finalized: unchallenged; challenged: challenged and the proposed result stood; overturned: replaced. */
  outcome: TaskOutcome;
  /** Result hash first proposed (reached quorum in the first round). */
  proposedResultHash: string;
  finalResultHash: string;
  /** What a trusted recomputation of the world (the TypeScript reference) gives for this task. */
  trustedResultHash: string;
  /** How the dispute was settled, if there was one. */
  settledBy?: "committee" | "game";
  challenges: number;
  /** Seats drawn over all rounds. */
  seats: number;
  gasUsed: string;
  particlesIn: number;
  particlesOut: number;
  /** The task's program input, 0x-hex (the region's state, then the tick count): anyone can recompute the task. */
  input?: string;
  /**
   * Where the next batch took this task's output from: the bytes a member revealed with the final hash, the program
   * run on the input (a result from a game has no reveal), or, when neither matches the final hash, the trusted
   * recomputation (the checks then fail).
   */
  outputFrom?: "reveal" | "recomputed" | "trusted";
}

export interface SlashRow {
  taskId: string;
  worker: string;
  amount: string;
  /** PenaltyReason as a name (e.g. "WrongResult", "NoReveal", "LostGame"). */
  reason: string;
  block: number;
}

export interface LayerSeats {
  /** "first committee", "escalation 1", ... */
  layer: string;
  /** Seats per worker address in this layer. */
  seats: Record<string, number>;
  total: number;
}

export interface WorldView {
  width: number;
  height: number;
  radius: number;
  regions: { x: number; y: number; ox: number; oy: number; width: number; height: number }[];
  /** The particles at the end, from the last finalized state of every region. */
  particles: { x: number; y: number; vx: number; vy: number; region: number }[];
  /** The ticks every region has been advanced by at the end. */
  ticks: number;
}

export interface Totals {
  tasks: number;
  finalized: number;
  challenged: number;
  overturned: number;
  challenges: number;
  slashes: number;
  slashedAmount: string;
  rewardsPaid: string;
  gasTotal: string;
  gasPerTask: string;
  wallClockSeconds: number;
}

export interface Checks {
  /** Every task finalized with the result a trusted recomputation gives. */
  allFinalCorrect: boolean;
  /** The adversary lost stake. */
  adversarySlashed: boolean;
  /** Token accounting: the pool's balance equals what it owes, and every minted token is somewhere accounted for. */
  accountingExact: boolean;
  /** Human-readable detail for any check that failed. */
  detail: string[];
}
