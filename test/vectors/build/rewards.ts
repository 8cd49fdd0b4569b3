/**
 * `rewards.json`: `RewardMath` (seatShare, splitPot, bondSlash, corruptionCost) and the final split of a task
 * (`TaskSettlement._distribute`). Expected values come from the formulas in docs/RewardMath.md and the NatSpec, in
 * arbitrary-precision integers; the reverts from the order of the checks in `RewardMath.sol`.
 */
import type { Random } from "./random.js";

const MAX = (1n << 256n) - 1n;
const BPS = 10_000n;

type Revert = { name: string; args: Record<string, string> };
type Outcome<T> = T | { error: Revert };

const revert = (name: string, args: Record<string, bigint> = {}): { error: Revert } => ({
  error: { name, args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v.toString()])) },
});

function seatShare(pot: bigint, seats: bigint, total: bigint): Outcome<{ expected: string }> {
  if (total === 0n) return revert("RewardMathZeroTotalSeats");
  if (seats > total) return revert("RewardMathSeatsExceedTotal", { seats, totalSeats: total });
  return { expected: ((pot * seats) / total).toString() };
}

function splitPot(pot: bigint, seats: bigint[]): Outcome<{ shares: string[]; dust: string }> {
  let total = 0n;
  for (const s of seats) {
    total += s;
    // `totalSeats += seats[i]` is checked arithmetic: the sum overflows before anything else is looked at.
    if (total > MAX) return revert("Panic", { code: 0x11n });
  }
  if (total === 0n) return revert("RewardMathZeroTotalSeats");
  const shares = seats.map((s) => (pot * s) / total);
  return { shares: shares.map(String), dust: (pot - shares.reduce((a, b) => a + b, 0n)).toString() };
}

function slashLike(seats: bigint, bond: bigint, bps: bigint, roundUp: boolean): Outcome<{ expected: string }> {
  if (bps > BPS) return revert("RewardMathFractionTooLarge", { fractionBps: bps, maxBps: BPS });
  const exposure = seats * bond;
  if (exposure > MAX) return revert("RewardMathExposureOverflow", { seats, seatBond: bond });
  const product = exposure * bps;
  const floor = product / BPS;
  return { expected: (roundUp && floor * BPS !== product ? floor + 1n : floor).toString() };
}

export function rewardVectors(random: Random) {
  const seatShareCases: [string, bigint, bigint, bigint][] = [
    ["1 of 3", 90n, 1n, 3n],
    ["rounds down", 10n, 1n, 4n],
    ["half a unit", 1n, 1n, 2n],
    ["no seats", 100n, 0n, 3n],
    ["no pot", 0n, 3n, 3n],
    ["all of max", MAX, 1n, 1n],
    ["2/3 of max (the product passes 256 bits)", MAX, 2n, 3n],
    ["max seats of max", MAX, MAX, MAX],
    ["max - 1 of max seats", MAX, MAX - 1n, MAX],
    ["zero total", 100n, 0n, 0n],
    ["seats above total", 100n, 4n, 3n],
    ["seats above a max total", 5n, MAX, MAX - 1n],
  ];
  for (let i = 0; i < 60; i++) {
    const total = random.pick([random.between(1n, 129n), random.between(1n, 10_000n), random.uint256()]);
    const seats = random.int(0, 9) === 0 ? total + random.between(1n, 5n) : random.between(0n, total);
    seatShareCases.push([`random ${i}`, random.uint256(), seats, random.int(0, 19) === 0 ? 0n : total]);
  }

  const splitCases: [string, bigint, bigint[]][] = [
    ["1000 over (3, 2, 2)", 1000n, [3n, 2n, 2n]],
    ["one payee takes all", 12345n, [7n]],
    ["zero-seat payee", 100n, [0n, 3n, 0n]],
    ["no pot", 0n, [1n, 2n]],
    ["max pot over 3", MAX, [1n, 1n, 1n]],
    ["dust just below the payee count", 6n, [1n, 1n, 1n, 1n, 1n, 1n, 1n]],
    ["empty list", 100n, []],
    ["all zero seats", 100n, [0n, 0n]],
    ["the sum of seats overflows", 100n, [MAX, 1n]],
    ["the sum of seats is exactly max", MAX, [MAX - 5n, 5n]],
  ];
  for (let i = 0; i < 30; i++) {
    const count = random.int(1, 64);
    const seats = Array.from({ length: count }, () => random.between(0n, random.pick([1n, 4n, 40n])));
    splitCases.push([`random ${i} (${count} payees)`, random.uint256(), seats]);
  }

  const slashCases: [string, bigint, bigint, bigint][] = [
    ["half of 3 x 5 rounds up", 3n, 5n, 5_000n],
    ["exact", 4n, 10n, 2_500n],
    ["whole bond", 7n, 9n, 10_000n],
    ["zero fraction", 7n, 9n, 0n],
    ["zero seats", 0n, 9n, 5_000n],
    ["one basis point of one unit", 1n, 1n, 1n],
    ["exposure exactly max", 1n, MAX, 9_999n],
    ["exposure exactly max, whole", MAX, 1n, 10_000n],
    ["exposure overflows", 2n, MAX / 2n + 1n, 5_000n],
    ["fraction above the whole", 1n, 1n, 10_001n],
    ["fraction checked before the exposure", MAX, MAX, 10_001n],
    ["max fraction value", 1n, 1n, MAX],
  ];
  for (let i = 0; i < 60; i++) {
    const seats = random.pick([random.between(0n, 129n), random.uint256()]);
    const bond = random.pick([random.between(1n, 10n ** 24n), random.uint256()]);
    const bps = random.int(0, 14) === 0 ? random.between(10_001n, 20_000n) : random.between(0n, 10_000n);
    slashCases.push([`random ${i}`, seats, bond, bps]);
  }

  return {
    description:
      "RewardMath.seatShare, splitPot, bondSlash, corruptionCost (docs/RewardMath.md): inputs and the expected " +
      "result, or the custom error (with its arguments by name) the library reverts with; `Panic` code 17 is " +
      "checked arithmetic overflowing. settlementSplit is the final split of TaskSettlement._distribute " +
      "(TypeScript side only; test/sdk checks it against finalize on chain). All integers are decimal strings.",
    seatShare: seatShareCases.map(([name, pot, seats, totalSeats]) => ({
      name,
      pot: pot.toString(),
      seats: seats.toString(),
      totalSeats: totalSeats.toString(),
      ...seatShare(pot, seats, totalSeats),
    })),
    splitPot: splitCases.map(([name, pot, seats]) => ({
      name,
      pot: pot.toString(),
      seats: seats.map(String),
      ...splitPot(pot, seats),
    })),
    bondSlash: slashCases.map(([name, seats, seatBond, bps]) => ({
      name,
      seats: seats.toString(),
      seatBond: seatBond.toString(),
      slashFractionBps: bps.toString(),
      ...slashLike(seats, seatBond, bps, true),
    })),
    corruptionCost: slashCases.map(([name, seats, seatBond, bps]) => ({
      name,
      quorumSeats: seats.toString(),
      seatBond: seatBond.toString(),
      slashFractionBps: bps.toString(),
      ...slashLike(seats, seatBond, bps, false),
    })),
    settlementSplit: settlementVectors(random),
  };
}

/** Final splits with and without challenges, straight from the order of `_distribute` and `_settleChallenge`. */
function settlementVectors(random: Random) {
  const out = [];
  for (let i = 0; i < 30; i++) {
    const unit = random.pick([1n, 10n ** 18n]);
    const reward = random.between(1n, 10_000n) * unit + random.between(0n, 999n);
    const wrongSlashed = random.int(0, 3) === 0 ? 0n : random.between(1n, 500n) * unit + random.between(0n, 7n);
    const penalties = random.int(0, 2) === 0 ? 0n : random.between(1n, 100n) * unit + random.between(0n, 3n);
    const bountyBps = random.between(0n, 5_000n);
    const honestShareBps = random.between(0n, 10_000n - bountyBps);
    const winningSeats = random.between(1n, 200n);
    const challenges = Array.from({ length: random.int(0, 3) }, () => ({
      bond: random.between(1n, 1_000n) * unit + random.between(0n, 9n),
      won: random.int(0, 1) === 1,
      answeringSeats: random.pick([0n, random.between(1n, 129n)]),
    }));
    const winners = BigInt(challenges.filter((c) => c.won).length);
    const bountyEach = winners === 0n ? 0n : (wrongSlashed * bountyBps) / BPS / winners;
    const honestShare = (wrongSlashed * honestShareBps) / BPS;
    let honestPot = reward + penalties + honestShare;
    let remainder = wrongSlashed - bountyEach * winners - honestShare;
    const settled = challenges.map((c) => {
      if (c.won) return { payout: c.bond + bountyEach, bonusPerSeat: 0n };
      if (c.answeringSeats === 0n) {
        honestPot += c.bond;
        return { payout: 0n, bonusPerSeat: 0n };
      }
      const bonus = c.bond / c.answeringSeats;
      remainder += c.bond - bonus * c.answeringSeats;
      return { payout: 0n, bonusPerSeat: bonus };
    });
    const rewardPerSeat = honestPot / winningSeats;
    out.push({
      name: `random ${i}`,
      input: {
        reward: reward.toString(),
        slashPot: (penalties + wrongSlashed).toString(),
        wrongSlashed: wrongSlashed.toString(),
        bountyBps: bountyBps.toString(),
        honestShareBps: honestShareBps.toString(),
        winningSeats: winningSeats.toString(),
        challenges: challenges.map((c) => ({
          bond: c.bond.toString(),
          won: c.won,
          answeringSeats: c.answeringSeats.toString(),
        })),
      },
      expected: {
        bountyEach: bountyEach.toString(),
        bounties: (bountyEach * winners).toString(),
        honestShare: honestShare.toString(),
        honestPot: honestPot.toString(),
        rewardPerSeat: rewardPerSeat.toString(),
        dust: (honestPot - rewardPerSeat * winningSeats).toString(),
        remainder: remainder.toString(),
        challenges: settled.map((c) => ({ payout: c.payout.toString(), bonusPerSeat: c.bonusPerSeat.toString() })),
      },
    });
  }
  return out;
}
