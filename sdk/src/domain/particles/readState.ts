import {
  EmigrantOutOfRangeError,
  InvalidBordersError,
  InvalidMagicError,
  OriginOutOfRangeError,
  ParticleOutOfRegionError,
  RadiusOutOfRangeError,
  RegionSizeOutOfRangeError,
  TooManyParticlesError,
  VelocityOutOfRangeError,
} from "../../errors/particles.js";
import {
  BODY_BYTES,
  BORDER_MASK,
  HEADER_BYTES,
  MAX_BODIES,
  MAX_ORIGIN,
  MAX_RADIUS,
  MAX_REGION_SIZE,
  STATE_MAGIC,
  VMAX,
} from "./constants.js";
import type { ByteReader } from "./reader.js";
import type { Particle, ParticleState } from "./types.js";

/**
 * Reads one state, checking each field as soon as what it depends on has been read, in the order docs/Programs.md
 * fixes ("Decoding"): the WASM program checks in the same order, so both name the same first failure.
 */
export function readState(reader: ByteReader): ParticleState {
  reader.need(HEADER_BYTES);
  const magic = reader.ascii(4);
  if (magic !== STATE_MAGIC) throw new InvalidMagicError(magic);
  const ox = reader.i32();
  const oy = reader.i32();
  const width = reader.u32();
  const height = reader.u32();
  const radius = reader.u32();
  const borders = reader.u8();
  const tick = reader.u32();
  if (Math.abs(ox) > MAX_ORIGIN) throw new OriginOutOfRangeError("x", ox, MAX_ORIGIN);
  if (Math.abs(oy) > MAX_ORIGIN) throw new OriginOutOfRangeError("y", oy, MAX_ORIGIN);
  if (radius < 1 || radius > MAX_RADIUS) throw new RadiusOutOfRangeError(radius, MAX_RADIUS);
  if (width <= 2 * radius || width > MAX_REGION_SIZE) {
    throw new RegionSizeOutOfRangeError("width", width, radius, MAX_REGION_SIZE);
  }
  if (height <= 2 * radius || height > MAX_REGION_SIZE) {
    throw new RegionSizeOutOfRangeError("height", height, radius, MAX_REGION_SIZE);
  }
  if ((borders & ~BORDER_MASK) !== 0) throw new InvalidBordersError(borders);

  reader.need(2);
  const n = reader.u16();
  if (n > MAX_BODIES) throw new TooManyParticlesError(n, 0, MAX_BODIES);
  const particles: Particle[] = [];
  for (let i = 0; i < n; i++) {
    const p = readBody(reader);
    if (p.x < ox || p.x >= ox + width || p.y < oy || p.y >= oy + height) {
      throw new ParticleOutOfRegionError(i, p.x, p.y);
    }
    checkVelocity("particle", i, p);
    particles.push(p);
  }

  reader.need(2);
  const m = reader.u16();
  if (n + m > MAX_BODIES) throw new TooManyParticlesError(n, m, MAX_BODIES);
  const emigrants: Particle[] = [];
  for (let i = 0; i < m; i++) {
    const e = readBody(reader);
    // One move from inside the region reaches at most VMAX beyond it: anything farther no run could have produced.
    if (e.x < ox - VMAX || e.x >= ox + width + VMAX || e.y < oy - VMAX || e.y >= oy + height + VMAX) {
      throw new EmigrantOutOfRangeError(i, e.x, e.y);
    }
    checkVelocity("emigrant", i, e);
    emigrants.push(e);
  }

  return { ox, oy, width, height, radius, borders, tick, particles, emigrants };
}

function readBody(reader: ByteReader): Particle {
  reader.need(BODY_BYTES);
  return { x: reader.i32(), y: reader.i32(), vx: reader.i32(), vy: reader.i32() };
}

function checkVelocity(list: "particle" | "emigrant", index: number, p: Particle): void {
  if (Math.abs(p.vx) > VMAX || Math.abs(p.vy) > VMAX) {
    throw new VelocityOutOfRangeError(list, index, p.vx, p.vy, VMAX);
  }
}
