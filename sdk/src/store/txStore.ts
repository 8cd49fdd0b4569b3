import type { Database } from "./database.js";
import { int, optInt, optText, orNull, text, type Row } from "./rows.js";

/**
 * `pending`: signed (and written here) before its broadcast; maybe in a mempool, maybe not. `mined`: a receipt was
 * seen, not yet at confirmation depth. `confirmed`: the receipt is at depth (`receiptStatus` 1 success, 0 reverted).
 * `abandoned`: it will not be mined (the call would now revert, or its nonce went to a cancel).
 */
export type TxStatus = "pending" | "mined" | "confirmed" | "abandoned";

export interface StoredTx {
  id: number;
  /** The action it performs (`commit:7:0:2`): at most one live transaction per key. */
  key: string;
  label: string;
  taskId: bigint | undefined;
  nonce: number;
  to: string;
  data: string;
  value: bigint;
  gasLimit: bigint;
  /** The last block in which it is still useful (a commit or reveal deadline); fee bumps grow as it nears. */
  deadline: number | undefined;
  /** A permissionless call (draw, tally, ...), not one of the agent's own duties. */
  progress: boolean;
  status: TxStatus;
  minedHash: string | undefined;
  minedBlock: number | undefined;
  receiptStatus: number | undefined;
  gasUsed: bigint | undefined;
  error: string | undefined;
  createdAt: number;
}

export interface StoredAttempt {
  hash: string;
  txId: number;
  nonce: number;
  raw: string;
  maxFee: bigint;
  priorityFee: bigint;
  /** The head when it was (last) broadcast. */
  sentBlock: number;
}

export type NewTx = Pick<StoredTx, "key" | "label" | "taskId" | "nonce" | "to" | "data" | "value" | "gasLimit"> & {
  deadline?: number;
  progress?: boolean;
};

/** Every transaction the agent signed and every signed version of each. */
export class TxStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Runs `fn` in one store transaction (abandoning a row and inserting its cancel land together). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn);
  }

  /** The live transaction for an action (pending, mined, or confirmed with success), if any. */
  live(key: string): StoredTx | undefined {
    const row = this.#db.db
      .prepare(
        `SELECT * FROM txs WHERE key = ? AND (status IN ('pending', 'mined') OR (status = 'confirmed' AND receipt_status = 1))`,
      )
      .get(key) as Row | undefined;
    return row === undefined ? undefined : toTx(row);
  }

  /** The newest transaction for an action, whatever its status. */
  latest(key: string): StoredTx | undefined {
    const row = this.#db.db.prepare("SELECT * FROM txs WHERE key = ? ORDER BY id DESC LIMIT 1").get(key) as
      Row | undefined;
    return row === undefined ? undefined : toTx(row);
  }

  /** How many transactions were tried for an action (to bound retries of one that keeps reverting). */
  countFor(key: string): number {
    return int(this.#db.db.prepare("SELECT COUNT(*) AS n FROM txs WHERE key = ?").get(key) as Row, "n");
  }

  /** An unconfirmed transaction of this label for this task (permissionless calls send one at a time). */
  openFor(taskId: bigint, label: string): StoredTx | undefined {
    const row = this.#db.db
      .prepare("SELECT * FROM txs WHERE task_id = ? AND label = ? AND status IN ('pending', 'mined') LIMIT 1")
      .get(Number(taskId), label) as Row | undefined;
    return row === undefined ? undefined : toTx(row);
  }

  get(id: number): StoredTx | undefined {
    const row = this.#db.db.prepare("SELECT * FROM txs WHERE id = ?").get(id) as Row | undefined;
    return row === undefined ? undefined : toTx(row);
  }

  /** Pending and mined transactions, by nonce: what the queue still watches. */
  open(): StoredTx[] {
    const rows = this.#db.db
      .prepare("SELECT * FROM txs WHERE status IN ('pending', 'mined') ORDER BY nonce, id")
      .all() as Row[];
    return rows.map(toTx);
  }

  /** Every transaction, oldest first (tests and reports). */
  all(): StoredTx[] {
    return (this.#db.db.prepare("SELECT * FROM txs ORDER BY id").all() as Row[]).map(toTx);
  }

  /** Writes a signed transaction and its first attempt together, before anything is broadcast. */
  insert(tx: NewTx, attempt: Omit<StoredAttempt, "txId">): number {
    return this.#db.transaction(() => {
      const now = Date.now();
      const result = this.#db.db
        .prepare(
          `INSERT INTO txs (key, label, task_id, nonce, to_addr, data, value, gas_limit, deadline, progress, status,
             created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(
          tx.key,
          tx.label,
          tx.taskId === undefined ? null : Number(tx.taskId),
          tx.nonce,
          tx.to,
          tx.data,
          tx.value.toString(),
          tx.gasLimit.toString(),
          orNull(tx.deadline),
          tx.progress === true ? 1 : 0,
          now,
          now,
        );
      const id = Number(result.lastInsertRowid);
      this.addAttempt({ ...attempt, txId: id });
      return id;
    });
  }

  /** Writes a new signed version (a fee bump, or a re-signing at another nonce, which moves the row's nonce). */
  addAttempt(attempt: StoredAttempt): void {
    this.#db.transaction(() => {
      this.#db.db
        .prepare(
          `INSERT OR REPLACE INTO attempts (hash, tx_id, nonce, raw, max_fee, priority_fee, sent_block, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          attempt.hash,
          attempt.txId,
          attempt.nonce,
          attempt.raw,
          attempt.maxFee.toString(),
          attempt.priorityFee.toString(),
          attempt.sentBlock,
          Date.now(),
        );
      this.#db.db
        .prepare("UPDATE txs SET nonce = ?, updated_at = ? WHERE id = ?")
        .run(attempt.nonce, Date.now(), attempt.txId);
    });
  }

  /** Attempts of a transaction at its current nonce, newest first. */
  attempts(txId: number): StoredAttempt[] {
    const rows = this.#db.db
      .prepare(
        `SELECT a.* FROM attempts a JOIN txs t ON t.id = a.tx_id WHERE a.tx_id = ? AND a.nonce = t.nonce
         ORDER BY a.created_at DESC, a.rowid DESC`,
      )
      .all(txId) as Row[];
    return rows.map(toAttempt);
  }

  /** Every attempt of a transaction, at any nonce (a receipt may belong to one signed at an older nonce). */
  allAttempts(txId: number): StoredAttempt[] {
    const rows = this.#db.db
      .prepare("SELECT * FROM attempts WHERE tx_id = ? ORDER BY created_at DESC, rowid DESC")
      .all(txId) as Row[];
    return rows.map(toAttempt);
  }

  markSent(hash: string, block: number): void {
    this.#db.db.prepare("UPDATE attempts SET sent_block = ? WHERE hash = ?").run(block, hash);
  }

  markMined(id: number, r: { hash: string; block: number; status: number; gasUsed: bigint }): void {
    this.#db.db
      .prepare(
        `UPDATE txs SET status = 'mined', mined_hash = ?, mined_block = ?, receipt_status = ?, gas_used = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(r.hash, r.block, r.status, r.gasUsed.toString(), Date.now(), id);
  }

  markConfirmed(id: number): void {
    this.#db.db.prepare("UPDATE txs SET status = 'confirmed', updated_at = ? WHERE id = ?").run(Date.now(), id);
  }

  /** A receipt vanished (a reorg): the transaction is pending again and will be re-sent if it is still wanted. */
  markUnmined(id: number): void {
    this.#db.db
      .prepare(
        `UPDATE txs SET status = 'pending', mined_hash = NULL, mined_block = NULL, receipt_status = NULL,
           gas_used = NULL, updated_at = ? WHERE id = ?`,
      )
      .run(Date.now(), id);
  }

  /**
   * Receipts above `block` came from blocks a reorg replaced: their transactions are pending again, and the queue
   * checks whether the new chain has them or sends them again.
   */
  rewind(block: number): number {
    const result = this.#db.db
      .prepare(
        `UPDATE txs SET status = 'pending', mined_hash = NULL, mined_block = NULL, receipt_status = NULL,
           gas_used = NULL, updated_at = ? WHERE status IN ('mined', 'confirmed') AND mined_block > ?`,
      )
      .run(Date.now(), block);
    return Number(result.changes);
  }

  markAbandoned(id: number, error: string): void {
    this.#db.db
      .prepare("UPDATE txs SET status = 'abandoned', error = ?, updated_at = ? WHERE id = ?")
      .run(error, Date.now(), id);
  }

  setError(id: number, error: string | undefined): void {
    this.#db.db.prepare("UPDATE txs SET error = ?, updated_at = ? WHERE id = ?").run(orNull(error), Date.now(), id);
  }
}

function toTx(row: Row): StoredTx {
  const taskId = optInt(row, "task_id");
  const gasUsed = optText(row, "gas_used");
  return {
    id: int(row, "id"),
    key: text(row, "key"),
    label: text(row, "label"),
    taskId: taskId === undefined ? undefined : BigInt(taskId),
    nonce: int(row, "nonce"),
    to: text(row, "to_addr"),
    data: text(row, "data"),
    value: BigInt(text(row, "value")),
    gasLimit: BigInt(text(row, "gas_limit")),
    deadline: optInt(row, "deadline"),
    progress: int(row, "progress") === 1,
    status: text(row, "status") as TxStatus,
    minedHash: optText(row, "mined_hash"),
    minedBlock: optInt(row, "mined_block"),
    receiptStatus: optInt(row, "receipt_status"),
    gasUsed: gasUsed === undefined ? undefined : BigInt(gasUsed),
    error: optText(row, "error"),
    createdAt: int(row, "created_at"),
  };
}

function toAttempt(row: Row): StoredAttempt {
  return {
    hash: text(row, "hash"),
    txId: int(row, "tx_id"),
    nonce: int(row, "nonce"),
    raw: text(row, "raw"),
    maxFee: BigInt(text(row, "max_fee")),
    priorityFee: BigInt(text(row, "priority_fee")),
    sentBlock: int(row, "sent_block"),
  };
}
