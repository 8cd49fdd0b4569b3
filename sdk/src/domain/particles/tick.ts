import { checkTicks } from "./input.js";
import { encodeState } from "./encodeState.js";
import { newTickCounts, step, type TickCounts } from "./phases.js";
import type { ParticleState } from "./types.js";

/**
 * The reference implementation of one tick. Returns a new state; `state` is not modified.
 * @throws what encodeState throws for an invalid state, TickOverflowError at tick 2^32 - 1.
 */
export function tick(state: ParticleState, counts: TickCounts = newTickCounts()): ParticleState {
  return run(state, 1, counts);
}

/**
 * The state after `ticks` ticks: what the program outputs for the input (state, ticks). `state` is not modified.
 * @throws what encodeState throws for an invalid state, and TicksOutOfRangeError / TickOverflowError.
 */
export function run(state: ParticleState, ticks: number, counts: TickCounts = newTickCounts()): ParticleState {
  encodeState(state);
  checkTicks(state.tick, ticks);
  const next = cloneState(state);
  for (let t = 0; t < ticks; t++) step(next, counts);
  return next;
}

export function cloneState(state: ParticleState): ParticleState {
  return {
    ...state,
    particles: state.particles.map((p) => ({ ...p })),
    emigrants: state.emigrants.map((e) => ({ ...e })),
  };
}
