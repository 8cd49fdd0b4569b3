import { TickOverflowError, TicksOutOfRangeError } from "../../errors/particles.js";
import { MAX_TICK, MAX_TICKS } from "./constants.js";
import { writeState } from "./encodeState.js";
import { ByteReader } from "./reader.js";
import { readState } from "./readState.js";
import type { ParticleInput, ParticleState } from "./types.js";
import { ByteWriter } from "./writer.js";

/**
 * A program input: the state bytes, then `ticks` as a big-endian u32.
 * @throws as encodeState, and TicksOutOfRangeError / TickOverflowError for a tick count the program refuses.
 */
export function encodeInput(state: ParticleState, ticks: number): Uint8Array {
  const writer = new ByteWriter();
  writeState(writer, state);
  writer.u32(ticks, "ticks");
  const bytes = writer.finish();
  decodeInput(bytes);
  return bytes;
}

/**
 * Decodes a program input with the program's checks, in the program's order: the state's fields, the ticks field,
 * no trailing bytes, then the tick count's bounds.
 */
export function decodeInput(bytes: Uint8Array): ParticleInput {
  const reader = new ByteReader(bytes);
  const state = readState(reader);
  reader.need(4);
  const ticks = reader.u32();
  reader.end();
  checkTicks(state.tick, ticks);
  return { state, ticks };
}

/** Refuses a tick count the program would refuse: more than MAX_TICKS, or one that overflows the u32 tick counter. */
export function checkTicks(tick: number, ticks: number): void {
  if (!Number.isInteger(ticks) || ticks < 0 || ticks > MAX_TICKS) throw new TicksOutOfRangeError(ticks, MAX_TICKS);
  if (tick + ticks > MAX_TICK) throw new TickOverflowError(tick, ticks);
}
