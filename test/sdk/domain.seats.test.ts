import { expect } from "chai";

import {
  InvalidArgumentError,
  MAX_ROUND_SEATS,
  MAX_SEATS,
  NoQuorumRule,
  challengeBondFloor,
  escalationLadder,
  escalationsFitting,
  lifeBound,
  seatCapacity,
  seatLock,
  strictMajority,
} from "../../sdk/src/index.js";
import { POOL_CONFIG, UNIT } from "../helpers/pool.js";
import { TASK_CONFIG } from "../helpers/tasks.js";

const argumentOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).argument;
  }
  return expect.fail("expected an InvalidArgumentError");
};

/** Seat math mirrored from the contracts (checked against their views in seats.chain.test.ts). */
describe("SDK domain: seats", function () {
  it("a stake backs floor(free / seatBond) seats", function () {
    expect(seatCapacity(0n, 5n)).to.equal(0n);
    expect(seatCapacity(4n, 5n)).to.equal(0n);
    expect(seatCapacity(5n, 5n)).to.equal(1n);
    expect(seatCapacity(300n * UNIT, POOL_CONFIG.seatBond)).to.equal(60n);
    expect(seatLock(60n, POOL_CONFIG.seatBond)).to.equal(300n * UNIT);
    expect(argumentOf(() => seatCapacity(10n, 0n))).to.equal("seatBond");
    expect(argumentOf(() => seatCapacity(-1n, 1n))).to.equal("free");
  });

  it("the least quorum is the smallest strict majority", function () {
    expect([1n, 2n, 3n, 4n, 5n, 64n].map(strictMajority)).to.deep.equal([1n, 2n, 2n, 3n, 3n, 33n]);
    expect(argumentOf(() => strictMajority(0n))).to.equal("seats");
  });

  describe("the escalation ladder", function () {
    it("doubles plus one, with quorum s + 1, while rounds fit 129 seats", function () {
      expect(escalationLadder(9n, 5n, 3n)).to.deep.equal([
        { step: 0, seats: 9n, quorum: 5n },
        { step: 1, seats: 19n, quorum: 10n },
        { step: 2, seats: 39n, quorum: 20n },
        { step: 3, seats: 79n, quorum: 40n },
      ]);
      expect(escalationLadder(64n, 64n, 3n)).to.deep.equal([
        { step: 0, seats: 64n, quorum: 64n },
        { step: 1, seats: 129n, quorum: 65n },
      ]);
      expect(escalationLadder(32n, 17n, 3n).map((r) => r.seats)).to.deep.equal([32n, 65n]);
      expect(escalationLadder(31n, 16n, 3n).map((r) => r.seats)).to.deep.equal([31n, 63n, 127n]);
      expect(escalationLadder(5n, 3n, 0n)).to.deep.equal([{ step: 0, seats: 5n, quorum: 3n }]);
    });

    it("never has a round above MAX_ROUND_SEATS, and caps only where it must", function () {
      for (let seats = 1n; seats <= MAX_SEATS; seats++) {
        for (let max = 0n; max <= 3n; max++) {
          const ladder = escalationLadder(seats, strictMajority(seats), max);
          expect(BigInt(ladder.length - 1)).to.equal(escalationsFitting(seats, max));
          expect(ladder.every((r) => r.seats <= MAX_ROUND_SEATS)).to.equal(true);
          const last = ladder.at(-1)!;
          // Either the rules' limit was reached, or one more step would not fit.
          expect(BigInt(ladder.length - 1) === max || 2n * last.seats + 1n > MAX_ROUND_SEATS).to.equal(true);
        }
      }
    });

    it("refuses a quorum that is no strict majority", function () {
      expect(argumentOf(() => escalationLadder(9n, 4n, 1n))).to.equal("quorum");
      expect(argumentOf(() => escalationLadder(9n, 10n, 1n))).to.equal("quorum");
      expect(argumentOf(() => escalationLadder(0n, 1n, 1n))).to.equal("seats");
    });
  });

  describe("the challenge bond floor", function () {
    it("prices the next round's seats at the larger of the floor and the task's own price per seat", function () {
      // 5 seats, reward 1000: 200 per seat; the next round has 11 seats.
      expect(challengeBondFloor({ seats: 5n, reward: 1_000n, challengeBondPerSeat: 1n })).to.equal(2_200n);
      expect(challengeBondFloor({ seats: 5n, reward: 1_000n, challengeBondPerSeat: 300n })).to.equal(3_300n);
      // Rounded up: 1001 / 5 = 200.2 -> 201.
      expect(challengeBondFloor({ seats: 5n, reward: 1_001n, challengeBondPerSeat: 1n })).to.equal(11n * 201n);
      // After one escalation the round has 11 seats; the price is still the first round's (5 seats), next has 23.
      expect(challengeBondFloor({ seats: 11n, escalations: 1n, reward: 1_000n, challengeBondPerSeat: 1n })).to.equal(
        23n * 200n,
      );
      expect(
        challengeBondFloor({
          seats: 5n,
          reward: 1_000n * UNIT,
          challengeBondPerSeat: TASK_CONFIG.challengeBondPerSeat,
        }),
      ).to.equal(11n * 200n * UNIT);
    });

    it("refuses a round size that no ladder reaches", function () {
      expect(
        argumentOf(() => challengeBondFloor({ seats: 10n, escalations: 1n, reward: 1n, challengeBondPerSeat: 1n })),
      ).to.equal("seats");
      expect(
        argumentOf(() => challengeBondFloor({ seats: 1n, escalations: 1n, reward: 1n, challengeBondPerSeat: 1n })),
      ).to.equal("seats");
      expect(argumentOf(() => challengeBondFloor({ seats: 0n, reward: 1n, challengeBondPerSeat: 1n }))).to.equal(
        "seats",
      );
      expect(
        argumentOf(() => challengeBondFloor({ seats: 15n, escalations: 4n, reward: 1n, challengeBondPerSeat: 1n })),
      ).to.equal("escalations");
    });
  });

  describe("lifeBound", function () {
    it("is the tests' 470 blocks for the default request under TASK_CONFIG", function () {
      const request = { commitBlocks: 10n, revealBlocks: 10n, challengeBlocks: 10n, noQuorumRule: "redraw" as const };
      const config = { maxReplacementDraws: 1n, maxEscalations: 1n, maxRedraws: 1n };
      // 3 rounds of (2 draws of 3 * 20 + 10, plus a reveal of 10) = 3 * 150, and 2 challenge windows of 10.
      expect(lifeBound(request, config, POOL_CONFIG.epochBlocks)).to.equal(470n);
      expect(lifeBound({ ...request, noQuorumRule: NoQuorumRule.Redraw }, config, 20n)).to.equal(470n);
      // Without redraws (Refund) one round fewer: 320.
      expect(lifeBound({ ...request, noQuorumRule: "refund" }, config, 20n)).to.equal(320n);
      expect(lifeBound({ ...request, noQuorumRule: 1n }, config, 20n)).to.equal(320n);
    });

    it("grows with every rule that lengthens a task", function () {
      const request = { commitBlocks: 7n, revealBlocks: 5n, challengeBlocks: 3n, noQuorumRule: 0 };
      const config = { maxReplacementDraws: 0n, maxEscalations: 0n, maxRedraws: 0n };
      expect(lifeBound(request, config, 10n)).to.equal(30n + 7n + 5n + 3n);
      expect(lifeBound(request, { ...config, maxReplacementDraws: 3n }, 10n)).to.equal(4n * 37n + 5n + 3n);
      expect(lifeBound(request, { ...config, maxEscalations: 3n }, 10n)).to.equal(4n * 42n + 4n * 3n);
      expect(lifeBound(request, { ...config, maxRedraws: 2n }, 10n)).to.equal(3n * 42n + 3n);
      expect(argumentOf(() => lifeBound({ ...request, noQuorumRule: 2 }, config, 10n))).to.equal("noQuorumRule");
      expect(argumentOf(() => lifeBound({ ...request, commitBlocks: -1n }, config, 10n))).to.equal("commitBlocks");
    });
  });
});
