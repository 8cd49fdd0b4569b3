/**
 * Every event the task manager (and the bisection game) emitted since the deployment, decoded, collected as the demo
 * runs: the progress lines are made from new ones, the run record from all of them.
 */
import type { Contract, Interface, Log } from "ethers";

export interface ChainEvent {
  source: "manager" | "game";
  name: string;
  args: Record<string, unknown>;
  block: number;
  tx: string;
  logIndex: number;
}

interface Source {
  source: ChainEvent["source"];
  address: string;
  iface: Interface;
}

export class EventCollector {
  readonly all: ChainEvent[] = [];
  readonly #sources: Source[];
  readonly #getLogs: (filter: { address: string; fromBlock: number; toBlock: number }) => Promise<Log[]>;
  #cursor: number;

  constructor(
    provider: { getLogs(filter: { address: string; fromBlock: number; toBlock: number }): Promise<Log[]> },
    contracts: { source: ChainEvent["source"]; contract: Contract | { interface: Interface; target: unknown } }[],
    fromBlock: number,
  ) {
    this.#getLogs = (f) => provider.getLogs(f);
    this.#sources = contracts.map((c) => ({
      source: c.source,
      address: String(c.contract.target),
      iface: c.contract.interface,
    }));
    this.#cursor = fromBlock - 1;
  }

  /** Fetches the events of blocks after the last scan up to `toBlock`, in chain order; returns the new ones. */
  async scan(toBlock: number): Promise<ChainEvent[]> {
    if (toBlock <= this.#cursor) return [];
    const fresh: ChainEvent[] = [];
    for (const s of this.#sources) {
      const logs = await this.#getLogs({ address: s.address, fromBlock: this.#cursor + 1, toBlock });
      for (const log of logs) {
        const parsed = s.iface.parseLog(log);
        if (parsed === null) continue;
        const args: Record<string, unknown> = {};
        parsed.fragment.inputs.forEach((input, i) => (args[input.name] = parsed.args[i]));
        fresh.push({
          source: s.source,
          name: parsed.name,
          args,
          block: log.blockNumber,
          tx: log.transactionHash,
          logIndex: log.index,
        });
      }
    }
    fresh.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
    this.#cursor = toBlock;
    this.all.push(...fresh);
    return fresh;
  }

  named(name: string, source: ChainEvent["source"] = "manager"): ChainEvent[] {
    return this.all.filter((e) => e.name === name && e.source === source);
  }
}
