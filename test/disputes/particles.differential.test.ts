import { expect } from "chai";
import { keccak256 } from "ethers";
import fc from "fast-check";
import { network } from "hardhat";

import {
  decodeInput,
  encodeInput,
  encodeState,
  newTickCounts,
  type ParticleState,
  randomState,
  run,
  tick,
  VMAX,
} from "../../sdk/src/domain/particles/index.js";
import { stateArb } from "../programs/helpers/arbitraries.js";
import { invalidInputs } from "../programs/helpers/invalidInputs.js";
import { inProcessRunner, particlesWasm } from "../programs/helpers/particlesWasm.js";

/**
 * The Solidity one-step verifier against the TypeScript reference and the WASM program: the same next state, byte
 * for byte, for thousands of random states (and along short traces, so that states many ticks in are checked too);
 * the same refusal, with the same values, for every invalid input. The tick counts prove the rules really fired.
 */
const { ethers } = await network.create();

const PROGRAM_ID = keccak256(particlesWasm());
const verifier = await ethers.deployContract("ParticleStepVerifier", [PROGRAM_ID]);
const MAX_STEP_PARTICLES = Number(await verifier.maxStepParticles());
const runWasm = inProcessRunner();

const hex = (bytes: Uint8Array): string => ethers.hexlify(bytes);
const solidityStep = async (state: Uint8Array): Promise<string> => await verifier.stepState(keccak256(state), state);

/** The verifier's error name and arguments for a reverted call, or undefined if it did not revert. */
async function refusal(call: Promise<unknown>): Promise<{ name: string; args: unknown[] } | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data === undefined ? null : verifier.interface.parseError(data);
    if (parsed === null) throw error;
    return { name: parsed.name, args: [...parsed.args] };
  }
}

/** The SDK's `TruncatedStateError` is the verifier's `ParticleStepVerifierTruncatedState`, and so on. */
const solidityName = (sdkName: string): string => `ParticleStepVerifier${sdkName.replace(/Error$/, "")}`;

describe("particle world: Solidity step verifier vs TypeScript reference vs WASM", () => {
  it("step to the same next state on thousands of random states (and every rule fires)", async () => {
    const counts = newTickCounts();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(stateArb({ maxParticles: 64 }), async (state) => {
        const before = encodeState(state);
        const expected = encodeState(tick(state, counts));
        const wasm = runWasm(encodeInput(state, 1));
        expect(wasm.ok && hex(wasm.output), "WASM").to.equal(hex(expected));
        expect(await solidityStep(before), "Solidity").to.equal(hex(expected));
        expect(await verifier.step(keccak256(before), before)).to.equal(keccak256(expected));
        runs++;
      }),
      { numRuns: 2500 },
    );
    expect(runs).to.equal(2500);
    // Typical runs see about twice these floors (43,000 collisions, 3,300 clamped, 30,000 wall hits, 25,000
    // emigrations). Without them a generator that stopped crowding particles, say, would leave this test passing
    // without checking that rule.
    expect(counts.collisions, "collisions").to.be.greaterThan(20_000);
    expect(counts.clampedCollisions, "collisions that clamped").to.be.greaterThan(1_500);
    expect(counts.wallHits, "wall hits").to.be.greaterThan(15_000);
    expect(counts.emigrations, "emigrations").to.be.greaterThan(12_000);
  });

  it("agree at every tick of short traces: each state stepped on-chain is the reference's next one", async () => {
    const counts = newTickCounts();
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(stateArb({ maxParticles: 32 }), fc.integer({ min: 2, max: 12 }), async (state, ticks) => {
        let current = state;
        for (let t = 0; t < ticks; t++) {
          const next = tick(current, counts);
          expect(await solidityStep(encodeState(current)), `tick ${t + 1}`).to.equal(hex(encodeState(next)));
          current = next;
          steps++;
        }
        const wasm = runWasm(encodeInput(state, ticks));
        expect(wasm.ok && hex(wasm.output), "WASM, all ticks at once").to.equal(hex(encodeState(current)));
      }),
      { numRuns: 250 },
    );
    // Typical: 1,650 steps, 3,200 collisions, 150 clamped, 2,600 emigrations.
    expect(steps).to.be.greaterThan(1_300);
    expect(counts.collisions, "collisions").to.be.greaterThan(1_500);
    expect(counts.clampedCollisions, "collisions that clamped").to.be.greaterThan(40);
    expect(counts.emigrations, "emigrations").to.be.greaterThan(1_200);
  });

  it("step regions up to MAX_STEP_PARTICLES particles, crowded, and refuse one more by name", async () => {
    for (const particles of [64, MAX_STEP_PARTICLES]) {
      const counts = newTickCounts();
      const state = randomState(particles, { particles, radius: 40, clustering: 0.9 });
      const expected = encodeState(tick(state, counts));
      expect(await solidityStep(encodeState(state))).to.equal(hex(expected));
      expect(counts.collisions, `collisions at ${particles}`).to.be.greaterThan(particles / 4);
    }
    const tooLarge = randomState(7, { particles: MAX_STEP_PARTICLES + 1, emigrants: 2 });
    const bytes = encodeState(tooLarge);
    expect(await refusal(solidityStep(bytes))).to.eql({
      name: "ParticleStepVerifierRegionTooLarge",
      args: [BigInt(MAX_STEP_PARTICLES + 1), BigInt(MAX_STEP_PARTICLES)],
    });
    expect(await refusal(verifier.initialState(encodeInput(tooLarge, 3)))).to.eql({
      name: "ParticleStepVerifierRegionTooLarge",
      args: [BigInt(MAX_STEP_PARTICLES + 1), BigInt(MAX_STEP_PARTICLES)],
    });
  });

  it("step the worst case at the bound (every pair overlapping and colliding) well under the transaction cap", async () => {
    // A line of particles within 2r of each other whose velocities decrease along it: the collision phase becomes an
    // exchange sort in which every one of the n(n-1)/2 pairs approaches and swaps velocities.
    const worst = (n: number): ParticleState => ({
      ox: 0,
      oy: 0,
      width: 1_000_000,
      height: 1_000_000,
      radius: 4096,
      borders: 0,
      tick: 0,
      particles: Array.from({ length: n }, (_, i) => ({ x: 500_000 + 205 * i, y: 500_000, vx: -200 * i, vy: 0 })),
      emigrants: [],
    });
    for (const [n, limit] of [
      [64, 2_000_000],
      [MAX_STEP_PARTICLES, 16_777_216 / 2],
    ] as const) {
      const counts = newTickCounts();
      const state = worst(n);
      const bytes = encodeState(state);
      expect(await solidityStep(bytes)).to.equal(hex(encodeState(tick(state, counts))));
      expect(counts.collisions).to.equal((n * (n - 1)) / 2);
      expect(await verifier.step.estimateGas(keccak256(bytes), bytes), `gas at ${n}`).to.be.lessThan(limit);
    }
  });

  it("keep every emigrant in order: the old ones copied, the new ones appended", async () => {
    // Three particles, two of which leave through the open west border in one tick; three emigrants already there.
    const state: ParticleState = {
      ox: 0,
      oy: 0,
      width: 1000,
      height: 1000,
      radius: 5,
      borders: 0b0001,
      tick: 41,
      particles: [
        { x: 3, y: 500, vx: -10, vy: 0 },
        { x: 500, y: 500, vx: 1, vy: 1 },
        { x: 2, y: 10, vx: -VMAX, vy: 7 },
      ],
      emigrants: [
        { x: -1, y: 1, vx: -1, vy: 0 },
        { x: -VMAX, y: 3, vx: -VMAX, vy: VMAX },
        { x: -5, y: 999 + VMAX, vx: 0, vy: VMAX },
      ],
    };
    const next = tick(state);
    expect(next.particles).to.have.length(1);
    expect(next.emigrants).to.have.length(5);
    expect(next.tick).to.equal(42);
    expect(await solidityStep(encodeState(state))).to.equal(hex(encodeState(next)));
  });

  it("refuse a state that does not hash to the agreed pre-state hash", async () => {
    const bytes = encodeState(randomState(1, { particles: 3 }));
    const agreed = keccak256(encodeState(randomState(2, { particles: 3 })));
    expect(await refusal(verifier.step(agreed, bytes))).to.eql({
      name: "StepVerifierPreStateMismatch",
      args: [agreed, keccak256(bytes)],
    });
  });

  it("refuse to step a tick counter at 2^32 - 1", async () => {
    const bytes = encodeState(randomState(3, { particles: 2, tick: 2 ** 32 - 1 }));
    expect(await refusal(solidityStep(bytes))).to.eql({
      name: "ParticleStepVerifierTickOverflow",
      args: [2n ** 32n - 1n, 1n],
    });
  });

  it("start a trace where the input's state starts, with its tick count as the trace length", async () => {
    const state = randomState(4, { particles: 10, emigrants: 2, tick: 1000 });
    const [stateHash, steps] = await verifier.initialState(encodeInput(state, 77));
    expect(stateHash).to.equal(keccak256(encodeState(state)));
    expect(steps).to.equal(77n);
    expect(await verifier.programId()).to.equal(PROGRAM_ID);
  });

  it("refuse each invalid input for the reason, and with the values, the reference names", async () => {
    for (const { label, input, error, meta } of invalidInputs()) {
      const got = await refusal(verifier.initialState(input));
      expect(got?.name, label).to.equal(solidityName(error.name));
      const fragment = verifier.interface.getError(got!.name)!;
      // Every value the reference reports that the Solidity error also carries must be equal.
      fragment.inputs.forEach((param, i) => {
        if (!(param.name in meta)) return;
        const expected = meta[param.name];
        const actual = got!.args[i];
        if (param.type === "bytes32") expect(ethers.decodeBytes32String(actual as string), label).to.equal(expected);
        else if (param.type === "bytes4") expect(ethers.toUtf8String(actual as string), label).to.equal(expected);
        else expect(actual, `${label}: ${param.name}`).to.equal(BigInt(expected as number));
      });
    }
  });

  it("agree on mutated inputs: both accept with the same start, or both refuse with the same error", async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        stateArb({ maxParticles: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -3, max: 3 }),
        async (state, ticks, flips, resize) => {
          const valid = encodeInput(state, ticks);
          const length = Math.max(0, valid.length + resize);
          const input = new Uint8Array(length);
          input.set(valid.subarray(0, length));
          for (const [at, byte] of flips) if (length > 0) input[at % length] = byte;

          let decoded: ReturnType<typeof decodeInput> | undefined;
          let expectedError: string | undefined;
          try {
            decoded = decodeInput(input);
          } catch (e) {
            expectedError = (e as Error).name;
          }
          const got = await refusal(verifier.initialState(input));
          if (decoded !== undefined) {
            expect(got).to.equal(undefined);
            const [stateHash, steps] = await verifier.initialState(input);
            expect(stateHash).to.equal(keccak256(encodeState(decoded.state)));
            expect(steps).to.equal(BigInt(decoded.ticks));
            // And the decoded state steps as the reference says, when a tick is left on its counter.
            if (decoded.state.tick < 2 ** 32 - 1) {
              const bytes = encodeState(decoded.state);
              expect(await solidityStep(bytes)).to.equal(hex(encodeState(run(decoded.state, 1))));
            }
          } else {
            refused++;
            expect(got?.name).to.equal(solidityName(expectedError!));
          }
        },
      ),
      { numRuns: 1000 },
    );
    expect(refused, "mutations refused").to.be.greaterThan(300);
  });
});
