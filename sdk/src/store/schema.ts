/**
 * The store's schema, as ordered migrations (`PRAGMA user_version` counts the ones applied). Amounts and fees are
 * decimal strings (they exceed 2^53); block numbers, task ids, rounds and record indices are integers (they do not).
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- Which chain, manager and account the store belongs to.
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- Scanned blocks: the cursor is the highest one. Their hashes detect a reorg below the cursor.
  CREATE TABLE checkpoints (block INTEGER PRIMARY KEY, hash TEXT NOT NULL);

  -- Tasks the agent follows, from TaskCreated (the input rides on the event: it is not stored on chain).
  CREATE TABLE tasks (
    task_id INTEGER PRIMARY KEY,
    block INTEGER NOT NULL,
    program_id TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    input_kind INTEGER NOT NULL,
    input TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 1,
    wake_block INTEGER NOT NULL DEFAULT 0,
    dirty INTEGER NOT NULL DEFAULT 1,
    note TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX tasks_due ON tasks (open, wake_block);

  -- The agent's own seat records, from SeatsAssigned, and how far it got with each.
  CREATE TABLE assignments (
    task_id INTEGER NOT NULL,
    round INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    seats INTEGER NOT NULL,
    block INTEGER NOT NULL,
    progress TEXT NOT NULL,
    result_hash TEXT,
    commitment TEXT,
    note TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (task_id, round, idx)
  );

  -- What the program gives on a task's input (the same for every round of the task).
  CREATE TABLE results (
    task_id INTEGER PRIMARY KEY,
    result_hash TEXT,
    output BLOB,
    error TEXT,
    retryable INTEGER NOT NULL DEFAULT 0,
    computed_at INTEGER NOT NULL
  );

  -- The watchtower's verdict on each proposed result.
  CREATE TABLE proposals (
    task_id INTEGER NOT NULL,
    round INTEGER NOT NULL,
    proposed TEXT NOT NULL,
    verdict TEXT NOT NULL,
    claimed TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (task_id, round)
  );

  -- Every transaction the agent signed, written before it is broadcast. status: pending (signed, maybe sent),
  -- mined (a receipt, not yet at confirmation depth), confirmed (at depth), abandoned (never to be mined).
  CREATE TABLE txs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    task_id INTEGER,
    nonce INTEGER NOT NULL,
    to_addr TEXT NOT NULL,
    data TEXT NOT NULL,
    value TEXT NOT NULL,
    gas_limit TEXT NOT NULL,
    deadline INTEGER,
    progress INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    mined_hash TEXT,
    mined_block INTEGER,
    receipt_status INTEGER,
    gas_used TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  -- One live transaction per action: a second commit of the same record can never be signed while one is live.
  CREATE UNIQUE INDEX txs_live_key ON txs (key)
    WHERE status IN ('pending', 'mined') OR (status = 'confirmed' AND receipt_status = 1);
  CREATE INDEX txs_open ON txs (status, nonce);

  -- Each signed version of a transaction (the first, fee bumps, a re-signing at a new nonce).
  CREATE TABLE attempts (
    hash TEXT PRIMARY KEY,
    tx_id INTEGER NOT NULL REFERENCES txs (id),
    nonce INTEGER NOT NULL,
    raw TEXT NOT NULL,
    max_fee TEXT NOT NULL,
    priority_fee TEXT NOT NULL,
    sent_block INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX attempts_tx ON attempts (tx_id);
  `,
  `
  -- The bisection games the agent is a party to (docs/Agents.md, "Games"): written before the challengeByGame or
  -- defendGame that makes it one, so a restarted agent knows the task is its own; every move is re-derived from
  -- the game's state on chain. game: the task's game number; game_id: the game contract's id, once known.
  -- status: opening (the call is on its way), playing, ended (settled).
  CREATE TABLE games (
    task_id INTEGER NOT NULL,
    game INTEGER NOT NULL,
    side TEXT NOT NULL,
    claimed TEXT NOT NULL,
    game_id INTEGER,
    status TEXT NOT NULL,
    winner INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (task_id, game)
  );
  `,
];
