import { Database } from "./database.js";
import { AssignmentStore } from "./assignmentStore.js";
import { CursorStore } from "./cursorStore.js";
import { GameStore } from "./gameStore.js";
import { MetaStore, type StoreIdentity } from "./metaStore.js";
import { ProposalStore } from "./proposalStore.js";
import { TaskStore } from "./taskStore.js";
import { TxStore } from "./txStore.js";

export type { AssignmentProgress, StoredAssignment } from "./assignmentStore.js";
export type { Checkpoint } from "./cursorStore.js";
export type { GameSide, GameStatus, StoredGame } from "./gameStore.js";
export type { StoreIdentity } from "./metaStore.js";
export type { StoredProposal, Verdict } from "./proposalStore.js";
export type { NewTask, StoredResult, StoredTask } from "./taskStore.js";
export type { NewTx, StoredAttempt, StoredTx, TxStatus } from "./txStore.js";
export { AssignmentStore, CursorStore, Database, GameStore, MetaStore, ProposalStore, TaskStore, TxStore };

/** An agent's embedded store: one SQLite file, one process (see `Database`), one table family per concern. */
export class AgentStore {
  readonly database: Database;
  readonly meta: MetaStore;
  readonly cursor: CursorStore;
  readonly tasks: TaskStore;
  readonly assignments: AssignmentStore;
  readonly proposals: ProposalStore;
  readonly games: GameStore;
  readonly txs: TxStore;

  constructor(path: string) {
    this.database = new Database(path);
    this.meta = new MetaStore(this.database);
    this.cursor = new CursorStore(this.database);
    this.tasks = new TaskStore(this.database);
    this.assignments = new AssignmentStore(this.database);
    this.proposals = new ProposalStore(this.database);
    this.games = new GameStore(this.database);
    this.txs = new TxStore(this.database);
  }

  get path(): string {
    return this.database.path;
  }

  /** Opens (or creates) the store at `path` for `identity`, refusing one written for another chain, manager or key. */
  static open(path: string, identity: StoreIdentity): AgentStore {
    const store = new AgentStore(path);
    try {
      store.meta.bind(identity);
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  transaction<T>(fn: () => T): T {
    return this.database.transaction(fn);
  }

  close(): void {
    this.database.close();
  }
}
