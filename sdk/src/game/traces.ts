import { particleTrace, type Trace } from "./trace.js";

/** Builds a program's trace from its input (`particleTrace` for the particle world). */
export type TraceBuilder = (input: Uint8Array) => Trace;

/**
 * The traces an agent plays its games with, one per task, built once from the task's input and kept while the agent
 * runs (a restarted agent builds them again: a trace is a pure function of the input). A trace is used only if its
 * last hash is the agent's own result hash for the task: that shows the builder runs the task's program (a task of
 * another program with a step verifier gets no trace, and its agent does not play games on it).
 */
export class TraceCache {
  readonly #build: TraceBuilder;
  readonly #max: number;
  readonly #traces = new Map<bigint, { resultHash: string; trace: Trace | undefined }>();

  constructor(build: TraceBuilder = particleTrace, max = 32) {
    this.#build = build;
    this.#max = max;
  }

  /**
   * The task's trace, if the builder accepts the input and the trace ends at `resultHash`; undefined otherwise.
   * @param input the task's input bytes (fetched only the first time)
   */
  async get(taskId: bigint, resultHash: string, input: () => Promise<Uint8Array>): Promise<Trace | undefined> {
    const cached = this.#traces.get(taskId);
    if (cached !== undefined && cached.resultHash === resultHash.toLowerCase()) return cached.trace;
    // A failed fetch throws (the caller tries again later); only the builder's refusal is remembered.
    const bytes = await input();
    let trace: Trace | undefined;
    try {
      const built = this.#build(bytes);
      trace = built.hashAt(built.steps).toLowerCase() === resultHash.toLowerCase() ? built : undefined;
    } catch {
      // The builder refuses the input (not this program's): no game on this task.
      trace = undefined;
    }
    if (this.#traces.size >= this.#max) this.#traces.delete(this.#traces.keys().next().value as bigint);
    this.#traces.set(taskId, { resultHash: resultHash.toLowerCase(), trace });
    return trace;
  }

  /** Forgets a task's trace (its games are over). */
  forget(taskId: bigint): void {
    this.#traces.delete(taskId);
  }
}
