/**
 * The particle world (program ABI v1): `run` reads a state and a tick count, advances the state that many ticks and
 * returns the new state. The rules, the encoding and the overflow argument are in docs/Programs.md; the TypeScript
 * reference is sdk/src/domain/particles/, and a Solidity one-step verifier reimplements `step`, so this file keeps to
 * integer arithmetic and the exact order of operations the spec fixes.
 *
 * Invalid input aborts with a message that starts with the name of the SDK error the TypeScript decoder throws for it
 * (`RadiusOutOfRangeError: ...`), so the differential tests can check that both reject the same inputs for the same
 * reason.
 */

// === Bounds (docs/Programs.md, "Bounds") ===

const VMAX: i64 = 65536;
const MAX_RADIUS: i64 = 4096;
const MAX_SIZE: i64 = 1 << 20;
const MAX_ORIGIN: i64 = 1 << 28;
const MAX_BODIES: i32 = 1024; // particles plus emigrants
const MAX_TICKS: i64 = 100000;
const MAX_TICK: i64 = 0xffffffff;

const BORDER_WEST: i32 = 1;
const BORDER_EAST: i32 = 2;
const BORDER_SOUTH: i32 = 4;
const BORDER_NORTH: i32 = 8;

const MAGIC: u32 = 0x50575331; // "PWS1"
const HEADER_BYTES: i32 = 29; // magic, ox, oy, width, height, radius, borders, tick
const BODY_BYTES: i32 = 16;

// === State ===

let ox: i64 = 0;
let oy: i64 = 0;
let width: i64 = 0;
let height: i64 = 0;
let radius: i64 = 0;
let borders: i32 = 0;
let tick: i64 = 0;

// Particles, then emigrants, as columns of i64 (every product below is computed in i64).
let n: i32 = 0;
const px = new StaticArray<i64>(MAX_BODIES);
const py = new StaticArray<i64>(MAX_BODIES);
const pvx = new StaticArray<i64>(MAX_BODIES);
const pvy = new StaticArray<i64>(MAX_BODIES);
let m: i32 = 0;
const ex = new StaticArray<i64>(MAX_BODIES);
const ey = new StaticArray<i64>(MAX_BODIES);
const evx = new StaticArray<i64>(MAX_BODIES);
const evy = new StaticArray<i64>(MAX_BODIES);

// === ABI v1 ===

/** Where the host writes `len` bytes of input. */
export function alloc(len: i32): i32 {
  return i32(heap.alloc(usize(len)));
}

/** Decodes the input at `ptr`, runs the ticks, returns a pointer to [u32 LE length][state bytes]. */
export function run(ptr: i32, len: i32): i32 {
  const ticks = decodeInput(usize(ptr), len);
  for (let t: i64 = 0; t < ticks; t++) step();
  return i32(encodeState());
}

// === Decoding: fields in stream order, each checked as soon as what it depends on has been read ===

let readPtr: usize = 0;
let readEnd: usize = 0;
let readStart: usize = 0;

function need(bytes: i32): void {
  const have = i64(readEnd - readPtr);
  if (have < i64(bytes)) {
    const at = (readPtr - readStart).toString();
    fail("TruncatedStateError", "needed " + bytes.toString() + " bytes at offset " + at + ", have " + have.toString());
  }
}

function readU8(): i64 {
  const v = load<u8>(readPtr);
  readPtr += 1;
  return i64(v);
}

function readU16(): i64 {
  const v = bswap<u16>(load<u16>(readPtr));
  readPtr += 2;
  return i64(v);
}

function readU32(): i64 {
  const v = bswap<u32>(load<u32>(readPtr));
  readPtr += 4;
  return i64(v);
}

function readI32(): i64 {
  const v = i32(bswap<u32>(load<u32>(readPtr)));
  readPtr += 4;
  return i64(v);
}

function decodeInput(ptr: usize, len: i32): i64 {
  readStart = ptr;
  readPtr = ptr;
  readEnd = ptr + usize(len);

  need(HEADER_BYTES);
  const magic = bswap<u32>(load<u32>(readPtr));
  readPtr += 4;
  if (magic != MAGIC) fail("InvalidMagicError", "magic 0x" + magic.toString(16));
  ox = readI32();
  oy = readI32();
  width = readU32();
  height = readU32();
  radius = readU32();
  borders = i32(readU8());
  tick = readU32();
  if (abs(ox) > MAX_ORIGIN) fail("OriginOutOfRangeError", "ox " + ox.toString());
  if (abs(oy) > MAX_ORIGIN) fail("OriginOutOfRangeError", "oy " + oy.toString());
  if (radius < 1 || radius > MAX_RADIUS) fail("RadiusOutOfRangeError", "radius " + radius.toString());
  if (width <= 2 * radius || width > MAX_SIZE) fail("RegionSizeOutOfRangeError", "width " + width.toString());
  if (height <= 2 * radius || height > MAX_SIZE) fail("RegionSizeOutOfRangeError", "height " + height.toString());
  if (borders & ~0xf) fail("InvalidBordersError", "borders " + borders.toString());

  need(2);
  n = i32(readU16());
  if (n > MAX_BODIES) fail("TooManyParticlesError", "n " + n.toString());
  for (let i = 0; i < n; i++) {
    need(BODY_BYTES);
    const x = readI32();
    const y = readI32();
    const vx = readI32();
    const vy = readI32();
    if (x < ox || x >= ox + width || y < oy || y >= oy + height) {
      fail("ParticleOutOfRegionError", "particle " + i.toString() + " at " + x.toString() + "," + y.toString());
    }
    checkVelocity("particle", i, vx, vy);
    unchecked((px[i] = x));
    unchecked((py[i] = y));
    unchecked((pvx[i] = vx));
    unchecked((pvy[i] = vy));
  }

  need(2);
  m = i32(readU16());
  if (n + m > MAX_BODIES) fail("TooManyParticlesError", "n " + n.toString() + " + m " + m.toString());
  for (let i = 0; i < m; i++) {
    need(BODY_BYTES);
    const x = readI32();
    const y = readI32();
    const vx = readI32();
    const vy = readI32();
    // An emigrant is where one move from inside the region can take a particle.
    if (x < ox - VMAX || x >= ox + width + VMAX || y < oy - VMAX || y >= oy + height + VMAX) {
      fail("EmigrantOutOfRangeError", "emigrant " + i.toString() + " at " + x.toString() + "," + y.toString());
    }
    checkVelocity("emigrant", i, vx, vy);
    unchecked((ex[i] = x));
    unchecked((ey[i] = y));
    unchecked((evx[i] = vx));
    unchecked((evy[i] = vy));
  }

  need(4);
  const ticks = readU32();
  if (readPtr != readEnd) fail("TrailingBytesError", (readEnd - readPtr).toString() + " bytes after the input");
  if (ticks > MAX_TICKS) fail("TicksOutOfRangeError", "ticks " + ticks.toString());
  if (tick + ticks > MAX_TICK) fail("TickOverflowError", "tick " + tick.toString() + " + ticks " + ticks.toString());
  return ticks;
}

function checkVelocity(kind: string, i: i32, vx: i64, vy: i64): void {
  if (abs(vx) > VMAX || abs(vy) > VMAX) {
    fail("VelocityOutOfRangeError", kind + " " + i.toString() + " velocity " + vx.toString() + "," + vy.toString());
  }
}

/** Aborts with "<SDK error name>: details". No file or line is passed, so the binary (and the program id) does not
 * change when only comments or formatting do. */
function fail(name: string, details: string): void {
  abort(name + ": " + details);
}

// === One tick ===

function step(): void {
  // 1. Move.
  for (let i = 0; i < n; i++) {
    unchecked((px[i] += pvx[i]));
    unchecked((py[i] += pvy[i]));
  }

  // 2. Borders: walls reflect, open borders let a particle whose centre has left go; survivors keep their order.
  const r = radius;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    let x = unchecked(px[i]);
    let y = unchecked(py[i]);
    let vx = unchecked(pvx[i]);
    let vy = unchecked(pvy[i]);
    let gone = false;
    if (x < ox + r) {
      if (borders & BORDER_WEST) gone = x < ox;
      else {
        x = ox + r;
        vx = abs(vx);
      }
    }
    if (!gone && x > ox + width - 1 - r) {
      if (borders & BORDER_EAST) gone = x >= ox + width;
      else {
        x = ox + width - 1 - r;
        vx = -abs(vx);
      }
    }
    if (!gone && y < oy + r) {
      if (borders & BORDER_SOUTH) gone = y < oy;
      else {
        y = oy + r;
        vy = abs(vy);
      }
    }
    if (!gone && y > oy + height - 1 - r) {
      if (borders & BORDER_NORTH) gone = y >= oy + height;
      else {
        y = oy + height - 1 - r;
        vy = -abs(vy);
      }
    }
    if (gone) {
      unchecked((ex[m] = x));
      unchecked((ey[m] = y));
      unchecked((evx[m] = vx));
      unchecked((evy[m] = vy));
      m++;
    } else {
      unchecked((px[kept] = x));
      unchecked((py[kept] = y));
      unchecked((pvx[kept] = vx));
      unchecked((pvy[kept] = vy));
      kept++;
    }
  }
  n = kept;

  // 3. Collisions, pair by pair in lexicographic order, each seeing the velocities the earlier pairs left.
  const reach = 4 * r * r;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = unchecked(px[j]) - unchecked(px[i]);
      const dy = unchecked(py[j]) - unchecked(py[i]);
      const d2 = dx * dx + dy * dy;
      if (d2 == 0 || d2 >= reach) continue;
      const dot = (unchecked(pvx[j]) - unchecked(pvx[i])) * dx + (unchecked(pvy[j]) - unchecked(pvy[i])) * dy;
      if (dot >= 0) continue;
      const jx = (dot * dx) / d2; // i64.div_s truncates toward zero
      const jy = (dot * dy) / d2;
      unchecked((pvx[i] = clamp(pvx[i] + jx)));
      unchecked((pvy[i] = clamp(pvy[i] + jy)));
      unchecked((pvx[j] = clamp(pvx[j] - jx)));
      unchecked((pvy[j] = clamp(pvy[j] - jy)));
    }
  }

  // 4. The clock.
  tick += 1;
}

function clamp(v: i64): i64 {
  return v < -VMAX ? -VMAX : v > VMAX ? VMAX : v;
}

// === Encoding ===

function encodeState(): usize {
  const len = HEADER_BYTES + 2 + n * BODY_BYTES + 2 + m * BODY_BYTES;
  const out = heap.alloc(usize(4 + len));
  store<u32>(out, u32(len)); // the ABI's length prefix is little-endian
  let p = out + 4;
  store<u32>(p, bswap<u32>(MAGIC));
  p = writeU32(p + 4, ox);
  p = writeU32(p, oy);
  p = writeU32(p, width);
  p = writeU32(p, height);
  p = writeU32(p, radius);
  store<u8>(p, u8(borders));
  p = writeU32(p + 1, tick);
  store<u16>(p, bswap<u16>(u16(n)));
  p += 2;
  for (let i = 0; i < n; i++) {
    p = writeU32(p, unchecked(px[i]));
    p = writeU32(p, unchecked(py[i]));
    p = writeU32(p, unchecked(pvx[i]));
    p = writeU32(p, unchecked(pvy[i]));
  }
  store<u16>(p, bswap<u16>(u16(m)));
  p += 2;
  for (let i = 0; i < m; i++) {
    p = writeU32(p, unchecked(ex[i]));
    p = writeU32(p, unchecked(ey[i]));
    p = writeU32(p, unchecked(evx[i]));
    p = writeU32(p, unchecked(evy[i]));
  }
  return out;
}

/** The low 32 bits of `v`, big-endian (two's complement for the signed fields). */
function writeU32(p: usize, v: i64): usize {
  store<u32>(p, bswap<u32>(u32(v)));
  return p + 4;
}
