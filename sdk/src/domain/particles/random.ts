import { InvalidArgumentError } from "../../errors/base.js";
import { BORDER_MASK, MAX_RADIUS, MAX_REGION_SIZE, VMAX } from "./constants.js";
import { encodeState } from "./encodeState.js";
import type { Particle, ParticleState } from "./types.js";

export interface RandomStateOptions {
  /** Particles in the region (default 16). */
  particles?: number;
  /** Emigrants already recorded (default 0). */
  emigrants?: number;
  /** Default: 1 to 32. */
  radius?: number;
  /** Default: 2 * radius + 1 plus up to 16 radii, so that particles crowd and collide. */
  width?: number;
  height?: number;
  /** Default: up to 2^20 either side of 0. */
  ox?: number;
  oy?: number;
  /** Open-border mask (default: random). */
  borders?: number;
  /** Largest |vx|, |vy| (default: 2 * radius, at most VMAX). */
  maxSpeed?: number;
  /**
   * A velocity every particle shares on top of its own (default none): a stream. A stream near VMAX makes collisions
   * clamp, since the particles meet slowly relative to each other but fast in absolute terms.
   */
  drift?: { vx: number; vy: number };
  /** Chance that a particle is placed overlapping an earlier one (default 0.5). */
  clustering?: number;
  tick?: number;
}

/**
 * A valid state drawn from `seed` (the same seed and options always give the same state), for tests and demos.
 * @throws what encodeState throws when the options describe an invalid state (a radius too large for the width, say).
 */
export function randomState(seed: number, options: RandomStateOptions = {}): ParticleState {
  const rng = mulberry32(seed);
  const radius = options.radius ?? rng.int(1, 32);
  if (radius < 1 || radius > MAX_RADIUS)
    throw new InvalidArgumentError("radius", `${radius} outside [1, ${MAX_RADIUS}]`);
  const side = () => Math.min(MAX_REGION_SIZE, 2 * radius + 1 + rng.int(0, 16 * radius));
  const width = options.width ?? side();
  const height = options.height ?? side();
  const ox = options.ox ?? rng.int(-(2 ** 20), 2 ** 20);
  const oy = options.oy ?? rng.int(-(2 ** 20), 2 ** 20);
  const maxSpeed = Math.min(VMAX, options.maxSpeed ?? 2 * radius);
  const clustering = options.clustering ?? 0.5;
  const velocity = () => rng.int(-maxSpeed, maxSpeed);
  const drift = options.drift ?? { vx: 0, vy: 0 };
  const inRange = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

  const particles: Particle[] = [];
  for (let i = 0; i < (options.particles ?? 16); i++) {
    const near =
      particles.length > 0 && rng.next() < clustering ? particles[rng.int(0, particles.length - 1)] : undefined;
    const x = near
      ? inRange(near.x + rng.int(1 - 2 * radius, 2 * radius - 1), ox, ox + width - 1)
      : rng.int(ox, ox + width - 1);
    const y = near
      ? inRange(near.y + rng.int(1 - 2 * radius, 2 * radius - 1), oy, oy + height - 1)
      : rng.int(oy, oy + height - 1);
    const vx = inRange(drift.vx + velocity(), -VMAX, VMAX);
    particles.push({ x, y, vx, vy: inRange(drift.vy + velocity(), -VMAX, VMAX) });
  }
  const emigrants: Particle[] = [];
  for (let i = 0; i < (options.emigrants ?? 0); i++) {
    const x = rng.int(ox - VMAX, ox + width - 1 + VMAX);
    const y = rng.int(oy - VMAX, oy + height - 1 + VMAX);
    emigrants.push({ x, y, vx: velocity(), vy: velocity() });
  }

  const state: ParticleState = {
    ox,
    oy,
    width,
    height,
    radius,
    borders: options.borders ?? rng.int(0, BORDER_MASK),
    tick: options.tick ?? 0,
    particles,
    emigrants,
  };
  encodeState(state);
  return state;
}

/** A small seeded generator (Mulberry32): 32-bit integer arithmetic only, so every platform draws the same values. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1)) };
}
