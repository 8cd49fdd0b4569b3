import { untargetedSeedStep } from "../agents/seed.js";
import type { TaskView } from "../agents/taskView.js";
import type { Verdict } from "../store/proposalStore.js";
import { Phase } from "../types.js";

export interface WatchtowerView {
  task: TaskView;
  nextBlock: number;
  /** The watchtower's own result hash for the task, or why it has none. */
  result: { kind: "ready"; resultHash: string } | { kind: "failed"; retryable: boolean } | { kind: "none" };
  /** Its verdict on the current round's proposed result, if it judged it already. */
  verdict: Verdict | undefined;
  /** Whether it challenged any round of the task (its bond rides on the outcome). */
  involved: boolean;
  /** Manager credit waiting for it (`creditOf`), read only once the task has ended. */
  credit: bigint;
  /** Whether a claimCredit for this task is already on its way or done. */
  claimSent: boolean;
  seedTarget: number | undefined;
  /** Set when the pending draw's seed is a VRF request waiting for its trigger (see `SeedView.trigger`). */
  seedTrigger?: { notBefore: number | undefined } | undefined;
  jitter: number;
  duties: { draw: boolean; replaceNoShows: boolean; tally: boolean; finalize: boolean; expire: boolean };
  /** The task's bisection-game options, read for a task that is challengeable or in a game (undefined otherwise). */
  game?: GameOptionsView | undefined;
  /** How wrong results are challenged when a game is possible (`watchtowerConfigSchema.game`; default `prefer`). */
  gameMode?: "prefer" | "escalate-first" | "off";
}

/** What the decision needs of a task's game settings (`taskGameOf`, the current game challenge). */
export interface GameOptionsView {
  /** A step verifier is frozen into the task, games are left, and the watchtower has the program's trace. */
  available: boolean;
  /** The proposed result came out of a game: only a game can challenge it. */
  fromGame: boolean;
  bondFloor: bigint;
  /** The watchtower is a party to the game being played (phase InGame). */
  party: boolean;
}

export type WatchtowerAction =
  | { kind: "compute" }
  | { kind: "judge"; verdict: Verdict }
  | { kind: "challenge"; claimedResult: string; bond: bigint }
  | { kind: "challengeByGame"; claimedResult: string; bond: bigint }
  | { kind: "playGame" }
  | { kind: "claimCredit" }
  | { kind: "trigger" }
  | { kind: "draw" }
  | { kind: "replaceNoShows" }
  | { kind: "tally" }
  | { kind: "finalize" }
  | { kind: "expire" };

export interface WatchtowerDecision {
  actions: WatchtowerAction[];
  wake: number;
  close: string | undefined;
  note: string;
}

const IDLE_BLOCKS = 1_000;

/**
 * How a wrong result can be challenged now: by an escalation (a committee result with escalations left) or by a
 * game (a verifier, games left, the trace known), as `gameMode` orders them; undefined when neither is possible.
 */
function challengeWay(v: WatchtowerView): "game" | "committee" | undefined {
  const t = v.task;
  const byCommittee = v.game?.fromGame !== true && t.escalations < t.maxEscalations;
  const byGame = v.gameMode !== "off" && v.game?.available === true;
  if (v.gameMode === "escalate-first") return byCommittee ? "committee" : byGame ? "game" : undefined;
  return byGame ? "game" : byCommittee ? "committee" : undefined;
}

/**
 * What a watchtower does about one task at one head. Every proposed result is judged once per round against the
 * watchtower's own run of the program: the same hash is `agree`; a different one is challenged with the bond floor
 * while the window is open, claiming the watchtower's hash. A task it challenged is then followed to the end: it
 * draws, tallies and finalizes the escalation rounds when nobody else does, judges the next proposed result the
 * same way (challenging again if it is still wrong), and claims its credit (bond and bounty) once the task ends.
 * A task whose program has a step verifier can be challenged by a bisection game instead (see `challengeWay`); the
 * watchtower then plays its side every block until the game ends and settles it.
 */
export function decideWatchtower(v: WatchtowerView): WatchtowerDecision {
  const t = v.task;
  const next = v.nextBlock;
  const idle = next + IDLE_BLOCKS;
  const after = (deadline: number) => next >= deadline + 1 + v.jitter;
  const d = (actions: WatchtowerAction[], wake: number, note: string): WatchtowerDecision => ({
    actions,
    wake,
    close: undefined,
    note,
  });
  const follow = v.involved;

  switch (t.phase) {
    case Phase.None:
      return { actions: [], wake: idle, close: "unknown task", note: "unknown task" };
    case Phase.Finalized:
    case Phase.Refunded: {
      if (follow && v.credit > 0n && !v.claimSent) return d([{ kind: "claimCredit" }], next, "claiming credit");
      if (follow && v.claimSent && v.credit > 0n) return d([], next + 1, "credit claim on its way");
      return { actions: [], wake: idle, close: t.phase === Phase.Finalized ? "finalized" : "refunded", note: "ended" };
    }
    case Phase.Challengeable: {
      if (v.verdict !== undefined) return d([], t.challengeDeadline, `judged: ${v.verdict}`);
      if (v.result.kind === "none" || (v.result.kind === "failed" && v.result.retryable)) {
        return d([{ kind: "compute" }], next, "re-executing");
      }
      if (v.result.kind === "failed")
        return d([{ kind: "judge", verdict: "unknown" }], t.challengeDeadline, "cannot run");
      if (v.result.resultHash === t.proposedResult) {
        return d([{ kind: "judge", verdict: "agree" }], t.challengeDeadline, "proposed result is right");
      }
      const how = next > t.challengeDeadline ? undefined : challengeWay(v);
      if (how === undefined) {
        return d([{ kind: "judge", verdict: "late" }], next, "wrong result, but no challenge possible");
      }
      if (how === "game") {
        return d(
          [{ kind: "challengeByGame", claimedResult: v.result.resultHash, bond: v.game?.bondFloor ?? 0n }],
          next,
          "wrong result: challenging by game",
        );
      }
      return d(
        [{ kind: "challenge", claimedResult: v.result.resultHash, bond: t.challengeBondFloor }],
        next,
        "wrong result: challenging",
      );
    }
    case Phase.InGame:
      // The other side's moves are in the game contract, whose events the agent does not scan: look every block.
      if (v.game?.party === true) return d([{ kind: "playGame" }], next, "playing the game");
      return d([], follow ? next + 1 : idle, "a game is being played");
    case Phase.AwaitingSeed: {
      if (!follow) return d([], idle, "awaiting seed");
      if (next > t.expiresAt)
        return v.duties.expire ? d([{ kind: "expire" }], next, "expiring") : d([], idle, "expired");
      if (!v.duties.draw) return d([], idle, "awaiting seed");
      if (v.seedTarget === undefined) {
        const step = untargetedSeedStep({ target: undefined, trigger: v.seedTrigger }, next, v.jitter);
        if (step.act === "wait") return d([], step.wake, step.note);
        return d(
          [{ kind: step.act }],
          next,
          step.act === "draw" ? "drawing the escalation (no target known)" : step.note,
        );
      }
      const readyAt = v.seedTarget + 1 + v.jitter;
      return next >= readyAt
        ? d([{ kind: "draw" }], next, "drawing the escalation")
        : d([], readyAt - 1, "awaiting seed");
    }
    case Phase.Committing:
      return d([], follow ? t.commitDeadline : idle, "committing");
    case Phase.AwaitingReplacement:
      if (follow && v.duties.replaceNoShows) {
        return after(t.commitDeadline)
          ? d([{ kind: "replaceNoShows" }], next, "replacing no-shows")
          : d([], t.commitDeadline + v.jitter, "waiting to replace no-shows");
      }
      return d([], idle, "awaiting replacements");
    case Phase.Revealing:
      return d([], follow ? t.revealDeadline : idle, "revealing");
    case Phase.AwaitingTally:
      if (follow && v.duties.tally) {
        return after(t.revealDeadline)
          ? d([{ kind: "tally" }], next, "tallying")
          : d([], t.revealDeadline + v.jitter, "waiting to tally");
      }
      return d([], idle, "awaiting tally");
    case Phase.AwaitingFinalization:
      if (follow && v.duties.finalize) {
        return after(t.challengeDeadline)
          ? d([{ kind: "finalize" }], next, "finalizing")
          : d([], t.challengeDeadline + v.jitter, "waiting to finalize");
      }
      return d([], idle, "awaiting finalization");
    default:
      return d([], next, `phase ${t.phase}`);
  }
}
