import { expect } from "chai";
import fc from "fast-check";

import { InvalidArgumentError } from "../../sdk/src/errors/base.js";
import {
  ParticleStateError,
  TickOverflowError,
  TooManyParticlesError,
  TrailingBytesError,
  TruncatedStateError,
} from "../../sdk/src/errors/particles.js";
import {
  BORDER_EAST,
  BORDER_NORTH,
  BORDER_SOUTH,
  BORDER_WEST,
  decodeInput,
  decodeState,
  encodeInput,
  encodeState,
  newTickCounts,
  type ParticleState,
  randomState,
  run,
  tick,
  VMAX,
} from "../../sdk/src/domain/particles/index.js";
import { applyBorders, collide, move } from "../../sdk/src/domain/particles/phases.js";
import { cloneState } from "../../sdk/src/domain/particles/tick.js";
import { stateArb } from "./helpers/arbitraries.js";
import { baseState, invalidInputs } from "./helpers/invalidInputs.js";

const states = stateArb();

const oneParticle = (p: ParticleState["particles"][number], borders = 0): ParticleState => ({
  ox: 0,
  oy: 0,
  width: 1000,
  height: 1000,
  radius: 10,
  borders,
  tick: 0,
  particles: [p],
  emigrants: [],
});

describe("particle world: the TypeScript reference", () => {
  describe("encoding", () => {
    it("lays the base state out field by field, big-endian", () => {
      const bytes = encodeState(baseState());
      const view = new DataView(bytes.buffer);
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).to.equal("PWS1");
      expect([view.getInt32(4), view.getInt32(8), view.getUint32(12), view.getUint32(16), view.getUint32(20)]).to.eql([
        100, -50, 200, 200, 10,
      ]);
      expect([view.getUint8(24), view.getUint32(25), view.getUint16(29)]).to.eql([0b0101, 7, 2]);
      expect([view.getInt32(31), view.getInt32(35), view.getInt32(39), view.getInt32(43)]).to.eql([150, 0, 3, -4]);
      expect(view.getInt32(47 + 8)).to.equal(-VMAX);
      expect(view.getUint16(63)).to.equal(1);
      expect(bytes.length).to.equal(29 + 2 + 2 * 16 + 2 + 16);
    });

    it("round-trips: decode(encode(s)) is s, and encode(decode(b)) is b", () => {
      fc.assert(
        fc.property(states, (state) => {
          const bytes = encodeState(state);
          expect(decodeState(bytes)).to.eql(state);
          expect(encodeState(decodeState(bytes))).to.eql(bytes);
        }),
        { numRuns: 300 },
      );
    });

    it("round-trips program inputs", () => {
      const input = encodeInput(baseState(), 12);
      expect(decodeInput(input)).to.eql({ state: baseState(), ticks: 12 });
      expect(input.subarray(0, input.length - 4)).to.eql(encodeState(baseState()));
    });

    it("names every decode failure with its values", () => {
      const cases = invalidInputs();
      const names = new Set<string>();
      for (const { label, input, error, meta } of cases) {
        let thrown: unknown;
        try {
          decodeInput(input);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, label).to.be.instanceOf(error);
        expect(thrown, label).to.be.instanceOf(ParticleStateError);
        expect((thrown as ParticleStateError).meta, label).to.include(meta);
        names.add((thrown as Error).name);
      }
      // Every ParticleStateError subclass but the base has a case.
      expect(names.size).to.equal(13);
    });

    it("refuses trailing bytes after a state and a state cut short", () => {
      const bytes = encodeState(baseState());
      expect(() => decodeState(new Uint8Array([...bytes, 1, 2]))).to.throw(TrailingBytesError);
      expect(() => decodeState(bytes.subarray(0, bytes.length - 1))).to.throw(TruncatedStateError);
    });

    it("refuses to encode what it could not decode", () => {
      const state = baseState();
      expect(() => encodeState({ ...state, ox: 0.5 })).to.throw(InvalidArgumentError, "ox");
      expect(() => encodeState({ ...state, width: -1 })).to.throw(InvalidArgumentError, "width");
      expect(() => encodeState({ ...state, tick: 2 ** 32 })).to.throw(InvalidArgumentError, "tick");
      const nan = { ...state, particles: [{ x: Number.NaN, y: 0, vx: 0, vy: 0 }] };
      expect(() => encodeState(nan)).to.throw(InvalidArgumentError, "particles[0].x");
      const crowd = Array.from({ length: 70_000 }, () => ({ x: 150, y: 0, vx: 0, vy: 0 }));
      expect(() => encodeState({ ...state, particles: crowd })).to.throw(TooManyParticlesError);
      expect(() => encodeState({ ...state, radius: 0 })).to.throw(ParticleStateError);
      expect(() => encodeInput(state, 1.5)).to.throw(InvalidArgumentError, "ticks");
    });
  });

  describe("one tick, by hand", () => {
    it("swaps the velocities of a head-on pair", () => {
      const state: ParticleState = {
        ...oneParticle({ x: 100, y: 100, vx: 5, vy: 0 }),
        particles: [
          { x: 100, y: 100, vx: 5, vy: 0 },
          { x: 112, y: 100, vx: -5, vy: 0 },
        ],
      };
      // After the move they are 2 apart: dx = 2, dot = -10 * 2 = -20, jx = trunc(-20 * 2 / 4) = -10.
      expect(tick(state).particles).to.eql([
        { x: 105, y: 100, vx: -5, vy: 0 },
        { x: 107, y: 100, vx: 5, vy: 0 },
      ]);
    });

    it("truncates the impulse toward zero, not down", () => {
      const state: ParticleState = {
        ...oneParticle({ x: 50, y: 50, vx: 0, vy: 0 }),
        radius: 5,
        particles: [
          { x: 50, y: 50, vx: 0, vy: 0 },
          { x: 54, y: 53, vx: -1, vy: -1 },
        ],
      };
      // dx = 3, dy = 2, d2 = 13, dot = -5: jx = trunc(-15 / 13) = -1 (floor: -2), jy = trunc(-10 / 13) = 0 (floor: -1).
      expect(tick(state).particles).to.eql([
        { x: 50, y: 50, vx: -1, vy: 0 },
        { x: 53, y: 52, vx: 0, vy: -1 },
      ]);
    });

    it("lets receding and coincident pairs pass", () => {
      const receding: ParticleState = {
        ...oneParticle({ x: 100, y: 100, vx: -1, vy: 0 }),
        particles: [
          { x: 100, y: 100, vx: -1, vy: 0 },
          { x: 105, y: 100, vx: 1, vy: 0 },
        ],
      };
      const counts = newTickCounts();
      expect(tick(receding, counts).particles.map((p) => p.vx)).to.eql([-1, 1]);
      const coincident = { ...receding, particles: [receding.particles[0]!, { x: 100, y: 100, vx: 3, vy: 0 }] };
      expect(tick(coincident, counts).particles.map((p) => p.vx)).to.eql([-1, 3]);
      expect(counts.collisions).to.equal(0);
    });

    it("clamps a collision's result to VMAX", () => {
      const roomy = { ...oneParticle({ x: 0, y: 0, vx: 0, vy: 0 }), width: 400_000, height: 400_000 };
      const counts = newTickCounts();
      // After the move they are 1 apart in x, level in y: the whole relative x velocity (-2 VMAX) is exchanged.
      const headOn: ParticleState = {
        ...roomy,
        particles: [
          { x: 1000, y: 1000, vx: VMAX, vy: 0 },
          { x: 1001 + 2 * VMAX, y: 1001, vx: -VMAX, vy: -1 },
        ],
      };
      const [a, b] = tick(headOn, counts).particles;
      expect([a!.vx, a!.vy, b!.vx, b!.vy]).to.eql([-VMAX, 0, VMAX, -1]);
      expect(counts).to.include({ collisions: 1, clampedCollisions: 0 });

      // Moved to (3, 4) apart: jy = trunc(-14 VMAX * 4 / 25) = -2.24 VMAX pushes vy of both past VMAX.
      const oblique: ParticleState = {
        ...roomy,
        particles: [
          { x: 1000, y: 1000, vx: VMAX, vy: VMAX },
          { x: 1003 + 2 * VMAX, y: 1004 + 2 * VMAX, vx: -VMAX, vy: -VMAX },
        ],
      };
      const jx = Math.trunc((-14 * VMAX * 3) / 25);
      const [c, d] = tick(oblique, counts).particles;
      expect([c!.vx, c!.vy, d!.vx, d!.vy]).to.eql([VMAX + jx, -VMAX, -VMAX - jx, VMAX]);
      expect(counts).to.include({ collisions: 2, clampedCollisions: 1 });
    });

    it("reflects off a closed wall at radius from it", () => {
      const counts = newTickCounts();
      const west = tick(oneParticle({ x: 12, y: 500, vx: -5, vy: 0 }), counts);
      expect(west.particles).to.eql([{ x: 10, y: 500, vx: 5, vy: 0 }]);
      const northEast = tick(oneParticle({ x: 985, y: 980, vx: 100, vy: 200 }), counts);
      expect(northEast.particles).to.eql([{ x: 989, y: 989, vx: -100, vy: -200 }]);
      expect(counts.wallHits).to.equal(3);
    });

    it("keeps a particle within radius of an open border and lets it go once its centre crosses", () => {
      const stays = tick(oneParticle({ x: 3, y: 500, vx: -3, vy: 0 }, BORDER_WEST));
      expect(stays.particles).to.eql([{ x: 0, y: 500, vx: -3, vy: 0 }]);
      const counts = newTickCounts();
      const left = tick(stays, counts);
      expect(left.particles).to.eql([]);
      expect(left.emigrants).to.eql([{ x: -3, y: 500, vx: -3, vy: 0 }]);
      expect(counts.emigrations).to.equal(1);
    });

    it("checks an emigrant against no further border, and keeps the others in order", () => {
      // Leaves west and is below the south wall too: it emigrates and is not reflected.
      const state: ParticleState = {
        ...oneParticle({ x: 0, y: 0, vx: 0, vy: 0 }, BORDER_WEST | BORDER_EAST | BORDER_SOUTH | BORDER_NORTH),
        particles: [
          { x: 500, y: 500, vx: 0, vy: 0 },
          { x: 2, y: 2, vx: -5, vy: -5 },
          { x: 600, y: 600, vx: 0, vy: 0 },
          { x: 998, y: 500, vx: 5, vy: 0 },
        ],
        emigrants: [{ x: 1000, y: 10, vx: 1, vy: 0 }],
      };
      const next = tick(state);
      expect(next.particles.map((p) => p.x)).to.eql([500, 600]);
      expect(next.emigrants).to.eql([
        { x: 1000, y: 10, vx: 1, vy: 0 },
        { x: -3, y: -3, vx: -5, vy: -5 },
        { x: 1003, y: 500, vx: 5, vy: 0 },
      ]);
    });

    it("advances the tick counter, refuses to pass 2^32 - 1 and leaves its argument alone", () => {
      const state = baseState();
      const before = structuredClone(state);
      expect(tick(state).tick).to.equal(8);
      expect(state).to.eql(before);
      expect(() => tick({ ...state, tick: 2 ** 32 - 1 })).to.throw(TickOverflowError);
      expect(run(state, 0)).to.eql(state);
    });
  });

  describe("properties", () => {
    it("collisions conserve momentum exactly unless a velocity was clamped", () => {
      let collided = 0;
      let clamped = 0;
      fc.assert(
        fc.property(states, (state) => {
          const world = cloneState(state);
          move(world);
          applyBorders(world);
          const momentum = () => world.particles.reduce<[number, number]>(([x, y], p) => [x + p.vx, y + p.vy], [0, 0]);
          const before = momentum();
          const counts = newTickCounts();
          collide(world, counts);
          collided += counts.collisions;
          clamped += counts.clampedCollisions;
          if (counts.clampedCollisions === 0) expect(momentum()).to.eql(before);
        }),
        { numRuns: 400 },
      );
      expect(collided, "collisions seen").to.be.greaterThan(500);
      expect(clamped, "clamped collisions seen (excluded)").to.be.greaterThan(0);
    });

    it("after a tick every particle is inside the region, and radius clear of each closed border", () => {
      fc.assert(
        fc.property(states, fc.integer({ min: 1, max: 5 }), (state, ticks) => {
          const next = run(state, ticks);
          const { ox, oy, width, height, radius: r, borders } = next;
          for (const p of next.particles) {
            expect(p.x).to.be.within(
              borders & BORDER_WEST ? ox : ox + r,
              borders & BORDER_EAST ? ox + width - 1 : ox + width - 1 - r,
            );
            expect(p.y).to.be.within(
              borders & BORDER_SOUTH ? oy : oy + r,
              borders & BORDER_NORTH ? oy + height - 1 : oy + height - 1 - r,
            );
            expect(Math.abs(p.vx)).to.be.at.most(VMAX);
            expect(Math.abs(p.vy)).to.be.at.most(VMAX);
          }
          // Particles only become emigrants; the old emigrants stay first, in order.
          expect(next.particles.length + next.emigrants.length).to.equal(
            state.particles.length + state.emigrants.length,
          );
          expect(next.emigrants.slice(0, state.emigrants.length)).to.eql(state.emigrants);
          expect(next.tick).to.equal(state.tick + ticks);
          // The result is a valid state again (this is what makes outputs chain into the next task's input).
          expect(decodeState(encodeState(next))).to.eql(next);
        }),
        { numRuns: 300 },
      );
    });

    it("running a + b ticks is running a, then b", () => {
      fc.assert(
        fc.property(states, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (state, a, b) => {
          expect(run(run(state, a), b)).to.eql(run(state, a + b));
        }),
        { numRuns: 100 },
      );
    });

    it("randomState is a function of its seed and options", () => {
      expect(randomState(42, { particles: 30 })).to.eql(randomState(42, { particles: 30 }));
      expect(randomState(42, { particles: 30 })).to.not.eql(randomState(43, { particles: 30 }));
      expect(randomState(7, { particles: 12, emigrants: 2 }).emigrants).to.have.length(2);
    });
  });
});
