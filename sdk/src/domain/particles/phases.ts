import { BORDER_EAST, BORDER_NORTH, BORDER_SOUTH, BORDER_WEST, VMAX } from "./constants.js";
import type { Particle, ParticleState } from "./types.js";

/**
 * The phases of one tick, applied in place to a state already known to be valid (docs/Programs.md, "One tick").
 * This is the reference the WASM program and the Solidity verifier are tested against, so it follows the spec's
 * wording step by step rather than fusing loops. Plain numbers are exact here: every intermediate is an integer below
 * 2^53 in magnitude, and the one division is exact after truncation (the overflow argument in docs/Programs.md).
 */

/** What a tick did, summed over ticks when the same object is passed again (tests use it to see rules fire). */
export interface TickCounts {
  /** Pairs whose velocities changed. */
  collisions: number;
  /** Collisions in which clamping to VMAX changed a velocity component (momentum is then not conserved). */
  clampedCollisions: number;
  /** Reflections off a closed border, per axis. */
  wallHits: number;
  /** Particles that left through an open border. */
  emigrations: number;
}

export function newTickCounts(): TickCounts {
  return { collisions: 0, clampedCollisions: 0, wallHits: 0, emigrations: 0 };
}

/** One whole tick: move, borders, collisions, then the clock. */
export function step(state: ParticleState, counts: TickCounts = newTickCounts()): void {
  move(state);
  applyBorders(state, counts);
  collide(state, counts);
  state.tick += 1;
}

/** 1. Every particle moves by its velocity. */
export function move(state: ParticleState): void {
  for (const p of state.particles) {
    p.x += p.vx;
    p.y += p.vy;
  }
}

/**
 * 2. Per particle in index order, x then y: a closed border reflects a particle that came within `radius` of it; an
 * open border lets go a particle whose centre crossed it. Emigrants leave the list in order and are appended to
 * `emigrants`; a particle that emigrates is checked against no further border.
 */
export function applyBorders(state: ParticleState, counts: TickCounts = newTickCounts()): void {
  const { ox, oy, width, height, radius: r, borders } = state;
  const kept: Particle[] = [];
  for (const p of state.particles) {
    let gone = false;
    if (p.x < ox + r) {
      if (borders & BORDER_WEST) gone = p.x < ox;
      else [p.x, p.vx] = wall(ox + r, Math.abs(p.vx), counts);
    }
    if (!gone && p.x > ox + width - 1 - r) {
      if (borders & BORDER_EAST) gone = p.x >= ox + width;
      else [p.x, p.vx] = wall(ox + width - 1 - r, -Math.abs(p.vx), counts);
    }
    if (!gone && p.y < oy + r) {
      if (borders & BORDER_SOUTH) gone = p.y < oy;
      else [p.y, p.vy] = wall(oy + r, Math.abs(p.vy), counts);
    }
    if (!gone && p.y > oy + height - 1 - r) {
      if (borders & BORDER_NORTH) gone = p.y >= oy + height;
      else [p.y, p.vy] = wall(oy + height - 1 - r, -Math.abs(p.vy), counts);
    }
    if (gone) {
      state.emigrants.push(p);
      counts.emigrations++;
    } else {
      kept.push(p);
    }
  }
  state.particles = kept;
}

function wall(position: number, velocity: number, counts: TickCounts): [number, number] {
  counts.wallHits++;
  // -Math.abs(0) is -0: normalise it so states deep-equal the decoded ones (the bytes are the same either way).
  return [position, velocity === 0 ? 0 : velocity];
}

/**
 * 3. Elastic collisions of equal masses, over pairs (i, j), i < j, in lexicographic order, each pair seeing the
 * velocities earlier pairs left: overlapping (0 < d2 < (2r)^2) and approaching (dot < 0) pairs exchange the
 * velocity component along the line between their centres, truncated toward zero, then clamp to VMAX.
 */
export function collide(state: ParticleState, counts: TickCounts = newTickCounts()): void {
  const ps = state.particles;
  const reach = 4 * state.radius * state.radius;
  for (let i = 0; i < ps.length; i++) {
    const a = ps[i] as Particle;
    for (let j = i + 1; j < ps.length; j++) {
      const b = ps[j] as Particle;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d2 = dx * dx + dy * dy;
      if (d2 === 0 || d2 >= reach) continue;
      const dot = (b.vx - a.vx) * dx + (b.vy - a.vy) * dy;
      if (dot >= 0) continue;
      const jx = Math.trunc((dot * dx) / d2);
      const jy = Math.trunc((dot * dy) / d2);
      const raw = [a.vx + jx, a.vy + jy, b.vx - jx, b.vy - jy] as const;
      a.vx = clamp(raw[0]);
      a.vy = clamp(raw[1]);
      b.vx = clamp(raw[2]);
      b.vy = clamp(raw[3]);
      counts.collisions++;
      if (a.vx !== raw[0] || a.vy !== raw[1] || b.vx !== raw[2] || b.vy !== raw[3]) counts.clampedCollisions++;
    }
  }
}

function clamp(v: number): number {
  // `+ 0` turns a -0 from Math.trunc into 0, so states compare equal to decoded ones.
  return Math.min(VMAX, Math.max(-VMAX, v)) + 0;
}
