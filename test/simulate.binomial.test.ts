import { expect } from "chai";

import {
  agrees,
  binomialPmf,
  falseAlarm,
  binomialTail,
  eligibleAdversarialShare,
  escalationLadder,
  standardError,
  stepCaptured,
  wrongFinalAtP,
} from "../scripts/simulate/binomial.js";

const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(Math.abs(actual - expected)).to.be.at.most(relative * Math.abs(expected) + 1e-300);

describe("simulation prediction math (scripts/simulate/binomial.ts)", function () {
  describe("binomialTail", function () {
    it("matches exact rational values", function () {
      // P(Bin(5, 1/3) >= 3) = (10 * 4 + 5 * 2 + 1) / 3^5
      close(binomialTail(5, 3, 1 / 3), 51 / 243);
      // P(Bin(9, 1/2) >= 5) = 1/2 by symmetry of an odd number of fair trials
      close(binomialTail(9, 5, 0.5), 0.5);
      // P(Bin(4, 1/2) >= 2) = 11/16
      close(binomialTail(4, 2, 0.5), 11 / 16);
      // P(Bin(3, 0.1) >= 2) = 3 * 0.01 * 0.9 + 0.001
      close(binomialTail(3, 2, 0.1), 0.028);
    });

    it("keeps relative precision in tiny tails", function () {
      // P(Bin(79, 0.1) >= 79) = 1e-79: only the last term
      close(binomialTail(79, 79, 0.1), 1e-79, 1e-9);
      // Above the mean the terms shrink at least geometrically, by r = pmf(41) / pmf(40) = (39 / 41) (0.1 / 0.9)
      const first = binomialPmf(79, 40, 0.1);
      const r = (39 / 41) * (0.1 / 0.9);
      expect(binomialTail(79, 40, 0.1)).to.be.within(first * (1 + r), first / (1 - r));
    });

    it("handles the edges", function () {
      expect(binomialTail(9, 0, 0.3)).to.equal(1);
      expect(binomialTail(9, -2, 0.3)).to.equal(1);
      expect(binomialTail(9, 10, 0.3)).to.equal(0);
      expect(binomialTail(9, 5, 0)).to.equal(0);
      expect(binomialTail(9, 5, 1)).to.equal(1);
      expect(binomialTail(9, 9, 1)).to.equal(1);
      expect(binomialTail(0, 0, 0.5)).to.equal(1);
      expect(binomialTail(0, 1, 0.5)).to.equal(0);
      expect(() => binomialTail(9, 5, 1.5)).to.throw(RangeError);
      expect(() => binomialTail(9, 5, Number.NaN)).to.throw(RangeError);
      expect(() => binomialTail(-1, 0, 0.5)).to.throw(RangeError);
      expect(() => binomialTail(9, 2.5, 0.5)).to.throw(RangeError);
    });

    it("pmf sums to one and the tail is monotone in p", function () {
      for (const n of [1, 9, 19, 79]) {
        let sum = 0;
        for (let k = 0; k <= n; k++) sum += binomialPmf(n, k, 0.37);
        close(sum, 1, 1e-12);
      }
      let last = -1;
      for (let p = 0; p <= 1.0000001; p += 0.05) {
        const t = binomialTail(19, 10, Math.min(p, 1));
        expect(t).to.be.at.least(last);
        last = t;
      }
    });
  });

  describe("escalation ladder", function () {
    it("doubles plus one with a strict-majority quorum", function () {
      expect(escalationLadder(9, 5, 3)).to.deep.equal([
        { seats: 9, quorum: 5 },
        { seats: 19, quorum: 10 },
        { seats: 39, quorum: 20 },
        { seats: 79, quorum: 40 },
      ]);
      expect(escalationLadder(5, 3, 0)).to.deep.equal([{ seats: 5, quorum: 3 }]);
      expect(() => escalationLadder(9, 4, 3)).to.throw(RangeError);
      expect(() => escalationLadder(9, 10, 3)).to.throw(RangeError);
    });

    it("the defaults keep a 1/3 adversary's final-result chance at or below 1e-6", function () {
      const ladder = escalationLadder(9, 5, 3);
      const atThird = wrongFinalAtP(ladder, 1 / 3);
      // Plain booleans: the chai matchers of hardhat-ethers read non-integer numbers in `most`/`closeTo` as bigints.
      expect(atThird <= 1e-6, `${atThird} <= 1e-6`).to.equal(true);
      expect(Math.abs(atThird - 1.608e-7) < 1e-10, `${atThird} ~ 1.608e-7`).to.equal(true);
      close(stepCaptured(ladder[0]!, 1 / 3), binomialTail(9, 5, 1 / 3));
      // A majority adversary carries larger committees more often: the ladder is no help there.
      expect(stepCaptured(ladder[3]!, 0.6)).to.be.greaterThan(stepCaptured(ladder[0]!, 0.6));
      expect(wrongFinalAtP(ladder, 0)).to.equal(0);
      expect(wrongFinalAtP(ladder, 1)).to.equal(1);
    });
  });

  describe("eligible adversarial share", function () {
    it("removes the excluded members' weight", function () {
      const weights = new Map([
        ["a", 10n],
        ["b", 10n],
        ["c", 10n],
        ["d", 10n],
      ]);
      const bad = new Set(["a", "b"]);
      expect(eligibleAdversarialShare(weights, bad, new Set())).to.equal(0.5);
      expect(eligibleAdversarialShare(weights, bad, new Set(["a"]))).to.equal(1 / 3);
      expect(eligibleAdversarialShare(weights, bad, new Set(["a", "b"]))).to.equal(0);
      expect(eligibleAdversarialShare(weights, bad, new Set(["a", "b", "c", "d"]))).to.equal(null);
    });
  });

  describe("agreement", function () {
    it("uses 3 standard errors plus a half-count continuity correction", function () {
      expect(standardError(0.5, 100)).to.equal(0.05);
      // pred 0.5 over 100 trials: tolerance 0.15 + 0.005
      expect(agrees(0.655, 0.5, 100)).to.equal(true);
      expect(agrees(0.656, 0.5, 100)).to.equal(false);
      // A tiny prediction agrees with a count of 0, not with a count of 1
      expect(agrees(0, 1e-12, 400)).to.equal(true);
      expect(agrees(1 / 400, 1e-12, 400)).to.equal(false);
      expect(() => agrees(0.1, 0.1, 0)).to.throw(RangeError);
    });

    it("has a small, exactly computed false-alarm rate", function () {
      // pred 0.5 over 100 trials: rejects x <= 34 or x >= 66, i.e. 2 P(Bin(100, 1/2) >= 66)
      close(falseAlarm(0.5, 100), 2 * binomialTail(100, 66, 0.5), 1e-9);
      // A tiny prediction over 30 trials: one event passes (|1/30 - 8.9e-4| is within tolerance), two do not
      const tiny = binomialTail(9, 5, 0.1);
      expect(agrees(1 / 30, tiny, 30)).to.equal(true);
      close(falseAlarm(tiny, 30), binomialTail(30, 2, tiny), 1e-9);
      expect(falseAlarm(0, 30)).to.equal(0);
      expect(falseAlarm(0.3786, 400)).to.be.below(0.01);
    });
  });
});
