import { keccak256 } from "ethers";
import type { Logger } from "pino";

import { ComputeError } from "../errors/agent.js";
import { CohortError } from "../errors/base.js";
import { runProgram } from "../runtime/runProgram.js";
import type { StoredTask, TaskStore } from "../store/taskStore.js";
import type { TaskContent } from "./content.js";

/** Runs a program on an input and returns its output bytes (the result; its keccak256 is the result hash). */
export type Executor = (program: Uint8Array, input: Uint8Array) => Promise<Uint8Array>;

/** The default executor: the sandboxed WASM runtime (ABI v1) with the agent's time and memory limits. */
export function wasmExecutor(limits: { timeoutMs: number; memoryPages: number }): Executor {
  return async (program, input) => (await runProgram(program, input, limits)).output;
}

/** Errors that another try may cure: the bytes could not be fetched (yet), or a run hit the wall clock. */
const RETRYABLE = new Set(["FetchFailedError", "FetchTimeoutError", "ProgramTimeoutError", "ProgramWorkerError"]);
/** A retryable failure is tried again after this long. */
const RETRY_AFTER_MS = 5_000;

export interface ComputeServiceOptions {
  tasks: TaskStore;
  content: TaskContent;
  executor: Executor;
  concurrency: number;
  logger: Logger | undefined;
  /** Called when a run ends either way (the agent marks the task to be looked at again). */
  onDone: (taskId: bigint) => void;
  failpoint?: ((name: string) => void) | undefined;
}

/**
 * Computes task results at most `concurrency` at a time, each once: the result (or a deterministic refusal) is
 * written to the store, so a restart does not run the program again, and a result is stored before any commit that
 * depends on it is signed.
 */
export class ComputeService {
  readonly #running = new Map<bigint, Promise<void>>();
  readonly #queued: StoredTask[] = [];
  readonly #retryAt = new Map<bigint, number>();
  readonly #o: ComputeServiceOptions;
  /** Runs finished, for the health report. */
  completed = 0;
  failed = 0;

  constructor(options: ComputeServiceOptions) {
    this.#o = options;
  }

  /** Asks for a task's result; does nothing if it is stored, running or queued, or a retry is not due yet. */
  request(task: StoredTask): void {
    const id = task.taskId;
    if (this.#running.has(id) || this.#queued.some((t) => t.taskId === id)) return;
    const stored = this.#o.tasks.result(id);
    if (stored !== undefined && !(stored.error !== undefined && stored.retryable)) return;
    if ((this.#retryAt.get(id) ?? 0) > Date.now()) return;
    this.#queued.push(task);
    this.#drain();
  }

  get busy(): number {
    return this.#running.size + this.#queued.length;
  }

  /** Resolves when every run in progress has finished (or after `timeoutMs`); queued runs are dropped. */
  async settle(timeoutMs: number): Promise<boolean> {
    this.#queued.length = 0;
    const all = Promise.all(this.#running.values()).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return await Promise.race([all, timeout]);
  }

  #drain(): void {
    while (this.#running.size < this.#o.concurrency && this.#queued.length > 0) {
      const task = this.#queued.shift() as StoredTask;
      const run = this.#run(task).finally(() => {
        this.#running.delete(task.taskId);
        this.#drain();
      });
      this.#running.set(task.taskId, run);
    }
  }

  async #run(task: StoredTask): Promise<void> {
    const log = this.#o.logger?.child({ taskId: task.taskId.toString() });
    const started = Date.now();
    log?.debug({ programId: task.programId }, "computing");
    try {
      const [program, input] = await Promise.all([
        this.#o.content.program(task.programId),
        this.#o.content.input(task),
      ]);
      const output = await this.#o.executor(program, input);
      const resultHash = keccak256(output);
      this.#o.tasks.putResult({ taskId: task.taskId, resultHash, output, error: undefined, retryable: false });
      this.completed++;
      log?.info({ resultHash, bytes: output.length, ms: Date.now() - started }, "result computed");
      this.#o.failpoint?.("compute:stored");
    } catch (error) {
      const name = error instanceof CohortError ? error.name : "Error";
      const retryable = RETRYABLE.has(name);
      const wrapped = new ComputeError(task.taskId, `Task ${task.taskId}: ${(error as Error).message}`, retryable, {
        cause: error,
      });
      this.#o.tasks.putResult({
        taskId: task.taskId,
        resultHash: undefined,
        output: undefined,
        error: `${name}: ${(error as Error).message}`,
        retryable,
      });
      if (retryable) this.#retryAt.set(task.taskId, Date.now() + RETRY_AFTER_MS);
      this.failed++;
      log?.error({ err: wrapped.shortMessage, errorName: name, retryable }, "could not compute the result");
    }
    this.#o.onDone(task.taskId);
  }
}
