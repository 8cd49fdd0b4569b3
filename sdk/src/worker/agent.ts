import { hexlify } from "ethers";

import { Agent, type AgentDeps } from "../agents/agent.js";
import { parseConfig, workerConfigSchema, type WorkerConfig, type WorkerConfigInput } from "../agents/config.js";
import type { ChainEvent } from "../agents/events.js";
import { sendProgressCall, type ProgressCall } from "../agents/progress.js";
import { jitterOf, readRecord, readSeedTarget, readTaskView, type TaskView } from "../agents/taskView.js";
import { CohortError } from "../errors/base.js";
import { ContractRevertError } from "../errors/contract.js";
import type { AssignmentProgress, StoredTask } from "../store/index.js";
import type { Head } from "../tx/fees.js";
import { Phase, RecordStatus, type SeatRecord } from "../types.js";
import { decideWorker, type RecordView, type ResultView, type WorkerAction } from "./duties.js";
import { claimRequest, commitRequest, commitmentFor, resultHashFor, revealRequest, saltFor } from "./calls.js";

/** Events that create or wake a task (SeatsAssigned also records the worker's own seats). */
const EVENTS = [
  "TaskCreated",
  "SeedRequested",
  "CommitteeDrawn",
  "SeatsAssigned",
  "NoShowsReplaced",
  "ResultProposed",
  "NoQuorum",
  "Challenged",
  "TaskFinalized",
  "TaskRefunded",
  "TaskExpired",
] as const;

/** Events every worker looks at: a seed is requested (a draw it may win), a task ended (it can forget it). */
const WAKES_EVERYONE = new Set(["SeedRequested", "TaskFinalized", "TaskRefunded"]);

/** Tasks looked at in parallel within a round (each look is two to four reads). */
const PARALLEL_LOOKS = 8;

/**
 * The worker agent: finds its seats (SeatsAssigned for its address), fetches each task's input and program, computes
 * the result, commits, reveals before the deadline, claims its rewards, and moves tasks on when that serves it
 * (draw, replace no-shows, tally, finalize, expire). Every decision is taken from the chain's record statuses at the
 * head (see `decideWorker`); the store remembers the results, the commitments and every signed transaction, so a
 * restart after a crash at any point carries on without sending anything twice.
 */
export class WorkerAgent extends Agent<WorkerConfig> {
  readonly role = "worker";

  constructor(config: WorkerConfigInput | WorkerConfig, deps: AgentDeps = {}) {
    super(parseConfig(workerConfigSchema, config), deps);
  }

  protected eventNames(): readonly string[] {
    return EVENTS;
  }

  protected onEvents(events: ChainEvent[]): void {
    const { store } = this.parts;
    const me = this.account.toLowerCase();
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
        if (this.config.precompute) this.#computeSoon(taskId);
      } else if (e.name === "SeatsAssigned" && (e.args.member as string).toLowerCase() === me) {
        store.assignments.add({
          taskId,
          round: e.args.round as bigint,
          index: e.args.index as bigint,
          seats: e.args.seats as bigint,
          block: e.block,
        });
        store.tasks.touch(taskId);
        // The commit window is short: start on the result now rather than at the task's next look.
        this.#computeSoon(taskId);
        this.log.info(
          {
            taskId: taskId.toString(),
            round: String(e.args.round),
            index: String(e.args.index),
            seats: String(e.args.seats),
          },
          "seats assigned",
        );
      } else if (WAKES_EVERYONE.has(e.name) || store.assignments.forTask(taskId).length > 0) {
        // Other events matter only to the task's members; the rest of the pool looks again at its own wake-ups.
        store.tasks.touch(taskId);
      }
    }
  }

  protected onReorg(): void {
    // Tasks, assignments, results and receipts above the fork are rewound by the base agent; nothing else here.
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
      pendingAssignments: store.assignments.countPending(),
      computed: compute.completed,
      computeFailures: compute.failed,
      adversary: this.config.adversary === "none" ? undefined : this.config.adversary,
    };
  }

  async #look(task: StoredTask, head: Head): Promise<void> {
    const log = this.log.child({ taskId: task.taskId.toString() });
    try {
      const { client, store } = this.parts;
      const view = await readTaskView(client, task.taskId);
      const mine = store.assignments.forTask(task.taskId);
      const chain = await Promise.all(mine.map((a) => readRecord(client, task.taskId, a.round, a.index)));
      const records: RecordView[] = mine.map((a, i) => ({
        round: a.round,
        index: a.index,
        status: Number((chain[i] as SeatRecord).status),
      }));
      mine.forEach((a, i) => {
        const progress = progressOf(records[i] as RecordView, a.progress);
        if (progress !== a.progress) store.assignments.setProgress(a, progress);
      });
      const decision = decideWorker({
        task: view,
        nextBlock: head.number + 1,
        records,
        result: this.#resultView(task.taskId),
        seedTarget: await this.#seedTarget(view),
        jitter: jitterOf(this.account, task.taskId, this.config.jitterBlocks),
        // Spread over three blocks (a window of the test layout has four drawable blocks after its seed's block).
        drawJitter: jitterOf(this.account, task.taskId, this.config.jitterBlocks + 2),
        duties: { ...this.config.progress, claim: this.config.claim },
      });
      for (const action of decision.actions) {
        await this.#perform(action, task, view, chain, mine, head);
      }
      if (decision.close !== undefined) {
        store.tasks.close(task.taskId, decision.close);
        log.info({ note: decision.close }, "task done");
      } else {
        store.tasks.schedule(task.taskId, decision.wake, decision.note);
      }
    } catch (error) {
      log.error({ err: error }, "could not handle the task");
      // Look again next block rather than at a far wake-up: the failure may be an RPC hiccup.
      if (this.parts.store.database.db.isOpen) this.parts.store.tasks.schedule(task.taskId, head.number + 1, "error");
    }
  }

  async #perform(
    action: WorkerAction,
    task: StoredTask,
    view: TaskView,
    chain: SeatRecord[],
    mine: { round: bigint; index: bigint }[],
    head: Head,
  ): Promise<void> {
    const { client, store, queue, wallet, compute } = this.parts;
    const log = this.log.child({ taskId: task.taskId.toString(), action: action.kind });
    try {
      switch (action.kind) {
        case "compute":
          compute.request(task);
          return;
        case "commit": {
          const record = { taskId: task.taskId, round: action.round, index: action.index };
          const output = store.tasks.result(task.taskId)?.output;
          if (output === undefined) return compute.request(task);
          const resultHash = resultHashFor(output, this.config.adversary);
          const salt = await saltFor(client, wallet, record);
          const commitment = commitmentFor(client, this.account, record, resultHash, salt);
          // Durable before the commit is signed: a restart reveals this hash, whatever it computes then.
          store.assignments.setProgress(record, "committing", { resultHash, commitment });
          this.failpoint("worker:committing");
          const tx = await queue.submit(commitRequest(client, record, commitment, view.commitDeadline), head);
          log.debug({ key: tx.key, hash: tx.minedHash, resultHash }, "commit queued");
          return;
        }
        case "reveal": {
          const record = { taskId: task.taskId, round: action.round, index: action.index };
          const at = mine.findIndex((m) => m.round === action.round && m.index === action.index);
          const sealed = (chain[at] as SeatRecord).sealedHash;
          const stored = store.assignments.get(task.taskId, action.round, action.index);
          const output = store.tasks.result(task.taskId)?.output;
          const resultHash =
            stored?.resultHash ?? (output === undefined ? undefined : resultHashFor(output, this.config.adversary));
          if (resultHash === undefined) return compute.request(task);
          const salt = await saltFor(client, wallet, record);
          if (commitmentFor(client, this.account, record, resultHash, salt) !== sealed) {
            log.error({ sealed, resultHash }, "the commitment on chain is not this worker's result: cannot reveal");
            store.assignments.setProgress(record, "failed", { note: "commitment mismatch" });
            return;
          }
          const bytes = this.config.revealResultBytes && this.config.adversary === "none" ? output : undefined;
          await queue.submit(
            revealRequest(client, record, { resultHash, salt, result: bytes }, view.revealDeadline),
            head,
          );
          return;
        }
        case "claim":
          await queue.submit(
            claimRequest(client, { taskId: task.taskId, round: action.round, index: action.index }),
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
        // A reveal tried at the block its window should open may meet a round that went to replacements instead.
        const level = error.errorName === "TaskManagerWrongPhase" ? "debug" : "warn";
        log[level]({ errorName: error.errorName, args: error.args }, "the call would revert: not sent");
      } else if (error instanceof CohortError && error.name === "TxQueueFullError") {
        log.debug("transaction queue full: next round");
      } else {
        throw error;
      }
    }
  }

  /** Queues the task's computation (runs after the scanner's transaction; stored results are not run again). */
  #computeSoon(taskId: bigint): void {
    const task = this.parts.store.tasks.get(taskId);
    if (task !== undefined && this.parts.content.knows(task.programId)) this.parts.compute.request(task);
  }

  #resultView(taskId: bigint): ResultView {
    const result = this.parts.store.tasks.result(taskId);
    if (result === undefined) return { kind: "none" };
    if (result.output !== undefined) return { kind: "ready" };
    return { kind: "failed", retryable: result.retryable };
  }

  async #seedTarget(view: TaskView): Promise<number | undefined> {
    if (view.phase !== Phase.AwaitingSeed || !this.config.progress.draw) return undefined;
    try {
      return await readSeedTarget(this.parts.client, view.requestId);
    } catch {
      return undefined; // a source without targets (VRF): the draw is simply tried
    }
  }
}

function progressCallOf(kind: Exclude<WorkerAction["kind"], "compute" | "commit" | "reveal" | "claim">): ProgressCall {
  return kind === "draw" ? "drawCommittee" : kind;
}

/** The local progress a chain status implies (a queued commit stays `committing` until the chain shows it). */
function progressOf(record: RecordView, local: AssignmentProgress): AssignmentProgress {
  switch (record.status) {
    case RecordStatus.Assigned:
      return local === "committing" || local === "failed" ? local : "assigned";
    case RecordStatus.Committed:
      return local === "failed" ? local : "committed";
    case RecordStatus.Revealed:
    case RecordStatus.Won:
      return "revealed";
    default:
      return "settled";
  }
}
