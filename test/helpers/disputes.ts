/**
 * Helpers for the challenge and escalation tests (`TaskManager.disputes.test.ts`): a task system with the dispute
 * rules, a driver that moves a task through its rounds with members controlled per record, the facts of a task read
 * back from its events, and `expectedSettlement`, an independent computation of what every party gets.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse, LogDescription, Signer } from "ethers";
import { expect } from "chai";

import type { BlockhashRandomness, SecurityPool, TaskManager, TestToken } from "../../types/ethers-contracts/index.js";
import { POOL_CONFIG, UNIT } from "./pool.js";
import {
  Phase,
  RecordStatus,
  type TaskRequestShape,
  commitmentOf,
  deployTaskSystem,
  saltOf,
  taskRequest,
} from "./tasks.js";

export const BPS = 10_000n;
export const BURN_ADDRESS = "0x000000000000000000000000000000000000dEaD";
/** `TaskManagerStorage.SETTLE_BATCH`. */
export const SETTLE_BATCH = 256n;

/** `ITaskManagerTypes.TaskState`. */
export const State = {
  None: 0n,
  Drawing: 1n,
  Committing: 2n,
  Proposed: 3n,
  Finalized: 4n,
  Refunded: 5n,
  Closing: 6n,
} as const;
/** `ITaskManagerTypes.ChallengeOutcome`. */
export const Outcome = { Pending: 0n, Won: 1n, Lost: 2n, Refunded: 3n } as const;
/** `ITaskManagerTypes.PenaltyReason`. */
export const Reason = { MissedCommit: 0n, MissedReveal: 1n, WrongResult: 2n, LostGame: 3n } as const;

/** `ITaskManagerTypes.Config`, every field. */
export interface DisputeConfig {
  slashFractionBps: number;
  missedCommitPenaltyBps: number;
  missedRevealPenaltyBps: number;
  maxReplacementDraws: number;
  maxRedraws: number;
  maxEscalations: number;
  bountyBps: number;
  honestShareBps: number;
  challengeBondPerSeat: bigint;
  burnRemainder: boolean;
}

/** The dispute tests' rules: two escalations, one replacement draw and one redraw per task. */
export const DISPUTE_CONFIG: DisputeConfig = {
  slashFractionBps: 5_000,
  missedCommitPenaltyBps: 1_000,
  missedRevealPenaltyBps: 2_000,
  maxReplacementDraws: 1,
  maxRedraws: 1,
  maxEscalations: 2,
  bountyBps: 2_000,
  honestShareBps: 5_000,
  challengeBondPerSeat: 3n * UNIT + 1n,
  burnRemainder: false,
};

/**
 * Twenty-four workers with uneven stakes (50 to 400 tokens: each covers at least 10 seats of 5 tokens), so that the
 * escalation rounds (up to 15 seats) fill after the members of earlier rounds are excluded.
 */
export const DISPUTE_STAKES = [
  400n,
  350n,
  300n,
  260n,
  220n,
  200n,
  180n,
  160n,
  150n,
  140n,
  130n,
  120n,
  110n,
  100n,
  95n,
  90n,
  85n,
  80n,
  75n,
  70n,
  65n,
  60n,
  55n,
  50n,
];
/** Long enough for the longest task these tests post (checked against `lifeBound` by each test that posts). */
export const DISPUTE_UNBONDING_PERIOD = 3_000n;
/** Tokens each challenger (and each worker, for challenges of its own) holds in its wallet. */
export const CHALLENGER_FUNDS = 1_000_000n * UNIT;

/** The accounts and contracts the driver needs; the tests' system and the bench-pool system both fit it. */
export interface DisputeSystem {
  token: TestToken;
  pool: SecurityPool;
  randomness: BlockhashRandomness;
  manager: TaskManager;
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  /** Makes the permissionless calls (draws, replacements, tallies, finalization, expiry). */
  keeper: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  workers: HardhatEthersSigner[];
  challengers: HardhatEthersSigner[];
  config: DisputeConfig;
  epochBlocks: bigint;
  /** The signer of a committee member, a challenger, the requester or the treasury. */
  signerFor(address: string): Promise<Signer>;
}

/**
 * `deployTaskSystem` with the dispute rules, `stakes` (default `DISPUTE_STAKES`) and `challengers` funded accounts
 * that stake nothing; every worker also holds `CHALLENGER_FUNDS` in its wallet and has approved the manager, so that
 * a staker can challenge too. Needs `5 + stakes.length + challengers` accounts.
 */
export async function deployDisputeSystem(
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  options: { config?: Partial<DisputeConfig>; stakes?: bigint[]; challengers?: number; unbondingPeriod?: bigint } = {},
): Promise<DisputeSystem> {
  const config = { ...DISPUTE_CONFIG, ...options.config };
  const stakes = options.stakes ?? DISPUTE_STAKES;
  const base = await deployTaskSystem(ethers, helpers, {
    stakes,
    // Every field of the rules is set here, whatever the other task tests share in `TASK_CONFIG`.
    config,
    unbondingPeriod: options.unbondingPeriod ?? DISPUTE_UNBONDING_PERIOD,
  });
  const signers = await ethers.getSigners();
  const first = 5 + stakes.length;
  const count = options.challengers ?? 4;
  const challengers = signers.slice(first, first + count);
  if (challengers.length < count)
    throw new Error(`${count} challengers asked for, ${challengers.length} accounts left`);
  const managerAddress = await base.manager.getAddress();
  for (const who of [...challengers, ...base.workers]) {
    await (await base.token.mint(who.address, CHALLENGER_FUNDS)).wait();
    await (await base.token.connect(who).approve(managerAddress, ethers.MaxUint256)).wait();
  }
  const known = new Map<string, HardhatEthersSigner>();
  for (const s of [base.requester, base.treasury, base.admin, base.outsider, ...base.workers, ...challengers]) {
    known.set(s.address, s);
  }
  return {
    token: base.token,
    pool: base.pool,
    randomness: base.randomness,
    manager: base.manager,
    admin: base.admin,
    treasury: base.treasury,
    keeper: base.outsider,
    requester: base.requester,
    workers: base.workers,
    challengers,
    config,
    epochBlocks: POOL_CONFIG.epochBlocks,
    signerFor: async (address: string) => {
      const s = known.get(address);
      if (!s) throw new Error(`${address} has no signer in this system`);
      return s;
    },
  };
}

// -------------------------------------------------------------------------------------------------------------------
// Members' moves and the driver
// -------------------------------------------------------------------------------------------------------------------

/** One committee record as the driver hands it to a plan. */
export interface Seat {
  round: bigint;
  step: bigint;
  draw: bigint;
  index: bigint;
  member: string;
  seats: bigint;
}

/** What a member does with a record: never commit, commit and not reveal, or commit and reveal `result`. */
export type Move = { kind: "absent" } | { kind: "silent"; result: string } | { kind: "reveal"; result: string };
export const absent: Move = { kind: "absent" };
export const reveal = (result: string): Move => ({ kind: "reveal", result });
export const silent = (result: string): Move => ({ kind: "silent", result });

/** The round a draw belongs to, as the plan sees it. */
export interface DrawContext {
  round: bigint;
  step: bigint;
  draw: bigint;
  seats: bigint;
  quorum: bigint;
}

/**
 * Decides the moves of the records a draw created (the `Assigned` ones, in index order). Called once per draw,
 * right after it, so a plan can pick who does what from what was drawn.
 */
export type Planner = (drawn: Seat[], ctx: DrawContext) => Move[];

/** Thrown by a plan when the committee drawn cannot play the scenario (the test retries with another draw). */
export class Unsuitable extends Error {}

/**
 * A plan by roles: the smallest records of a round's first draw (fewest seats first) take the `special` moves in
 * order, the others `rest`; records of replacement draws take `replacement` (default `rest`). With `restQuorum`, the
 * `rest` records must hold a quorum on their own, and with `specialBelowQuorum` the special records must not.
 * Throws `Unsuitable` when the draw has too few records for the roles.
 */
export function roles(spec: {
  special?: Move[];
  rest: Move;
  replacement?: Move;
  restQuorum?: boolean;
  specialBelowQuorum?: boolean;
}): Planner {
  return (drawn, ctx) => {
    if (ctx.draw > 0n) return drawn.map(() => spec.replacement ?? spec.rest);
    const special = spec.special ?? [];
    const order = [...drawn].sort((a, b) =>
      a.seats === b.seats ? Number(a.index - b.index) : Number(a.seats - b.seats),
    );
    if (order.length < special.length + 1) {
      throw new Unsuitable(`round ${ctx.round}: ${order.length} records for ${special.length + 1} roles`);
    }
    const moves = new Map<bigint, Move>();
    order.forEach((s, i) => moves.set(s.index, special[i] ?? spec.rest));
    const restSeats = order.slice(special.length).reduce((a, s) => a + s.seats, 0n);
    const specialSeats = order.slice(0, special.length).reduce((a, s) => a + s.seats, 0n);
    if (spec.restQuorum && restSeats < ctx.quorum) {
      throw new Unsuitable(`round ${ctx.round}: the rest holds ${restSeats} seats, quorum ${ctx.quorum}`);
    }
    if (spec.specialBelowQuorum && specialSeats >= ctx.quorum) {
      throw new Unsuitable(`round ${ctx.round}: the special records hold ${specialSeats} seats, quorum ${ctx.quorum}`);
    }
    return drawn.map((s) => moves.get(s.index)!);
  };
}

/** Plans per round: `plans[round]`, or the last one for later rounds. */
export function byRound(...plans: Planner[]): Planner {
  return (drawn, ctx) => plans[Math.min(Number(ctx.round), plans.length - 1)]!(drawn, ctx);
}

/** A task being driven: its id, its creation block and the moves its members were given. */
export class TaskRun {
  readonly moves = new Map<string, Move>();
  constructor(
    readonly sys: DisputeSystem,
    readonly ethers: HardhatEthers,
    readonly helpers: NetworkHelpers,
    readonly taskId: bigint,
    readonly created: bigint,
    readonly expiresAt: bigint,
  ) {}

  info() {
    return this.sys.manager.taskOf(this.taskId);
  }

  async phase(): Promise<Phase> {
    return Number(await this.sys.manager.phaseOf(this.taskId)) as Phase;
  }

  async latest(): Promise<bigint> {
    return BigInt(await this.ethers.provider.getBlockNumber());
  }

  /** Mines until the next transaction lands in block `block` (no-op if it would already). */
  async mineToNext(block: bigint) {
    const next = (await this.latest()) + 1n;
    if (block > next) await this.helpers.mine(block - next);
  }

  /** Mines until the latest block is past `deadline`. */
  async mineAfter(deadline: bigint) {
    const latest = await this.latest();
    if (latest <= deadline) await this.helpers.mine(deadline + 1n - latest);
  }

  /**
   * Sends the transactions into one block (more if they do not fit) and waits for them all: members act together,
   * so a committee of any size commits or reveals within a window of any length.
   */
  async sendTogether(txs: (() => Promise<ContractTransactionResponse>)[]) {
    if (txs.length === 0) return;
    const provider = this.ethers.provider;
    const sent: ContractTransactionResponse[] = [];
    await provider.send("evm_setAutomine", [false]);
    try {
      for (const tx of txs) sent.push(await tx());
      for (let i = 0; i < 8; i++) {
        await provider.send("evm_mine", []);
        const receipts = await Promise.all(sent.map((t) => provider.getTransactionReceipt(t.hash)));
        if (receipts.every((r) => r !== null)) break;
      }
    } finally {
      await provider.send("evm_setAutomine", [true]);
    }
    for (const t of sent) await t.wait();
  }

  /** Sends a transaction and returns its receipt and the manager's events in it. */
  async send(tx: Promise<ContractTransactionResponse>) {
    const receipt = (await (await tx).wait())!;
    const address = await this.sys.manager.getAddress();
    const events: LogDescription[] = [];
    for (const log of receipt.logs) {
      if (log.address !== address) continue;
      const parsed = this.sys.manager.interface.parseLog(log);
      if (parsed) events.push(parsed);
    }
    return { receipt, events, block: BigInt(receipt.blockNumber) };
  }
}

/** Posts a task from the requester (the request of `taskRequest` with `overrides`). */
export async function openTask(
  sys: DisputeSystem,
  ethers: HardhatEthers,
  helpers: NetworkHelpers,
  overrides: Partial<TaskRequestShape> = {},
): Promise<TaskRun> {
  const tx = sys.manager.connect(sys.requester).createTask(taskRequest(ethers, overrides));
  const receipt = (await (await tx).wait())!;
  const taskId = await sys.manager.taskCount();
  const info = await sys.manager.taskOf(taskId);
  return new TaskRun(sys, ethers, helpers, taskId, BigInt(receipt.blockNumber), info.expiresAt);
}

/** Gas of a member's commit or reveal (well above what they use), so that a block holds a whole committee's. */
const MEMBER_GAS = 250_000n;

/** Phases where the driver hands control back by default: a decision (challenge or not) or the end. */
export const DECISION_PHASES = [Phase.Challengeable, Phase.AwaitingFinalization, Phase.Finalized, Phase.Refunded];
export const END_PHASES = [Phase.Finalized, Phase.Refunded];

/** `advance` met a task in a bisection game (phase `InGame`) and was given no `onGame` to play it. */
export class TaskInGameError extends Error {
  override name = "TaskInGameError";
  constructor(
    readonly taskId: bigint,
    readonly round: bigint,
  ) {
    super(`task ${taskId} (round ${round}) is in a bisection game: pass advance an onGame that plays it`);
  }
}

export interface AdvanceOptions {
  /** Phases to stop at (default `DECISION_PHASES`). A `Challengeable` phase not listed is waited out. */
  stopAt?: Phase[];
  /**
   * Blocks the keeper waits before each draw (default none): a late keeper. It never waits past the task's
   * `expiresAt`, and expires the task at once after it.
   */
  keeperDelay?: (info: TaskInfo, latest: bigint) => bigint;
  /** Called after each draw that drew seats, with the task as it was before the draw and the draw's events. */
  onDraw?: (before: TaskInfo, events: LogDescription[], block: bigint) => Promise<void>;
  /**
   * Called while the task is in a bisection game (phase `InGame`); it must move the game on (play, time out or
   * settle it), and is called again until the task leaves the phase. Without it the driver throws `TaskInGameError`.
   */
  onGame?: (run: TaskRun) => Promise<void>;
}

export type TaskInfo = Awaited<ReturnType<TaskManager["taskOf"]>>;

/**
 * Moves the task on like a keeper that acts as soon as each step is allowed (the draw at the first block its seed
 * serves, replacements, tallies and finalization in the first block after each deadline; `expire` once a task still
 * waiting for a committee is past `expiresAt`), while members act by `plan`. Stops at the first phase in `stopAt`.
 */
export async function advance(run: TaskRun, plan: Planner, options: AdvanceOptions = {}) {
  const stopAt = options.stopAt ?? DECISION_PHASES;
  const { manager } = run.sys;
  const keeper = manager.connect(run.sys.keeper);
  for (let step = 0; step < 500; step++) {
    const phase = await run.phase();
    if (stopAt.includes(phase)) return;
    switch (phase) {
      case Phase.AwaitingSeed:
        await keeperDraw(run, options.keeperDelay, options.onDraw);
        break;
      case Phase.Committing:
        await commitPhase(run, plan);
        break;
      case Phase.AwaitingReplacement:
        await run.send(keeper.replaceNoShows(run.taskId));
        break;
      case Phase.Revealing:
        await revealPhase(run);
        break;
      case Phase.AwaitingTally:
        await run.send(keeper.tally(run.taskId));
        break;
      case Phase.Challengeable:
        await run.mineAfter((await run.info()).challengeDeadline);
        break;
      case Phase.AwaitingFinalization:
        await run.send(keeper.finalize(run.taskId));
        break;
      case Phase.Finalized:
      case Phase.Refunded:
        return;
      case Phase.InGame:
        // The driver does not play games: the caller does (the SDK's player, the agents), then lets it go on.
        if (options.onGame === undefined) throw new TaskInGameError(run.taskId, (await run.info()).round);
        await options.onGame(run);
        break;
      default:
        throw new Error(`task ${run.taskId} in phase ${phase}`);
    }
  }
  throw new Error(`task ${run.taskId} did not reach ${stopAt.join("/")} in 500 steps`);
}

/** Drives the task to its end (no challenges): waits out challenge windows and finalizes in as many calls as needed. */
export async function finish(run: TaskRun, plan: Planner = () => []) {
  await advance(run, plan, { stopAt: END_PHASES });
}

/** The keeper's draw: waits `delayEpochs`, then draws when the seed is ready, or expires the task past `expiresAt`. */
async function keeperDraw(run: TaskRun, delay: AdvanceOptions["keeperDelay"], onDraw: AdvanceOptions["onDraw"]) {
  const { manager, randomness } = run.sys;
  const keeper = manager.connect(run.sys.keeper);
  if (delay) {
    // Late, but never past `expiresAt`: from there on the keeper expires the task at once.
    const latest = await run.latest();
    let until = latest + delay(await run.info(), latest);
    if (until > run.expiresAt) until = run.expiresAt;
    if (until > latest) await run.helpers.mine(until - latest);
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const info = await run.info();
    const target = await randomness.targetOf(info.requestId);
    const next = (await run.latest()) + 1n;
    const drawAt = next > target ? next : target + 1n;
    if (drawAt > info.expiresAt) {
      await run.mineAfter(info.expiresAt);
      await run.send(keeper.expire(run.taskId));
      return;
    }
    await run.mineToNext(drawAt);
    const { events, block } = await run.send(keeper.drawCommittee(run.taskId));
    if (events.some((e) => e.name === "CommitteeDrawn")) {
      await onDraw?.(info, events, block);
      return;
    }
  }
  throw new Error(`task ${run.taskId}: no committee after eight seeds`);
}

async function commitPhase(run: TaskRun, plan: Planner) {
  const { manager } = run.sys;
  const info = await run.info();
  const round = info.round;
  const records = await manager.recordsOf(run.taskId, round, 0n, info.recordCount);
  const drawn: Seat[] = [];
  records.forEach((r, i) => {
    const key = `${round}/${i}`;
    if (Number(r.status) !== RecordStatus.Assigned || run.moves.has(key)) return;
    drawn.push({
      round,
      step: info.escalations,
      draw: info.replacementDraws,
      index: BigInt(i),
      member: r.member,
      seats: BigInt(r.seats),
    });
  });
  const ctx: DrawContext = {
    round,
    step: info.escalations,
    draw: info.replacementDraws,
    seats: info.seats,
    quorum: info.quorum,
  };
  const moves = drawn.length === 0 ? [] : plan(drawn, ctx);
  const chainId = (await run.ethers.provider.getNetwork()).chainId;
  const managerAddress = await manager.getAddress();
  const txs: (() => Promise<ContractTransactionResponse>)[] = [];
  for (const [i, s] of drawn.entries()) {
    const move = moves[i] ?? absent;
    run.moves.set(`${round}/${s.index}`, move);
    if (move.kind === "absent") continue;
    const salt = saltOf(run.ethers, run.taskId, round, s.member);
    const c = commitmentOf(run.ethers, chainId, managerAddress, run.taskId, round, s.member, move.result, salt);
    const signer = await run.sys.signerFor(s.member);
    txs.push(() => manager.connect(signer).commit(run.taskId, s.index, c, { gasLimit: MEMBER_GAS }));
  }
  await run.sendTogether(txs);
  await run.mineAfter(info.commitDeadline);
}

async function revealPhase(run: TaskRun) {
  const { manager } = run.sys;
  const info = await run.info();
  const round = info.round;
  const records = await manager.recordsOf(run.taskId, round, 0n, info.recordCount);
  const txs: (() => Promise<ContractTransactionResponse>)[] = [];
  for (const [i, r] of records.entries()) {
    if (Number(r.status) !== RecordStatus.Committed) continue;
    const move = run.moves.get(`${round}/${i}`);
    if (move?.kind !== "reveal") continue;
    const salt = saltOf(run.ethers, run.taskId, round, r.member);
    const signer = await run.sys.signerFor(r.member);
    txs.push(() => manager.connect(signer).reveal(run.taskId, i, move.result, salt, "0x", { gasLimit: MEMBER_GAS }));
  }
  await run.sendTogether(txs);
  await run.mineAfter(info.revealDeadline);
}

/**
 * Challenges the task's proposed result as `challenger`, claiming `claimed`, with `bond` (default: the floor). With
 * `atLastBlock`, the challenge lands in the last block of the window (`challengeDeadline`).
 */
export async function challenge(
  run: TaskRun,
  challenger: Signer,
  claimed: string,
  options: { bond?: bigint; atLastBlock?: boolean } = {},
) {
  const info = await run.info();
  if (options.atLastBlock) await run.mineToNext(info.challengeDeadline);
  const bond = options.bond ?? info.challengeBondFloor;
  return await run.send(run.sys.manager.connect(challenger).challenge(run.taskId, claimed, bond));
}

// -------------------------------------------------------------------------------------------------------------------
// The facts of a task, from its events
// -------------------------------------------------------------------------------------------------------------------

export interface TaskEvent {
  name: string;
  args: LogDescription["args"];
  block: bigint;
  logIndex: number;
  txHash: string;
}

/** The manager's events about `taskId` (every event whose first argument is the task id), in chain order. */
export async function taskEvents(sys: DisputeSystem, provider: HardhatEthers["provider"], taskId: bigint, from = 0n) {
  const address = await sys.manager.getAddress();
  const logs = await provider.getLogs({ address, fromBlock: from, toBlock: "latest" });
  const out: TaskEvent[] = [];
  for (const log of logs) {
    const parsed = sys.manager.interface.parseLog(log);
    if (!parsed) continue;
    const first = parsed.fragment.inputs[0];
    if (first?.name !== "taskId" || parsed.args[0] !== taskId) continue;
    out.push({
      name: parsed.name,
      args: parsed.args,
      block: BigInt(log.blockNumber),
      logIndex: log.index,
      txHash: log.transactionHash,
    });
  }
  return out;
}

export async function runEvents(run: TaskRun) {
  return await taskEvents(run.sys, run.ethers.provider, run.taskId, run.created);
}

/** What happened to one record, as its events tell it. */
export interface RecordFact {
  round: bigint;
  index: bigint;
  step: bigint;
  draw: bigint;
  member: string;
  seats: bigint;
  declined: boolean;
  committed: boolean;
  revealed: string | null;
  /** It had not committed when a replacement draw of its round was called (`replaceNoShows`). */
  replaced: boolean;
  /** Its round was tallied. */
  tallied: boolean;
}

export interface ChallengeFact {
  step: bigint;
  challenger: string;
  bond: bigint;
  claimed: string;
  round: bigint;
  openedRound: bigint;
}

/** What `expectedSettlement` computes from: the task's inputs and what its members and challengers did. */
export interface TaskFacts {
  taskId: bigint;
  reward: bigint;
  seatBond: bigint;
  config: {
    slashFractionBps: bigint;
    missedCommitPenaltyBps: bigint;
    missedRevealPenaltyBps: bigint;
    bountyBps: bigint;
    honestShareBps: bigint;
    burnRemainder: boolean;
  };
  requester: string;
  treasury: string;
  records: RecordFact[];
  challenges: ChallengeFact[];
  /** The last proposed result if no challenge, failed round or expiry followed it; null otherwise (a refund). */
  finalResult: string | null;
}

/** Reads the facts of a task from its events (and its frozen inputs from `taskOf`). */
export async function factsOf(run: TaskRun): Promise<TaskFacts> {
  const { sys } = run;
  const info = await run.info();
  const events = await runEvents(run);
  const records = new Map<string, RecordFact>();
  const challenges: ChallengeFact[] = [];
  const drawsSeen = new Map<bigint, bigint>();
  const tallied = new Set<bigint>();
  let step = 0n;
  let finalResult: string | null = null;
  const add = (e: TaskEvent, declined: boolean) => {
    const round = e.args.round as bigint;
    const key = `${round}/${e.args.index}`;
    const existing = records.get(key);
    if (existing) {
      existing.seats += e.args.seats as bigint;
      return;
    }
    records.set(key, {
      round,
      index: e.args.index as bigint,
      step,
      draw: drawsSeen.get(round) ?? 0n,
      member: e.args.member as string,
      seats: e.args.seats as bigint,
      declined,
      committed: false,
      revealed: null,
      replaced: false,
      tallied: false,
    });
  };
  for (const e of events) {
    const round = e.args.round as bigint;
    switch (e.name) {
      case "SeatsAssigned":
        add(e, false);
        break;
      case "SeatsDeclined":
        add(e, true);
        break;
      case "CommitteeDrawn":
        drawsSeen.set(round, (e.args.draw as bigint) + 1n);
        break;
      case "Committed":
        records.get(`${round}/${e.args.index}`)!.committed = true;
        break;
      case "Revealed":
        records.get(`${round}/${e.args.index}`)!.revealed = e.args.resultHash as string;
        break;
      case "NoShowsReplaced":
        for (const r of records.values()) {
          if (r.round === round && !r.declined && !r.committed) r.replaced = true;
        }
        break;
      case "ResultProposed":
        tallied.add(round);
        finalResult = e.args.resultHash as string;
        break;
      case "NoQuorum":
        tallied.add(round);
        if (!(e.args.redraw as boolean)) finalResult = null;
        break;
      case "Challenged":
        step = e.args.step as bigint;
        finalResult = null;
        challenges.push({
          step,
          challenger: e.args.challenger as string,
          bond: e.args.bond as bigint,
          claimed: e.args.claimedResult as string,
          round: e.args.round as bigint,
          openedRound: e.args.nextRound as bigint,
        });
        break;
      case "TaskExpired":
        finalResult = null;
        break;
    }
  }
  for (const r of records.values()) r.tallied = tallied.has(r.round);
  const cfg = info.config;
  return {
    taskId: run.taskId,
    reward: info.reward,
    seatBond: info.seatBond,
    config: {
      slashFractionBps: cfg.slashFractionBps,
      missedCommitPenaltyBps: cfg.missedCommitPenaltyBps,
      missedRevealPenaltyBps: cfg.missedRevealPenaltyBps,
      bountyBps: cfg.bountyBps,
      honestShareBps: cfg.honestShareBps,
      burnRemainder: cfg.burnRemainder,
    },
    requester: info.requester,
    treasury: (await sys.pool.parameters()).treasury,
    records: [...records.values()],
    challenges,
    finalResult,
  };
}

// -------------------------------------------------------------------------------------------------------------------
// The rules, computed independently
// -------------------------------------------------------------------------------------------------------------------

export const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** `RewardMath.bondSlash`: `ceil(seats * seatBond * bps / 10_000)`. */
export const penaltyOf = (seats: bigint, bond: bigint, bps: bigint) => ceilDiv(seats * bond * bps, BPS);

export interface ExpectedPenalty {
  round: bigint;
  index: bigint;
  member: string;
  reason: bigint;
  amount: bigint;
}

export interface ExpectedChallenge {
  step: bigint;
  challenger: string;
  outcome: bigint;
  payout: bigint;
  bonusPerSeat: bigint;
}

/** Everything a task's end gives, per the rules in ITaskManager (`finalize`, `challenge`, `claimReward`). */
export interface Expected {
  finalized: boolean;
  result: string | null;
  /** Status of every record once the task ended (before claims), by `round/index`. */
  status: Map<string, RecordStatus>;
  penalties: ExpectedPenalty[];
  /** Stake taken from each member. */
  slashedOf: Map<string, bigint>;
  /** What `claimReward` pays each `Won` record, by `round/index`. */
  rewardOf: Map<string, bigint>;
  /** Credits (`creditOf`) the task's end adds, per account. */
  creditOf: Map<string, bigint>;
  burned: bigint;
  challenges: ExpectedChallenge[];
  slashPot: bigint;
  penaltiesMissed: bigint;
  wrong: bigint;
  bounties: bigint;
  honestShare: bigint;
  remainder: bigint;
  winningSeats: bigint;
  rewardPerSeat: bigint;
  dust: bigint;
  /**
   * Token movement of each party once everything is claimed: wallets (requester, challengers, members, treasury,
   * burn address) and the pool's balance (slashes leave it). Members' stake moves by `-slashedOf`.
   */
  delta: Map<string, bigint>;
}

const addTo = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);

/**
 * What every party gets when the task ends, from its facts and the rules alone:
 * - a record that never committed pays `ceil(seats * bond * missedCommitPenaltyBps / 1e4)`, one that committed and
 *   did not reveal (its round tallied) `missedRevealPenaltyBps`; both go into the pot (`penalties`);
 * - with a final result F: every revealer of F (any round) is `Won`; every other revealer is `Lost` and pays
 *   `slashFractionBps` (`wrong`). Winning challengers (claim == F) share `floor(wrong * bountyBps / 1e4)` equally
 *   and get their bond back; the honest pot is `reward + penalties + floor(wrong * honestShareBps / 1e4)`; a lost
 *   challenge's bond is split as `floor(bond / answering)` over the seats of its step that revealed F (its dust to the
 *   remainder), or joins the honest pot when none did; each seat revealing F gets `floor(pot / winningSeats)`, the
 *   dust to the treasury; the remainder of `wrong` is burned or credited to the treasury;
 * - without a result: revealers and committed records are released, the reward goes back to the requester, the
 *   penalties to the treasury and every bond to its challenger.
 */
export function expectedSettlement(f: TaskFacts): Expected {
  const bond = f.seatBond;
  const cfg = f.config;
  const F = f.finalResult;
  const status = new Map<string, RecordStatus>();
  const penalties: ExpectedPenalty[] = [];
  const slashedOf = new Map<string, bigint>();
  const creditOf = new Map<string, bigint>();
  const rewardOf = new Map<string, bigint>();
  const delta = new Map<string, bigint>();
  let penaltiesMissed = 0n;
  let wrong = 0n;
  const won: RecordFact[] = [];
  const penalize = (r: RecordFact, reason: bigint, bps: bigint) => {
    const amount = penaltyOf(r.seats, bond, bps);
    penalties.push({ round: r.round, index: r.index, member: r.member, reason, amount });
    addTo(slashedOf, r.member, amount);
    return amount;
  };
  for (const r of f.records) {
    const key = `${r.round}/${r.index}`;
    if (r.declined) {
      status.set(key, RecordStatus.Declined);
    } else if (!r.committed) {
      if (!r.replaced && !r.tallied) throw new Error(`record ${key} never committed, yet nothing closed its window`);
      status.set(key, r.replaced ? RecordStatus.Replaced : RecordStatus.Absent);
      penaltiesMissed += penalize(r, Reason.MissedCommit, cfg.missedCommitPenaltyBps);
    } else if (r.revealed === null) {
      if (r.tallied) {
        status.set(key, RecordStatus.Silent);
        penaltiesMissed += penalize(r, Reason.MissedReveal, cfg.missedRevealPenaltyBps);
      } else {
        // Committed in a round that ended waiting for replacements: it did its part.
        status.set(key, RecordStatus.Released);
      }
    } else if (F === null) {
      status.set(key, RecordStatus.Released);
    } else if (r.revealed === F) {
      status.set(key, RecordStatus.Won);
      won.push(r);
    } else {
      status.set(key, RecordStatus.Lost);
      wrong += penalize(r, Reason.WrongResult, cfg.slashFractionBps);
    }
  }
  const slashPot = penaltiesMissed + wrong;
  const challenges: ExpectedChallenge[] = [];
  let burned = 0n;
  let bounties = 0n;
  let honestShare = 0n;
  let remainder = 0n;
  let winningSeats = 0n;
  let rewardPerSeat = 0n;
  let dust = 0n;

  if (F === null) {
    addTo(creditOf, f.requester, f.reward);
    addTo(creditOf, f.treasury, slashPot);
    for (const c of f.challenges) {
      challenges.push({
        step: c.step,
        challenger: c.challenger,
        outcome: Outcome.Refunded,
        payout: c.bond,
        bonusPerSeat: 0n,
      });
      addTo(creditOf, c.challenger, c.bond);
    }
  } else {
    const winners = BigInt(f.challenges.filter((c) => c.claimed === F).length);
    const bountyEach = winners === 0n ? 0n : (wrong * cfg.bountyBps) / BPS / winners;
    bounties = bountyEach * winners;
    honestShare = (wrong * cfg.honestShareBps) / BPS;
    let honestPot = f.reward + penaltiesMissed + honestShare;
    remainder = wrong - bounties - honestShare;
    const stepSeats = new Map<bigint, bigint>();
    for (const r of won) stepSeats.set(r.step, (stepSeats.get(r.step) ?? 0n) + r.seats);
    const bonusOfStep = new Map<bigint, bigint>();
    for (const c of f.challenges) {
      if (c.claimed === F) {
        const payout = c.bond + bountyEach;
        challenges.push({ step: c.step, challenger: c.challenger, outcome: Outcome.Won, payout, bonusPerSeat: 0n });
        addTo(creditOf, c.challenger, payout);
        continue;
      }
      const answering = stepSeats.get(c.step) ?? 0n;
      let bonus = 0n;
      if (answering === 0n) {
        honestPot += c.bond;
      } else {
        bonus = c.bond / answering;
        remainder += c.bond - bonus * answering;
      }
      bonusOfStep.set(c.step, bonus);
      challenges.push({
        step: c.step,
        challenger: c.challenger,
        outcome: Outcome.Lost,
        payout: 0n,
        bonusPerSeat: bonus,
      });
    }
    winningSeats = won.reduce((a, r) => a + r.seats, 0n);
    rewardPerSeat = honestPot / winningSeats;
    dust = honestPot - rewardPerSeat * winningSeats;
    addTo(creditOf, f.treasury, dust);
    if (cfg.burnRemainder) burned = remainder;
    else addTo(creditOf, f.treasury, remainder);
    for (const r of won) {
      const amount = r.seats * (rewardPerSeat + (r.step === 0n ? 0n : (bonusOfStep.get(r.step) ?? 0n)));
      rewardOf.set(`${r.round}/${r.index}`, amount);
      addTo(delta, r.member, amount);
    }
  }

  // Wallets once everything is claimed: credits come out through `claimCredit`, bonds and the reward went in.
  addTo(delta, f.requester, -f.reward);
  for (const c of f.challenges) addTo(delta, c.challenger, -c.bond);
  for (const [a, v] of creditOf) addTo(delta, a, v);
  addTo(delta, BURN_ADDRESS, burned);
  return {
    finalized: F !== null,
    result: F,
    status,
    penalties,
    slashedOf,
    rewardOf,
    creditOf,
    burned,
    challenges,
    slashPot,
    penaltiesMissed,
    wrong,
    bounties,
    honestShare,
    remainder,
    winningSeats,
    rewardPerSeat,
    dust,
    delta,
  };
}

// -------------------------------------------------------------------------------------------------------------------
// Balances
// -------------------------------------------------------------------------------------------------------------------

/** Everyone whose tokens a task can move: requester, treasury, burn address, manager, pool, workers, challengers. */
export async function partiesOf(sys: DisputeSystem, extra: string[] = []) {
  const set = new Set<string>([
    sys.requester.address,
    sys.treasury.address,
    BURN_ADDRESS,
    await sys.manager.getAddress(),
    await sys.pool.getAddress(),
    ...sys.workers.map((w) => w.address),
    ...sys.challengers.map((c) => c.address),
    ...extra,
  ]);
  return [...set];
}

export interface Ledger {
  parties: string[];
  balance: Map<string, bigint>;
  credit: Map<string, bigint>;
  stake: Map<string, bigint>;
  supply: bigint;
}

/** Wallet balances, credits and active stakes of every party. */
export async function ledger(sys: DisputeSystem, extra: string[] = []): Promise<Ledger> {
  const parties = await partiesOf(sys, extra);
  const balance = new Map<string, bigint>();
  const credit = new Map<string, bigint>();
  const stake = new Map<string, bigint>();
  for (const a of parties) {
    balance.set(a, await sys.token.balanceOf(a));
    credit.set(a, await sys.manager.creditOf(a));
    stake.set(a, (await sys.pool.stakeOf(a)).active);
  }
  return { parties, balance, credit, stake, supply: await sys.token.totalSupply() };
}

/** Rule 1: the manager holds exactly its escrow, its unclaimed rewards and its credits. */
export async function expectManagerBalanced(sys: DisputeSystem) {
  const t = await sys.manager.totals();
  expect(await sys.token.balanceOf(await sys.manager.getAddress()), "manager balance").to.equal(
    t.escrowed + t.unclaimedRewards + t.credits,
  );
}

/** The records of every round of a task, with their round. */
export async function allRecords(sys: DisputeSystem, taskId: bigint) {
  const info = await sys.manager.taskOf(taskId);
  const out: { round: bigint; index: bigint; member: string; seats: bigint; status: RecordStatus; sealed: string }[] =
    [];
  for (let round = 0n; round <= info.round; round++) {
    const count = BigInt((await sys.manager.roundOf(taskId, round)).recordCount);
    for (let from = 0n; from < count; from += 256n) {
      const records = await sys.manager.recordsOf(taskId, round, from, count - from < 256n ? count - from : 256n);
      records.forEach((r, i) =>
        out.push({
          round,
          index: from + BigInt(i),
          member: r.member,
          seats: BigInt(r.seats),
          status: Number(r.status) as RecordStatus,
          sealed: r.sealedHash,
        }),
      );
    }
  }
  return out;
}

/**
 * Checks an ended task against `expectedSettlement` of its facts: every record's status, every penalty, every
 * challenge's outcome, the distribution events and the task's fields; then (with `claim`) claims every reward and
 * every credit and checks each party's wallet and stake moved by exactly what the rules give, that no token appeared
 * or vanished, and that the manager holds exactly its sums. Returns the expectation.
 */
export async function expectSettled(
  run: TaskRun,
  before: Ledger,
  options: { claim?: boolean; facts?: TaskFacts } = {},
): Promise<Expected> {
  const { sys, taskId } = run;
  const claim = options.claim ?? true;
  const facts = options.facts ?? (await factsOf(run));
  const exp = expectedSettlement(facts);
  const info = await run.info();
  const events = await runEvents(run);
  const named = (name: string) => events.filter((e) => e.name === name);

  // Records.
  const records = await allRecords(sys, taskId);
  expect(records.length, "records").to.equal(exp.status.size);
  for (const r of records) {
    expect(r.status, `status of record ${r.round}/${r.index}`).to.equal(exp.status.get(`${r.round}/${r.index}`));
  }
  const penalized = named("MemberPenalized").map((e) => [
    e.args.round as bigint,
    e.args.index as bigint,
    e.args.member as string,
    e.args.reason as bigint,
    e.args.requested as bigint,
    e.args.slashed as bigint,
  ]);
  const key = (p: unknown[]) => `${p[0]}/${p[1]}`;
  const sortByKey = (a: unknown[], b: unknown[]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  expect(penalized.sort(sortByKey), "penalties").to.deep.equal(
    exp.penalties.map((p) => [p.round, p.index, p.member, p.reason, p.amount, p.amount]).sort(sortByKey),
  );

  // Challenges.
  const settled = named("ChallengeSettled");
  expect(
    settled.map((e) => [e.args.step, e.args.challenger, e.args.outcome, e.args.payout, e.args.bonusPerSeat]),
    "ChallengeSettled",
  ).to.deep.equal(exp.challenges.map((c) => [c.step, c.challenger, c.outcome, c.payout, c.bonusPerSeat]));
  for (const c of exp.challenges) {
    const got = await sys.manager.challengeOf(taskId, c.step);
    const fact = facts.challenges.find((x) => x.step === c.step)!;
    expect(
      [got.challenger, got.bond, got.claimedResult, got.challengedRound, got.openedRound],
      `challenge ${c.step}`,
    ).to.deep.equal([fact.challenger, fact.bond, fact.claimed, fact.round, fact.openedRound]);
    expect([got.outcome, got.payout, got.bonusPerSeat], `challenge ${c.step} outcome`).to.deep.equal([
      c.outcome,
      c.payout,
      c.bonusPerSeat,
    ]);
  }

  // The end.
  expect(info.slashPot, "slashPot").to.equal(exp.slashPot);
  if (exp.finalized) {
    expect(info.state, "state").to.equal(State.Finalized);
    expect(info.proposedResult).to.equal(exp.result);
    expect(info.wrongSlashed, "wrongSlashed").to.equal(exp.wrong);
    expect(info.rewardPerSeat, "rewardPerSeat").to.equal(exp.rewardPerSeat);
    const dist = named("SlashesDistributed");
    expect(
      dist.map((e) => [e.args.wrongSlashed, e.args.bounties, e.args.honestShare, e.args.remainder, e.args.burned]),
      "SlashesDistributed",
    ).to.deep.equal([[exp.wrong, exp.bounties, exp.honestShare, exp.remainder, facts.config.burnRemainder]]);
    const fin = named("TaskFinalized");
    expect(
      fin.map((e) => [e.args.resultHash, e.args.winningSeats, e.args.rewardPerSeat, e.args.dust]),
      "TaskFinalized",
    ).to.deep.equal([[exp.result, exp.winningSeats, exp.rewardPerSeat, exp.dust]]);
    expect(named("TaskRefunded")).to.have.length(0);
  } else {
    expect(info.state, "state").to.equal(State.Refunded);
    expect(info.wrongSlashed).to.equal(0n);
    const ref = named("TaskRefunded");
    expect(
      ref.map((e) => [e.args.requester, e.args.reward, e.args.slashPot]),
      "TaskRefunded",
    ).to.deep.equal([[facts.requester, facts.reward, exp.slashPot]]);
    expect(named("TaskFinalized")).to.have.length(0);
    expect(named("SlashesDistributed")).to.have.length(0);
  }
  for (const [a, v] of exp.creditOf) {
    expect((await sys.manager.creditOf(a)) - before.credit.get(a)!, `credit of ${a}`).to.equal(v);
  }
  await expectManagerBalanced(sys);
  if (!claim) return exp;

  // Claim everything: each Won record's reward, then every credit.
  for (const r of records) {
    if (r.status !== RecordStatus.Won) continue;
    const signer = await sys.signerFor(r.member);
    const { events: ev } = await run.send(sys.manager.connect(signer).claimReward(taskId, r.round, r.index));
    const claimed = ev.filter((e) => e.name === "RewardClaimed");
    expect(
      claimed.map((e) => [e.args.member, e.args.round, e.args.index, e.args.amount]),
      `claim of ${r.round}/${r.index}`,
    ).to.deep.equal([[r.member, r.round, r.index, exp.rewardOf.get(`${r.round}/${r.index}`)]]);
    expect((await sys.manager.recordOf(taskId, r.round, r.index)).status).to.equal(BigInt(RecordStatus.Claimed));
  }
  for (const a of before.parties) {
    if ((await sys.manager.creditOf(a)) === 0n) continue;
    await run.send(sys.manager.connect(await sys.signerFor(a)).claimCredit());
  }

  // Every party moved by exactly what the rules give; nothing appeared or vanished.
  const poolAddress = await sys.pool.getAddress();
  const managerAddress = await sys.manager.getAddress();
  let sum = 0n;
  for (const a of before.parties) {
    const moved = (await sys.token.balanceOf(a)) - before.balance.get(a)!;
    sum += moved;
    const credited = before.credit.get(a)!;
    let want = (exp.delta.get(a) ?? 0n) + credited;
    if (a === poolAddress) want = -exp.slashPot;
    if (a === managerAddress) want = -sumOfCredits(before);
    expect(moved, `tokens of ${a}`).to.equal(want);
    expect(await sys.manager.creditOf(a), `credit left to ${a}`).to.equal(0n);
    const stakeMoved = (await sys.pool.stakeOf(a)).active - before.stake.get(a)!;
    expect(stakeMoved, `stake of ${a}`).to.equal(-(exp.slashedOf.get(a) ?? 0n));
  }
  expect(sum, "tokens conserved").to.equal(0n);
  expect(await sys.token.totalSupply()).to.equal(before.supply);
  await expectManagerBalanced(sys);
  return exp;
}

/** Credits the parties held before the task (claimed along with the task's own). */
function sumOfCredits(before: Ledger) {
  let s = 0n;
  for (const v of before.credit.values()) s += v;
  return s;
}
