import { expect } from "chai";
import fc from "fast-check";

import {
  BPS,
  DomainRevertError,
  InvalidArgumentError,
  PanicError,
  RewardMathExposureOverflowError,
  RewardMathFractionTooLargeError,
  RewardMathSeatsExceedTotalError,
  RewardMathZeroTotalSeatsError,
  bondSlash,
  corruptionCost,
  seatShare,
  settlementSplit,
  splitPot,
} from "../../sdk/src/index.js";

const MAX = (1n << 256n) - 1n;

/** Runs `fn` and returns what it threw (the test fails if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return expect.fail("expected a throw");
}

/** The error `fn` throws is a `DomainRevertError` with exactly this name and these arguments. */
function expectRevert(fn: () => unknown, errorName: string, args: Record<string, bigint> = {}) {
  const error = thrown(fn);
  expect(error).to.be.instanceOf(DomainRevertError);
  expect((error as DomainRevertError).errorName).to.equal(errorName);
  expect((error as DomainRevertError).args).to.deep.equal(args);
  return error as DomainRevertError;
}

const uint256 = fc.bigInt({ min: 0n, max: MAX });

/** The TypeScript twins of RewardMath.sol (test/vectors/rewards.json holds the shared vectors). */
describe("SDK domain: rewards (RewardMath twins)", function () {
  describe("seatShare", function () {
    it("is pro rata and rounds down, over the whole uint256 range", function () {
      expect(seatShare(90n, 1n, 3n)).to.equal(30n);
      expect(seatShare(90n, 3n, 3n)).to.equal(90n);
      expect(seatShare(10n, 1n, 4n)).to.equal(2n);
      expect(seatShare(100n, 2n, 3n)).to.equal(66n);
      expect(seatShare(1n, 1n, 2n)).to.equal(0n);
      expect(seatShare(100n, 0n, 3n)).to.equal(0n);
      expect(seatShare(MAX, 2n, 3n)).to.equal((MAX / 3n) * 2n);
      expect(seatShare(MAX, MAX - 1n, MAX)).to.equal(MAX - 1n);
    });

    it("reverts as the library does", function () {
      const zero = expectRevert(() => seatShare(100n, 0n, 0n), "RewardMathZeroTotalSeats");
      expect(zero).to.be.instanceOf(RewardMathZeroTotalSeatsError);
      expect(zero.name).to.equal("RewardMathZeroTotalSeatsError");
      const above = expectRevert(() => seatShare(100n, 4n, 3n), "RewardMathSeatsExceedTotal", {
        seats: 4n,
        totalSeats: 3n,
      });
      expect(above).to.be.instanceOf(RewardMathSeatsExceedTotalError);
      expect(above.meta.errorName).to.equal("RewardMathSeatsExceedTotal");
    });

    it("refuses what no uint256 argument could be", function () {
      for (const bad of [-1n, MAX + 1n, 1.5, "x", undefined]) {
        const error = thrown(() => seatShare(bad as bigint, 1n, 1n));
        expect(error).to.be.instanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).argument).to.equal("pot");
      }
      expect((thrown(() => seatShare(1n, 1n, MAX + 1n)) as InvalidArgumentError).argument).to.equal("totalSeats");
    });

    it("never pays more than the pot, and loses less than one unit", function () {
      fc.assert(
        fc.property(uint256, fc.bigInt({ min: 1n, max: MAX }), fc.bigInt({ min: 0n, max: MAX }), (pot, total, s) => {
          const seats = s % (total + 1n);
          const share = seatShare(pot, seats, total);
          return share * total <= pot * seats && pot * seats - share * total < total;
        }),
      );
    });
  });

  describe("splitPot", function () {
    it("splits 1000 over (3, 2, 2) into 428, 285, 285 and 2 of dust", function () {
      expect(splitPot(1000n, [3n, 2n, 2n])).to.deep.equal({ shares: [428n, 285n, 285n], dust: 2n });
      expect(splitPot(7n, [0n, 1n])).to.deep.equal({ shares: [0n, 7n], dust: 0n });
      expect(splitPot(MAX, [MAX - 5n, 5n])).to.deep.equal({ shares: [MAX - 5n, 5n], dust: 0n });
    });

    it("reverts on no seats, and panics (0x11) when the sum of seats overflows, first", function () {
      expectRevert(() => splitPot(1n, []), "RewardMathZeroTotalSeats");
      expectRevert(() => splitPot(1n, [0n, 0n]), "RewardMathZeroTotalSeats");
      const panic = expectRevert(() => splitPot(1n, [MAX, 1n, 0n]), "Panic", { code: 0x11n });
      expect(panic).to.be.instanceOf(PanicError);
      expect((panic as PanicError).code).to.equal(17n);
      expect((thrown(() => splitPot(1n, [1n, -1n])) as InvalidArgumentError).argument).to.equal("seats[1]");
    });

    it("is a complete split: shares plus dust are the pot, the dust below the payee count", function () {
      fc.assert(
        fc.property(
          uint256,
          fc.array(fc.bigInt({ min: 0n, max: 1000n }), { minLength: 1, maxLength: 64 }),
          (pot, s) => {
            if (s.every((x) => x === 0n)) return true;
            const { shares, dust } = splitPot(pot, s);
            const total = s.reduce((a, b) => a + b, 0n);
            return (
              shares.reduce((a, b) => a + b, 0n) + dust === pot &&
              dust < BigInt(s.length) &&
              shares.every((share, i) => share === seatShare(pot, s[i]!, total))
            );
          },
        ),
      );
    });
  });

  describe("bondSlash and corruptionCost", function () {
    it("round up and down respectively", function () {
      expect(bondSlash(3n, 5n, 5_000n)).to.equal(8n);
      expect(corruptionCost(3n, 5n, 5_000n)).to.equal(7n);
      expect(bondSlash(4n, 10n, 2_500n)).to.equal(10n);
      expect(corruptionCost(4n, 10n, 2_500n)).to.equal(10n);
      expect(bondSlash(1n, 1n, 1n)).to.equal(1n);
      expect(corruptionCost(1n, 1n, 1n)).to.equal(0n);
      expect(bondSlash(0n, 9n, 5_000n)).to.equal(0n);
      expect(bondSlash(7n, 9n, 0n)).to.equal(0n);
      expect(bondSlash(7n, 9n, BPS)).to.equal(63n);
      expect(bondSlash(1n, MAX, 9_999n)).to.equal(MAX - MAX / BPS);
    });

    it("check the fraction before the exposure, as the library does", function () {
      const fraction = expectRevert(() => bondSlash(MAX, MAX, 10_001n), "RewardMathFractionTooLarge", {
        fractionBps: 10_001n,
        maxBps: 10_000n,
      });
      expect(fraction).to.be.instanceOf(RewardMathFractionTooLargeError);
      const overflow = expectRevert(() => corruptionCost(2n, MAX / 2n + 1n, 1n), "RewardMathExposureOverflow", {
        seats: 2n,
        seatBond: MAX / 2n + 1n,
      });
      expect(overflow).to.be.instanceOf(RewardMathExposureOverflowError);
      expect(corruptionCost(MAX, 1n, BPS)).to.equal(MAX);
      expect((thrown(() => corruptionCost(-1n, 1n, 1n)) as InvalidArgumentError).argument).to.equal("quorumSeats");
    });

    it("a quorum slashed member by member loses at least its corruption cost, never more than its bonds", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: 129n }),
          fc.bigInt({ min: 0n, max: 129n }),
          fc.bigInt({ min: 1n, max: 1n << 128n }),
          fc.bigInt({ min: 0n, max: BPS }),
          (a, b, bond, bps) => {
            const slashed = bondSlash(a, bond, bps) + bondSlash(b, bond, bps);
            return slashed >= corruptionCost(a + b, bond, bps) && bondSlash(a, bond, bps) <= a * bond;
          },
        ),
      );
    });
  });

  describe("settlementSplit", function () {
    it("pays bounties first, then the honest pot, and leaves the remainder", function () {
      // wrong 101: bounty 20% = 20 (one winner), honest 50% = 50, remainder 31; pot 1000 + 9 + 50 = 1059 over 7 seats.
      const split = settlementSplit({
        reward: 1_000n,
        slashPot: 110n,
        wrongSlashed: 101n,
        bountyBps: 2_000n,
        honestShareBps: 5_000n,
        winningSeats: 7n,
        challenges: [{ bond: 33n, won: true, answeringSeats: 11n }],
      });
      expect(split).to.deep.equal({
        bountyEach: 20n,
        bounties: 20n,
        honestShare: 50n,
        honestPot: 1_059n,
        rewardPerSeat: 151n,
        dust: 2n,
        remainder: 31n,
        challenges: [{ payout: 53n, bonusPerSeat: 0n }],
      });
    });

    it("gives a lost bond to its answering seats, or to the pot when none answered", function () {
      const split = settlementSplit({
        reward: 100n,
        slashPot: 0n,
        wrongSlashed: 0n,
        bountyBps: 2_000n,
        honestShareBps: 5_000n,
        winningSeats: 5n,
        challenges: [
          { bond: 23n, won: false, answeringSeats: 11n },
          { bond: 40n, won: false, answeringSeats: 0n },
        ],
      });
      expect(split.challenges).to.deep.equal([
        { payout: 0n, bonusPerSeat: 2n },
        { payout: 0n, bonusPerSeat: 0n },
      ]);
      expect(split.remainder).to.equal(1n);
      expect(split.honestPot).to.equal(140n);
      expect(split.rewardPerSeat).to.equal(28n);
      expect(split.bountyEach).to.equal(0n);
    });

    it("refuses inconsistent inputs and panics on zero winning seats", function () {
      const base = { reward: 1n, slashPot: 5n, wrongSlashed: 5n, bountyBps: 0n, honestShareBps: 0n, winningSeats: 1n };
      expect(() => settlementSplit({ ...base, slashPot: 4n })).to.throw(InvalidArgumentError);
      expect(
        (thrown(() => settlementSplit({ ...base, bountyBps: 6_000n, honestShareBps: 5_000n })) as InvalidArgumentError)
          .argument,
      ).to.equal("honestShareBps");
      expectRevert(() => settlementSplit({ ...base, winningSeats: 0n }), "Panic", { code: 0x12n });
    });

    it("accounts for every token: what comes in (reward, slashes, bonds) is what goes out (rule 1)", function () {
      const challenge = fc.record({
        bond: fc.bigInt({ min: 1n, max: 10n ** 24n }),
        won: fc.boolean(),
        answeringSeats: fc.bigInt({ min: 0n, max: 129n }),
      });
      fc.assert(
        fc.property(
          fc.bigInt({ min: 1n, max: 10n ** 28n }),
          fc.bigInt({ min: 0n, max: 10n ** 24n }),
          fc.bigInt({ min: 0n, max: 10n ** 24n }),
          fc.bigInt({ min: 0n, max: BPS }),
          fc.bigInt({ min: 0n, max: BPS }),
          fc.bigInt({ min: 1n, max: 300n }),
          fc.array(challenge, { maxLength: 3 }),
          (reward, penalties, wrong, bounty, honest, winningSeats, challenges) => {
            if (bounty + honest > BPS) return true;
            const s = settlementSplit({
              reward,
              slashPot: penalties + wrong,
              wrongSlashed: wrong,
              bountyBps: bounty,
              honestShareBps: honest,
              winningSeats,
              challenges,
            });
            const bonds = challenges.reduce((a, c) => a + c.bond, 0n);
            const paidOut = s.challenges.reduce(
              (a, c, i) => a + c.payout + c.bonusPerSeat * challenges[i]!.answeringSeats,
              0n,
            );
            return (
              s.rewardPerSeat * winningSeats + s.dust + s.remainder + paidOut === reward + penalties + wrong + bonds &&
              s.dust < winningSeats
            );
          },
        ),
      );
    });
  });
});
