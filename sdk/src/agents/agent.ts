import { Wallet, type BaseWallet } from "ethers";
import type { Logger } from "pino";

import { createCohortClient, type CohortClient } from "../client/create.js";
import { ConfigError } from "../errors/base.js";
import { withGameErrors } from "../game/client.js";
import { ResilientProvider } from "../rpc/provider.js";
import { LogScanner } from "../rpc/scanner.js";
import { AgentStore, type StoredTask } from "../store/index.js";
import type { Head } from "../tx/fees.js";
import { TxQueue } from "../tx/queue.js";
import { backoffDelay, sleep } from "../rpc/backoff.js";
import { type AgentGame, bindAgentGame } from "../game/agentTurn.js";
import { ComputeService, wasmExecutor, type Executor } from "./compute.js";
import { feeOptions, type AgentConfig } from "./config.js";
import { TaskContent } from "./content.js";
import { decodeLogs, topicsOf, type ChainEvent } from "./events.js";
import { HealthServer, type StatusReport } from "./health.js";
import { createAgentLogger } from "./logger.js";

/** What an agent can be given instead of building it from its configuration. */
export interface AgentDeps {
  logger?: Logger;
  /** The key as a wallet (a keystore the CLI decrypted), instead of `config.privateKey`. */
  wallet?: BaseWallet;
  /** How programs run (default: the sandboxed WASM runtime). */
  executor?: Executor;
  /**
   * Called at named points of the agent's work (`compute:stored`, `worker:committing`, `tx:stored:<label>`,
   * `tx:sent:<label>`, `tx:mined:<label>`, ...). Crash tests pass one that kills the process there; nothing else
   * should.
   */
  failpoint?: (name: string) => void;
}

/** The agent's connection and parts, built by `start`. */
export interface AgentParts {
  provider: ResilientProvider;
  wallet: BaseWallet;
  client: CohortClient;
  store: AgentStore;
  queue: TxQueue;
  scanner: LogScanner;
  content: TaskContent;
  compute: ComputeService;
}

/** The balance is read again after each confirmed transaction of the agent, and at least this often. */
const BALANCE_EVERY_MS = 15_000;

/** Tasks looked at side by side in one round. */
const PARALLEL_LOOKS = 8;

/**
 * The loop every agent runs: read the head, scan confirmed logs into the store, follow the transaction queue, then
 * let the role act on what is due. Everything it must not forget is in the store, so the loop can stop anywhere
 * (SIGKILL included) and a new process carries on where it was.
 */
export abstract class Agent<C extends AgentConfig = AgentConfig> {
  abstract readonly role: "worker" | "watchtower";
  readonly config: C;
  protected readonly log: Logger;
  readonly #deps: AgentDeps;
  #parts: AgentParts | undefined;
  #health: HealthServer | undefined;
  #head: Head | undefined;
  #stopping = false;
  #stopSignal = new AbortController();
  /** Aborted to end the current pause early: work became due (a computation finished). */
  #nudge = new AbortController();
  #loop: Promise<void> | undefined;
  #startedAt = 0;
  #loops = 0;
  #lastLoopAt = 0;
  #lastError: string | undefined;
  #consecutiveErrors = 0;
  #balance: { ether: bigint; token: bigint; at: number; confirmed: number } | undefined;
  #tickedAt: { hash: string; sent: number } | undefined;
  #game: Promise<AgentGame | undefined> | undefined;

  constructor(config: C, deps: AgentDeps = {}) {
    this.config = config;
    this.#deps = deps;
    this.log = deps.logger ?? createAgentLogger();
  }

  /** The events the role scans for (names in the task manager's ABI). */
  protected abstract eventNames(): readonly string[];
  /** Writes what the events mean into the store. Runs inside the scanner's transaction: synchronous, store only. */
  protected abstract onEvents(events: ChainEvent[]): void;
  /** Forgets role-specific state derived from blocks above `block` (tasks, assignments and receipts are done). */
  protected abstract onReorg(block: number): void;
  /** Looks at one task that is due at this head: reads it from the chain and does what the role's duties say. */
  protected abstract look(task: StoredTask, head: Head): Promise<void>;
  protected abstract roleStatus(): Record<string, unknown>;

  /** The parts, once started. */
  protected get parts(): AgentParts {
    if (this.#parts === undefined) throw new Error("the agent is not started");
    return this.#parts;
  }

  /** The agent's store (for reports and tests; the agent owns it while it runs). */
  get store(): AgentStore {
    return this.parts.store;
  }

  get head(): Head | undefined {
    return this.#head;
  }

  get account(): string {
    return this.parts.wallet.address;
  }

  /** The health endpoint's port, if it listens. */
  get healthPort(): number | undefined {
    return this.#health?.port;
  }

  /**
   * The deployment's bisection game as the agents play it (undefined: the manager has none), bound once; a failed
   * lookup (the node did not answer) is tried again on the next call.
   */
  protected async agentGame(): Promise<AgentGame | undefined> {
    this.#game ??= bindAgentGame(this.parts.client);
    try {
      return await this.#game;
    } catch (error) {
      this.#game = undefined;
      throw error;
    }
  }

  /** Runs the failpoint hook (see `AgentDeps.failpoint`). */
  protected failpoint(name: string): void {
    this.#deps.failpoint?.(name);
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Connects, opens the store, recovers the transaction queue, and starts the loop. */
  async start(): Promise<void> {
    const c = this.config;
    const provider = await ResilientProvider.connect({
      urls: c.rpcUrls,
      timeoutMs: c.rpcTimeoutMs,
      maxAttempts: c.rpcMaxAttempts,
      backoffMs: c.rpcBackoffMs,
      logger: this.log,
    });
    const wallet = this.#wallet(provider);
    // With the game's errors: a refused move or proof reaches the queue's callers by name, like the manager's refusals.
    const client = withGameErrors(await createCohortClient({ provider, signer: wallet, taskManager: c.taskManager }));
    const store = AgentStore.open(c.store, {
      chainId: client.chainId,
      manager: client.addresses.taskManager,
      account: wallet.address,
      role: this.role,
    });
    const queue = new TxQueue({
      wallet,
      rpc: provider,
      store: store.txs,
      chainId: client.chainId,
      confirmations: c.confirmations,
      errors: client.errors,
      fees: feeOptions(c),
      stuckBlocks: c.stuckBlocks,
      maxInFlight: c.maxInFlight,
      logger: this.log,
      ...(this.#deps.failpoint === undefined ? {} : { failpoint: this.#deps.failpoint }),
    });
    const iface = client.manager.interface;
    const scanner = new LogScanner({
      rpc: provider,
      cursor: store.cursor,
      transaction: (fn) => store.transaction(fn),
      address: client.addresses.taskManager,
      topics: [topicsOf(iface, this.eventNames())],
      startBlock: c.fromBlock,
      confirmations: c.confirmations,
      initialRange: c.logRange.initial,
      minRange: c.logRange.min,
      maxRange: c.logRange.max,
      onLogs: (logs) => this.onEvents(decodeLogs(iface, logs)),
      onReorg: (block) => {
        store.tasks.rewind(block);
        store.assignments.rewind(block);
        const receipts = store.txs.rewind(block);
        this.onReorg(block);
        this.log.warn({ block, receipts }, "reorg: forgot what came after the fork block");
      },
      logger: this.log,
    });
    const content = new TaskContent({ programs: c.programs, fetchTimeoutMs: c.fetchTimeoutMs });
    const compute = new ComputeService({
      tasks: store.tasks,
      content,
      executor: this.#deps.executor ?? wasmExecutor({ timeoutMs: c.computeTimeoutMs, memoryPages: c.memoryPages }),
      concurrency: c.maxConcurrentComputations,
      logger: this.log,
      onDone: (taskId) => {
        if (!store.database.db.isOpen) return;
        // The commit that waited for this result goes out now, not after the rest of the pause.
        store.tasks.touch(taskId);
        this.#nudge.abort();
      },
      failpoint: this.#deps.failpoint,
    });
    this.#parts = { provider, wallet, client, store, queue, scanner, content, compute };
    await queue.init();
    if (c.healthPort !== undefined) {
      this.#health = await HealthServer.listen(c.healthHost, c.healthPort, () => this.status());
    }
    this.#startedAt = Date.now();
    this.log.info(
      {
        role: this.role,
        account: wallet.address,
        chainId: client.chainId.toString(),
        manager: client.addresses.taskManager,
        store: store.path,
        cursor: scanner.cursorBlock,
        openTxs: queue.inFlight(),
        healthPort: this.#health?.port,
      },
      "agent started",
    );
    this.#loop = this.#run();
  }

  /** Resolves when the loop has ended (after `stop`). */
  async done(): Promise<void> {
    await this.#loop;
  }

  /**
   * Stops: no new round starts; the round in progress finishes (a transaction being sent is stored first, so even a
   * cut-short round loses nothing); computations in progress get the rest of `shutdownTimeoutMs` to store their
   * results; then the store and the connections close.
   */
  async stop(reason = "stop requested"): Promise<void> {
    if (this.#stopping) return await this.done();
    this.#stopping = true;
    this.#stopSignal.abort();
    const deadline = Date.now() + this.config.shutdownTimeoutMs;
    this.log.info({ reason }, "agent stopping");
    const finished = await Promise.race([
      (this.#loop ?? Promise.resolve()).then(() => true),
      sleep(this.config.shutdownTimeoutMs).then(() => false),
    ]);
    const parts = this.#parts;
    const settled = parts === undefined ? true : await parts.compute.settle(Math.max(0, deadline - Date.now()));
    await this.#health?.close();
    if (parts !== undefined) {
      parts.provider.destroy();
      parts.store.close();
    }
    this.log.info({ reason, loopFinished: finished, computationsFinished: settled }, "agent stopped");
  }

  /** Stops on SIGINT and SIGTERM (once; a second signal exits at once). Returns a function that removes them. */
  installSignalHandlers(onStopped: (signal: NodeJS.Signals) => void = () => undefined): () => void {
    let received = false;
    const handler = (signal: NodeJS.Signals) => {
      if (received) process.exit(signal === "SIGINT" ? 130 : 143);
      received = true;
      void this.stop(signal).then(() => onStopped(signal));
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  }

  /** One round of the loop (tests drive it directly). */
  async step(): Promise<void> {
    const { provider, scanner, queue } = this.parts;
    const block = await provider.request<{ number: string; hash: string; baseFeePerGas?: string }>(
      "eth_getBlockByNumber",
      ["latest", false],
    );
    const head: Head = {
      number: Number(BigInt(block.number)),
      hash: block.hash,
      baseFeePerGas: BigInt(block.baseFeePerGas ?? "0x0"),
    };
    this.#head = head;
    await scanner.poll(head.number);
    // Receipts and mempools change with blocks: with the same head and nothing sent since, there is nothing to follow.
    const sent = queue.stats.sent + queue.stats.bumps + queue.stats.rebroadcasts;
    if (head.hash !== this.#tickedAt?.hash || sent !== this.#tickedAt.sent) {
      await queue.tick(head);
      this.#tickedAt = { hash: head.hash, sent };
    }
    if (this.#stopping) return;
    await this.#act(head);
    await this.#refreshBalance();
  }

  /** Looks at the tasks due at this head (at most `tasksPerRound`), a few at a time: each look is a few RPC reads. */
  async #act(head: Head): Promise<void> {
    const due = this.parts.store.tasks.due(head.number, this.config.tasksPerRound);
    for (let i = 0; i < due.length && !this.#stopping; i += PARALLEL_LOOKS) {
      await Promise.all(due.slice(i, i + PARALLEL_LOOKS).map((task) => this.look(task, head)));
    }
  }

  /** The status report (`GET /status`): where the scan is, what is pending, what the account holds. */
  status(): StatusReport {
    const parts = this.#parts;
    const head = this.#head?.number;
    const cursor = parts?.scanner.cursorBlock;
    const lag = head === undefined || cursor === undefined ? undefined : head - cursor;
    const now = Date.now();
    const loopAge = this.#lastLoopAt === 0 ? undefined : now - this.#lastLoopAt;
    const healthy =
      parts !== undefined &&
      !this.#stopping &&
      loopAge !== undefined &&
      loopAge < Math.max(5 * this.config.pollIntervalMs, 3 * this.config.rpcTimeoutMs) &&
      lag !== undefined &&
      lag <= this.config.confirmations + 10;
    return {
      healthy,
      role: this.role,
      account: parts?.wallet.address,
      chainId: parts?.client.chainId.toString(),
      manager: parts?.client.addresses.taskManager,
      stopping: this.#stopping,
      uptimeMs: this.#startedAt === 0 ? 0 : now - this.#startedAt,
      head,
      cursor,
      lag,
      confirmations: this.config.confirmations,
      loops: this.#loops,
      lastLoopAgeMs: loopAge,
      lastError: this.#lastError,
      openTasks: parts?.store.tasks.countOpen(),
      inFlightTxs: parts?.queue.inFlight(),
      computations: parts?.compute.busy,
      balance:
        this.#balance === undefined
          ? undefined
          : { ether: this.#balance.ether.toString(), token: this.#balance.token.toString() },
      rpc: parts?.provider.transport.stats,
      rpcUrl: parts?.provider.transport.currentUrl,
      logRange: parts?.scanner.range,
      txs: parts?.queue.stats,
      ...(parts === undefined ? {} : this.roleStatus()),
    };
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        await this.step();
        this.#loops++;
        this.#lastLoopAt = Date.now();
        this.#consecutiveErrors = 0;
        await sleep(this.config.pollIntervalMs, AbortSignal.any([this.#stopSignal.signal, this.#nudge.signal]));
        if (this.#nudge.signal.aborted) this.#nudge = new AbortController();
      } catch (error) {
        if (this.#stopping) break;
        this.#consecutiveErrors++;
        this.#lastError = (error as Error).message;
        this.log.error({ err: error, consecutive: this.#consecutiveErrors }, "agent round failed");
        await sleep(backoffDelay(this.#consecutiveErrors, this.config.pollIntervalMs, 30_000), this.#stopSignal.signal);
      }
    }
  }

  async #refreshBalance(): Promise<void> {
    const { provider, client, wallet, queue } = this.parts;
    const fresh = this.#balance !== undefined && Date.now() - this.#balance.at < BALANCE_EVERY_MS;
    if (fresh && this.#balance?.confirmed === queue.stats.confirmed) return;
    const [ether, token] = await Promise.all([
      provider.getBalance(wallet.address),
      client.token.getFunction("balanceOf").staticCall(wallet.address) as Promise<bigint>,
    ]);
    this.#balance = { ether, token, at: Date.now(), confirmed: queue.stats.confirmed };
  }

  #wallet(provider: ResilientProvider): BaseWallet {
    if (this.#deps.wallet !== undefined) return this.#deps.wallet.connect(provider);
    if (this.config.privateKey === undefined) {
      throw new ConfigError("The agent needs a key", { details: "give privateKey in the config, or a wallet" });
    }
    return new Wallet(this.config.privateKey, provider);
  }
}
