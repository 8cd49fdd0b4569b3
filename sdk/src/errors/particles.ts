import { CohortError, type CohortErrorOptions } from "./base.js";

/**
 * Why a particle-world state or input was refused (docs/Programs.md, "Decoding"). The WASM program aborts with a
 * message that starts with the same `name`, so a caller can compare a reference rejection with a program abort.
 */
export class ParticleStateError extends CohortError {
  override name = "ParticleStateError";

  constructor(shortMessage: string, meta: Record<string, unknown>, options: CohortErrorOptions = {}) {
    super(shortMessage, { ...options, meta: { ...meta, ...options.meta } });
  }
}

/** The bytes ended before a field: `needed` bytes were wanted at `offset`, `have` were left. */
export class TruncatedStateError extends ParticleStateError {
  override name = "TruncatedStateError";

  constructor(
    readonly offset: number,
    readonly needed: number,
    readonly have: number,
  ) {
    super(`State truncated: needed ${needed} bytes at offset ${offset}, have ${have}`, { offset, needed, have });
  }
}

/** The first four bytes are not "PWS1". */
export class InvalidMagicError extends ParticleStateError {
  override name = "InvalidMagicError";

  constructor(readonly magic: string) {
    super(`Not a particle-world state: magic ${magic}`, { magic });
  }
}

/** |ox| or |oy| exceeds 2^28. */
export class OriginOutOfRangeError extends ParticleStateError {
  override name = "OriginOutOfRangeError";

  constructor(
    readonly axis: "x" | "y",
    readonly value: number,
    readonly max: number,
  ) {
    super(`Region origin o${axis} ${value} outside [-${max}, ${max}]`, { axis, value, max });
  }
}

/** The radius is outside [1, 4096]. */
export class RadiusOutOfRangeError extends ParticleStateError {
  override name = "RadiusOutOfRangeError";

  constructor(
    readonly radius: number,
    readonly max: number,
  ) {
    super(`Radius ${radius} outside [1, ${max}]`, { radius, max });
  }
}

/** A region side is not in (2 * radius, 2^20]. */
export class RegionSizeOutOfRangeError extends ParticleStateError {
  override name = "RegionSizeOutOfRangeError";

  constructor(
    readonly side: "width" | "height",
    readonly size: number,
    readonly radius: number,
    readonly max: number,
  ) {
    super(`Region ${side} ${size} outside (2 * radius = ${2 * radius}, ${max}]`, { side, size, radius, max });
  }
}

/** The borders byte has bits set beyond the four border flags. */
export class InvalidBordersError extends ParticleStateError {
  override name = "InvalidBordersError";

  constructor(readonly borders: number) {
    super(`Borders byte 0x${borders.toString(16)} has bits other than 0x0f`, { borders });
  }
}

/** More than 1024 bodies: particles (`n`) and emigrants (`m`) count together. */
export class TooManyParticlesError extends ParticleStateError {
  override name = "TooManyParticlesError";

  constructor(
    readonly n: number,
    readonly m: number,
    readonly max: number,
  ) {
    super(`${n} particles + ${m} emigrants exceed ${max}`, { n, m, max });
  }
}

/** A particle's centre is outside [ox, ox + width) x [oy, oy + height). */
export class ParticleOutOfRegionError extends ParticleStateError {
  override name = "ParticleOutOfRegionError";

  constructor(
    readonly index: number,
    readonly x: number,
    readonly y: number,
  ) {
    super(`Particle ${index} at (${x}, ${y}) is outside the region`, { index, x, y });
  }
}

/** An emigrant is farther from the region than one move (VMAX) can take a particle. */
export class EmigrantOutOfRangeError extends ParticleStateError {
  override name = "EmigrantOutOfRangeError";

  constructor(
    readonly index: number,
    readonly x: number,
    readonly y: number,
  ) {
    super(`Emigrant ${index} at (${x}, ${y}) is farther than VMAX from the region`, { index, x, y });
  }
}

/** |vx| or |vy| of a particle or an emigrant exceeds VMAX. */
export class VelocityOutOfRangeError extends ParticleStateError {
  override name = "VelocityOutOfRangeError";

  constructor(
    readonly list: "particle" | "emigrant",
    readonly index: number,
    readonly vx: number,
    readonly vy: number,
    readonly max: number,
  ) {
    super(`Velocity (${vx}, ${vy}) of ${list} ${index} exceeds ${max}`, { list, index, vx, vy, max });
  }
}

/** Bytes follow the end of the state (or of the input). */
export class TrailingBytesError extends ParticleStateError {
  override name = "TrailingBytesError";

  constructor(
    readonly trailing: number,
    readonly length: number,
  ) {
    super(`${trailing} trailing bytes after ${length - trailing} bytes of state`, { trailing, length });
  }
}

/** The input asks for more than 100,000 ticks. */
export class TicksOutOfRangeError extends ParticleStateError {
  override name = "TicksOutOfRangeError";

  constructor(
    readonly ticks: number,
    readonly max: number,
  ) {
    super(`Ticks ${ticks} outside [0, ${max}]`, { ticks, max });
  }
}

/** The tick counter would pass 2^32 - 1. */
export class TickOverflowError extends ParticleStateError {
  override name = "TickOverflowError";

  constructor(
    readonly tick: number,
    readonly ticks: number,
  ) {
    super(`Tick ${tick} + ${ticks} ticks overflows the u32 tick counter`, { tick, ticks });
  }
}
