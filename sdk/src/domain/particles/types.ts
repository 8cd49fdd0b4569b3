/** A body of the particle world, in global integer coordinates (units per tick for the velocity). */
export interface Particle {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/**
 * One region of the world: [ox, ox + width) x [oy, oy + height), its particles and the particles that have left it
 * through an open border, oldest first. Every number is an integer (docs/Programs.md, "State encoding").
 */
export interface ParticleState {
  ox: number;
  oy: number;
  width: number;
  height: number;
  /** Shared by every particle. */
  radius: number;
  /** Open borders, a mask of BORDER_WEST | BORDER_EAST | BORDER_SOUTH | BORDER_NORTH. */
  borders: number;
  /** Ticks run so far. */
  tick: number;
  particles: Particle[];
  emigrants: Particle[];
}

/** What a program input holds: the state to start from and how many ticks to run. */
export interface ParticleInput {
  state: ParticleState;
  ticks: number;
}
