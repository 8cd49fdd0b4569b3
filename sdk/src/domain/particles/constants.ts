/** The particle world's bounds (docs/Programs.md, "Bounds"); the WASM program and the verifier use the same values. */

/** Largest |vx| or |vy|: collisions clamp to it, decoding refuses more. */
export const VMAX = 65536;
export const MAX_RADIUS = 4096;
/** Largest region width or height. */
export const MAX_REGION_SIZE = 2 ** 20;
/** Largest |ox| or |oy|. */
export const MAX_ORIGIN = 2 ** 28;
/** Largest particles + emigrants: particles only ever become emigrants, so a run never outgrows its input. */
export const MAX_BODIES = 1024;
/** Largest tick count one input may ask for. */
export const MAX_TICKS = 100_000;
/** The tick counter is a u32. */
export const MAX_TICK = 2 ** 32 - 1;

/** Bits of the borders byte: a set bit opens that border; a clear bit makes it a reflecting wall. */
export const BORDER_WEST = 1;
export const BORDER_EAST = 2;
/** Low y. */
export const BORDER_SOUTH = 4;
/** High y. */
export const BORDER_NORTH = 8;
export const BORDER_MASK = 0x0f;

/** "PWS1": particle-world state, encoding version 1. */
export const STATE_MAGIC = "PWS1";
/** magic, ox, oy, width, height, radius, borders, tick. */
export const HEADER_BYTES = 29;
/** x, y, vx, vy: four i32. */
export const BODY_BYTES = 16;
