import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

import { StoreError, StoreLockedError } from "../errors/agent.js";
import { MIGRATIONS } from "./schema.js";

/**
 * One SQLite file on `node:sqlite`, opened for a single agent process.
 *
 * Durability: WAL with `synchronous = FULL` fsyncs the log at every commit, so a row written before a transaction is
 * broadcast survives a SIGKILL (or a power cut) right after the broadcast. Exclusion: `locking_mode = EXCLUSIVE`
 * keeps the write lock from the first write until the file is closed; a second agent on the same file fails at once
 * instead of sending the same commits twice, and the OS drops the lock when a killed process dies, so no stale lock
 * file can block a restart.
 */
export class Database {
  readonly path: string;
  readonly db: DatabaseSync;
  #depth = 0;

  constructor(path: string) {
    this.path = path;
    if (path !== ":memory:") {
      try {
        mkdirSync(dirname(path), { recursive: true });
      } catch (error) {
        throw new StoreError(path, `Cannot create the folder of ${path}`, { cause: error });
      }
    }
    try {
      this.db = new DatabaseSync(path);
    } catch (error) {
      throw new StoreError(path, `Cannot open the store ${path}`, { cause: error });
    }
    try {
      this.db.exec("PRAGMA busy_timeout = 0");
      this.db.exec("PRAGMA locking_mode = EXCLUSIVE");
      this.db.exec("PRAGMA journal_mode = WAL");
      this.db.exec("PRAGMA synchronous = FULL");
      this.db.exec("PRAGMA foreign_keys = ON");
      // A write takes the exclusive lock now, not at the agent's first commit minutes later.
      this.db.exec("BEGIN IMMEDIATE; COMMIT");
    } catch (error) {
      this.db.close();
      if (/locked|busy/i.test((error as Error).message)) throw new StoreLockedError(path, error);
      throw new StoreError(path, `Cannot prepare the store ${path}`, { cause: error });
    }
    this.#migrate();
  }

  /**
   * Runs `fn` in one transaction: every write inside it lands together or not at all (a scanned chunk's events and
   * the cursor that says they were scanned, for instance). Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    if (this.#depth > 0) {
      this.#depth++;
      try {
        return fn();
      } finally {
        this.#depth--;
      }
    }
    this.db.exec("BEGIN IMMEDIATE");
    this.#depth = 1;
    try {
      const result = fn();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    } finally {
      this.#depth = 0;
    }
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  #migrate(): void {
    const row = this.db.prepare("PRAGMA user_version").get() as { user_version: number } | undefined;
    const version = row?.user_version ?? 0;
    if (version > MIGRATIONS.length) {
      this.close();
      throw new StoreError(this.path, `The store ${this.path} has schema ${version}, newer than this agent's`, {
        meta: { version, known: MIGRATIONS.length },
        details: "upgrade the agent, or give it a fresh --store path",
      });
    }
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[v] as string);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      });
    }
  }
}
