import { TooManyParticlesError } from "../../errors/particles.js";
import { MAX_BODIES, STATE_MAGIC } from "./constants.js";
import { decodeState } from "./decodeState.js";
import { ByteWriter } from "./writer.js";
import type { Particle, ParticleState } from "./types.js";

/**
 * The canonical encoding of a state (docs/Programs.md, "State encoding").
 * @throws InvalidArgumentError for a number a field cannot hold, and the decoder's ParticleStateError for a state that
 * breaks a bound: the bytes are decoded again before they are returned, so only states the program accepts encode.
 */
export function encodeState(state: ParticleState): Uint8Array {
  const writer = new ByteWriter();
  writeState(writer, state);
  const bytes = writer.finish();
  decodeState(bytes);
  return bytes;
}

/** Writes the fields without checking the bounds (encodeState and encodeInput check by decoding). */
export function writeState(writer: ByteWriter, state: ParticleState): void {
  const n = state.particles.length;
  const m = state.emigrants.length;
  // Checked here, not only on decode: a count above 65535 would not even fit its u16.
  if (n + m > MAX_BODIES) throw new TooManyParticlesError(n, m, MAX_BODIES);
  writer.raw(new TextEncoder().encode(STATE_MAGIC));
  writer.i32(state.ox, "ox");
  writer.i32(state.oy, "oy");
  writer.u32(state.width, "width");
  writer.u32(state.height, "height");
  writer.u32(state.radius, "radius");
  writer.u8(state.borders, "borders");
  writer.u32(state.tick, "tick");
  writer.u16(n, "particles.length");
  state.particles.forEach((p, i) => writeBody(writer, p, `particles[${i}]`));
  writer.u16(m, "emigrants.length");
  state.emigrants.forEach((e, i) => writeBody(writer, e, `emigrants[${i}]`));
}

function writeBody(writer: ByteWriter, p: Particle, field: string): void {
  writer.i32(p.x, `${field}.x`);
  writer.i32(p.y, `${field}.y`);
  writer.i32(p.vx, `${field}.vx`);
  writer.i32(p.vy, `${field}.vy`);
}
