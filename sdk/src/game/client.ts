import { Contract, ErrorFragment, Interface, ZeroAddress } from "ethers";

import { bisectionGameAbi, particleStepVerifierAbi } from "../abi/index.js";
import type { CohortClient } from "../client/create.js";
import { CohortError } from "../errors/base.js";
import { readContract } from "../internal/read.js";
import type { DecodedEvent, ExtraContract, WriteResult } from "../internal/write.js";

/** What every game write returns: the SDK's `WriteResult`, with the game's events decoded beside the manager's. */
export type GameWriteResult = WriteResult;
/** One decoded event of a game write (`contract` is `"game"` for the game's own). */
export type GameEvent = DecodedEvent;

/**
 * A Cohort client with the deployment's bisection game bound: `cohort` is the client whose error interface also
 * decodes the game's and the particle verifier's errors (a game challenge's refusal can come from either, through
 * the manager), `game` the game contract, connected to the client's signer if it has one.
 */
export interface GameClient {
  readonly cohort: CohortClient;
  readonly game: Contract;
  readonly address: string;
}

/** The deployment has no bisection game (`TaskManager.bisectionGame()` is zero). */
export class NoBisectionGameError extends CohortError {
  override name = "NoBisectionGameError";
  constructor(taskManager: string) {
    super(`The task manager ${taskManager} has no bisection game`, { meta: { taskManager } });
  }
}

/**
 * Binds the bisection game of `client`'s deployment (read from the task manager).
 * @throws NoBisectionGameError when the manager has none.
 */
export async function createGameClient(client: CohortClient): Promise<GameClient> {
  const address = await readContract<string>(client, "manager", "bisectionGame");
  if (address === ZeroAddress) throw new NoBisectionGameError(client.addresses.taskManager);
  const cohort = withGameErrors(client);
  return { cohort, address, game: new Contract(address, bisectionGameAbi, client.signer ?? client.provider) };
}

/**
 * `client` with an error interface that also decodes the game's and the particle verifier's errors (a game
 * challenge's refusal can come from either, through the manager). The agents build their client with it, so that
 * their transaction queue names a refused move too.
 */
export function withGameErrors(client: CohortClient): CohortClient {
  const seen = new Set<string>();
  const fragments: ErrorFragment[] = [];
  for (const fragment of [
    ...client.errors.fragments,
    ...new Interface(bisectionGameAbi).fragments,
    ...new Interface(particleStepVerifierAbi).fragments,
  ]) {
    if (!ErrorFragment.isFragment(fragment) || seen.has(fragment.selector)) continue;
    seen.add(fragment.selector);
    fragments.push(fragment);
  }
  return { ...client, errors: new Interface(fragments) };
}

/** The game as a write target of the SDK's `writeContract` (simulated at the pending block, then sent). */
export function gameTarget(client: GameClient): ExtraContract {
  return { key: "game", name: "BisectionGame", contract: client.game };
}
