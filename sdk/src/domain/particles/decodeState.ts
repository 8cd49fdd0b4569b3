import { ByteReader } from "./reader.js";
import { readState } from "./readState.js";
import type { ParticleState } from "./types.js";

/**
 * Decodes a canonical state. Every field has a fixed width and every value that decodes is a valid one, so an
 * accepted byte string is the only encoding of its state: `encodeState(decodeState(b))` equals `b`.
 * @throws a ParticleStateError subclass naming the first field that fails (docs/Programs.md, "Decoding").
 */
export function decodeState(bytes: Uint8Array): ParticleState {
  const reader = new ByteReader(bytes);
  const state = readState(reader);
  reader.end();
  return state;
}
