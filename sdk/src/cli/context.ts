import { formatUnits } from "ethers";
import type { Eip1193Provider, Provider } from "ethers";

import { createCohort, type Cohort } from "../client/decorate.js";
import { KNOWN_NETWORKS } from "../config/schema.js";
import { ConfigError } from "../errors/base.js";
import { toCohortError } from "../errors/decode.js";
import type { CliConfig, Env, Secrets } from "./config.js";
import { MissingKeyError } from "./errors.js";
import { addressWithoutSecret, keySourceOf, loadSigner } from "./keys/index.js";
import type { Source } from "./keys/prompt.js";
import type { Logger } from "./logger.js";
import type { Sink } from "./output.js";
import { withWriteSpinners } from "./progress.js";

/** What a run reads and writes: the process's streams and environment in the CLI, buffers in tests. */
export interface CliIo {
  stdout: Sink;
  stderr: Sink;
  env?: Env;
  /** For password prompts; without a terminal here a prompt fails and names the variable to set. */
  stdin?: Source;
  /** A provider to use instead of an RPC URL (Hardhat's in-process network in tests). */
  provider?: Provider | Eip1193Provider;
  /** Aborted on SIGINT: the run stops waiting and exits with 130. */
  signal?: AbortSignal;
}

export interface TokenInfo {
  symbol: string;
  decimals: number;
  /** `2.5 CST`. */
  format(units: bigint): string;
}

/**
 * One command's view of the run: the validated configuration, the logger, and the connection, made on first use so
 * that a command checks its own arguments before anything touches the network or a key.
 */
export class CommandContext {
  /**
   * Set by a command that reacts to `io.signal` itself (an agent finishing its in-flight work on SIGINT): the run
   * then waits for the command instead of ending at once with `InterruptedError`.
   */
  handlesInterrupt = false;
  #cohort: Promise<Cohort> | undefined;
  #token: Promise<TokenInfo> | undefined;

  constructor(
    readonly command: string,
    readonly config: CliConfig,
    private readonly secrets: Secrets,
    readonly io: CliIo,
    readonly log: Logger,
  ) {}

  /** A client without a signer, for reads. */
  async reader(): Promise<Cohort> {
    this.#cohort ??= this.#connect(undefined);
    return await this.#cohort;
  }

  /** A client with the configured key; no key is a `MissingKeyError`, found before connecting. */
  async writer(): Promise<Cohort> {
    if (this.#cohort !== undefined) {
      const cohort = await this.#cohort;
      if (cohort.signer !== undefined) return cohort;
    }
    const source = keySourceOf(this.config, this.secrets);
    if (source === undefined) throw new MissingKeyError(`cohort ${this.command}`);
    const signer = await loadSigner(source, this.secrets, { stdin: this.io.stdin, stderr: this.io.stderr });
    this.log.debug({ account: signer.address, keySource: source.kind }, "key loaded");
    this.#cohort = this.#connect(signer);
    return await this.#cohort;
  }

  /** `writer()` and the signer's address. */
  async signer(): Promise<{ cohort: Cohort; account: string }> {
    const cohort = await this.writer();
    if (cohort.signer === undefined) throw new MissingKeyError(`cohort ${this.command}`);
    return { cohort, account: await cohort.signer.getAddress() };
  }

  /**
   * The configured account's address without decrypting anything when its source tells it (a private key, a JSON
   * keystore's `address`); a Hardhat keystore is opened for it. Undefined when no key source is set.
   */
  async account(): Promise<string | undefined> {
    const source = keySourceOf(this.config, this.secrets);
    if (source === undefined) return undefined;
    const address = addressWithoutSecret(source, this.secrets);
    if (address !== undefined) return address;
    const cohort = await this.writer();
    return await cohort.signer?.getAddress();
  }

  /** The stake token's symbol and decimals, read once. */
  async token(): Promise<TokenInfo> {
    this.#token ??= this.reader().then(async (cohort) => {
      try {
        const [symbol, decimals] = await Promise.all([
          cohort.token.getFunction("symbol")() as Promise<string>,
          cohort.token.getFunction("decimals")() as Promise<bigint>,
        ]);
        const d = Number(decimals);
        return { symbol, decimals: d, format: (units: bigint) => `${formatUnits(units, d)} ${symbol}` };
      } catch (error) {
        throw toCohortError(error, { errors: cohort.errors, functionName: "StakeToken.decimals", url: cohort.url });
      }
    });
    return await this.#token;
  }

  async #connect(signer: Awaited<ReturnType<typeof loadSigner>> | undefined): Promise<Cohort> {
    const { config } = this;
    const network = config.network ?? (config.rpcUrl === undefined ? "localhost" : undefined);
    const cohort = await createCohort({
      ...(this.io.provider === undefined ? {} : { provider: this.io.provider }),
      ...(signer === undefined ? {} : { signer }),
      ...(network === undefined ? {} : { network }),
      ...(config.rpcUrl === undefined ? {} : { rpcUrl: config.rpcUrl }),
      ...(config.taskManager === undefined ? {} : { taskManager: config.taskManager }),
      ...(config.deploymentId === undefined ? {} : { deploymentId: config.deploymentId }),
      deploymentsDir: config.deploymentsDir,
      confirmations: config.confirmations,
      rpcTimeoutMs: config.rpcTimeoutMs,
    });
    // A named network with another node behind it (a URL of the wrong chain) would send to the wrong chain.
    if (config.network !== undefined && cohort.chainId !== KNOWN_NETWORKS[config.network].chainId) {
      throw new ConfigError(
        `The node is on chain ${cohort.chainId}, not ${config.network} (${KNOWN_NETWORKS[config.network].chainId})`,
        { meta: { network: config.network, chainId: cohort.chainId } },
      );
    }
    this.log.debug({ chainId: cohort.chainId, taskManager: cohort.addresses.taskManager }, "connected");
    return withWriteSpinners(cohort, this.io.stderr, config.confirmations);
  }
}
