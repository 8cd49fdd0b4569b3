import { Transaction, type BaseWallet, type Interface } from "ethers";
import type { Logger } from "pino";

import { TxQueueFullError } from "../errors/agent.js";
import { TransactionError } from "../errors/contract.js";
import { toCohortError } from "../errors/decode.js";
import type { ResilientProvider } from "../rpc/provider.js";
import type { StoredAttempt, StoredTx, TxStore } from "../store/txStore.js";
import { classifySendError } from "./sendErrors.js";
import { FeePolicy, type FeePolicyOptions, type Fees, type Head } from "./fees.js";

export interface TxRequest {
  /** The action (`commit:7:0:2`): while a transaction for it is live, submitting it again returns that one. */
  key: string;
  /** For logs: `commit`, `reveal`, `claimReward`, ... */
  label: string;
  to: string;
  data: string;
  value?: bigint;
  taskId?: bigint;
  /** The last block in which the transaction is still useful (it reverts after): fee bumps grow as it nears. */
  deadline?: number;
  gasLimit?: bigint;
  /**
   * A call anyone may make (draw, tally, ...): at most `maxProgressInFlight` of them are unmined at once, so that a
   * burst of them never keeps the agent's own commits and reveals out of the queue.
   */
  progress?: boolean;
}

export interface TxQueueOptions {
  wallet: BaseWallet;
  rpc: ResilientProvider;
  store: TxStore;
  chainId: bigint;
  /** A receipt counts once its block is this deep (1: the head itself). */
  confirmations: number;
  /** Every custom error of the contracts, to decode a call that would revert. */
  errors: Interface;
  fees?: FeePolicyOptions;
  /** A transaction not mined after this many blocks is replaced with higher fees (default 3). */
  stuckBlocks?: number;
  /** Unmined transactions allowed at once (default 16), and how many of them may be progress calls (default 4). */
  maxInFlight?: number;
  maxProgressInFlight?: number;
  /** Gas limit over the estimate, in percent (default 25). */
  gasMarginPercent?: number;
  logger?: Logger;
  /** Called at named points (`tx:stored:<label>`, `tx:sent:<label>`, `tx:mined:<label>`): crash tests kill here. */
  failpoint?: (name: string) => void;
}

interface RawReceipt {
  transactionHash: string;
  blockNumber: string;
  blockHash: string;
  status: string;
  gasUsed: string;
}

const CANCEL_GAS = 21_000n;

/**
 * One serialized transaction queue for one key.
 *
 * - Every transaction is signed, then written to the store, then broadcast: a crash at any point leaves a row that
 *   the next run finds, and it re-sends that same signed transaction instead of building another (no double send).
 * - Nonces come from the chain and the store at start, and are handed out in order under a lock.
 * - `tick` follows every open transaction: it records receipts, confirms them at depth, notices a receipt that a
 *   reorg took away, re-sends a transaction that left the mempool (`hardhat_dropTransaction`, an evicted one),
 *   replaces one that is stuck with EIP-1559 fees raised by at least 10% (more as its deadline nears), and fills the
 *   nonce of one that can no longer succeed with a zero-value cancel, so later ones are not held up.
 */
export class TxQueue {
  readonly address: string;
  readonly fees: FeePolicy;
  readonly #o: TxQueueOptions;
  readonly #stuckBlocks: number;
  readonly #maxInFlight: number;
  readonly #maxProgressInFlight: number;
  readonly #gasMargin: bigint;
  #nextNonce = -1;
  #lock: Promise<unknown> = Promise.resolve();
  /** Counters for the health report. */
  readonly stats = { sent: 0, confirmed: 0, rebroadcasts: 0, bumps: 0, cancels: 0, reorged: 0 };

  constructor(options: TxQueueOptions) {
    this.#o = options;
    this.address = options.wallet.address;
    this.fees = new FeePolicy(options.fees);
    this.#stuckBlocks = options.stuckBlocks ?? 3;
    this.#maxInFlight = options.maxInFlight ?? 16;
    this.#maxProgressInFlight = options.maxProgressInFlight ?? 4;
    this.#gasMargin = BigInt(options.gasMarginPercent ?? 25);
  }

  /** The live transaction for an action, if any (pending, mined, or confirmed with success). */
  live(key: string): StoredTx | undefined {
    return this.#o.store.live(key);
  }

  /** Unmined or unconfirmed transactions. */
  inFlight(): number {
    return this.#o.store.open().length;
  }

  /** Recovers the next nonce: the chain's pending count, or past the highest nonce the store holds for a live row. */
  async init(): Promise<void> {
    await this.#exclusive(async () => {
      await this.#resyncNonce();
    });
  }

  /**
   * Queues an action: returns its live transaction if there is one; otherwise simulates the call (a call that would
   * revert throws its decoded `ContractRevertError` and nothing is sent), signs, stores and broadcasts it.
   * @throws ContractRevertError, RpcError, TransactionError (funds), TxQueueFullError
   */
  async submit(request: TxRequest, head: Head): Promise<StoredTx> {
    return await this.#exclusive(async () => {
      const existing = this.#o.store.live(request.key);
      if (existing !== undefined) return existing;
      const open = this.#o.store.open();
      if (open.length >= this.#maxInFlight) throw new TxQueueFullError(open.length);
      if (request.progress === true) {
        const progress = open.filter((t) => t.progress).length;
        if (progress >= this.#maxProgressInFlight) throw new TxQueueFullError(progress);
      }
      const value = request.value ?? 0n;
      const gasLimit = request.gasLimit ?? (await this.#estimate(request.to, request.data, value, request.label));
      if (this.#nextNonce < 0) await this.#resyncNonce();
      const nonce = this.#nextNonce;
      const fees = this.fees.initial(head, request.deadline);
      const attempt = await this.#sign({ to: request.to, data: request.data, value, gasLimit, nonce }, fees, head);
      const id = this.#o.store.insert(
        {
          key: request.key,
          label: request.label,
          taskId: request.taskId,
          nonce,
          to: request.to,
          data: request.data,
          value,
          gasLimit,
          progress: request.progress === true,
          ...(request.deadline === undefined ? {} : { deadline: request.deadline }),
        },
        attempt,
      );
      this.#nextNonce = nonce + 1;
      this.stats.sent++;
      this.#o.failpoint?.(`tx:stored:${request.label}`);
      const tx = this.#o.store.get(id) as StoredTx;
      await this.#broadcast(tx, attempt, head);
      this.#o.failpoint?.(`tx:sent:${request.label}`);
      this.#o.logger?.info(
        { key: request.key, label: request.label, taskId: request.taskId, nonce, hash: attempt.hash },
        "transaction sent",
      );
      return this.#o.store.get(id) as StoredTx;
    });
  }

  /** Follows every open transaction one step (see the class comment). Call it once per new head. */
  async tick(head: Head): Promise<void> {
    await this.#exclusive(async () => {
      const open = this.#o.store.open();
      if (open.length === 0) return;
      const latestNonce = await this.#nonce("latest");
      const maxOpenNonce = Math.max(...open.map((t) => t.nonce));
      for (const tx of open) await this.#follow(tx, head, latestNonce, tx.nonce < maxOpenNonce);
    });
  }

  // ─── Following one transaction ─────────────────────────────────────────────────────────────────────────────────

  async #follow(tx: StoredTx, head: Head, latestNonce: number, blocksLater: boolean): Promise<void> {
    const receipt = await this.#receipt(tx);
    const log = this.#o.logger?.child({ key: tx.key, label: tx.label, taskId: tx.taskId, nonce: tx.nonce });
    if (receipt !== undefined) {
      const block = Number(BigInt(receipt.blockNumber));
      const status = Number(BigInt(receipt.status));
      if (tx.status === "pending" || tx.minedHash !== receipt.transactionHash || tx.minedBlock !== block) {
        this.#o.store.markMined(tx.id, {
          hash: receipt.transactionHash,
          block,
          status,
          gasUsed: BigInt(receipt.gasUsed),
        });
        log?.info(
          { hash: receipt.transactionHash, block, status },
          status === 1 ? "transaction mined" : "transaction reverted",
        );
        this.#o.failpoint?.(`tx:mined:${tx.label}`);
      }
      if (head.number - block + 1 >= this.#o.confirmations) {
        this.#o.store.markConfirmed(tx.id);
        this.stats.confirmed++;
      }
      return;
    }
    if (tx.status === "mined") {
      // The receipt is gone: the block that held it was replaced. The signed transaction is still valid at its nonce.
      this.#o.store.markUnmined(tx.id);
      this.stats.reorged++;
      log?.warn(
        { hash: tx.minedHash, block: tx.minedBlock },
        "receipt vanished (reorg): following the transaction again",
      );
    }
    if (tx.nonce < latestNonce) {
      // Something else used the nonce (the same key in another process, or a chain that reorganized around it).
      await this.#resign(tx, head, "its nonce was used by another transaction");
      return;
    }
    const [latest] = this.#o.store.attempts(tx.id);
    if (latest === undefined) return;
    if (tx.deadline !== undefined && head.number >= tx.deadline) {
      // Mined from now on it would only revert; its nonce goes to a cancel so that later transactions can be mined.
      await this.#cancel(tx, latest, head, `its deadline ${tx.deadline} passed unmined`);
      return;
    }
    const fees = { maxFeePerGas: latest.maxFee, maxPriorityFeePerGas: latest.priorityFee };
    if (head.number > latest.sentBlock && !(await this.#inMempool(latest.hash))) {
      if (!(await this.#stillValid(tx))) {
        if (blocksLater) await this.#cancel(tx, latest, head, "it would now revert");
        else this.#abandon(tx, "it would now revert");
        return;
      }
      if (this.fees.underpriced(fees, head)) {
        await this.#bump(tx, latest, head);
      } else {
        await this.#broadcast(tx, latest, head);
        this.stats.rebroadcasts++;
        log?.warn({ hash: latest.hash }, "transaction left the mempool: sent again");
      }
      return;
    }
    if (head.number - latest.sentBlock >= this.#stuckBlocks || this.fees.underpriced(fees, head)) {
      await this.#bump(tx, latest, head);
    }
  }

  /** Replaces the latest attempt with one at the same nonce and higher fees. */
  async #bump(tx: StoredTx, latest: StoredAttempt, head: Head): Promise<void> {
    const fees = this.fees.bump(
      { maxFeePerGas: latest.maxFee, maxPriorityFeePerGas: latest.priorityFee },
      head,
      tx.deadline,
    );
    if (fees === undefined) {
      this.#o.logger?.warn(
        { key: tx.key, cap: this.fees.maxFeeCap },
        "stuck transaction, but the fee cap allows no bump",
      );
      return;
    }
    const attempt = await this.#sign(tx, fees, head, tx.id);
    this.#o.store.addAttempt(attempt);
    this.stats.bumps++;
    this.#o.logger?.warn(
      {
        key: tx.key,
        taskId: tx.taskId,
        nonce: tx.nonce,
        hash: attempt.hash,
        maxFeePerGas: fees.maxFeePerGas.toString(),
        percent: this.fees.percentFor(head, tx.deadline),
      },
      "stuck transaction replaced with higher fees",
    );
    await this.#broadcast(tx, attempt, head);
  }

  /** Fills a transaction's nonce with a zero-value transfer to itself, priced to replace what is in the mempool. */
  async #cancel(tx: StoredTx, latest: StoredAttempt, head: Head, reason: string): Promise<void> {
    const fees =
      this.fees.bump({ maxFeePerGas: latest.maxFee, maxPriorityFeePerGas: latest.priorityFee }, head, undefined) ??
      this.fees.initial(head, undefined);
    const cancel = { to: this.address, data: "0x", value: 0n, gasLimit: CANCEL_GAS, nonce: tx.nonce };
    const attempt = await this.#sign(cancel, fees, head);
    this.#o.store.transaction(() => {
      this.#o.store.markAbandoned(tx.id, reason);
      this.#o.store.insert(
        { ...cancel, key: `cancel:${tx.nonce}:${tx.id}`, label: "cancel", taskId: tx.taskId },
        attempt,
      );
    });
    this.stats.cancels++;
    this.#o.logger?.warn({ key: tx.key, nonce: tx.nonce, reason }, "transaction cancelled");
    await this.#broadcast(this.#o.store.live(`cancel:${tx.nonce}:${tx.id}`) as StoredTx, attempt, head);
  }

  #abandon(tx: StoredTx, reason: string): void {
    this.#o.store.markAbandoned(tx.id, reason);
    // The highest nonce was never mined: hand it out again rather than leave a gap.
    if (tx.nonce === this.#nextNonce - 1) this.#nextNonce = tx.nonce;
    this.#o.logger?.warn({ key: tx.key, nonce: tx.nonce, reason }, "transaction abandoned");
  }

  /** Signs the transaction again at the next free nonce if it would still succeed; abandons it otherwise. */
  async #resign(tx: StoredTx, head: Head, reason: string): Promise<void> {
    if (!(await this.#stillValid(tx))) {
      this.#abandon(tx, `${reason}, and it would now revert`);
      return;
    }
    await this.#resyncNonce();
    const nonce = this.#nextNonce;
    const attempt = await this.#sign({ ...tx, nonce }, this.fees.initial(head, tx.deadline), head, tx.id);
    this.#o.store.addAttempt(attempt);
    this.#nextNonce = nonce + 1;
    this.#o.logger?.warn({ key: tx.key, from: tx.nonce, to: nonce, reason }, "transaction signed again at a new nonce");
    await this.#broadcast({ ...tx, nonce }, attempt, head);
  }

  // ─── Node calls ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Broadcasts a stored attempt. "Known" and "nonce too low" mean it (or another attempt) is already on its way or
   * mined: `tick` sorts that out. A network failure leaves it pending for `tick` to send again. Insufficient funds
   * or a transaction the node refuses outright abandons the row.
   */
  async #broadcast(tx: StoredTx, attempt: StoredAttempt, head: Head): Promise<void> {
    try {
      await this.#o.rpc.request<string>("eth_sendRawTransaction", [attempt.raw]);
      this.#o.store.markSent(attempt.hash, head.number);
    } catch (error) {
      const kind = classifySendError(error);
      if (kind === "known" || kind === "nonceTooLow" || kind === "underpriced") {
        this.#o.store.markSent(attempt.hash, head.number);
        if (kind === "nonceTooLow") this.#nextNonce = -1;
        return;
      }
      if (kind === "network") {
        this.#o.logger?.warn({ key: tx.key, err: (error as Error).message }, "broadcast failed; will retry");
        return;
      }
      this.#abandon(tx, `the node refused it: ${(error as Error).message}`);
      throw new TransactionError(kind === "funds" ? "INSUFFICIENT_FUNDS" : "REJECTED", (error as Error).message, {
        cause: error,
        meta: { key: tx.key, nonce: tx.nonce },
      });
    }
  }

  async #sign(
    tx: { to: string; data: string; value: bigint; gasLimit: bigint; nonce: number },
    fees: Fees,
    head: Head,
    txId = 0,
  ): Promise<StoredAttempt> {
    const raw = await this.#o.wallet.signTransaction({
      type: 2,
      chainId: this.#o.chainId,
      nonce: tx.nonce,
      to: tx.to,
      data: tx.data,
      value: tx.value,
      gasLimit: tx.gasLimit,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    return {
      hash: Transaction.from(raw).hash as string,
      txId,
      nonce: tx.nonce,
      raw,
      maxFee: fees.maxFeePerGas,
      priorityFee: fees.maxPriorityFeePerGas,
      sentBlock: head.number,
    };
  }

  async #estimate(to: string, data: string, value: bigint, label: string): Promise<bigint> {
    try {
      const gas = await this.#o.rpc.request<string>("eth_estimateGas", [
        { from: this.address, to, data, value: `0x${value.toString(16)}` },
        "pending",
      ]);
      return (BigInt(gas) * (100n + this.#gasMargin)) / 100n + 10_000n;
    } catch (error) {
      throw toCohortError(error, {
        errors: this.#o.errors,
        functionName: label,
        url: this.#o.rpc.transport.currentUrl,
      });
    }
  }

  /** Whether the transaction's call would still succeed (a cancel always would). */
  async #stillValid(tx: StoredTx): Promise<boolean> {
    if (tx.label === "cancel") return true;
    try {
      await this.#estimate(tx.to, tx.data, tx.value, tx.label);
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === "ContractRevertError") return false;
      throw error;
    }
  }

  /** The receipt of any attempt of the transaction, at any nonce it was signed for. */
  async #receipt(tx: StoredTx): Promise<RawReceipt | undefined> {
    const hashes = this.#o.store.allAttempts(tx.id).map((a) => a.hash);
    if (tx.minedHash !== undefined && !hashes.includes(tx.minedHash)) hashes.unshift(tx.minedHash);
    for (const hash of hashes) {
      const receipt = await this.#o.rpc.request<RawReceipt | null>("eth_getTransactionReceipt", [hash]);
      if (receipt !== null && receipt.blockNumber !== null) return receipt;
    }
    return undefined;
  }

  async #inMempool(hash: string): Promise<boolean> {
    return (await this.#o.rpc.request<unknown>("eth_getTransactionByHash", [hash])) !== null;
  }

  async #nonce(tag: "latest" | "pending"): Promise<number> {
    return Number(BigInt(await this.#o.rpc.request<string>("eth_getTransactionCount", [this.address, tag])));
  }

  async #resyncNonce(): Promise<void> {
    const chain = await this.#nonce("pending");
    const open = this.#o.store.open();
    // A live row holds its nonce even if the node forgot the transaction (dropped, or never broadcast before a crash).
    const held = open.length === 0 ? -1 : Math.max(...open.map((t) => t.nonce));
    this.#nextNonce = Math.max(chain, held + 1);
  }

  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return await run;
  }
}
