import { expect } from "chai";
import fc from "fast-check";

import { decodeInput, encodeInput, encodeState, newTickCounts, run } from "../../sdk/src/domain/particles/index.js";
import { stateArb } from "./helpers/arbitraries.js";
import { abortName, inProcessRunner } from "./helpers/particlesWasm.js";
import { invalidInputs } from "./helpers/invalidInputs.js";

/**
 * The WASM program against the TypeScript reference: the same output bytes for every valid input, and the same
 * refusal (the error's name) for every invalid one. The counts prove the rules under test really fired.
 */
describe("particle world: WASM program vs TypeScript reference", () => {
  const runWasm = inProcessRunner();

  it("agree byte for byte on thousands of random states (and every rule fires)", () => {
    const counts = newTickCounts();
    let runs = 0;
    fc.assert(
      fc.property(stateArb({ maxParticles: 64 }), fc.integer({ min: 1, max: 20 }), (state, ticks) => {
        const input = encodeInput(state, ticks);
        const result = runWasm(input);
        expect(result).to.deep.include({ ok: true });
        expect(result.ok && result.output).to.eql(encodeState(run(state, ticks, counts)));
        runs++;
      }),
      { numRuns: 3000 },
    );
    expect(runs).to.equal(3000);
    // Typical runs see 5 to 15 times these floors. Without them, a change that stopped a rule from firing (a generator
    // that no longer crowds particles, say) would leave this test passing vacuously for that rule.
    expect(counts.collisions, "collisions").to.be.greaterThan(20_000);
    expect(counts.clampedCollisions, "collisions that clamped").to.be.greaterThan(500);
    expect(counts.wallHits, "wall hits").to.be.greaterThan(20_000);
    expect(counts.emigrations, "emigrations").to.be.greaterThan(5_000);
  });

  it("refuse each invalid input for the reason the reference names", () => {
    for (const { label, input, error } of invalidInputs()) {
      const result = runWasm(input);
      expect(result.ok, label).to.equal(false);
      expect(!result.ok && abortName(result.abort), label).to.equal(error.name);
    }
  });

  it("agree on mutated inputs: both accept with the same output, or both refuse with the same error", () => {
    let refused = 0;
    fc.assert(
      fc.property(
        stateArb({ maxParticles: 8 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -3, max: 3 }),
        (state, ticks, flips, resize) => {
          const valid = encodeInput(state, ticks);
          const length = Math.max(0, valid.length + resize);
          const input = new Uint8Array(length);
          input.set(valid.subarray(0, length));
          for (const [at, byte] of flips) if (length > 0) input[at % length] = byte;

          let expected: { ok: true; output: Uint8Array } | { ok: false; name: string };
          try {
            const decoded = decodeInput(input);
            expected = { ok: true, output: encodeState(run(decoded.state, decoded.ticks)) };
          } catch (e) {
            expected = { ok: false, name: (e as Error).name };
          }
          const actual = runWasm(input);
          if (expected.ok) {
            expect(actual).to.eql(expected);
          } else {
            refused++;
            expect(actual.ok).to.equal(false);
            expect(!actual.ok && abortName(actual.abort)).to.equal(expected.name);
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect(refused, "mutations refused").to.be.greaterThan(500);
  });
});
