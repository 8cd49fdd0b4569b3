import { hexlify, ZeroAddress } from "ethers";
import type { Logger } from "pino";

import { Agent, type AgentDeps } from "../agents/agent.js";
import { parseConfig, workerConfigSchema, type WorkerConfig, type WorkerConfigInput } from "../agents/config.js";
import type { ChainEvent } from "../agents/events.js";
import { sendProgressCall, sendTrigger, type ProgressCall } from "../agents/progress.js";
import { SeedRequests, type SeedView } from "../agents/seed.js";
import { jitterOf, readRecord, readTaskView, type TaskView } from "../agents/taskView.js";
import { CohortError } from "../errors/base.js";
import { ContractRevertError } from "../errors/contract.js";
import { readCurrentGame, sideOf, takeGameTurn } from "../game/agentTurn.js";
import { Side } from "../game/plan.js";
import { TraceCache } from "../game/traces.js";
import { readContract } from "../internal/read.js";
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
  "GameChallenged",
  "GameDefended",
  "GameSettled",
] as const;

/** Events every worker looks at: a seed is requested (a draw it may win), a task ended (it can forget it). */
const WAKES_EVERYONE = new Set(["SeedRequested", "TaskFinalized", "TaskRefunded"]);

/**
 * The worker agent: finds its seats (SeatsAssigned for its address), fetches each task's input and program, computes
 * the result, commits, reveals before the deadline, claims its rewards, and moves tasks on when that serves it
 * (draw, replace no-shows, tally, finalize, expire). Every decision is taken from the chain's record statuses at the
 * head (see `decideWorker`); the store remembers the results, the commitments and every signed transaction, so a
 * restart after a crash at any point carries on without sending anything twice.
 */
export class WorkerAgent extends Agent<WorkerConfig> {
  readonly role = "worker";
  readonly #traces = new TraceCache();
  readonly #seeds = new SeedRequests();

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
        if (e.name === "GameDefended" || e.name === "GameSettled") this.#recordGameEvent(e);
      }
    }
  }

  protected onReorg(): void {
    // Tasks, assignments, results and receipts above the fork are rewound by the base agent; nothing else here.
  }

  protected roleStatus(): Record<string, unknown> {
    const { store, compute } = this.parts;
    return {
      pendingAssignments: store.assignments.countPending(),
      games: store.games.counts(),
      computed: compute.completed,
      computeFailures: compute.failed,
      adversary: this.config.adversary === "none" ? undefined : this.config.adversary,
    };
  }

  protected async look(task: StoredTask, head: Head): Promise<void> {
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
      if (view.phase === Phase.InGame) {
        // The game's moves are in the game contract, whose events the agent does not scan: look every block.
        const note = await this.#inGame(task, view, records, head, log);
        store.tasks.schedule(task.taskId, head.number + 1, note);
        return;
      }
      if (
        (view.phase === Phase.Finalized || view.phase === Phase.Refunded) &&
        (await this.#claimGameCredit(task, head))
      ) {
        store.tasks.schedule(task.taskId, head.number + 1, "claiming game credit");
        return;
      }
      const seed = await this.#seed(view);
      const decision = decideWorker({
        task: view,
        nextBlock: head.number + 1,
        records,
        result: this.#resultView(task.taskId),
        seedTarget: seed?.target,
        seedTrigger: seed?.trigger,
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

  /**
   * A game is being played on the task. With no defender yet, a worker that revealed the proposed result in the
   * current round (and whose trace of the program ends at it) takes the role with `defendGame`, after its jitter;
   * as the defender it plays every turn, and once the game has ended a party or any revealer settles it.
   */
  async #inGame(task: StoredTask, view: TaskView, records: RecordView[], head: Head, log: Logger): Promise<string> {
    const game = await this.agentGame();
    if (game === undefined) return "in a game (no game contract?)";
    const { client, store, queue } = this.parts;
    const current = await readCurrentGame(client, game, task.taskId);
    const challenge = current.challenge;
    if (challenge === undefined || current.state === undefined) return "in a game";
    const side = sideOf(challenge, this.account);
    const stored = this.parts.store.tasks.result(task.taskId);
    const revealed = records.find(
      (r) =>
        r.round === view.round &&
        r.status === RecordStatus.Revealed &&
        store.assignments.get(task.taskId, r.round, r.index)?.resultHash === view.proposedResult,
    );
    const ended = Number(current.state.winner) !== Side.None;
    if (side === Side.Defender || (ended && revealed !== undefined)) {
      const trace = stored?.resultHash === undefined ? undefined : await this.#trace(task, stored.resultHash);
      if (trace === undefined && !ended) return "defending without a trace";
      // Settling needs no trace: any trace of the right length plans `done`.
      const played = trace ?? { steps: 0, hashAt: () => view.proposedResult, stateAt: () => new Uint8Array() };
      const turn = await takeGameTurn(
        { client, queue, game, log },
        { taskId: task.taskId, current, side: side === Side.None ? Side.Defender : side, trace: played, head },
      );
      return turn.note;
    }
    if (challenge.defender !== ZeroAddress || ended) return "a game between others";
    if (!this.config.defendGames || this.config.adversary !== "none" || revealed === undefined) {
      return "a game without a defender";
    }
    if (stored?.resultHash !== view.proposedResult) return "a game over a result this worker did not compute";
    if (
      head.number + 1 <
      Number(current.state.turnStart) + jitterOf(this.account, task.taskId, this.config.jitterBlocks)
    ) {
      return "about to defend";
    }
    const trace = await this.#trace(task, stored.resultHash);
    if (trace === undefined) return "cannot defend: no trace of this program";
    // Durable before the call: a restarted worker knows the game is its own and plays it.
    store.games.put({
      taskId: task.taskId,
      game: current.game,
      side: "defender",
      claimed: view.proposedResult,
      gameId: challenge.gameId,
      status: "opening",
      winner: undefined,
    });
    try {
      await queue.submit(
        {
          key: `defendGame:${task.taskId}:${current.game}`,
          label: "defendGame",
          taskId: task.taskId,
          to: client.addresses.taskManager,
          data: client.manager.interface.encodeFunctionData("defendGame", [task.taskId, revealed.index]),
        },
        head,
      );
    } catch (error) {
      if (error instanceof ContractRevertError) {
        // Another revealer was first (or the game ended): this worker is not a party after all.
        store.games.remove(task.taskId, current.game);
        log.debug({ errorName: error.errorName }, "defendGame not sent");
        return "another defender";
      }
      throw error;
    }
    log.warn({ gameId: challenge.gameId.toString(), claimed: challenge.claimedResult }, "defending a game");
    return "defending";
  }

  /** After a won game the challenger's bond is the defender's credit: claims it once the task has ended. */
  async #claimGameCredit(task: StoredTask, head: Head): Promise<boolean> {
    const { client, store, queue } = this.parts;
    if (!this.config.claim || store.games.forTask(task.taskId).length === 0) return false;
    const key = `claimCredit:${task.taskId}`;
    if (queue.live(key) !== undefined) return false;
    const credit = await readContract<bigint>(client, "manager", "creditOf", [this.account]);
    if (credit === 0n) return false;
    await queue.submit(
      {
        key,
        label: "claimCredit",
        taskId: task.taskId,
        to: client.addresses.taskManager,
        data: client.manager.interface.encodeFunctionData("claimCredit", []),
      },
      head,
    );
    return true;
  }

  async #trace(task: StoredTask, resultHash: string) {
    return await this.#traces.get(task.taskId, resultHash, async () => await this.parts.content.input(task));
  }

  /** Keeps the games rows in step with the manager's events (inside the scanner's transaction). */
  #recordGameEvent(e: ChainEvent): void {
    const { store } = this.parts;
    const taskId = e.args.taskId as bigint;
    const row = store.games.get(taskId, e.args.game as bigint);
    if (row === undefined) return;
    if (e.name === "GameDefended" && (e.args.member as string).toLowerCase() === this.account.toLowerCase()) {
      store.games.put({ ...row, status: "playing" });
    } else if (e.name === "GameDefended") {
      store.games.remove(taskId, row.game);
    } else if (e.name === "GameSettled") {
      store.games.put({ ...row, status: "ended", winner: Number(e.args.winner) });
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

  async #seed(view: TaskView): Promise<SeedView | undefined> {
    if (view.phase !== Phase.AwaitingSeed || !this.config.progress.draw) return undefined;
    return await this.#seeds.read(this.parts.client, view.requestId);
  }
}

function progressCallOf(
  kind: Exclude<WorkerAction["kind"], "compute" | "commit" | "reveal" | "claim" | "trigger">,
): ProgressCall {
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
