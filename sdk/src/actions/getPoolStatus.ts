import type { CohortClient } from "../client/create.js";
import { readContract, toPlain } from "../internal/read.js";
import type { DrawWindow, PoolParameters, PoolTotals } from "../types.js";

export interface GetPoolStatusReturnType {
  chainId: bigint;
  blockNumber: bigint;
  addresses: CohortClient["addresses"];
  totals: PoolTotals;
  parameters: PoolParameters;
  /** The draw window of the current epoch; `frozen` while the current block is inside it. */
  drawWindow: DrawWindow;
  epochBlocks: bigint;
  drawWindowBlocks: bigint;
  weightUnit: bigint;
  taskCount: bigint;
  paused: boolean;
}

/** The pool at a glance: totals, parameters, the epoch layout and the current draw window, and the task count. */
export async function getPoolStatus(client: CohortClient): Promise<GetPoolStatusReturnType> {
  const [blockNumber, totals, parameters, drawWindow, epochBlocks, drawWindowBlocks, weightUnit, taskCount, paused] =
    await Promise.all([
      client.provider.getBlockNumber(),
      readContract<unknown>(client, "pool", "totals"),
      readContract<unknown>(client, "pool", "parameters"),
      readContract<unknown>(client, "pool", "drawWindow"),
      readContract<bigint>(client, "pool", "epochBlocks"),
      readContract<bigint>(client, "pool", "drawWindowBlocks"),
      readContract<bigint>(client, "pool", "weightUnit"),
      readContract<bigint>(client, "manager", "taskCount"),
      readContract<boolean>(client, "pool", "paused"),
    ]);
  return {
    chainId: client.chainId,
    blockNumber: BigInt(blockNumber),
    addresses: client.addresses,
    totals: toPlain<PoolTotals>(totals),
    parameters: toPlain<PoolParameters>(parameters),
    drawWindow: toPlain<DrawWindow>(drawWindow),
    epochBlocks,
    drawWindowBlocks,
    weightUnit,
    taskCount,
    paused,
  };
}
