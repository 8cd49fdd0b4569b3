import { hexlify, ZeroAddress } from "ethers";
import type { Logger } from "pino";

import { Agent, type AgentDeps } from "../agents/agent.js";
import {
  parseConfig,
  watchtowerConfigSchema,
  type WatchtowerConfig,
  type WatchtowerConfigInput,
} from "../agents/config.js";
import type { ChainEvent } from "../agents/events.js";
import { sendProgressCall, sendTrigger, type ProgressCall } from "../agents/progress.js";
import { SeedRequests, type SeedView } from "../agents/seed.js";
import { jitterOf, readTaskView, type TaskView } from "../agents/taskView.js";
import { ContractRevertError } from "../errors/contract.js";
import { type CurrentGame, MAX_GAMES, readCurrentGame, sideOf, takeGameTurn } from "../game/agentTurn.js";
import { Side } from "../game/plan.js";
import { TraceCache } from "../game/traces.js";
import { readContract } from "../internal/read.js";
import type { StoredProposal, StoredTask } from "../store/index.js";
import type { Head } from "../tx/fees.js";
import type { TxRequest } from "../tx/queue.js";
import { Phase } from "../types.js";
import { planBond, UnfundedNotices } from "./bond.js";
import { decideWatchtower, type GameOptionsView, type WatchtowerAction, type WatchtowerView } from "./duties.js";

const EVENTS = [
  "TaskCreated",
  "SeedRequested",
  "CommitteeDrawn",
  "NoShowsReplaced",
  "ResultProposed",
  "NoQuorum",
  "Challenged",
  "ChallengeSettled",
  "TaskFinalized",
  "TaskRefunded",
  "TaskExpired",
  "GameChallenged",
  "GameDefended",
  "GameSettled",
] as const;

/** Refusals of a challenge that another try cannot change: the watchtower judges the result `late`. */
const FINAL_CHALLENGE_ERRORS = new Set([
  "TaskManagerChallengeWindowClosed",
  "TaskManagerAlreadyChallenged",
  "TaskManagerNoEscalationLeft",
  "TaskManagerClaimNotDifferent",
  "TaskManagerWrongPhase",
]);

/**
 * Refusals of a game challenge that another try cannot change, while an escalation may still be possible: the
 * watchtower stops offering this task a game (until it restarts) and decides again.
 */
const FINAL_GAME_ERRORS = new Set([
  "TaskManagerGameUnavailable",
  "TaskManagerNoGameLeft",
  "TaskManagerInputHashMismatch",
  "BisectionGameTraceTooLong",
  "ParticleStepVerifierRegionTooLarge",
  "ParticleStepVerifierMalformedState",
]);

/**
 * The watchtower agent: re-executes every proposed result inside its challenge window and challenges a wrong one
 * with the bond floor (approving the manager first when the allowance is short), follows each task it challenged
 * through the escalation (judging, and if need be challenging, the next proposed result), and claims its payouts.
 */
export class WatchtowerAgent extends Agent<WatchtowerConfig> {
  readonly role = "watchtower";
  challengesSent = 0;
  gameChallengesSent = 0;
  #bondLock: Promise<unknown> = Promise.resolve();
  readonly #unfunded = new UnfundedNotices();
  readonly #traces = new TraceCache();
  readonly #seeds = new SeedRequests();
  /** Tasks (`task:round:proposed`) whose game challenge was refused for good: an escalation is tried instead. */
  readonly #noGame = new Set<string>();

  constructor(config: WatchtowerConfigInput | WatchtowerConfig, deps: AgentDeps = {}) {
    super(parseConfig(watchtowerConfigSchema, config), deps);
  }

  protected eventNames(): readonly string[] {
    return EVENTS;
  }

  protected onEvents(events: ChainEvent[]): void {
    const { store } = this.parts;
    for (const e of events) {
      const taskId = e.args.taskId as bigint;
      if (e.name === "TaskCreated") {
        const request = e.args.request as { programId: string; inputHash: string; inputKind: bigint; input: string };
        store.tasks.add({
          taskId,
          block: e.block,
          programId: request.programId,
          inputHash: request.inputHash,
          inputKind: Number(request.inputKind),
          input: hexlify(request.input),
        });
      } else {
        store.tasks.touch(taskId);
        if (e.name === "GameChallenged" || e.name === "GameSettled") this.#recordGameEvent(e);
        // Re-execute while the window is young: the result is needed only if a result is proposed.
        if (e.name === "ResultProposed") {
          const task = store.tasks.get(taskId);
          if (task !== undefined && this.parts.content.knows(task.programId)) this.parts.compute.request(task);
        }
      }
    }
  }

  protected onReorg(): void {
    // Verdicts are keyed by task and round and re-derived from the chain's proposed result; nothing to rewind.
  }

  protected roleStatus(): Record<string, unknown> {
    const { store, compute } = this.parts;
    return {
      challenges: store.proposals.countChallenges(),
      games: store.games.counts(),
      reExecuted: compute.completed,
      computeFailures: compute.failed,
    };
  }

  protected async look(task: StoredTask, head: Head): Promise<void> {
    const log = this.log.child({ taskId: task.taskId.toString() });
    try {
      const { client, store, queue } = this.parts;
      const view = await readTaskView(client, task.taskId);
      const proposals = store.proposals.forTask(task.taskId);
      const involved =
        proposals.some((p) => p.verdict === "challenge" && queue.live(challengeKey(p)) !== undefined) ||
        store.games.forTask(task.taskId).length > 0;
      const ended = view.phase === Phase.Finalized || view.phase === Phase.Refunded;
      const credit = ended && involved ? await readContract<bigint>(client, "manager", "creditOf", [this.account]) : 0n;
      const stored = store.proposals.get(task.taskId, view.round);
      // A `challenge` verdict without its transaction (a crash between the two, or a challenge that lost a race)
      // is judged again: the window may still be open, and the simulation tells a lost race apart.
      const current = stored?.verdict === "challenge" && !this.#challengeLive(stored, view) ? undefined : stored;
      const game = await this.#gameOptions(task, view, head);
      const seed = await this.#seed(view, involved);
      const decision = decideWatchtower({
        task: view,
        nextBlock: head.number + 1,
        result: this.#resultView(task.taskId),
        verdict: current !== undefined && current.proposed === view.proposedResult ? current.verdict : undefined,
        involved,
        credit,
        claimSent: queue.live(`claimCredit:${task.taskId}`) !== undefined,
        seedTarget: seed?.target,
        seedTrigger: seed?.trigger,
        jitter: jitterOf(this.account, task.taskId, 1),
        duties: this.config.progress,
        game: game?.options,
        gameMode: this.config.game,
      });
      for (const action of decision.actions) await this.#perform(action, task, view, head, game?.current);
      if (decision.close !== undefined) store.tasks.close(task.taskId, decision.close);
      else store.tasks.schedule(task.taskId, decision.wake, decision.note);
    } catch (error) {
      log.error({ err: error }, "could not handle the task");
      if (this.parts.store.database.db.isOpen) this.parts.store.tasks.schedule(task.taskId, head.number + 1, "error");
    }
  }

  async #perform(
    action: WatchtowerAction,
    task: StoredTask,
    view: TaskView,
    head: Head,
    current: CurrentGame | undefined,
  ): Promise<void> {
    const { client, store, queue, compute } = this.parts;
    const log = this.log.child({ taskId: task.taskId.toString(), round: view.round.toString(), action: action.kind });
    const judge = (verdict: "agree" | "challenge" | "late" | "unknown", claimed?: string) =>
      store.proposals.put({ taskId: task.taskId, round: view.round, proposed: view.proposedResult, verdict, claimed });
    try {
      switch (action.kind) {
        case "compute":
          compute.request(task);
          return;
        case "judge":
          judge(action.verdict);
          // `late`: a result this watchtower holds wrong goes unchallenged, which an operator must hear about.
          log[action.verdict === "late" ? "error" : "info"](
            { verdict: action.verdict, proposed: view.proposedResult },
            "proposed result judged",
          );
          return;
        case "challenge":
          // One bonded call at a time, across the looks that run side by side: the allowance read and the
          // challenge that spends it must not interleave with another challenge's.
          await this.#bonded(async () => await this.#challenge(action, task, view, head, judge, log));
          return;
        case "challengeByGame":
          await this.#bonded(async () => await this.#challengeByGame(action, task, view, head, judge, log, current));
          return;
        case "playGame":
          await this.#play(task, head, current, log);
          return;
        case "claimCredit":
          await queue.submit(
            {
              key: `claimCredit:${task.taskId}`,
              label: "claimCredit",
              taskId: task.taskId,
              to: client.addresses.taskManager,
              data: client.manager.interface.encodeFunctionData("claimCredit", []),
            },
            head,
          );
          return;
        case "trigger": {
          const outcome = await sendTrigger({ client, queue, txs: store.txs, log }, task.taskId, view.requestId, head);
          this.#seeds.learnt(view.requestId, outcome.notBefore);
          return;
        }
        default:
          await sendProgressCall(
            { client, queue, txs: store.txs, log },
            progressCallOf(action.kind),
            task.taskId,
            head,
          );
      }
    } catch (error) {
      if (error instanceof ContractRevertError) {
        log.warn({ errorName: error.errorName, args: error.args }, "the call would revert: not sent");
        // Only a refusal the chain will repeat ends the matter; a short allowance or balance is tried again.
        if (action.kind === "challenge" && FINAL_CHALLENGE_ERRORS.has(error.errorName)) {
          store.proposals.put({ ...challengeKeyParts(task, view), verdict: "late", claimed: undefined });
        }
        if (action.kind === "challengeByGame") {
          // Not joined after all: the games row was written for a call that was never sent.
          if (current !== undefined) store.games.remove(task.taskId, current.game + 1n);
          if (FINAL_GAME_ERRORS.has(error.errorName)) this.#noGame.add(noGameKey(task.taskId, view));
          else if (FINAL_CHALLENGE_ERRORS.has(error.errorName)) {
            store.proposals.put({ ...challengeKeyParts(task, view), verdict: "late", claimed: undefined });
          }
        }
        return;
      }
      throw error;
    }
  }

  /** Challenges a wrong proposed result (inside `#bonded`), approving the manager first if the allowance is short. */
  async #challenge(
    action: Extract<WatchtowerAction, { kind: "challenge" }>,
    task: StoredTask,
    view: TaskView,
    head: Head,
    judge: (verdict: "late" | "challenge", claimed?: string) => void,
    log: Logger,
  ): Promise<void> {
    const { client, queue } = this.parts;
    if (this.config.maxBond !== undefined && action.bond > this.config.maxBond) {
      judge("late");
      log.error({ bond: action.bond.toString(), maxBond: this.config.maxBond.toString() }, "bond over the limit");
      return;
    }
    if (!(await this.#allowanceCovers(action.bond, task.taskId, view.round, head))) return;
    // Durable before the challenge is signed: after a restart the watchtower follows the task as its own.
    judge("challenge", action.claimedResult);
    const request: TxRequest = {
      key: challengeKey({ taskId: task.taskId, round: view.round }),
      label: "challenge",
      taskId: task.taskId,
      to: client.addresses.taskManager,
      data: client.manager.interface.encodeFunctionData("challenge", [task.taskId, action.claimedResult, action.bond]),
      deadline: view.challengeDeadline,
    };
    await queue.submit(request, head);
    this.challengesSent++;
    log.warn(
      { proposed: view.proposedResult, claimed: action.claimedResult, bond: action.bond.toString() },
      "wrong result challenged",
    );
  }

  /**
   * Challenges a wrong proposed result with a bisection game (inside `#bonded`): the games row first, so that a
   * restarted watchtower follows the task as its own and plays it, then `challengeByGame` with the task's input.
   */
  async #challengeByGame(
    action: Extract<WatchtowerAction, { kind: "challengeByGame" }>,
    task: StoredTask,
    view: TaskView,
    head: Head,
    judge: (verdict: "late" | "challenge", claimed?: string) => void,
    log: Logger,
    current: CurrentGame | undefined,
  ): Promise<void> {
    const { client, queue, store, content } = this.parts;
    if (current === undefined) return;
    if (this.config.maxBond !== undefined && action.bond > this.config.maxBond) {
      judge("late");
      log.error({ bond: action.bond.toString(), maxBond: this.config.maxBond.toString() }, "game bond over the limit");
      return;
    }
    if (!(await this.#allowanceCovers(action.bond, task.taskId, view.round, head))) return;
    const input = await content.input(task);
    const game = current.game + 1n;
    judge("challenge", action.claimedResult);
    store.games.put({
      taskId: task.taskId,
      game,
      side: "challenger",
      claimed: action.claimedResult,
      gameId: undefined,
      status: "opening",
      winner: undefined,
    });
    await queue.submit(
      {
        key: gameChallengeKey(task.taskId, game),
        label: "challengeByGame",
        taskId: task.taskId,
        to: client.addresses.taskManager,
        data: client.manager.interface.encodeFunctionData("challengeByGame", [
          task.taskId,
          action.claimedResult,
          action.bond,
          input,
        ]),
        deadline: view.challengeDeadline,
      },
      head,
    );
    this.gameChallengesSent++;
    log.warn(
      {
        proposed: view.proposedResult,
        claimed: action.claimedResult,
        bond: action.bond.toString(),
        game: Number(game),
      },
      "wrong result challenged by game",
    );
  }

  /** One turn in the task's running game, with the watchtower's trace; the side is read from the chain. */
  async #play(task: StoredTask, head: Head, current: CurrentGame | undefined, log: Logger): Promise<void> {
    const game = await this.agentGame();
    if (game === undefined || current?.challenge === undefined) return;
    const side = sideOf(current.challenge, this.account);
    const trace = await this.#trace(task);
    if (side === Side.None || trace === undefined) return;
    const { client, queue } = this.parts;
    await takeGameTurn({ client, queue, game, log }, { taskId: task.taskId, current, side, trace, head });
  }

  /**
   * The task's game settings, when they matter: a wrong result in an open window (can a game challenge it?) or a
   * game being played (is the watchtower a party?). Undefined for tasks without a verifier or in other phases.
   */
  async #gameOptions(
    task: StoredTask,
    view: TaskView,
    head: Head,
  ): Promise<{ options: GameOptionsView; current: CurrentGame } | undefined> {
    const challengeable = view.phase === Phase.Challengeable && head.number + 1 <= view.challengeDeadline;
    if (!challengeable && view.phase !== Phase.InGame) return undefined;
    const result = this.parts.store.tasks.result(task.taskId);
    if (challengeable && (result?.resultHash === undefined || result.resultHash === view.proposedResult)) {
      return undefined;
    }
    const game = await this.agentGame();
    if (game === undefined) return undefined;
    const current = await readCurrentGame(this.parts.client, game, task.taskId);
    if (current.info.verifier === ZeroAddress) return undefined;
    const party = sideOf(current.challenge, this.account) !== Side.None;
    const gamesLeft = current.info.games < MAX_GAMES && !this.#noGame.has(noGameKey(task.taskId, view));
    const traced = challengeable && gamesLeft && (await this.#trace(task)) !== undefined;
    return {
      options: {
        available: traced,
        fromGame: current.info.topGame !== 0n,
        bondFloor: current.info.gameBondFloor,
        party,
      },
      current,
    };
  }

  /** The program's trace of the task, if this watchtower's result is its last hash (see `TraceCache`). */
  async #trace(task: StoredTask) {
    const resultHash = this.parts.store.tasks.result(task.taskId)?.resultHash;
    if (resultHash === undefined) return undefined;
    return await this.#traces.get(task.taskId, resultHash, async () => await this.parts.content.input(task));
  }

  /** Whether the challenge behind a `challenge` verdict is on its way or done (an escalation's or a game's). */
  #challengeLive(p: StoredProposal, view: TaskView): boolean {
    const { queue, store } = this.parts;
    if (queue.live(challengeKey(p)) !== undefined) return true;
    return (
      store.games
        .forTask(p.taskId)
        .some((g) => g.claimed === p.claimed && queue.live(gameChallengeKey(p.taskId, g.game)) !== undefined) ||
      view.phase === Phase.InGame
    );
  }

  /** Keeps the games rows in step with the manager's events (inside the scanner's transaction). */
  #recordGameEvent(e: ChainEvent): void {
    const { store } = this.parts;
    const taskId = e.args.taskId as bigint;
    const game = e.args.game as bigint;
    const row = store.games.get(taskId, game);
    if (e.name === "GameChallenged") {
      const me = this.account.toLowerCase();
      // A game opened against the result this watchtower's earlier game produced names it the defender at once.
      const side =
        (e.args.challenger as string).toLowerCase() === me
          ? "challenger"
          : (e.args.defender as string).toLowerCase() === me
            ? "defender"
            : undefined;
      if (side === undefined) return;
      const claimed = side === "challenger" ? (e.args.claimedResult as string) : (e.args.defendedResult as string);
      const gameId = e.args.gameId as bigint;
      store.games.put({ taskId, game, side, claimed, gameId, status: "playing", winner: undefined });
    } else if (e.name === "GameSettled" && row !== undefined) {
      store.games.put({ ...row, status: "ended", winner: Number(e.args.winner) });
    }
  }

  async #bonded<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#bondLock.then(fn, fn);
    this.#bondLock = run.catch(() => undefined);
    return await run;
  }

  /**
   * Whether the manager may take `bond` once this key's queued transactions have run (see `planBond` in bond.ts): if
   * the allowance is short, approves (`approveAmount`, else the whole balance) and returns false; the call follows on
   * a later look, once the approval is mined.
   */
  async #allowanceCovers(bond: bigint, taskId: bigint, round: bigint, head: Head): Promise<boolean> {
    const { client, queue, store } = this.parts;
    const [pendingAllowance, pendingBalance] = await Promise.all([
      readContract<bigint>(client, "token", "allowance", [this.account, client.addresses.taskManager], "pending"),
      readContract<bigint>(client, "token", "balanceOf", [this.account], "pending"),
    ]);
    const plan = planBond({
      bond,
      pendingAllowance,
      pendingBalance,
      approvalUnmined: store.txs.open().some((t) => t.label === "approve" && t.status === "pending"),
      approveAmount: this.config.approveAmount,
    });
    if (plan.kind !== "unfunded") this.#unfunded.funded(taskId);
    if (plan.kind === "send") return true;
    if (plan.kind === "unfunded" && this.#unfunded.shouldLog(taskId, plan.balance)) {
      this.log.error(
        { taskId: taskId.toString(), bond: bond.toString(), balance: plan.balance.toString() },
        "token balance below the bond: cannot challenge until funded",
      );
    }
    if (plan.kind !== "approve") return false;
    // A fresh key per approval: the same task may need another one after an earlier approval went to other bonds.
    await queue.submit(
      {
        key: `approve:${taskId}:${round}:${head.number}`,
        label: "approve",
        taskId,
        to: client.addresses.stakeToken,
        data: client.token.interface.encodeFunctionData("approve", [client.addresses.taskManager, plan.amount]),
      },
      head,
    );
    return false;
  }

  #resultView(taskId: bigint): WatchtowerView["result"] {
    const result = this.parts.store.tasks.result(taskId);
    if (result === undefined) return { kind: "none" };
    if (result.resultHash !== undefined) return { kind: "ready", resultHash: result.resultHash };
    return { kind: "failed", retryable: result.retryable };
  }

  async #seed(view: TaskView, involved: boolean): Promise<SeedView | undefined> {
    if (view.phase !== Phase.AwaitingSeed || !involved) return undefined;
    return await this.#seeds.read(this.parts.client, view.requestId);
  }
}

function challengeKey(p: { taskId: bigint; round: bigint }): string {
  return `challenge:${p.taskId}:${p.round}`;
}

function gameChallengeKey(taskId: bigint, game: bigint): string {
  return `challengeByGame:${taskId}:${game}`;
}

function noGameKey(taskId: bigint, view: TaskView): string {
  return `${taskId}:${view.round}:${view.proposedResult}`;
}

function challengeKeyParts(task: StoredTask, view: TaskView) {
  return { taskId: task.taskId, round: view.round, proposed: view.proposedResult };
}

function progressCallOf(kind: "draw" | "replaceNoShows" | "tally" | "finalize" | "expire"): ProgressCall {
  return kind === "draw" ? "drawCommittee" : kind;
}
