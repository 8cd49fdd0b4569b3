import type { Interface } from "ethers";

import type { RawLog } from "../rpc/scanner.js";

/** A task manager event, decoded. */
export interface ChainEvent {
  name: string;
  args: Record<string, unknown>;
  block: number;
  transactionHash: string;
  logIndex: number;
}

/** The topic-0 hashes of the named events, for the scanner's filter. */
export function topicsOf(iface: Interface, names: readonly string[]): string[] {
  return names.map((name) => {
    const event = iface.getEvent(name);
    if (event === null) throw new RangeError(`no event ${name} in the ABI`);
    return event.topicHash;
  });
}

/** Decodes the logs the interface knows; others (another contract at the same address range) are skipped. */
export function decodeLogs(iface: Interface, logs: RawLog[]): ChainEvent[] {
  const events: ChainEvent[] = [];
  for (const log of logs) {
    const parsed = iface.parseLog({ topics: log.topics, data: log.data });
    if (parsed === null) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name] = parsed.args[i];
    });
    events.push({
      name: parsed.name,
      args,
      block: Number(BigInt(log.blockNumber)),
      transactionHash: log.transactionHash,
      logIndex: Number(BigInt(log.logIndex)),
    });
  }
  return events;
}
