import type { CohortClient } from "../client/create.js";
import { readContract } from "../internal/read.js";
import { RandomnessStatus } from "../types.js";

/** Where the randomness request of a task's pending draw stands, as an agent decides on it. */
export interface SeedView {
  /** Blockhash sources: the block whose hash is the seed (readable from the block after it). */
  target: number | undefined;
  /**
   * VRF sources: set while the request is `Armed`, waiting for someone to `trigger` it; `notBefore` (the first block
   * a trigger is taken) once the agent has learnt it from an early trigger's refusal.
   */
  trigger?: { notBefore: number | undefined } | undefined;
}

/**
 * Reads the seed of a pending draw: the blockhash source's target block, else (a VRF source, which has no
 * `targetOf`) whether the request waits for a trigger. A failed read leaves both unknown: the draw is then simply
 * tried, and its simulation says whether the seed is ready.
 * @param notBefore what the agent has learnt of VRF requests' first trigger blocks, by request id
 */
export async function readSeed(
  client: CohortClient,
  requestId: bigint,
  notBefore: ReadonlyMap<bigint, number>,
): Promise<SeedView> {
  try {
    return { target: Number(await readContract<bigint>(client, "randomness", "targetOf", [requestId])) };
  } catch {
    // Not a blockhash source (or a failed read): see whether a VRF request waits for its trigger.
  }
  try {
    const status = Number(await readContract<bigint>(client, "randomness", "statusOf", [requestId]));
    if (status === RandomnessStatus.Armed)
      return { target: undefined, trigger: { notBefore: notBefore.get(requestId) } };
  } catch {
    // Unknown: the draw is tried.
  }
  return { target: undefined };
}

export type SeedStep = { act: "trigger" | "draw"; note: string } | { act: "wait"; wake: number; note: string };

/**
 * What to do about a draw whose seed has no target block (a VRF source, or an unread one), at block `next`:
 * - an `Armed` VRF request is triggered from its `notBefore` plus `jitter` blocks, so that the pool's agents rarely
 *   send it in the same block (a second trigger reverts); while its `notBefore` is unknown, at once, and the refusal
 *   of an early trigger names it (`VrfRandomnessTriggerTooEarly`);
 * - any other request is drawn at once: the draw's simulation says whether the seed is ready, and a draw whose
 *   value can no longer serve re-arms the request.
 */
export function untargetedSeedStep(seed: SeedView, next: number, jitter: number): SeedStep {
  if (seed.trigger === undefined) return { act: "draw", note: "awaiting seed (no target known)" };
  const { notBefore } = seed.trigger;
  if (notBefore === undefined) return { act: "trigger", note: "triggering the seed request" };
  const from = notBefore + jitter;
  return next >= from
    ? { act: "trigger", note: "triggering the seed request" }
    : { act: "wait", wake: from - 1, note: "awaiting the seed request's first block" };
}

/**
 * What an agent has learnt of VRF requests' first trigger blocks (from early triggers' refusals), by request id: in
 * memory (a restarted agent learns it again with one refused simulation), and an entry goes once its request no
 * longer waits for a trigger, so the map holds only the pending draws' requests.
 */
export class SeedRequests {
  readonly #notBefore = new Map<bigint, number>();

  /** The seed of a pending draw (`readSeed`), forgetting what was learnt of a request that is no longer armed. */
  async read(client: CohortClient, requestId: bigint): Promise<SeedView> {
    const seed = await readSeed(client, requestId, this.#notBefore);
    if (seed.trigger === undefined) this.#notBefore.delete(requestId);
    return seed;
  }

  learnt(requestId: bigint, notBefore: number | undefined): void {
    if (notBefore !== undefined) this.#notBefore.set(requestId, notBefore);
  }
}
