import { CohortError, type CohortErrorOptions } from "./base.js";

// ─── Store ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** The agent's store could not be opened or written (a bad path, a corrupt file, a full disk). */
export class StoreError extends CohortError {
  override name = "StoreError";
  readonly path: string;

  constructor(path: string, shortMessage: string, options: CohortErrorOptions = {}) {
    super(shortMessage, { ...options, meta: { path, ...options.meta } });
    this.path = path;
  }
}

/**
 * Another process holds the store. Two agents on one store would each send the same commits and reveals, so the
 * second one refuses to start.
 */
export class StoreLockedError extends StoreError {
  override name = "StoreLockedError";

  constructor(path: string, cause?: unknown) {
    super(path, `The store ${path} is in use by another agent process`, {
      cause,
      details: "stop the other agent, or give this one its own --store path",
    });
  }
}

/**
 * The store was written for another chain, task manager or account: its cursor and its transactions would be wrong
 * here, so the agent refuses to use it.
 */
export class StoreMismatchError extends StoreError {
  override name = "StoreMismatchError";

  constructor(path: string, field: string, stored: string, actual: string) {
    super(path, `The store ${path} belongs to ${field} ${stored}, not ${actual}`, {
      meta: { field, stored, actual },
      details: "give this deployment or key its own --store path",
    });
  }
}

// ─── Transactions ────────────────────────────────────────────────────────────────────────────────────────────────

/** The queue holds as many unmined transactions as it allows; the caller tries again once some are mined. */
export class TxQueueFullError extends CohortError {
  override name = "TxQueueFullError";

  constructor(readonly inFlight: number) {
    super(`${inFlight} transactions are in flight, the queue's limit`, { meta: { inFlight } });
  }
}

// ─── Agents ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** A task's input or program could not be turned into a result (fetch, hash check, or the program refused it). */
export class ComputeError extends CohortError {
  override name = "ComputeError";
  readonly taskId: bigint;
  /** Whether trying again may help (a fetch timeout), as opposed to a deterministic refusal (a hash mismatch). */
  readonly retryable: boolean;

  constructor(taskId: bigint, shortMessage: string, retryable: boolean, options: CohortErrorOptions = {}) {
    super(shortMessage, { ...options, meta: { taskId, retryable, ...options.meta } });
    this.taskId = taskId;
    this.retryable = retryable;
  }
}

/** The agent's configuration names no location for a task's program. */
export class UnknownProgramError extends CohortError {
  override name = "UnknownProgramError";

  constructor(readonly programId: string) {
    super(`No location configured for program ${programId}`, {
      meta: { programId },
      details: "add it to the agent's programs map (programId -> path or URI)",
    });
  }
}
