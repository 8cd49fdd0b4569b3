import {
  PanicCode,
  PanicError,
  RewardMathExposureOverflowError,
  RewardMathFractionTooLargeError,
  RewardMathSeatsExceedTotalError,
  RewardMathZeroTotalSeatsError,
} from "../errors/domain.js";
import { uintArg } from "../internal/validate.js";

/**
 * The TypeScript twins of `contracts/libraries/RewardMath.sol` (docs/RewardMath.md) and of the final split in
 * `TaskSettlement._distribute`. Same inputs (uint256), same rounding, same named errors where the Solidity reverts:
 * `test/vectors/rewards.json` holds vectors both sides are checked against. Every argument is a bigint in
 * [0, 2^256 - 1]; anything else is an `InvalidArgumentError` (the contracts could not even be called with it).
 */

/** The basis-point denominator (`RewardMath.BPS`). */
export const BPS = 10_000n;

const MAX_UINT256 = (1n << 256n) - 1n;

/** `RewardMath.seatShare`: `floor(pot * seats / totalSeats)`, the product taken without overflow (`mulDiv`). */
export function seatShare(pot: bigint, seats: bigint, totalSeats: bigint): bigint {
  const [p, s, t] = [uintArg("pot", pot), uintArg("seats", seats), uintArg("totalSeats", totalSeats)];
  if (t === 0n) throw new RewardMathZeroTotalSeatsError();
  if (s > t) throw new RewardMathSeatsExceedTotalError(s, t);
  return (p * s) / t;
}

/**
 * `RewardMath.splitPot`: each payee's `seatShare` of the sum of `seats`, and the dust (`pot - sum(shares)`, less than
 * `seats.length`). The sum is checked arithmetic in Solidity, so a sum past 2^256 - 1 is `Panic(0x11)`, before the
 * zero-total check, as there.
 */
export function splitPot(pot: bigint, seats: readonly bigint[]): { shares: bigint[]; dust: bigint } {
  const p = uintArg("pot", pot);
  const list = seats.map((s, i) => uintArg(`seats[${i}]`, s));
  let total = 0n;
  for (const s of list) {
    total += s;
    if (total > MAX_UINT256) throw new PanicError(PanicCode.ArithmeticOverflow);
  }
  if (total === 0n) throw new RewardMathZeroTotalSeatsError();
  const shares = list.map((s) => (p * s) / total);
  return { shares, dust: p - shares.reduce((a, b) => a + b, 0n) };
}

/** `RewardMath.bondSlash`: `ceil(seats * seatBond * slashFractionBps / BPS)`, never above `seats * seatBond`. */
export function bondSlash(seats: bigint, seatBond: bigint, slashFractionBps: bigint): bigint {
  const [exposure, bps] = checkedExposure(seats, seatBond, slashFractionBps);
  return ceilDiv(exposure * bps, BPS);
}

/** `RewardMath.corruptionCost`: `floor(quorumSeats * seatBond * slashFractionBps / BPS)`, what a quorum loses at least. */
export function corruptionCost(quorumSeats: bigint, seatBond: bigint, slashFractionBps: bigint): bigint {
  const [exposure, bps] = checkedExposure(quorumSeats, seatBond, slashFractionBps, "quorumSeats");
  return (exposure * bps) / BPS;
}

/** `RewardMath._exposure`: the fraction is checked first, then that `seats * seatBond` fits 256 bits. */
function checkedExposure(seats: bigint, seatBond: bigint, fractionBps: bigint, seatsName = "seats"): [bigint, bigint] {
  const s = uintArg(seatsName, seats);
  const bond = uintArg("seatBond", seatBond);
  const bps = uintArg("slashFractionBps", fractionBps);
  if (bps > BPS) throw new RewardMathFractionTooLargeError(bps, BPS);
  const exposure = s * bond;
  if (exposure > MAX_UINT256) throw new RewardMathExposureOverflowError(s, bond);
  return [exposure, bps];
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

// ─── The final split of a task with a result ────────────────────────────────────────────────────────────────────

/** One challenge of a task, in ladder-step order, as the final split sees it. */
export interface SettledChallenge {
  bond: bigint;
  /** Whether its claimed result is the final result. */
  won: boolean;
  /** Seats of its ladder step that revealed the final result (they share a lost challenge's bond). */
  answeringSeats: bigint;
}

export interface SettlementInput {
  /** The task's escrowed reward. */
  reward: bigint;
  /** Everything collected for the task: missed-deadline penalties plus `wrongSlashed`. */
  slashPot: bigint;
  /** Stake slashed from members that revealed a result other than the final one. */
  wrongSlashed: bigint;
  bountyBps: bigint;
  honestShareBps: bigint;
  /** Seats that revealed the final result, in every round. */
  winningSeats: bigint;
  challenges?: readonly SettledChallenge[];
}

export interface SettlementSplit {
  /** The bounty each winning challenger gets on top of its bond. */
  bountyEach: bigint;
  /** `bountyEach * winners`, as `SlashesDistributed.bounties`. */
  bounties: bigint;
  honestShare: bigint;
  /** Reward, penalties, the honest share, and the bonds of lost challenges that no seat answered. */
  honestPot: bigint;
  /** `floor(honestPot / winningSeats)`, as `TaskFinalized.rewardPerSeat`. */
  rewardPerSeat: bigint;
  /** `honestPot - rewardPerSeat * winningSeats`, credited to the treasury (`TaskFinalized.dust`). */
  dust: bigint;
  /** Burned or credited to the treasury: slashes left after bounties and the honest share, plus bonus dust. */
  remainder: bigint;
  /** Per challenge: what the challenger is credited (bond plus bounty when won) and the bonus per answering seat. */
  challenges: { payout: bigint; bonusPerSeat: bigint }[];
}

/**
 * What `finalize` pays once a task has a final result (`TaskSettlement._distribute`): the winning challengers'
 * bounties first, then the honest pot, then the remainder; plain floor divisions, as there. A reward claim of a
 * winning record is then `seats * (rewardPerSeat + bonusPerSeat of its step)`.
 */
export function settlementSplit(input: SettlementInput): SettlementSplit {
  const wrong = uintArg("wrongSlashed", input.wrongSlashed);
  const slashPot = uintArg("slashPot", input.slashPot);
  const winningSeats = uintArg("winningSeats", input.winningSeats);
  const bountyBps = uintArg("bountyBps", input.bountyBps, 0n, BPS);
  const honestShareBps = uintArg("honestShareBps", input.honestShareBps, 0n, BPS - bountyBps);
  // The contract's own invariant: the slashes of wrong revealers are part of the pot.
  uintArg("slashPot - wrongSlashed", slashPot - wrong);
  const challenges = input.challenges ?? [];
  const winners = BigInt(challenges.filter((c) => c.won).length);
  const bountyEach = winners === 0n ? 0n : (wrong * bountyBps) / BPS / winners;
  const honestShare = (wrong * honestShareBps) / BPS;
  let honestPot = uintArg("reward", input.reward) + (slashPot - wrong) + honestShare;
  let remainder = wrong - bountyEach * winners - honestShare;
  const settled = challenges.map((c, i) => {
    const bond = uintArg(`challenges[${i}].bond`, c.bond);
    const answering = uintArg(`challenges[${i}].answeringSeats`, c.answeringSeats);
    if (c.won) return { payout: bond + bountyEach, bonusPerSeat: 0n };
    if (answering === 0n) {
      honestPot += bond;
      return { payout: 0n, bonusPerSeat: 0n };
    }
    const bonus = bond / answering;
    remainder += bond - bonus * answering;
    return { payout: 0n, bonusPerSeat: bonus };
  });
  if (winningSeats === 0n) throw new PanicError(PanicCode.DivisionByZero);
  const rewardPerSeat = honestPot / winningSeats;
  return {
    bountyEach,
    bounties: bountyEach * winners,
    honestShare,
    honestPot,
    rewardPerSeat,
    dust: honestPot - rewardPerSeat * winningSeats,
    remainder,
    challenges: settled,
  };
}
