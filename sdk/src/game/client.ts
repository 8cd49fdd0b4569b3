import { Contract, ErrorFragment, Interface, ZeroAddress } from "ethers";

import { bisectionGameAbi, particleStepVerifierAbi } from "../abi/index.js";
import type { CohortClient } from "../client/create.js";
import { CohortError } from "../errors/base.js";
import { readContract } from "../internal/read.js";

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
  const cohort: CohortClient = { ...client, errors: new Interface(fragments) };
  return { cohort, address, game: new Contract(address, bisectionGameAbi, client.signer ?? client.provider) };
}
