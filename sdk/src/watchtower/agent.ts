import { hexlify } from "ethers";
import type { Logger } from "pino";

import { Agent, type AgentDeps } from "../agents/agent.js";
import {
  parseConfig,
  watchtowerConfigSchema,
  type WatchtowerConfig,
  type WatchtowerConfigInput,
} from "../agents/config.js";
import type { ChainEvent } from "../agents/events.js";
import { sendProgressCall, type ProgressCall } from "../agents/progress.js";
import { jitterOf, readSeedTarget, readTaskView, type TaskView } from "../agents/taskView.js";
import { ContractRevertError } from "../errors/contract.js";
import { readContract } from "../internal/read.js";
import type { StoredTask } from "../store/index.js";
import type { Head } from "../tx/fees.js";
import type { TxRequest } from "../tx/queue.js";
import { Phase } from "../types.js";
import { decideWatchtower, type WatchtowerAction, type WatchtowerView } from "./duties.js";

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
] as const;

const PARALLEL_LOOKS = 8;

/** Refusals of a challenge that another try cannot change: the watchtower judges the result `late`. */
const FINAL_CHALLENGE_ERRORS = new Set([
  "TaskManagerChallengeWindowClosed",
  "TaskManagerAlreadyChallenged",
  "TaskManagerNoEscalationLeft",
  "TaskManagerClaimNotDifferent",
  "TaskManagerWrongPhase",
]);

/**
 * The watchtower agent: re-executes every proposed result inside its challenge window and challenges a wrong one
 * with the bond floor (approving the manager first when the allowance is short), follows each task it challenged
 * through the escalation (judging, and if need be challenging, the next proposed result), and claims its payouts.
 */
export class WatchtowerAgent extends Agent<WatchtowerConfig> {
  readonly role = "watchtower";
  challengesSent = 0;
  #bondLock: Promise<unknown> = Promise.resolve();

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

  protected async act(head: Head): Promise<void> {
    const due = this.parts.store.tasks.due(head.number, this.config.tasksPerRound);
    for (let i = 0; i < due.length && !this.stopping; i += PARALLEL_LOOKS) {
      await Promise.all(due.slice(i, i + PARALLEL_LOOKS).map((task) => this.#look(task, head)));
    }
  }

  protected roleStatus(): Record<string, unknown> {
    const { store, compute } = this.parts;
    return {
      challenges: store.proposals.countChallenges(),
      reExecuted: compute.completed,
      computeFailures: compute.failed,
    };
  }

  async #look(task: StoredTask, head: Head): Promise<void> {
    const log = this.log.child({ taskId: task.taskId.toString() });
    try {
      const { client, store, queue } = this.parts;
      const view = await readTaskView(client, task.taskId);
      const proposals = store.proposals.forTask(task.taskId);
      const involved = proposals.some((p) => p.verdict === "challenge" && queue.live(challengeKey(p)) !== undefined);
      const ended = view.phase === Phase.Finalized || view.phase === Phase.Refunded;
      const credit = ended && involved ? await readContract<bigint>(client, "manager", "creditOf", [this.account]) : 0n;
      const stored = store.proposals.get(task.taskId, view.round);
      // A `challenge` verdict without its transaction (a crash between the two, or a challenge that lost a race)
      // is judged again: the window may still be open, and the simulation tells a lost race apart.
      const current =
        stored?.verdict === "challenge" && queue.live(challengeKey(stored)) === undefined ? undefined : stored;
      const decision = decideWatchtower({
        task: view,
        nextBlock: head.number + 1,
        result: this.#resultView(task.taskId),
        verdict: current !== undefined && current.proposed === view.proposedResult ? current.verdict : undefined,
        involved,
        credit,
        claimSent: queue.live(`claimCredit:${task.taskId}`) !== undefined,
        seedTarget: await this.#seedTarget(view, involved),
        jitter: jitterOf(this.account, task.taskId, 1),
        duties: this.config.progress,
      });
      for (const action of decision.actions) await this.#perform(action, task, view, head);
      if (decision.close !== undefined) store.tasks.close(task.taskId, decision.close);
      else store.tasks.schedule(task.taskId, decision.wake, decision.note);
    } catch (error) {
      log.error({ err: error }, "could not handle the task");
      if (this.parts.store.database.db.isOpen) this.parts.store.tasks.schedule(task.taskId, head.number + 1, "error");
    }
  }

  async #perform(action: WatchtowerAction, task: StoredTask, view: TaskView, head: Head): Promise<void> {
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
          log.info({ verdict: action.verdict, proposed: view.proposedResult }, "proposed result judged");
          return;
        case "challenge":
          // One bonded call at a time, across the looks that run side by side: the allowance read and the
          // challenge that spends it must not interleave with another challenge's.
          await this.#bonded(async () => await this.#challenge(action, task, view, head, judge, log));
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

  async #bonded<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#bondLock.then(fn, fn);
    this.#bondLock = run.catch(() => undefined);
    return await run;
  }

  /**
   * Whether the manager may already take `bond`; if not, approves it (`approveAmount`, at least the bond) and
   * returns false: the challenge follows once the approval is confirmed. Bonded calls go one at a time: an
   * approval sets the allowance rather than adding to it, so two challenges approved side by side would find it
   * covering only one of them.
   */
  async #allowanceCovers(bond: bigint, taskId: bigint, round: bigint, head: Head): Promise<boolean> {
    const { client, queue, store } = this.parts;
    if (store.txs.open().some((t) => t.label === "approve" || t.label === "challenge")) return false;
    const allowance = await readContract<bigint>(client, "token", "allowance", [
      this.account,
      client.addresses.taskManager,
    ]);
    if (allowance >= bond) return true;
    const amount =
      this.config.approveAmount !== undefined && this.config.approveAmount > bond ? this.config.approveAmount : bond;
    // A fresh key per approval: the same task may need another one after an earlier approval went to another bond.
    await queue.submit(
      {
        key: `approve:${taskId}:${round}:${head.number}`,
        label: "approve",
        taskId,
        to: client.addresses.stakeToken,
        data: client.token.interface.encodeFunctionData("approve", [client.addresses.taskManager, amount]),
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

  async #seedTarget(view: TaskView, involved: boolean): Promise<number | undefined> {
    if (view.phase !== Phase.AwaitingSeed || !involved) return undefined;
    try {
      return await readSeedTarget(this.parts.client, view.requestId);
    } catch {
      return undefined;
    }
  }
}

function challengeKey(p: { taskId: bigint; round: bigint }): string {
  return `challenge:${p.taskId}:${p.round}`;
}

function challengeKeyParts(task: StoredTask, view: TaskView) {
  return { taskId: task.taskId, round: view.round, proposed: view.proposedResult };
}

function progressCallOf(kind: "draw" | "replaceNoShows" | "tally" | "finalize" | "expire"): ProgressCall {
  return kind === "draw" ? "drawCommittee" : kind;
}
