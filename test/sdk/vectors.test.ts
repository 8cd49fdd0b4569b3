import { readFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";

import {
  CommitteeTargetUnreachableError,
  DomainRevertError,
  binomialTail,
  binomialTailLog,
  bondSlash,
  challengeBondFloor,
  computeCommitment,
  corruptionCost,
  deriveSalt,
  escalationLadder,
  escalationsFitting,
  lifeBound,
  resultHashOf,
  seatCapacity,
  seatShare,
  settlementSplit,
  splitPot,
  suggestCommittee,
} from "../../sdk/src/index.js";
import { VECTORS_DIR, generateVectors } from "../vectors/generate.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- the vector files are JSON read at run time */
const load = (name: string): any => JSON.parse(readFileSync(join(VECTORS_DIR, name), "utf8"));
const commitments = load("commitments.json");
const rewards = load("rewards.json");
const seats = load("seats.json");
const security = load("security.json");

const big = (x: string) => BigInt(x);
const bigs = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, BigInt(v)]));

/**
 * The outcome of `fn` against a vector that expects a value (`expected(value)` runs) or an `error` `{ name, args }`,
 * which must be the `DomainRevertError` the twin throws, with the same arguments by name.
 */
function check<T>(vector: any, fn: () => T, expected: (value: T) => void) {
  let value: T;
  try {
    value = fn();
  } catch (error) {
    if (vector.error === undefined) throw error;
    expect(error, vector.name).to.be.instanceOf(DomainRevertError);
    expect((error as DomainRevertError).errorName, vector.name).to.equal(vector.error.name);
    expect((error as DomainRevertError).args, vector.name).to.deep.equal(bigs(vector.error.args));
    return;
  }
  expect(vector.error, `${vector.name}: expected ${JSON.stringify(vector.error)}`).to.equal(undefined);
  expected(value);
}

const relativeError = (actual: number, expected: number) =>
  expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);

/** The SDK's domain layer against every shared vector (test/vectors; the contracts' side is test/Vectors.t.sol). */
describe("SDK domain: the shared vectors", function () {
  it("are exactly what test/vectors/generate.ts writes (deterministic, up to date)", async function () {
    for (const [name, text] of await generateVectors()) {
      expect(readFileSync(join(VECTORS_DIR, name), "utf8") === text, `${name} is stale: regenerate it`).to.equal(true);
    }
  });

  describe("commitments.json", function () {
    it("commitments", function () {
      expect(commitments.commitments.length).to.be.greaterThan(30);
      for (const v of commitments.commitments) {
        const fields = { ...v, chainId: big(v.chainId), taskId: big(v.taskId), round: big(v.round) };
        expect(computeCommitment(fields), v.name).to.equal(v.commitment);
      }
    });

    it("result hashes", function () {
      for (const v of commitments.resultHashes) expect(resultHashOf(v.result), v.name).to.equal(v.resultHash);
    });

    it("derived reveal salts (what a worker recovers after a crash)", async function () {
      const signer = new Wallet(keccak256(toUtf8Bytes(commitments.signer.keyPhrase)));
      expect(signer.address).to.equal(commitments.signer.address);
      for (const v of commitments.salts) {
        const fields = {
          ...v,
          chainId: big(v.chainId),
          taskId: big(v.taskId),
          round: big(v.round),
          index: big(v.index),
        };
        expect(await deriveSalt(signer, fields), v.message).to.equal(v.salt);
      }
    });
  });

  describe("rewards.json", function () {
    it("seatShare", function () {
      for (const v of rewards.seatShare) {
        check(
          v,
          () => seatShare(big(v.pot), big(v.seats), big(v.totalSeats)),
          (x) => expect(x, v.name).to.equal(big(v.expected)),
        );
      }
    });

    it("splitPot", function () {
      for (const v of rewards.splitPot) {
        check(
          v,
          () => splitPot(big(v.pot), v.seats.map(big)),
          (x) => expect(x, v.name).to.deep.equal({ shares: v.shares.map(big), dust: big(v.dust) }),
        );
      }
    });

    it("bondSlash", function () {
      for (const v of rewards.bondSlash) {
        check(
          v,
          () => bondSlash(big(v.seats), big(v.seatBond), big(v.slashFractionBps)),
          (x) => expect(x, v.name).to.equal(big(v.expected)),
        );
      }
    });

    it("corruptionCost", function () {
      for (const v of rewards.corruptionCost) {
        check(
          v,
          () => corruptionCost(big(v.quorumSeats), big(v.seatBond), big(v.slashFractionBps)),
          (x) => expect(x, v.name).to.equal(big(v.expected)),
        );
      }
    });

    it("settlementSplit", function () {
      for (const v of rewards.settlementSplit) {
        const { challenges, ...amounts } = v.input;
        const input = {
          ...bigs(amounts),
          challenges: challenges.map((c: any) => ({
            bond: big(c.bond),
            won: c.won,
            answeringSeats: big(c.answeringSeats),
          })),
        };
        const { challenges: settled, ...expected } = v.expected;
        expect(settlementSplit(input as any), v.name).to.deep.equal({
          ...bigs(expected),
          challenges: settled.map(bigs),
        });
      }
    });
  });

  describe("seats.json", function () {
    it("seatCapacity", function () {
      for (const v of seats.seatCapacity) expect(seatCapacity(big(v.free), big(v.seatBond))).to.equal(big(v.seats));
    });

    it("escalationLadder and escalationsFitting", function () {
      expect(seats.escalationLadder.length).to.equal(256);
      for (const v of seats.escalationLadder) {
        const ladder = escalationLadder(big(v.seats), big(v.quorum), big(v.maxEscalations));
        expect(ladder.map((r) => ({ seats: String(r.seats), quorum: String(r.quorum) }))).to.deep.equal(v.rounds);
        expect(escalationsFitting(big(v.seats), big(v.maxEscalations))).to.equal(big(v.escalations));
      }
    });

    it("challengeBondFloor", function () {
      for (const v of seats.challengeBondFloor) {
        const floor = challengeBondFloor({
          seats: big(v.seats),
          escalations: big(v.escalations),
          reward: big(v.reward),
          challengeBondPerSeat: big(v.challengeBondPerSeat),
        });
        expect(floor, JSON.stringify(v)).to.equal(big(v.floor));
      }
    });

    it("lifeBound", function () {
      for (const v of seats.lifeBound) {
        const request = {
          ...bigs({ commitBlocks: v.commitBlocks, revealBlocks: v.revealBlocks, challengeBlocks: v.challengeBlocks }),
          noQuorumRule: v.noQuorumRule,
        };
        const config = bigs({
          maxReplacementDraws: v.maxReplacementDraws,
          maxEscalations: v.maxEscalations,
          maxRedraws: v.maxRedraws,
        });
        expect(lifeBound(request as any, config as any, big(v.epochBlocks))).to.equal(big(v.lifeBound));
      }
    });
  });

  describe("security.json", function () {
    it("tails to 1e-12 relative, and their logarithms where the tail is below a double", function () {
      let worst = 0;
      for (const v of security.tails) {
        const p = v.p.num / v.p.den;
        const label = `P(Bin(${v.n}, ${v.p.num}/${v.p.den}) >= ${v.k})`;
        const exact = Number(v.tail);
        if (exact !== 0 && exact > 1e-300) {
          worst = Math.max(worst, relativeError(binomialTail(v.n, v.k, p), exact));
          expect(
            relativeError(binomialTail(v.n, v.k, p), exact) <= 1e-12,
            `${label}: ${binomialTail(v.n, v.k, p)} vs ${v.tail}`,
          ).to.equal(true);
        }
        if (v.log10Tail === null) {
          expect(binomialTail(v.n, v.k, p), label).to.equal(0);
        } else {
          const log10 = binomialTailLog(v.n, v.k, p) / Math.LN10;
          const expected = Number(v.log10Tail);
          // A log near 0 (a tail near 1) is compared absolutely: its relative error says nothing.
          expect(
            Math.abs(log10 - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
            `${label}: log10 ${log10} vs ${expected}`,
          ).to.equal(true);
        }
      }
      expect(worst < 1e-12).to.equal(true);
    });

    it("committee suggestions", function () {
      for (const v of security.suggestions) {
        const options = {
          adversaryShare: v.adversaryShare.num / v.adversaryShare.den,
          target: v.target,
          maxSeats: v.maxSeats,
          odd: v.odd,
        };
        const label = JSON.stringify(options);
        if (v.unreachable) {
          expect(() => suggestCommittee(options), label).to.throw(CommitteeTargetUnreachableError);
          continue;
        }
        const s = suggestCommittee(options);
        expect([s.seats, s.quorum], label).to.deep.equal([BigInt(v.seats), BigInt(v.quorum)]);
        expect(relativeError(s.failure, Number(v.failure)) <= 1e-11, `${label}: failure ${s.failure}`).to.equal(true);
        expect(relativeError(s.stall, Number(v.stall)) <= 1e-11, `${label}: stall ${s.stall}`).to.equal(true);
      }
    });
  });
});
