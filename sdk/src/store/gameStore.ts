import type { Database } from "./database.js";
import { int, optInt, orNull, text, type Row } from "./rows.js";

/** The side the agent plays: a watchtower challenges (or defends a result its game produced), a worker defends. */
export type GameSide = "challenger" | "defender";
/** `opening`: the challengeByGame or defendGame is on its way. `playing`: the agent is a party. `ended`: settled. */
export type GameStatus = "opening" | "playing" | "ended";

export interface StoredGame {
  taskId: bigint;
  /** The task's game number (1 for its first game). */
  game: bigint;
  side: GameSide;
  /** The final state hash the agent stands for. */
  claimed: string;
  /** The game contract's id, once the chain has it. */
  gameId: bigint | undefined;
  status: GameStatus;
  /** `IBisectionGameTypes.Side` of the winner, once settled. */
  winner: number | undefined;
}

/** The games an agent is a party to, by task and game number. */
export class GameStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(taskId: bigint, game: bigint): StoredGame | undefined {
    const row = this.#db.db
      .prepare("SELECT * FROM games WHERE task_id = ? AND game = ?")
      .get(Number(taskId), Number(game)) as Row | undefined;
    return row === undefined ? undefined : toGame(row);
  }

  forTask(taskId: bigint): StoredGame[] {
    const rows = this.#db.db
      .prepare("SELECT * FROM games WHERE task_id = ? ORDER BY game")
      .all(Number(taskId)) as Row[];
    return rows.map(toGame);
  }

  /** Records (or replaces) a game the agent is about to join or has joined. */
  put(g: StoredGame): void {
    this.#db.db
      .prepare(
        "INSERT OR REPLACE INTO games (task_id, game, side, claimed, game_id, status, winner, updated_at) " +
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        Number(g.taskId),
        Number(g.game),
        g.side,
        g.claimed,
        g.gameId === undefined ? null : Number(g.gameId),
        g.status,
        orNull(g.winner),
        Date.now(),
      );
  }

  /** Forgets a game the agent did not join after all (its call was refused before it was sent). */
  remove(taskId: bigint, game: bigint): void {
    this.#db.db.prepare("DELETE FROM games WHERE task_id = ? AND game = ?").run(Number(taskId), Number(game));
  }

  /** Games per side and status, for the status report. */
  counts(): Record<string, number> {
    const rows = this.#db.db
      .prepare("SELECT side, status, COUNT(*) AS n FROM games GROUP BY side, status")
      .all() as Row[];
    return Object.fromEntries(rows.map((r) => [`${text(r, "side")}:${text(r, "status")}`, int(r, "n")]));
  }
}

function toGame(row: Row): StoredGame {
  const gameId = optInt(row, "game_id");
  return {
    taskId: BigInt(int(row, "task_id")),
    game: BigInt(int(row, "game")),
    side: text(row, "side") as GameSide,
    claimed: text(row, "claimed"),
    gameId: gameId === undefined ? undefined : BigInt(gameId),
    status: text(row, "status") as GameStatus,
    winner: optInt(row, "winner"),
  };
}
