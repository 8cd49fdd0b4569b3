import type { Logger } from "pino";

import type { Checkpoint } from "../store/cursorStore.js";

/** A log as `eth_getLogs` returns it. */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  blockHash: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
}

interface RawHeader {
  number: string;
  hash: string;
  parentHash: string;
}

/** The calls the scanner needs (a `ResilientProvider` has them). */
export interface ScannerRpc {
  request<T>(method: string, params: unknown[]): Promise<T>;
}

/** Where the scanner keeps its cursor (the store's `CursorStore`), and a transaction to write it with the events. */
export interface ScannerCursor {
  cursor(): Checkpoint | undefined;
  checkpointsFrom(block: number, limit?: number): Checkpoint[];
  advance(checkpoint: Checkpoint): void;
  rewind(block: number): void;
}

export interface LogScannerOptions {
  rpc: ScannerRpc;
  cursor: ScannerCursor;
  /** Runs `fn` so that all its writes land together (the store's transaction). */
  transaction: <T>(fn: () => T) => T;
  address: string | string[];
  /** Topic filter: position 0 is usually a list of event signatures. */
  topics?: (string | string[] | null)[];
  /** The first block to scan when there is no cursor (the deployment block). */
  startBlock: number;
  /** A block is processed once it is this deep: 1 processes the head itself, 2 waits for one block on top of it. */
  confirmations: number;
  /** Blocks per eth_getLogs call to start with, the least to shrink to, the most to grow to. */
  initialRange?: number;
  minRange?: number;
  maxRange?: number;
  /** Chunks per poll, so that a long catch-up yields to the agent's other work now and then. */
  maxChunksPerPoll?: number;
  /** Receives each chunk's logs in order, inside the transaction that advances the cursor: keep it synchronous. */
  onLogs: (logs: RawLog[], range: { from: number; to: number }) => void;
  /** Told, inside the transaction that rewinds the cursor, that blocks above `block` were replaced. */
  onReorg: (block: number) => void;
  logger?: Logger;
}

export interface PollResult {
  /** The cursor after the poll. */
  cursor: number;
  /** The fork block if a reorg below the cursor was found. */
  reorgedTo: number | undefined;
  logs: number;
  chunks: number;
}

/**
 * Catches up from a stored cursor with chunked `eth_getLogs`, then follows the head.
 *
 * - Only blocks at the confirmation depth are processed; a chunk's logs and the cursor move land in one store
 *   transaction, so a crash never processes a chunk twice or skips one.
 * - A provider error halves the range (range limits, result-size limits, timeouts on wide queries); each chunk
 *   that succeeds over the whole range doubles it again, up to `maxRange`.
 * - The cursor only moves to a block whose header was just read, and the header's hash is stored: a head that is
 *   stale or too high never moves the cursor past blocks the node has not got (some nodes answer eth_getLogs for
 *   future blocks with an empty list).
 * - Each poll checks the cursor's hash; if the chain no longer has it, the scanner walks back its stored hashes to
 *   the fork point, tells `onReorg`, and scans again from there.
 */
export class LogScanner {
  readonly #o: Required<Omit<LogScannerOptions, "topics" | "logger">> & Pick<LogScannerOptions, "topics" | "logger">;
  #range: number;
  #lastVerifiedHead = -1;
  #lastVerifiedAt = 0;

  constructor(options: LogScannerOptions) {
    this.#o = {
      initialRange: 2_000,
      minRange: 1,
      maxRange: 10_000,
      maxChunksPerPoll: 50,
      ...options,
    };
    if (this.#o.confirmations < 1) throw new RangeError("confirmations must be at least 1");
    this.#range = this.#o.initialRange;
  }

  /** The current eth_getLogs range, in blocks. */
  get range(): number {
    return this.#range;
  }

  /** The last processed block (the cursor), or `startBlock - 1` before the first. */
  get cursorBlock(): number {
    return this.#o.cursor.cursor()?.block ?? this.#o.startBlock - 1;
  }

  /** One round: checks for a reorg, then processes confirmed blocks up to `head` (in at most `maxChunksPerPoll`). */
  async poll(head: number): Promise<PollResult> {
    const reorgedTo = await this.#checkReorg(head);
    const safe = head - this.#o.confirmations + 1;
    let from = this.cursorBlock + 1;
    let logs = 0;
    let chunks = 0;
    while (from <= safe && chunks < this.#o.maxChunksPerPoll) {
      const to = Math.min(safe, from + this.#range - 1);
      const header = await this.#header(to);
      if (header === null) break; // the head was ahead of the node (a stale or load-balanced answer): wait
      let batch: RawLog[];
      try {
        batch = await this.#o.rpc.request<RawLog[]>("eth_getLogs", [
          {
            fromBlock: hex(from),
            toBlock: hex(to),
            address: this.#o.address,
            ...(this.#o.topics === undefined ? {} : { topics: this.#o.topics }),
          },
        ]);
      } catch (error) {
        if (this.#range <= this.#o.minRange) throw error;
        this.#range = Math.max(this.#o.minRange, Math.floor(this.#range / 2));
        this.#o.logger?.warn(
          { from, to, range: this.#range, err: (error as Error).message },
          "eth_getLogs failed, range halved",
        );
        continue;
      }
      const kept = batch.filter((l) => l.removed !== true).sort(byPosition);
      this.#o.transaction(() => {
        this.#o.onLogs(kept, { from, to });
        this.#o.cursor.advance({ block: to, hash: header.hash });
      });
      logs += kept.length;
      chunks++;
      // Only a chunk that used the whole range shows the range works; a short chunk at the head proves nothing.
      if (to - from + 1 === this.#range) this.#range = Math.min(this.#o.maxRange, this.#range * 2);
      from = to + 1;
    }
    return { cursor: this.cursorBlock, reorgedTo, logs, chunks };
  }

  /**
   * Compares the cursor's stored hash with the chain's (when the head moved, or every few seconds); on a mismatch,
   * finds the newest stored checkpoint the chain still has and rewinds to it.
   */
  async #checkReorg(head: number): Promise<number | undefined> {
    const cursor = this.#o.cursor.cursor();
    if (cursor === undefined) return undefined;
    const now = Date.now();
    if (head === this.#lastVerifiedHead && now - this.#lastVerifiedAt < 5_000) return undefined;
    const current = await this.#header(cursor.block);
    this.#lastVerifiedHead = head;
    this.#lastVerifiedAt = now;
    if (current !== null && current.hash === cursor.hash) return undefined;
    // A missing header with a head at or past the cursor is a node that has not caught up with itself (a load
    // balancer's lagging backend): ask again next poll. With a head below the cursor, the chain got shorter.
    if (current === null && head >= cursor.block) {
      this.#lastVerifiedHead = -1;
      return undefined;
    }
    let fork = this.#o.startBlock - 1;
    for (const cp of this.#o.cursor.checkpointsFrom(cursor.block - 1)) {
      const header = await this.#header(cp.block);
      if (header !== null && header.hash === cp.hash) {
        fork = cp.block;
        break;
      }
    }
    this.#o.transaction(() => {
      this.#o.onReorg(fork);
      this.#o.cursor.rewind(fork);
    });
    this.#o.logger?.warn({ cursor: cursor.block, fork }, "reorg below the cursor: rescanning from the fork point");
    return fork;
  }

  async #header(block: number): Promise<RawHeader | null> {
    return await this.#o.rpc.request<RawHeader | null>("eth_getBlockByNumber", [hex(block), false]);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function byPosition(a: RawLog, b: RawLog): number {
  return Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex));
}
