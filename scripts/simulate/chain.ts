/**
 * A thin, fast layer over the in-process network for the adversarial simulation: raw JSON-RPC sends from
 * impersonated accounts with automine off, explicit gas and fees (without explicit fees, every send makes the node
 * price a pending block that holds the whole mempool, which turns a batch of sends quadratic), block mining, and
 * views read at the `pending` block, i.e. with the number the next transaction will be mined in.
 */
import { Interface, type LogDescription, type Result } from "ethers";
import type { EthereumProvider } from "hardhat/types/providers";

export interface Log {
  address: string;
  topics: string[];
  data: string;
}

export interface Receipt {
  transactionHash: string;
  blockNumber: string;
  status: string;
  gasUsed: string;
  logs: Log[];
}

/** A transaction sent and not yet checked. */
export interface Sent {
  hash: string;
  from: string;
  to: string;
  data: string;
  gas: bigint;
}

/** A mined transaction with its outcome. */
export interface Mined extends Sent {
  ok: boolean;
  gasUsed: bigint;
  logs: Log[];
  block: bigint;
}

const hex = (n: bigint) => `0x${n.toString(16)}`;

/** Priced at 1 wei per gas (the network runs with a zero base fee): actors need only a little ether. */
const FEES = { maxFeePerGas: hex(1_000_000_000n), maxPriorityFeePerGas: hex(1n) };

export class Chain {
  constructor(readonly provider: EthereumProvider) {}

  async request<T>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.provider.request({ method, params })) as T;
  }

  async latest(): Promise<bigint> {
    return BigInt(await this.request<string>("eth_blockNumber"));
  }

  /** The number of the block the next transaction lands in. */
  async next(): Promise<bigint> {
    return (await this.latest()) + 1n;
  }

  async setAutomine(on: boolean): Promise<void> {
    await this.request("evm_setAutomine", [on]);
  }

  /** Lets the network send from `address` without a key, and gives it ether for gas. */
  async impersonate(address: string, wei = 10n ** 24n): Promise<void> {
    await this.request("hardhat_impersonateAccount", [address]);
    await this.request("hardhat_setBalance", [address, hex(wei)]);
  }

  /** Queues a transaction (automine off); nonces come from the node's pending state. */
  async send(from: string, to: string, data: string, gas: bigint): Promise<Sent> {
    const hash = await this.request<string>("eth_sendTransaction", [{ from, to, data, gas: hex(gas), ...FEES }]);
    return { hash, from, to, data, gas };
  }

  /** The timestamp of the last block this class pinned (or of the latest block, on first use). */
  private time?: bigint;

  /**
   * Sets the next block's timestamp to one second after the last one. Every block is pinned this way (the network
   * starts at a fixed date), so block hashes, hence seeds and committees, do not depend on the wall clock: a run is
   * reproducible from its inputs (`SIM_SEED` among them).
   */
  async pinNextTimestamp(): Promise<void> {
    if (this.time === undefined) {
      const block = await this.request<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
      this.time = BigInt(block.timestamp);
    }
    this.time += 1n;
    await this.request("evm_setNextBlockTimestamp", [hex(this.time)]);
  }

  /** Mines one block. */
  async mine(): Promise<void> {
    await this.pinNextTimestamp();
    await this.request("evm_mine");
  }

  /** Mines empty blocks, one second apart, so that the next transaction lands in block `target`. */
  async mineUntilNext(target: bigint): Promise<void> {
    const next = await this.next();
    if (target <= next) return;
    await this.pinNextTimestamp();
    await this.request("hardhat_mine", [hex(target - next), hex(1n)]);
    this.time! += target - next - 1n;
  }

  /**
   * Mines a block and returns the outcome of every transaction in `sent`, in order. Mines a few more blocks if some
   * did not fit (they should: the network's block gas limit is far above a batch).
   */
  async mineAndCheck(sent: Sent[]): Promise<Mined[]> {
    await this.mine();
    let receipts = await Promise.all(
      sent.map((s) => this.request<Receipt | null>("eth_getTransactionReceipt", [s.hash])),
    );
    for (let extra = 0; extra < 4 && receipts.some((r) => r === null); extra++) {
      await this.mine();
      receipts = await Promise.all(
        sent.map((s) => this.request<Receipt | null>("eth_getTransactionReceipt", [s.hash])),
      );
    }
    return sent.map((s, i) => {
      const r = receipts[i];
      if (!r) throw new Error(`transaction ${s.hash} to ${s.to} was not mined after five blocks`);
      return {
        ...s,
        ok: r.status === "0x1",
        gasUsed: BigInt(r.gasUsed),
        logs: r.logs,
        block: BigInt(r.blockNumber),
      };
    });
  }

  /** A view, by default at the pending block (the block number the next transaction will see). */
  async view(iface: Interface, to: string, fn: string, args: unknown[], tag = "pending"): Promise<Result> {
    const data = iface.encodeFunctionData(fn, args);
    const out = await this.request<string>("eth_call", [{ to, data }, tag]);
    return iface.decodeFunctionResult(fn, out);
  }

  /** Why a mined transaction reverted: replayed as a call on the state before its block (best effort). */
  async explainRevert(iface: Interface, m: Mined): Promise<string> {
    try {
      await this.request("eth_call", [{ from: m.from, to: m.to, data: m.data, gas: hex(m.gas) }, hex(m.block - 1n)]);
      if (m.gasUsed === m.gas) return `out of gas (used the whole ${m.gas})`;
      return "reverted in its block, but not when replayed before it (an earlier transaction of the block?)";
    } catch (error) {
      return describeError(iface, error);
    }
  }
}

/** The custom error in a JSON-RPC failure, decoded against `iface` when possible. */
export function describeError(iface: Interface, error: unknown): string {
  const e = error as { data?: unknown; message?: string };
  const data = typeof e.data === "string" ? e.data : (e.data as { data?: string } | undefined)?.data;
  if (typeof data === "string" && data.length >= 10) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return `${parsed.name}(${parsed.args.map((a) => String(a)).join(", ")})`;
    } catch {
      // not one of the interface's errors: fall through to the raw message
    }
    return `revert data ${data.slice(0, 74)}`;
  }
  return e.message ?? String(error);
}

/** The logs of `logs` emitted by `address` that `iface` knows, parsed. */
export function parseLogs(iface: Interface, address: string, logs: Log[]): LogDescription[] {
  const out: LogDescription[] = [];
  for (const log of logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    const parsed = iface.parseLog(log);
    if (parsed) out.push(parsed);
  }
  return out;
}
