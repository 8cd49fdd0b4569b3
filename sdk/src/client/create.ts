import { BrowserProvider, Contract, FetchRequest, Interface, JsonRpcProvider, Network } from "ethers";
import type { Eip1193Provider, Provider, Signer } from "ethers";

import {
  blockhashRandomnessAbi,
  securityPoolAbi,
  taskManagerAbi,
  testTokenAbi,
  vrfRandomnessAbi,
} from "../abi/index.js";
import { readTaskManagerAddress } from "../config/deployment.js";
import { KNOWN_NETWORKS, clientConfigSchema, type ClientConfigInput } from "../config/schema.js";
import { ConfigError } from "../errors/base.js";
import { toCohortError } from "../errors/decode.js";
import { RpcError } from "../errors/rpc.js";

/** The addresses of one deployment of the system. */
export interface CohortAddresses {
  taskManager: string;
  securityPool: string;
  stakeToken: string;
  randomness: string;
}

/**
 * A connection to one deployment: the provider, an optional signer, the bound contracts and one error interface that
 * decodes the custom errors of all of them. Actions take it as their first argument.
 */
export interface CohortClient {
  readonly provider: Provider;
  readonly signer: Signer | undefined;
  readonly chainId: bigint;
  readonly addresses: CohortAddresses;
  readonly pool: Contract;
  readonly manager: Contract;
  /** The stake token (rewards and bonds are paid in it too). Bound with an ERC20 ABI plus the test token's `mint`. */
  readonly token: Contract;
  readonly randomness: Contract;
  /** Every error of every Cohort contract, for decoding reverts (a pool error can surface through the manager). */
  readonly errors: Interface;
  readonly confirmations: number;
  /** The RPC URL, when the client was built from one (for error messages). */
  readonly url: string | undefined;
}

export type CohortClientOptions = ClientConfigInput & {
  /** An ethers provider or an EIP-1193 provider (for example Hardhat's in-process network), instead of a URL. */
  provider?: Provider | Eip1193Provider;
  /** Who signs writes; reads need none. Connected to the client's provider if it has none. */
  signer?: Signer;
};

/** Builds a client: validates the options, connects, finds the deployment and reads the other addresses from it. */
export async function createCohortClient(options: CohortClientOptions): Promise<CohortClient> {
  const { provider: givenProvider, signer: givenSigner, ...rest } = options;
  const parsed = clientConfigSchema.safeParse(rest);
  if (!parsed.success) {
    throw new ConfigError("Invalid client configuration", {
      details: parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; "),
      meta: { issues: parsed.error.issues },
    });
  }
  const config = parsed.data;
  let url: string | undefined;
  let provider: Provider;
  if (givenProvider === undefined) {
    url = resolveUrl(config.network, config.rpcUrl);
    provider = await connectUrl(url, config.rpcTimeoutMs);
  } else {
    provider = isEthersProvider(givenProvider) ? givenProvider : new BrowserProvider(givenProvider);
  }

  const errors = new Interface(
    dedupe([
      ...errorFragments(taskManagerAbi),
      ...errorFragments(securityPoolAbi),
      ...errorFragments(blockhashRandomnessAbi),
      ...errorFragments(vrfRandomnessAbi),
      ...errorFragments(testTokenAbi),
    ]),
  );
  const context = { errors, url };
  let chainId: bigint;
  try {
    chainId = (await provider.getNetwork()).chainId;
  } catch (error) {
    throw toCohortError(error, context);
  }

  const taskManager = config.taskManager ?? readTaskManagerAddress(config.deploymentsDir, chainId, config.deploymentId);
  const manager = new Contract(taskManager, taskManagerAbi, provider);
  let securityPool: string, randomnessAddress: string, stakeToken: string;
  try {
    if ((await provider.getCode(taskManager)) === "0x") {
      throw new ConfigError(`No contract at the task manager address ${taskManager} on chain ${chainId}`, {
        meta: { taskManager, chainId },
        details: "the deployment file is from another node (a restarted local node forgets its contracts): redeploy",
      });
    }
    [securityPool, randomnessAddress] = (await Promise.all([
      manager.getFunction("pool")(),
      manager.getFunction("randomness")(),
    ])) as [string, string];
    stakeToken = (await new Contract(securityPool, securityPoolAbi, provider).getFunction("stakeToken")()) as string;
  } catch (error) {
    throw toCohortError(error, { ...context, functionName: "TaskManager.pool" });
  }

  const signer = givenSigner && givenSigner.provider == null ? givenSigner.connect(provider) : givenSigner;
  const runner = signer ?? provider;
  // The randomness source's ABI is the union of both kinds' functions and events: a client does not need to know which
  // one a deployment uses to read `statusOf`, call `trigger` or decode the `VrfRequestSent` it emits.
  const randomnessAbi = [...blockhashRandomnessAbi, ...vrfRandomnessAbi.filter((f) => f.type !== "constructor")];
  return {
    provider,
    signer,
    chainId,
    addresses: { taskManager, securityPool, stakeToken, randomness: randomnessAddress },
    pool: new Contract(securityPool, securityPoolAbi, runner),
    manager: new Contract(taskManager, taskManagerAbi, runner),
    token: new Contract(stakeToken, testTokenAbi, runner),
    randomness: new Contract(randomnessAddress, dedupe(randomnessAbi), runner),
    errors,
    confirmations: config.confirmations,
    url,
  };
}

function resolveUrl(network: string | undefined, rpcUrl: string | undefined): string {
  if (rpcUrl !== undefined) return rpcUrl;
  if (network === undefined) {
    throw new ConfigError("No network: give an RPC URL or a network name", {
      details: `known networks: ${Object.keys(KNOWN_NETWORKS).join(", ")}`,
    });
  }
  const known = KNOWN_NETWORKS[network as keyof typeof KNOWN_NETWORKS] as { url: string | undefined } | undefined;
  if (known === undefined) {
    throw new ConfigError(`Unknown network "${network}"`, {
      meta: { network },
      details: `known networks: ${Object.keys(KNOWN_NETWORKS).join(", ")}; for any other, give an RPC URL`,
    });
  }
  if (known.url === undefined) {
    throw new ConfigError(`The ${network} network needs an RPC URL`, {
      meta: { network },
      details: "give --rpc-url or COHORT_RPC_URL (for Sepolia, an endpoint from your provider)",
    });
  }
  return known.url;
}

/**
 * Asks the node for its chain id once, with a timeout, before building the provider: ethers' JsonRpcProvider would
 * otherwise retry network detection forever against a node that is down, and a CLI would hang instead of failing.
 */
async function connectUrl(url: string, timeoutMs: number): Promise<JsonRpcProvider> {
  let chainId: bigint;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { result?: string; error?: { code?: number; message?: string } };
    if (typeof body.result !== "string") {
      const reason = body.error?.message ?? `HTTP ${response.status}`;
      throw Object.assign(new Error(body.error?.code === undefined ? reason : `${reason} (${body.error.code})`), {
        name: "JsonRpcError",
      });
    }
    chainId = BigInt(body.result);
  } catch (error) {
    throw new RpcError(connectErrorCode(error), `Cannot reach the node at ${url}: ${(error as Error).message}`, {
      cause: error,
      url,
    });
  }
  const request = new FetchRequest(url);
  request.timeout = timeoutMs;
  const network = Network.from(chainId);
  // No response cache: ethers keeps identical requests' answers for 250 ms by default, so a write right after another
  // from the same key (an approval, then the stake) read the old nonce and failed with NONCE_EXPIRED.
  return new JsonRpcProvider(request, network, { staticNetwork: network, cacheTimeout: -1 });
}

/**
 * The code of a failed first request, in ethers' terms (the system's for a failed connection), so that callers see
 * the same codes whether the node failed the first request or a later one.
 */
function connectErrorCode(error: unknown): string {
  const system = (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof system === "string") return system;
  const name = (error as { name?: unknown }).name;
  if (name === "TimeoutError" || name === "AbortError") return "TIMEOUT";
  // An answer that is not JSON (an HTML error page from a proxy, say).
  if (name === "SyntaxError") return "BAD_DATA";
  return "SERVER_ERROR";
}

function isEthersProvider(p: Provider | Eip1193Provider): p is Provider {
  return typeof (p as Provider).getNetwork === "function";
}

type AbiItem = { readonly type: string; readonly name?: string };

function errorFragments(abi: readonly AbiItem[]): AbiItem[] {
  return abi.filter((f) => f.type === "error");
}

/** The first ABI item of each type and name (the two randomness ABIs share their common functions). */
function dedupe<T extends AbiItem>(abi: T[]): T[] {
  const seen = new Set<string>();
  return abi.filter((f) => {
    const key = `${f.type}:${f.name ?? ""}:${JSON.stringify((f as { inputs?: unknown }).inputs ?? [])}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
