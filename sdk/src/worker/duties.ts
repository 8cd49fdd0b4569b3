import { untargetedSeedStep } from "../agents/seed.js";
import type { TaskView } from "../agents/taskView.js";
import { Phase, RecordStatus } from "../types.js";

/** One of the worker's own records, with its status on chain. */
export interface RecordView {
  round: bigint;
  index: bigint;
  status: number;
}

/** What the worker knows locally about the task's result. */
export type ResultView = { kind: "ready" } | { kind: "failed"; retryable: boolean } | { kind: "none" };

export interface WorkerView {
  task: TaskView;
  /** The block a transaction sent now lands in at the earliest (head + 1). */
  nextBlock: number;
  records: RecordView[];
  result: ResultView;
  /** The block whose hash seeds the pending draw (AwaitingSeed), if known. */
  seedTarget: number | undefined;
  /** Set when the pending draw's seed is a VRF request waiting for its trigger (see `SeedView.trigger`). */
  seedTrigger?: { notBefore: number | undefined } | undefined;
  /** Blocks this worker waits, after a permissionless call becomes possible, before making it. */
  jitter: number;
  /**
   * The same for draws, spread wider: every worker of the pool may draw a task, while only its members tally it, and
   * a draw window leaves a few blocks for it.
   */
  drawJitter: number;
  duties: {
    draw: boolean;
    replaceNoShows: boolean;
    tally: boolean;
    finalize: boolean;
    expire: boolean;
    claim: boolean;
  };
}

export type WorkerAction =
  | { kind: "compute" }
  | { kind: "commit"; round: bigint; index: bigint }
  | { kind: "reveal"; round: bigint; index: bigint }
  | { kind: "claim"; round: bigint; index: bigint }
  | { kind: "trigger" }
  | { kind: "draw" }
  | { kind: "replaceNoShows" }
  | { kind: "tally" }
  | { kind: "finalize" }
  | { kind: "expire" };

export interface WorkerDecision {
  actions: WorkerAction[];
  /** Look at the task again once the head reaches this block (events about it wake it earlier). */
  wake: number;
  /** Set when the worker is done with the task. */
  close: string | undefined;
  /** Why, for the logs and the store. */
  note: string;
}

/**
 * The phase the task will be in at `next`, the block a transaction sent now lands in: `phaseOf` answers for the
 * latest block, one block behind. Acting on the projection saves a block at every deadline; where the projection is
 * wrong (a commit window that closes with vacant seats goes to AwaitingReplacement, not Revealing), the queue's
 * simulation at the pending block refuses the call and nothing is sent.
 */
export function projectedPhase(t: TaskView, next: number): number {
  if (t.phase === Phase.Committing && next > t.commitDeadline) return Phase.Revealing;
  if (t.phase === Phase.Revealing && next > t.revealDeadline) return Phase.AwaitingTally;
  if (t.phase === Phase.Challengeable && next > t.challengeDeadline) return Phase.AwaitingFinalization;
  return t.phase;
}

/** How long a task with nothing of the worker's in it sleeps unless an event wakes it. */
const IDLE_BLOCKS = 1_000;

/**
 * What a worker does about one task at one head: a pure function of the chain's view (the phase, the worker's
 * records and their statuses) and of what the worker holds locally (the result). Nothing here depends on what the
 * worker did before: after a crash the same view gives the same decision, and the transaction queue's keys make a
 * repeated decision send nothing twice.
 *
 * Member duties (commit, reveal, claim) are taken as soon as they are possible. Permissionless calls are made only
 * when they serve the worker (rule 6 lets anyone make them): drawing any task and replacing no-shows (it may win
 * seats), tallying a round (at once if it revealed in it, a few blocks later otherwise), finalizing a task it revealed in (its bond is locked until then),
 * expiring a task holding its bond. Each waits `jitter` blocks after it becomes possible.
 */
export function decideWorker(v: WorkerView): WorkerDecision {
  const t = v.task;
  const next = v.nextBlock;
  const current = v.records.filter((r) => r.round === t.round);
  const live = current.find((r) => r.status === RecordStatus.Assigned || r.status === RecordStatus.Committed);
  const locked = v.records.some((r) => r.status === RecordStatus.Revealed || r.status === RecordStatus.Committed);
  const idle = next + IDLE_BLOCKS;
  const after = (deadline: number) => next >= deadline + 1 + v.jitter;
  const decision = (actions: WorkerAction[], wake: number, note: string): WorkerDecision => ({
    actions,
    wake,
    close: undefined,
    note,
  });

  switch (projectedPhase(t, next)) {
    case Phase.None:
      return { actions: [], wake: idle, close: "unknown task", note: "unknown task" };
    case Phase.Refunded:
      return { actions: [], wake: idle, close: "refunded", note: "refunded" };
    case Phase.Finalized: {
      const won = v.records.filter((r) => r.status === RecordStatus.Won);
      if (won.length === 0 || !v.duties.claim) {
        return { actions: [], wake: idle, close: "finalized", note: "finalized, nothing to claim" };
      }
      return decision(
        won.map((r) => ({ kind: "claim", round: r.round, index: r.index })),
        next,
        "finalized: claiming",
      );
    }
    case Phase.AwaitingSeed: {
      if (next > t.expiresAt) {
        return locked && v.duties.expire
          ? decision([{ kind: "expire" }], next, "expired while holding a bond")
          : decision([], idle, "expired");
      }
      if (!v.duties.draw) return decision([], idle, "awaiting seed");
      if (v.seedTarget === undefined) {
        const step = untargetedSeedStep({ target: undefined, trigger: v.seedTrigger }, next, v.jitter);
        return step.act === "wait"
          ? decision([], step.wake, step.note)
          : decision([{ kind: step.act }], next, step.note);
      }
      // The seed is the target block's hash, readable from the block after it.
      const readyAt = v.seedTarget + 1 + v.drawJitter;
      if (next >= readyAt) return decision([{ kind: "draw" }], next, "drawing");
      return decision([], readyAt - 1, "awaiting seed");
    }
    case Phase.Committing: {
      if (live?.status === RecordStatus.Assigned) {
        if (v.result.kind === "ready") {
          return decision([{ kind: "commit", round: live.round, index: live.index }], next, "committing");
        }
        if (v.result.kind === "none" || v.result.retryable) {
          return decision([{ kind: "compute" }], next, "computing");
        }
        return decision([], t.commitDeadline, "cannot compute the result");
      }
      // Not in the committee: look again just after the window, in case every member missed it and the round
      // waits for someone to call replaceNoShows.
      if (live === undefined) return decision([], t.commitDeadline + 2 + v.jitter, "not in the committee");
      return decision([], t.commitDeadline, "committed");
    }
    case Phase.AwaitingReplacement: {
      // A member that committed waits for the round to go on; any other worker may win the replacement seats. The
      // members go first; the others give them two blocks, so that a round whose members all missed still moves.
      const committed = current.some((r) => r.status === RecordStatus.Committed);
      if (!v.duties.replaceNoShows) return decision([], idle, "awaiting replacements");
      const from = t.commitDeadline + (committed ? 0 : 2);
      return after(from)
        ? decision([{ kind: "replaceNoShows" }], next, "replacing no-shows")
        : decision([], from + v.jitter, "waiting to replace no-shows");
    }
    case Phase.Revealing: {
      if (live?.status === RecordStatus.Committed) {
        return decision([{ kind: "reveal", round: live.round, index: live.index }], next, "revealing");
      }
      return decision([], t.revealDeadline + (locked ? 0 : 3), "revealing (nothing of mine to reveal)");
    }
    case Phase.AwaitingTally: {
      // Revealers tally first; anyone else a few blocks later (a round nobody revealed in must still move on, and
      // its redraw is seats the others may win).
      const revealed = current.some((r) => r.status === RecordStatus.Revealed);
      if (!v.duties.tally) return decision([], locked ? next + 4 : idle, "awaiting tally");
      const from = t.revealDeadline + (revealed ? 0 : 3);
      return after(from)
        ? decision([{ kind: "tally" }], next, "tallying")
        : decision([], from + v.jitter, "waiting to tally");
    }
    case Phase.Challengeable:
      return decision([], locked ? t.challengeDeadline : idle, "challenge window open");
    case Phase.AwaitingFinalization: {
      if (locked && v.duties.finalize) {
        return after(t.challengeDeadline)
          ? decision([{ kind: "finalize" }], next, "finalizing")
          : decision([], t.challengeDeadline + v.jitter, "waiting to finalize");
      }
      return decision([], locked ? next + 4 : idle, "awaiting finalization");
    }
    default:
      return decision([], next, `phase ${t.phase}`);
  }
}
