import { expect } from "chai";

import { cliRunner, expectFailure, expectOk } from "./helpers.js";

/** Independent of `domain/security.ts`: the binomial tail summed term by term with exact binomial coefficients. */
function tail(n: number, k: number, p: number): number {
  let sum = 0;
  let choose = 1; // C(n, 0)
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += choose * p ** i * (1 - p) ** (n - i);
    choose = (choose * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * |actual - expected| <= tolerance, by hand: in the full suite the ethers matchers plugin takes over chai's number
 * comparisons and refuses non-integers.
 */
function expectNear(actual: number, expected: number, tolerance: number, what = ""): void {
  expect(Math.abs(actual - expected) <= tolerance, `${what} ${actual} vs ${expected} (±${tolerance})`).to.equal(true);
}

/** `cohort security` needs no chain: the binomial law of the draws. */
describe("CLI: security committees and suggest", function () {
  const cli = cliRunner(undefined);

  it("tabulates the chance a share carries the strict-majority quorum, for each size and share", async function () {
    const run = await cli(["security", "committees", "--seats", "1,3,9,20", "--share", "0.2,1/3"]);
    expectOk(run);
    const rows = run.doc.rows as { seats: number; quorum: number; failure: number[] }[];
    expect(rows.map((r) => [r.seats, r.quorum])).to.deep.equal([
      [1, 1],
      [3, 2],
      [9, 5],
      [20, 11],
    ]);
    expect(run.doc.shares).to.deep.equal([0.2, 1 / 3]);
    for (const r of rows) {
      for (const [i, p] of [0.2, 1 / 3].entries()) {
        const expected = tail(r.seats, r.quorum, p);
        expectNear(r.failure[i]!, expected, 1e-12 + 1e-9 * expected, `${r.seats} seats at ${p}`);
      }
    }
    // One seat: the adversary holds it with its share.
    expectNear(rows[0]!.failure[0]!, 0.2, 1e-15);
    // Three seats at 0.2: 3 * 0.2^2 * 0.8 + 0.2^3.
    expectNear(rows[1]!.failure[0]!, 0.104, 1e-15);
  });

  it("with --ladder, multiplies the steps: a wrong result must carry every round a challenge opens", async function () {
    const run = await cli(["security", "committees", "--seats", "9", "--share", "0.25", "--ladder", "9,19,39"]);
    expectOk(run);
    const expected = tail(9, 5, 0.25) * tail(19, 10, 0.25) * tail(39, 20, 0.25);
    expectNear((run.doc.wrongFinal as number[])[0]!, expected, expected * 1e-9);
    const human = await cli(["security", "committees", "--seats", "9", "--share", "0.25", "--ladder", "9,19,39"], {
      json: false,
    });
    expect(human.stdout).to.contain("ladder 9/19/39");
    expect(human.stdout).to.contain("p = 0.25");
  });

  it("suggests the smallest committee under the target, and its stall chance", async function () {
    const run = await cli(["security", "suggest", "--share", "0.2", "--target", "1e-6", "--odd"]);
    expectOk(run);
    const seats = Number(run.doc.seats as string);
    const quorum = Number(run.doc.quorum as string);
    expect(seats % 2).to.equal(1);
    expect(quorum).to.equal(Math.floor(seats / 2) + 1);
    expect(tail(seats, quorum, 0.2) <= 1e-6, "meets the target").to.equal(true);
    // The next odd size down misses the target: this is the smallest.
    expect(tail(seats - 2, Math.floor((seats - 2) / 2) + 1, 0.2) > 1e-6, "the size below misses it").to.equal(true);
    expectNear(run.doc.stall as number, tail(seats, seats - quorum + 1, 0.2), 1e-12);
  });

  it("an unreachable target is a named error (2): at one half, no size will do", async function () {
    const run = await cli(["security", "suggest", "--share", "1/2", "--target", "1e-3"]);
    expectFailure(run, 2, "CommitteeTargetUnreachableError");
  });

  for (const [args, option] of [
    [["committees", "--seats", "0"], "seats"],
    [["committees", "--seats", "3,,5"], "seats"],
    [["committees", "--share", "1.5"], "share"],
    [["committees", "--share", "2/1"], "share"],
    [["committees", "--share", "abc"], "share"],
    [["suggest", "--share", "0.2", "--target", "-1"], "target"],
    [["suggest", "--share", "0.2", "--target", "1e-9", "--max-seats", "x"], "max-seats"],
  ] as const) {
    it(`refuses ${args.join(" ")} with InvalidArgumentError (2) naming --${option}`, async function () {
      const run = await cli(["security", ...args]);
      expectFailure(run, 2, "InvalidArgumentError");
      expect(JSON.stringify(run.doc.error)).to.contain(option);
    });
  }
});
