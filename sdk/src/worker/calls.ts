import { concat, keccak256, type BaseWallet } from "ethers";

import type { CohortClient } from "../client/create.js";
import { computeCommitment } from "../domain/commitment.js";
import { deriveSalt } from "../internal/salt.js";
import type { TxRequest } from "../tx/queue.js";

/** A seat record of the worker. */
export interface RecordKey {
  taskId: bigint;
  round: bigint;
  index: bigint;
}

/** The result hash a worker commits to: the output's keccak256, or for the test adversary a hash that is not it. */
export function resultHashFor(output: Uint8Array, adversary: "none" | "wrong-result"): string {
  if (adversary === "wrong-result") return keccak256(concat([output, "0xbad0"]));
  return keccak256(output);
}

/**
 * The salt of a record: derived from the worker's signature over the record's coordinates (`deriveSalt`), so a
 * worker restarted without its store still reveals what it committed.
 */
export async function saltFor(client: CohortClient, wallet: BaseWallet, r: RecordKey): Promise<string> {
  return await deriveSalt(wallet, {
    chainId: client.chainId,
    manager: client.addresses.taskManager,
    taskId: r.taskId,
    round: r.round,
    index: r.index,
  });
}

export function commitmentFor(client: CohortClient, member: string, r: RecordKey, resultHash: string, salt: string) {
  return computeCommitment({
    chainId: client.chainId,
    manager: client.addresses.taskManager,
    taskId: r.taskId,
    round: r.round,
    member,
    resultHash,
    salt,
  });
}

const key = (kind: string, r: RecordKey) => `${kind}:${r.taskId}:${r.round}:${r.index}`;

export function commitRequest(client: CohortClient, r: RecordKey, commitment: string, deadline: number): TxRequest {
  return {
    key: key("commit", r),
    label: "commit",
    taskId: r.taskId,
    to: client.addresses.taskManager,
    data: client.manager.interface.encodeFunctionData("commit", [r.taskId, r.index, commitment]),
    deadline,
  };
}

export function revealRequest(
  client: CohortClient,
  r: RecordKey,
  reveal: { resultHash: string; salt: string; result: Uint8Array | undefined },
  deadline: number,
): TxRequest {
  return {
    key: key("reveal", r),
    label: "reveal",
    taskId: r.taskId,
    to: client.addresses.taskManager,
    data: client.manager.interface.encodeFunctionData("reveal", [
      r.taskId,
      r.index,
      reveal.resultHash,
      reveal.salt,
      reveal.result ?? "0x",
    ]),
    deadline,
  };
}

export function claimRequest(client: CohortClient, r: RecordKey): TxRequest {
  return {
    key: key("claimReward", r),
    label: "claimReward",
    taskId: r.taskId,
    to: client.addresses.taskManager,
    data: client.manager.interface.encodeFunctionData("claimReward", [r.taskId, r.round, r.index]),
  };
}
