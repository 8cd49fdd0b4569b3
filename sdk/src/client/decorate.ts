import * as actions from "../actions/index.js";
import { createCohortClient, type CohortClient, type CohortClientOptions } from "./create.js";

type Actions = typeof actions;
type ActionName = {
  [K in keyof Actions]: Actions[K] extends (client: CohortClient, ...rest: never[]) => unknown ? K : never;
}[keyof Actions];

/** Every action bound to one client: `cohort.stake({ amount })` is `stake(client, { amount })`. */
export type CohortActions = {
  [K in ActionName]: Actions[K] extends (client: CohortClient, ...rest: infer P) => infer R ? (...args: P) => R : never;
};

export type Cohort = CohortClient & CohortActions;

/** Binds every action to a client (viem's `client.extend(actions)` in one step). */
export function withActions(client: CohortClient): Cohort {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(actions)) {
    if (typeof fn === "function")
      bound[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(client, ...args);
  }
  return Object.assign({}, client, bound) as unknown as Cohort;
}

/** Builds a client and binds every action to it. */
export async function createCohort(options: CohortClientOptions): Promise<Cohort> {
  return withActions(await createCohortClient(options));
}
