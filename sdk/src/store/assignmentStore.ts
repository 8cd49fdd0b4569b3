import type { Database } from "./database.js";
import { int, optText, orNull, text, type Row } from "./rows.js";

/**
 * How far the agent got with one of its seat records. The chain's record status decides what to do next; this is
 * what the agent did about it, for restarts and for the health report.
 * `assigned`: seen, nothing sent. `committing`: the result hash and commitment are stored and the commit is queued.
 * `committed`, `revealed`: on chain. `settled`: nothing left to do (claimed, lost, or the record was released).
 * `failed`: the agent cannot act on it (the program refused the input, the input's hash did not match).
 */
export type AssignmentProgress = "assigned" | "committing" | "committed" | "revealed" | "settled" | "failed";

export interface StoredAssignment {
  taskId: bigint;
  round: bigint;
  index: bigint;
  seats: bigint;
  /** The block of the SeatsAssigned event. */
  block: number;
  progress: AssignmentProgress;
  resultHash: string | undefined;
  commitment: string | undefined;
  note: string | undefined;
}

/** The agent's own seat records, from its SeatsAssigned events. */
export class AssignmentStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Adds a record from a SeatsAssigned event. A replacement draw that lands on the record again adds its seats; the
   * row keeps the block of the first event, so a reorg of the later one alone does not forget the record.
   */
  add(a: { taskId: bigint; round: bigint; index: bigint; seats: bigint; block: number }): void {
    this.#db.db
      .prepare(
        `INSERT INTO assignments (task_id, round, idx, seats, block, progress, updated_at)
         VALUES (?, ?, ?, ?, ?, 'assigned', ?)
         ON CONFLICT (task_id, round, idx) DO UPDATE SET seats = seats + excluded.seats,
           updated_at = excluded.updated_at`,
      )
      .run(Number(a.taskId), Number(a.round), Number(a.index), Number(a.seats), a.block, Date.now());
  }

  forTask(taskId: bigint): StoredAssignment[] {
    const rows = this.#db.db
      .prepare("SELECT * FROM assignments WHERE task_id = ? ORDER BY round, idx")
      .all(Number(taskId)) as Row[];
    return rows.map(toAssignment);
  }

  get(taskId: bigint, round: bigint, index: bigint): StoredAssignment | undefined {
    const row = this.#db.db
      .prepare("SELECT * FROM assignments WHERE task_id = ? AND round = ? AND idx = ?")
      .get(Number(taskId), Number(round), Number(index)) as Row | undefined;
    return row === undefined ? undefined : toAssignment(row);
  }

  /** Assignments not yet settled or failed: what the health report calls pending. */
  countPending(): number {
    const row = this.#db.db
      .prepare("SELECT COUNT(*) AS n FROM assignments WHERE progress NOT IN ('settled', 'failed')")
      .get() as Row;
    return int(row, "n");
  }

  setProgress(
    key: { taskId: bigint; round: bigint; index: bigint },
    progress: AssignmentProgress,
    extra: { resultHash?: string; commitment?: string; note?: string } = {},
  ): void {
    this.#db.db
      .prepare(
        `UPDATE assignments SET progress = ?, result_hash = COALESCE(?, result_hash),
           commitment = COALESCE(?, commitment), note = ?, updated_at = ?
         WHERE task_id = ? AND round = ? AND idx = ?`,
      )
      .run(
        progress,
        orNull(extra.resultHash),
        orNull(extra.commitment),
        orNull(extra.note),
        Date.now(),
        Number(key.taskId),
        Number(key.round),
        Number(key.index),
      );
  }

  /** Forgets records assigned above `block` (a reorg replaced their SeatsAssigned events). */
  rewind(block: number): void {
    this.#db.db.prepare("DELETE FROM assignments WHERE block > ?").run(block);
  }
}

function toAssignment(row: Row): StoredAssignment {
  return {
    taskId: BigInt(int(row, "task_id")),
    round: BigInt(int(row, "round")),
    index: BigInt(int(row, "idx")),
    seats: BigInt(int(row, "seats")),
    block: int(row, "block"),
    progress: text(row, "progress") as AssignmentProgress,
    resultHash: optText(row, "result_hash"),
    commitment: optText(row, "commitment"),
    note: optText(row, "note"),
  };
}
