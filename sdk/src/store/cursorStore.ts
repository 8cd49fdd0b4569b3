import type { Database } from "./database.js";
import { int, text, type Row } from "./rows.js";

export interface Checkpoint {
  block: number;
  hash: string;
}

/** How many scanned blocks keep their hash: enough to find the fork point of any reorg a node will report. */
const KEEP = 256;

/**
 * The scanner's cursor: the highest block whose logs were processed, with the hashes of the last scanned blocks, so
 * that a reorg below the cursor is found by comparing them with the chain.
 */
export class CursorStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** The highest scanned block, or undefined before the first scan. */
  cursor(): Checkpoint | undefined {
    const row = this.#db.db.prepare("SELECT block, hash FROM checkpoints ORDER BY block DESC LIMIT 1").get() as
      Row | undefined;
    return row === undefined ? undefined : { block: int(row, "block"), hash: text(row, "hash") };
  }

  /** Stored checkpoints at or below `block`, newest first (the fork-point search walks them). */
  checkpointsFrom(block: number, limit = KEEP): Checkpoint[] {
    const rows = this.#db.db
      .prepare("SELECT block, hash FROM checkpoints WHERE block <= ? ORDER BY block DESC LIMIT ?")
      .all(block, limit) as Row[];
    return rows.map((r) => ({ block: int(r, "block"), hash: text(r, "hash") }));
  }

  /** Records a scanned block (call it in the transaction that stores the block range's events). */
  advance(checkpoint: Checkpoint): void {
    const db = this.#db.db;
    db.prepare("INSERT OR REPLACE INTO checkpoints (block, hash) VALUES (?, ?)").run(checkpoint.block, checkpoint.hash);
    db.prepare(
      "DELETE FROM checkpoints WHERE block < (SELECT MIN(block) FROM (SELECT block FROM checkpoints ORDER BY block DESC LIMIT ?))",
    ).run(KEEP);
  }

  /** Forgets every checkpoint above `block` (a reorg replaced them). */
  rewind(block: number): void {
    this.#db.db.prepare("DELETE FROM checkpoints WHERE block > ?").run(block);
  }
}
