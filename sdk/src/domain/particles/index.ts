/** The particle world: state encoding, the reference tick, program inputs (docs/Programs.md). Pure: no I/O. */
export * from "./constants.js";
export type { Particle, ParticleInput, ParticleState } from "./types.js";
export { decodeState } from "./decodeState.js";
export { encodeState } from "./encodeState.js";
export { checkTicks, decodeInput, encodeInput } from "./input.js";
export { cloneState, run, tick } from "./tick.js";
export { newTickCounts, type TickCounts } from "./phases.js";
export { randomState, type RandomStateOptions } from "./random.js";
