import type { Database } from "./database.js";
import { int, optBytes, optText, orNull, text, type Row } from "./rows.js";

/** A task the agent follows, as its TaskCreated event described it. */
export interface StoredTask {
  taskId: bigint;
  /** The block of its TaskCreated event. */
  block: number;
  programId: string;
  inputHash: string;
  /** `InputKind`: 0 inline (`input` is the bytes, hex), 1 URI (`input` is the URI's UTF-8 bytes, hex). */
  inputKind: number;
  input: string;
  /** False once the agent has nothing more to do for it. */
  open: boolean;
  /** The agent looks at the task again once the chain reaches this block (a deadline, a seed's block). */
  wakeBlock: number;
  /** An event about the task arrived since the agent last looked at it. */
  dirty: boolean;
  note: string | undefined;
}

export type NewTask = Omit<StoredTask, "open" | "wakeBlock" | "dirty" | "note">;

/** What the task's program gave on its input, or why it could not. */
export interface StoredResult {
  taskId: bigint;
  resultHash: string | undefined;
  output: Uint8Array | undefined;
  error: string | undefined;
  /** Whether computing again may help (a fetch that timed out), not a refusal that will repeat. */
  retryable: boolean;
  computedAt: number;
}

/** The tasks an agent follows, when it looks at each next, and the results it computed for them. */
export class TaskStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Adds a task seen in a TaskCreated event; a task seen again (a rescan) keeps its progress. */
  add(task: NewTask): void {
    this.#db.db
      .prepare(
        `INSERT INTO tasks (task_id, block, program_id, input_hash, input_kind, input, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (task_id) DO UPDATE SET block = excluded.block, dirty = 1, updated_at = excluded.updated_at`,
      )
      .run(Number(task.taskId), task.block, task.programId, task.inputHash, task.inputKind, task.input, Date.now());
  }

  get(taskId: bigint): StoredTask | undefined {
    const row = this.#db.db.prepare("SELECT * FROM tasks WHERE task_id = ?").get(Number(taskId)) as Row | undefined;
    return row === undefined ? undefined : toTask(row);
  }

  /**
   * Open tasks due at `block` (their wake block reached, or an event arrived): tasks the agent holds seats in first
   * (their deadlines are its own), then those with news, then those due longest.
   */
  due(block: number, limit: number): StoredTask[] {
    const rows = this.#db.db
      .prepare(
        `SELECT * FROM tasks WHERE open = 1 AND (dirty = 1 OR wake_block <= ?)
         ORDER BY EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = tasks.task_id) DESC,
           dirty DESC, wake_block ASC, task_id ASC LIMIT ?`,
      )
      .all(block, limit) as Row[];
    return rows.map(toTask);
  }

  openTasks(): StoredTask[] {
    return (this.#db.db.prepare("SELECT * FROM tasks WHERE open = 1 ORDER BY task_id").all() as Row[]).map(toTask);
  }

  countOpen(): number {
    const row = this.#db.db.prepare("SELECT COUNT(*) AS n FROM tasks WHERE open = 1").get() as Row;
    return int(row, "n");
  }

  /** Marks the task to be looked at on the next pass (an event about it arrived). */
  touch(taskId: bigint): void {
    this.#db.db.prepare("UPDATE tasks SET dirty = 1 WHERE task_id = ?").run(Number(taskId));
  }

  /** Records when to look at the task again, and clears its dirty flag. */
  schedule(taskId: bigint, wakeBlock: number, note?: string): void {
    this.#db.db
      .prepare("UPDATE tasks SET wake_block = ?, dirty = 0, note = ?, updated_at = ? WHERE task_id = ?")
      .run(wakeBlock, orNull(note), Date.now(), Number(taskId));
  }

  /** The agent is done with the task (final, refunded, or nothing of its own in it any more). */
  close(taskId: bigint, note: string): void {
    this.#db.db
      .prepare("UPDATE tasks SET open = 0, dirty = 0, note = ?, updated_at = ? WHERE task_id = ?")
      .run(note, Date.now(), Number(taskId));
  }

  /** Forgets tasks created above `block` (a reorg replaced their TaskCreated events). */
  rewind(block: number): void {
    this.#db.db.prepare("DELETE FROM results WHERE task_id IN (SELECT task_id FROM tasks WHERE block > ?)").run(block);
    this.#db.db.prepare("DELETE FROM tasks WHERE block > ?").run(block);
  }

  // ─── Results ───────────────────────────────────────────────────────────────────────────────────────────────────

  result(taskId: bigint): StoredResult | undefined {
    const row = this.#db.db.prepare("SELECT * FROM results WHERE task_id = ?").get(Number(taskId)) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      taskId,
      resultHash: optText(row, "result_hash"),
      output: optBytes(row, "output"),
      error: optText(row, "error"),
      retryable: int(row, "retryable") === 1,
      computedAt: int(row, "computed_at"),
    };
  }

  /** Stores a computed result (durably: the commit that follows depends on it) or a failure. */
  putResult(result: Omit<StoredResult, "computedAt">): void {
    this.#db.db
      .prepare(
        `INSERT OR REPLACE INTO results (task_id, result_hash, output, error, retryable, computed_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        Number(result.taskId),
        orNull(result.resultHash),
        orNull(result.output),
        orNull(result.error),
        result.retryable ? 1 : 0,
        Date.now(),
      );
  }
}

function toTask(row: Row): StoredTask {
  return {
    taskId: BigInt(int(row, "task_id")),
    block: int(row, "block"),
    programId: text(row, "program_id"),
    inputHash: text(row, "input_hash"),
    inputKind: int(row, "input_kind"),
    input: text(row, "input"),
    open: int(row, "open") === 1,
    wakeBlock: int(row, "wake_block"),
    dirty: int(row, "dirty") === 1,
    note: optText(row, "note"),
  };
}
