/**
 * The demo's world: one 2-D particle world cut into a grid of regions, each region a shard advanced by its own tasks.
 * Pure (no chain, no I/O): the engine and the trusted recomputation both use it, and the demo test checks it against
 * an implementation of its own.
 *
 * Regions are `[i * width, (i + 1) * width) x [j * height, (j + 1) * height)`; borders between regions are open and
 * the world's edge is a wall. After a batch of ticks every region's emigrants move into the region whose rectangle
 * now contains them (see `mergeWorld`).
 */
import { particles as world } from "../../sdk/dist/index.js";

type ParticleState = world.ParticleState;
type Particle = world.Particle;

/** The step verifier's bound (docs/ParticleStepVerifier.md): a region must stay provable in one on-chain step. */
export const MAX_REGION_PARTICLES = 128;

export interface WorldShape {
  gridX: number;
  gridY: number;
  regionWidth: number;
  regionHeight: number;
  radius: number;
}

export interface WorldSeedOptions extends WorldShape {
  particlesPerRegion: number;
  /** Largest |vx|, |vy| at the start. */
  maxSpeed: number;
  seed: number;
}

/** A region's place in the grid; `index` is `y * gridX + x`, the order tasks are posted in. */
export interface RegionRef {
  index: number;
  x: number;
  y: number;
}

/** A region grew past what the on-chain step verifier can check in one step. */
export class RegionTooCrowdedError extends Error {
  override readonly name = "RegionTooCrowdedError";
  readonly region: RegionRef;
  readonly particles: number;
  readonly limit: number;
  constructor(region: RegionRef, particles: number, limit: number) {
    super(`region (${region.x}, ${region.y}) holds ${particles} particles, above the verifier's ${limit}`);
    this.region = region;
    this.particles = particles;
    this.limit = limit;
  }
}

export function regionsOf(shape: WorldShape): RegionRef[] {
  const out: RegionRef[] = [];
  for (let y = 0; y < shape.gridY; y++) for (let x = 0; x < shape.gridX; x++) out.push({ index: out.length, x, y });
  return out;
}

/** Open borders towards neighbours, walls at the world's edge. */
export function bordersOf(shape: WorldShape, x: number, y: number): number {
  let mask = 0;
  if (x > 0) mask |= world.BORDER_WEST;
  if (x < shape.gridX - 1) mask |= world.BORDER_EAST;
  if (y > 0) mask |= world.BORDER_SOUTH;
  if (y < shape.gridY - 1) mask |= world.BORDER_NORTH;
  return mask;
}

/** The world at tick 0: every region seeded from `seed` and its index (the same options give the same world). */
export function initialWorld(o: WorldSeedOptions): ParticleState[] {
  return regionsOf(o).map((r) =>
    world.randomState(o.seed * 7_919 + r.index, {
      particles: o.particlesPerRegion,
      radius: o.radius,
      width: o.regionWidth,
      height: o.regionHeight,
      ox: r.x * o.regionWidth,
      oy: r.y * o.regionHeight,
      borders: bordersOf(o, r.x, r.y),
      maxSpeed: o.maxSpeed,
      // Spread out: a start without overlaps, so the first ticks are not one big collision.
      clustering: 0,
    }),
  );
}

/**
 * The next inputs from the regions' results: each region keeps its particles, and every emigrant (in region order,
 * then in the order it left) joins the region whose rectangle contains it. An emigrant can only have left through an
 * open border, so it lies in a neighbour, except one that left across a corner next to the world's edge: it crossed
 * the open border first (the x axis is checked first) and is now outside the world on the other axis. It is put back
 * at the edge with that velocity component turned inward, as the wall it passed would have done.
 * @throws RegionTooCrowdedError for a region above MAX_REGION_PARTICLES.
 */
export function mergeWorld(shape: WorldShape, results: readonly ParticleState[]): ParticleState[] {
  const next = results.map((s) => ({ ...s, particles: s.particles.map((p) => ({ ...p })), emigrants: [] }));
  for (const source of results) {
    for (const e of source.emigrants) {
      const p = intoWorld(shape, e);
      const target = Math.floor(p.y / shape.regionHeight) * shape.gridX + Math.floor(p.x / shape.regionWidth);
      (next[target] as ParticleState).particles.push(p);
    }
  }
  for (const [index, s] of next.entries()) {
    if (s.particles.length > MAX_REGION_PARTICLES) {
      const x = index % shape.gridX;
      const region = { index, x, y: (index - x) / shape.gridX };
      throw new RegionTooCrowdedError(region, s.particles.length, MAX_REGION_PARTICLES);
    }
  }
  return next;
}

function intoWorld(shape: WorldShape, e: Particle): Particle {
  const w = shape.gridX * shape.regionWidth;
  const h = shape.gridY * shape.regionHeight;
  const p = { ...e };
  if (p.x < 0) [p.x, p.vx] = [0, Math.abs(p.vx)];
  if (p.x > w - 1) [p.x, p.vx] = [w - 1, -Math.abs(p.vx)];
  if (p.y < 0) [p.y, p.vy] = [0, Math.abs(p.vy)];
  if (p.y > h - 1) [p.y, p.vy] = [h - 1, -Math.abs(p.vy)];
  // -0 and 0 encode alike; normalised so that states compare equal to decoded ones.
  p.vx += 0;
  p.vy += 0;
  return p;
}

/**
 * The trusted recomputation: the whole world advanced batch by batch with the TypeScript reference and the same
 * merges, without the chain. `hashes[e][r]` is the result hash region `r`'s task of batch `e` must finalize with.
 */
export function recomputeWorld(
  shape: WorldShape,
  start: readonly ParticleState[],
  batches: number,
  ticks: number,
): { inputs: Uint8Array[][]; outputs: ParticleState[][]; end: ParticleState[] } {
  const inputs: Uint8Array[][] = [];
  const outputs: ParticleState[][] = [];
  let states = start.map(world.cloneState);
  for (let e = 0; e < batches; e++) {
    inputs.push(states.map((s) => world.encodeInput(s, ticks)));
    const out = states.map((s) => world.run(s, ticks));
    outputs.push(out);
    states = mergeWorld(shape, out);
  }
  return { inputs, outputs, end: states };
}
