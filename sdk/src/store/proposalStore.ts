import type { Database } from "./database.js";
import { int, optText, orNull, text, type Row } from "./rows.js";

/**
 * The watchtower's verdict on a proposed result. `agree`: its own run gave the same hash. `challenge`: it differs
 * and a challenge is (being) sent. `late`: it differs but the window closed or no escalation was left. `unknown`: the
 * watchtower could not compute the result (the program refused the input, the input's hash did not match).
 */
export type Verdict = "agree" | "challenge" | "late" | "unknown";

export interface StoredProposal {
  taskId: bigint;
  round: bigint;
  proposed: string;
  verdict: Verdict;
  /** The result hash the watchtower claims instead, when it challenges. */
  claimed: string | undefined;
}

/** Each proposed result the watchtower judged, by task and round. */
export class ProposalStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(taskId: bigint, round: bigint): StoredProposal | undefined {
    const row = this.#db.db
      .prepare("SELECT * FROM proposals WHERE task_id = ? AND round = ?")
      .get(Number(taskId), Number(round)) as Row | undefined;
    return row === undefined ? undefined : toProposal(row);
  }

  forTask(taskId: bigint): StoredProposal[] {
    const rows = this.#db.db
      .prepare("SELECT * FROM proposals WHERE task_id = ? ORDER BY round")
      .all(Number(taskId)) as Row[];
    return rows.map(toProposal);
  }

  put(p: StoredProposal): void {
    this.#db.db
      .prepare(
        "INSERT OR REPLACE INTO proposals (task_id, round, proposed, verdict, claimed, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(Number(p.taskId), Number(p.round), p.proposed, p.verdict, orNull(p.claimed), Date.now());
  }

  countChallenges(): number {
    const row = this.#db.db.prepare("SELECT COUNT(*) AS n FROM proposals WHERE verdict = 'challenge'").get() as Row;
    return int(row, "n");
  }
}

function toProposal(row: Row): StoredProposal {
  return {
    taskId: BigInt(int(row, "task_id")),
    round: BigInt(int(row, "round")),
    proposed: text(row, "proposed"),
    verdict: text(row, "verdict") as Verdict,
    claimed: optText(row, "claimed"),
  };
}
