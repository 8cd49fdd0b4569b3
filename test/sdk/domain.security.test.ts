import { expect } from "chai";

import {
  CommitteeTargetUnreachableError,
  InvalidArgumentError,
  binomialPmf,
  binomialTail,
  binomialTailLog,
  committeeFailure,
  escalationLadder,
  suggestCommittee,
  wrongFinalAtP,
} from "../../sdk/src/index.js";

// Plain booleans for float comparisons: hardhat-ethers' chai matchers read non-integer numbers in `closeTo` as bigints.
const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(
    Math.abs(actual - expected) <= relative * Math.abs(expected),
    `${actual} within ${relative} of ${expected}`,
  ).to.equal(true);

const log2Tail = (n: number, k: number, p: number) => binomialTailLog(n, k, p) / Math.LN2;

/** The binomial committee model (DESIGN.md rule 3: stake-weighted draws with replacement are Binomial(seats, p)). */
describe("SDK domain: committee security", function () {
  describe("binomial tails", function () {
    it("match exact rational values", function () {
      close(binomialTail(5, 3, 1 / 3), 51 / 243);
      close(binomialTail(9, 5, 0.5), 0.5);
      close(binomialTail(4, 2, 0.5), 11 / 16);
      close(binomialTail(3, 2, 0.1), 0.028);
      close(binomialPmf(4, 2, 0.5), 6 / 16);
    });

    it("reproduce the sampling table of reference/mission-anchors.md §5.4 to its 0.1 in log2", function () {
      // log2 P[adversary reaches a simple majority > n/2], rows n = 16, 32, 64, 128, 256.
      const majority: Record<string, number[]> = {
        "0.1": [-17.4, -29.5, -53.6, -101.2, -196.0],
        "0.2": [-9.4, -14.9, -25.6, -46.7, -88.4],
        "0.25": [-7.1, -10.7, -17.7, -31.5, -58.5],
        [String(1 / 3)]: [-4.3, -5.9, -9.0, -14.8, -26.1],
      };
      // log2 P[adversary reaches >= ceil(2n/3)], rows n = 16, 32, 64, 111, 128, 256.
      const twoThirds: Record<string, number[]> = {
        "0.1": [-25.1, -48.6, -90.8, -153.1, -178.9, -350.4],
        "0.2": [-14.9, -28.2, -51.2, -85.3, -99.9, -193.7],
        "0.25": [-11.8, -22.0, -39.3, -64.8, -76.1, -146.5],
        [String(1 / 3)]: [-8.0, -14.4, -24.9, -40.2, -47.4, -89.8],
      };
      for (const [p, row] of Object.entries(majority)) {
        [16, 32, 64, 128, 256].forEach((n, i) => {
          expect(log2Tail(n, Math.floor(n / 2) + 1, Number(p)).toFixed(1)).to.equal(row[i]!.toFixed(1));
        });
      }
      for (const [p, row] of Object.entries(twoThirds)) {
        [16, 32, 64, 111, 128, 256].forEach((n, i) => {
          expect(log2Tail(n, Math.ceil((2 * n) / 3), Number(p)).toFixed(1)).to.equal(row[i]!.toFixed(1));
        });
      }
    });

    it("keep relative precision in tails far below 1e-9, and below the smallest double in log space", function () {
      close(binomialTail(79, 79, 0.1), 1e-79, 1e-12);
      close(binomialTail(2, 2, 1e-6), 1e-12, 1e-12);
      // P(Bin(64, 1e-3) >= 33) is C(64, 33) 1e-99 (1 - 1e-3)^31 to 1e-3 relative (the next term is 31/34 1e-3).
      const first = binomialPmf(64, 33, 1e-3);
      close(binomialTail(64, 33, 1e-3), first * (1 + (31 / 34) * (1e-3 / (1 - 1e-3))), 1e-6);
      // 0.1^400 = 1e-400 underflows a double; its logarithm does not.
      close(binomialTailLog(400, 400, 0.1), 400 * Math.log(0.1), 1e-12);
      expect(binomialTail(400, 400, 0.1)).to.equal(0);
      // A committee far beyond the contracts' sizes neither overflows nor loses the head.
      close(binomialTail(100_000, 10_001, 0.1), 0.5 - 0.5 * 0.0026596, 1e-2);
    });

    it("handle the edges and refuse bad arguments", function () {
      expect(binomialTail(9, 0, 0.3)).to.equal(1);
      expect(binomialTail(9, -2, 0.3)).to.equal(1);
      expect(binomialTail(9, 10, 0.3)).to.equal(0);
      expect(binomialTail(9, 5, 0)).to.equal(0);
      expect(binomialTail(9, 5, 1)).to.equal(1);
      expect(binomialTail(0, 0, 0.5)).to.equal(1);
      expect(binomialTailLog(9, 10, 0.3)).to.equal(-Infinity);
      expect(binomialPmf(9, 2.5, 0.3)).to.equal(0);
      expect(binomialPmf(9, 0, 0)).to.equal(1);
      expect(binomialPmf(9, 9, 1)).to.equal(1);
      for (const bad of [() => binomialTail(9, 5, 1.5), () => binomialTail(9, 5, Number.NaN)]) {
        expect(bad).to.throw(InvalidArgumentError);
      }
      expect(() => binomialTail(-1, 0, 0.5)).to.throw(InvalidArgumentError);
      expect(() => binomialTail(9, 2.5, 0.5)).to.throw(InvalidArgumentError);
      expect(() => committeeFailure(5n, 6n, 0.1)).to.throw(InvalidArgumentError);
      expect(() => committeeFailure(0, 0, 0.1)).to.throw(InvalidArgumentError);
    });

    it("sum to one and grow with the share", function () {
      for (const n of [1, 9, 19, 79, 300]) {
        let sum = 0;
        for (let k = 0; k <= n; k++) sum += binomialPmf(n, k, 0.37);
        close(sum, 1, 1e-12);
      }
      let last = -1;
      for (let i = 0; i <= 40; i++) {
        const t = committeeFailure(19n, 10n, i / 40);
        expect(t >= last, `monotone at ${i / 40}`).to.equal(true);
        last = t;
      }
    });
  });

  describe("the escalation ladder", function () {
    it("keeps a 1/3 adversary's chance of a final wrong result at 1.608e-7 for 9 seats and 3 escalations", function () {
      const ladder = escalationLadder(9n, 5n, 3n);
      close(wrongFinalAtP(ladder, 1 / 3), 1.608e-7, 1e-3);
      close(committeeFailure(9n, 5n, 1 / 3), binomialTail(9, 5, 1 / 3));
      expect(wrongFinalAtP(ladder, 0)).to.equal(0);
      expect(wrongFinalAtP(ladder, 1)).to.equal(1);
    });
  });

  describe("suggestCommittee", function () {
    it("finds the smallest committee that meets the target, with its chances", function () {
      const s = suggestCommittee({ adversaryShare: 0.1, target: 1e-9 });
      expect([s.seats, s.quorum]).to.deep.equal([34n, 18n]);
      close(s.failure, committeeFailure(34n, 18n, 0.1));
      expect(s.failure <= 1e-9 && committeeFailure(33n, 17n, 0.1) > 1e-9).to.equal(true);
      // Holding 17 of 34 seats keeps the others at 17, short of 18.
      close(s.stall, binomialTail(34, 17, 0.1));
      expect(suggestCommittee({ adversaryShare: 0, target: 0 })).to.deep.equal({
        seats: 1n,
        quorum: 1n,
        failure: 0,
        stall: 0,
      });
    });

    it("prefers the even size below an odd one, unless asked for odd sizes", function () {
      const any = suggestCommittee({ adversaryShare: 0.2, target: 1e-6 });
      const odd = suggestCommittee({ adversaryShare: 0.2, target: 1e-6, odd: true });
      expect([any.seats, any.quorum, odd.seats, odd.quorum]).to.deep.equal([48n, 25n, 51n, 26n]);
      // 49 seats need the same 25 as 48 but give the adversary one more draw: weaker.
      expect(committeeFailure(49n, 25n, 0.2) > committeeFailure(48n, 25n, 0.2)).to.equal(true);
      close(odd.stall, odd.failure);
    });

    it("names the target it cannot reach within the seats allowed, with the best it found", function () {
      let error: unknown;
      try {
        suggestCommittee({ adversaryShare: 1 / 3, target: 1e-9 });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(CommitteeTargetUnreachableError);
      const e = error as CommitteeTargetUnreachableError;
      expect([e.maxSeats, e.target, e.best.seats, e.best.quorum]).to.deep.equal([64, 1e-9, 64n, 33n]);
      close(e.best.failure, committeeFailure(64n, 33n, 1 / 3));
      // Beyond a task's 64 seats the answer exists (the escalation ladder reaches such sizes).
      const wide = suggestCommittee({ adversaryShare: 1 / 3, target: 1e-9, maxSeats: 1_000 });
      expect(wide.seats).to.equal(300n);
      // A half share carries any strict majority at least a quarter of the time (2 seats, both needed, is its best).
      try {
        suggestCommittee({ adversaryShare: 0.5, target: 0.2, maxSeats: 500 });
        expect.fail("a half share cannot be held to 0.2");
      } catch (e) {
        expect(e).to.be.instanceOf(CommitteeTargetUnreachableError);
        expect((e as CommitteeTargetUnreachableError).best).to.deep.equal({ seats: 2n, quorum: 2n, failure: 0.25 });
      }
    });

    it("refuses bad options", function () {
      expect(() => suggestCommittee({ adversaryShare: -0.1, target: 1e-9 })).to.throw(InvalidArgumentError);
      expect(() => suggestCommittee({ adversaryShare: 0.1, target: 2 })).to.throw(InvalidArgumentError);
      expect(() => suggestCommittee({ adversaryShare: 0.1, target: 1e-9, maxSeats: 0 })).to.throw(InvalidArgumentError);
      expect(() => suggestCommittee({ adversaryShare: 0.1, target: 1e-9, maxSeats: 1.5 })).to.throw(
        InvalidArgumentError,
      );
    });
  });
});
