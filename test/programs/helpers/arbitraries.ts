import fc from "fast-check";

import { type ParticleState, randomState, VMAX } from "../../../sdk/src/domain/particles/index.js";

export interface StateShape {
  maxParticles?: number;
}

/**
 * Random valid states in three kinds, so that every rule fires: "slow" (speeds up to 2 radii in a crowded region:
 * many collisions, some walls), "fast" (speeds up to VMAX: walls and emigrations every tick) and "stream" (a crowd
 * drifting at about VMAX through a region wide enough not to hit a wall at once: collisions that clamp).
 */
export function stateArb({ maxParticles = 48 }: StateShape = {}): fc.Arbitrary<ParticleState> {
  return fc
    .record({
      seed: fc.integer(),
      particles: fc.integer({ min: 0, max: maxParticles }),
      emigrants: fc.integer({ min: 0, max: 3 }),
      radius: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(1, 2, 4096)),
      kind: fc.constantFrom("slow", "fast", "stream"),
      borders: fc.integer({ min: 0, max: 15 }),
      origin: fc.constantFrom(0, 2 ** 28, -(2 ** 28), 12345),
      drift: fc.record({ vx: fc.integer({ min: -VMAX, max: VMAX }), vy: fc.constantFrom(-VMAX, VMAX) }),
    })
    .map(({ seed, particles, emigrants, radius, kind, borders, origin, drift }) => {
      const stream = kind === "stream";
      const side = stream ? 4 * VMAX : undefined;
      return randomState(seed, {
        particles,
        emigrants,
        radius,
        borders,
        // Regions at the edges of the coordinate range: the overflow argument's worst case.
        ox: origin,
        oy: 0 - origin,
        width: side,
        height: side,
        maxSpeed: kind === "fast" ? VMAX : 2 * radius,
        drift: stream ? drift : undefined,
        clustering: stream ? 0.9 : 0.5,
      });
    });
}
