import {
  EmigrantOutOfRangeError,
  InvalidBordersError,
  InvalidMagicError,
  OriginOutOfRangeError,
  ParticleOutOfRegionError,
  ParticleStateError,
  RadiusOutOfRangeError,
  RegionSizeOutOfRangeError,
  TickOverflowError,
  TicksOutOfRangeError,
  TooManyParticlesError,
  TrailingBytesError,
  TruncatedStateError,
  VelocityOutOfRangeError,
} from "../../../sdk/src/errors/particles.js";
import { encodeInput, type ParticleState, VMAX } from "../../../sdk/src/domain/particles/index.js";

/** Byte offsets of the state's fields (docs/Programs.md, "State encoding"). */
export const AT = { ox: 4, oy: 8, width: 12, height: 16, radius: 20, borders: 24, tick: 25, n: 29, bodies: 31 };

/** A small valid state: region [100, 300) x [-50, 150), radius 10, two particles, one emigrant. */
export function baseState(): ParticleState {
  return {
    ox: 100,
    oy: -50,
    width: 200,
    height: 200,
    radius: 10,
    borders: 0b0101,
    tick: 7,
    particles: [
      { x: 150, y: 0, vx: 3, vy: -4 },
      { x: 299, y: 149, vx: -VMAX, vy: VMAX },
    ],
    emigrants: [{ x: 99, y: 10, vx: -2, vy: 0 }],
  };
}

/** Offset of the emigrant count in the base state's encoding, and of its first emigrant. */
export const M_AT = AT.bodies + 2 * 16;
export const EMIGRANT_AT = M_AT + 2;

export interface InvalidCase {
  label: string;
  input: Uint8Array;
  error: abstract new (...args: never[]) => ParticleStateError;
  meta: Record<string, unknown>;
}

const edit = (f: (view: DataView, bytes: Uint8Array) => void, input = encodeInput(baseState(), 5)): Uint8Array => {
  const bytes = input.slice();
  f(new DataView(bytes.buffer), bytes);
  return bytes;
};

/** One input per decode failure, with the error and the values the reference decoder must report. */
export function invalidInputs(): InvalidCase[] {
  const valid = encodeInput(baseState(), 5);
  const crowded: ParticleState = {
    ...baseState(),
    particles: Array.from({ length: 1000 }, () => ({ x: 200, y: 50, vx: 0, vy: 0 })),
    emigrants: [],
  };
  return [
    {
      label: "shorter than the header",
      input: valid.slice(0, 10),
      error: TruncatedStateError,
      meta: { offset: 0, needed: 29, have: 10 },
    },
    {
      label: "cut inside a particle",
      input: valid.slice(0, AT.bodies + 20),
      error: TruncatedStateError,
      meta: { offset: AT.bodies + 16, needed: 16, have: 4 },
    },
    {
      label: "without the tick count",
      input: valid.slice(0, valid.length - 2),
      error: TruncatedStateError,
      meta: { offset: valid.length - 4, needed: 4, have: 2 },
    },
    { label: "bad magic", input: edit((_, b) => (b[3] = 0x32)), error: InvalidMagicError, meta: { magic: "PWS2" } },
    {
      label: "ox beyond 2^28",
      input: edit((v) => v.setInt32(AT.ox, 2 ** 28 + 1)),
      error: OriginOutOfRangeError,
      meta: { axis: "x", value: 2 ** 28 + 1 },
    },
    {
      label: "oy below -2^28",
      input: edit((v) => v.setInt32(AT.oy, -(2 ** 28) - 1)),
      error: OriginOutOfRangeError,
      meta: { axis: "y", value: -(2 ** 28) - 1 },
    },
    {
      label: "radius 0",
      input: edit((v) => v.setUint32(AT.radius, 0)),
      error: RadiusOutOfRangeError,
      meta: { radius: 0 },
    },
    {
      label: "radius 4097",
      input: edit((v) => v.setUint32(AT.radius, 4097)),
      error: RadiusOutOfRangeError,
      meta: { radius: 4097 },
    },
    {
      label: "width 2 * radius",
      input: edit((v) => v.setUint32(AT.width, 20)),
      error: RegionSizeOutOfRangeError,
      meta: { side: "width", size: 20, radius: 10 },
    },
    {
      label: "height above 2^20",
      input: edit((v) => v.setUint32(AT.height, 2 ** 20 + 1)),
      error: RegionSizeOutOfRangeError,
      meta: { side: "height", size: 2 ** 20 + 1 },
    },
    {
      label: "a reserved border bit",
      input: edit((v) => v.setUint8(AT.borders, 0x15)),
      error: InvalidBordersError,
      meta: { borders: 0x15 },
    },
    {
      label: "n above 1024",
      input: edit((v) => v.setUint16(AT.n, 1025)),
      error: TooManyParticlesError,
      meta: { n: 1025, m: 0 },
    },
    {
      label: "n + m above 1024",
      input: edit((v) => v.setUint16(AT.bodies + 1000 * 16, 25), encodeInput(crowded, 1)),
      error: TooManyParticlesError,
      meta: { n: 1000, m: 25 },
    },
    {
      label: "a particle on the east edge",
      input: edit((v) => v.setInt32(AT.bodies + 16, 300)),
      error: ParticleOutOfRegionError,
      meta: { index: 1, x: 300, y: 149 },
    },
    {
      label: "a particle below the region",
      input: edit((v) => v.setInt32(AT.bodies + 4, -51)),
      error: ParticleOutOfRegionError,
      meta: { index: 0, x: 150, y: -51 },
    },
    {
      label: "a particle faster than VMAX",
      input: edit((v) => v.setInt32(AT.bodies + 16 + 8, -VMAX - 1)),
      error: VelocityOutOfRangeError,
      meta: { list: "particle", index: 1, vx: -VMAX - 1 },
    },
    {
      label: "an emigrant farther than VMAX",
      input: edit((v) => v.setInt32(EMIGRANT_AT, 100 - VMAX - 1)),
      error: EmigrantOutOfRangeError,
      meta: { index: 0, x: 100 - VMAX - 1 },
    },
    {
      label: "an emigrant faster than VMAX",
      input: edit((v) => v.setInt32(EMIGRANT_AT + 12, VMAX + 1)),
      error: VelocityOutOfRangeError,
      meta: { list: "emigrant", index: 0, vy: VMAX + 1 },
    },
    {
      label: "a byte after the tick count",
      input: new Uint8Array([...valid, 0]),
      error: TrailingBytesError,
      meta: { trailing: 1, length: valid.length + 1 },
    },
    {
      label: "more than 100,000 ticks",
      input: edit((v) => v.setUint32(valid.length - 4, 100_001)),
      error: TicksOutOfRangeError,
      meta: { ticks: 100_001 },
    },
    {
      label: "a tick counter that would overflow",
      input: edit((v) => v.setUint32(AT.tick, 2 ** 32 - 5)),
      error: TickOverflowError,
      meta: { tick: 2 ** 32 - 5, ticks: 5 },
    },
  ];
}
