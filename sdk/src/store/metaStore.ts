import { StoreMismatchError } from "../errors/agent.js";
import type { Database } from "./database.js";
import { text, type Row } from "./rows.js";

/** What a store belongs to. A store is never reused across chains, deployments or keys. */
export interface StoreIdentity {
  chainId: bigint;
  manager: string;
  account: string;
  /** "worker" or "watchtower": each keeps its own tables' meaning. */
  role: string;
}

/** Key-value facts about the store, and the identity check done when an agent opens it. */
export class MetaStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(key: string): string | undefined {
    const row = this.#db.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as Row | undefined;
    return row === undefined ? undefined : text(row, "value");
  }

  set(key: string, value: string): void {
    this.#db.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
  }

  /** Writes the identity into a new store, or refuses a store written for another one. */
  bind(identity: StoreIdentity): void {
    const wanted: [string, string][] = [
      ["chainId", identity.chainId.toString()],
      ["manager", identity.manager.toLowerCase()],
      ["account", identity.account.toLowerCase()],
      ["role", identity.role],
    ];
    this.#db.transaction(() => {
      for (const [key, value] of wanted) {
        const stored = this.get(key);
        if (stored === undefined) this.set(key, value);
        else if (stored !== value) throw new StoreMismatchError(this.#db.path, key, stored, value);
      }
    });
  }
}
