// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RewardMath
/// @notice Reward shares, slash amounts and the cost of corruption: amounts in token units, fractions in basis points.
/// @dev Every division rounds against the party the amount goes to, so rounding can never make the protocol owe more
/// than it holds (rule 1) nor make an attack cheaper than stated:
///
/// - a reward share rounds down (against the payee), so the shares of a pot never add up to more than the pot;
/// - a slash rounds up (against the slashed member), but never above the stake its seats lock;
/// - the cost of corruption rounds down, so admission (`valueAtRisk <= corruptionCost`) errs on the safe side.
///
/// All products are taken in 512 bits by `Math.mulDiv`, except a member's exposure `seats * seatBond`, which is a
/// real amount of locked stake and so must fit in 256 bits; when it does not, the functions revert with a named error.
library RewardMath {
    /// @notice The basis-point denominator: a fraction of `BPS` is the whole.
    uint256 internal constant BPS = 10_000;

    /// @notice A share was asked of a pot split over zero seats.
    error RewardMathZeroTotalSeats();
    /// @notice A payee was given `seats` seats, more than the `totalSeats` the pot is split over.
    error RewardMathSeatsExceedTotal(uint256 seats, uint256 totalSeats);
    /// @notice A fraction of `fractionBps` basis points was given, above the whole (`maxBps`).
    error RewardMathFractionTooLarge(uint256 fractionBps, uint256 maxBps);
    /// @notice The exposure `seats * seatBond` does not fit in 256 bits.
    error RewardMathExposureOverflow(uint256 seats, uint256 seatBond);

    // ---------------------------------------------------------------------------------------------------------------
    // Rewards
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The share of `pot` owed to a payee holding `seats` of the `totalSeats` the pot is split over, rounded
    /// down.
    /// @dev A payee can claim its share on its own (pull payments): the value depends only on its seats and the
    /// total, so it is the same whenever it is computed, and equals the entry `splitPot` gives it.
    /// @param pot The amount to split.
    /// @param seats The payee's seats.
    /// @param totalSeats The seats the pot is split over, at least `seats` and not zero.
    /// @return The payee's share, `floor(pot * seats / totalSeats)`.
    function seatShare(uint256 pot, uint256 seats, uint256 totalSeats) internal pure returns (uint256) {
        if (totalSeats == 0) revert RewardMathZeroTotalSeats();
        if (seats > totalSeats) revert RewardMathSeatsExceedTotal(seats, totalSeats);
        return Math.mulDiv(pot, seats, totalSeats);
    }

    /// @notice Splits `pot` over payees holding `seats[i]` seats each, pro rata: the shares `seatShare(pot, seats[i],
    /// sum(seats))` and the dust, what rounding leaves of the pot.
    /// @dev The total is the sum of `seats`, never a separate argument, so the shares and the dust always describe a
    /// complete split: `sum(shares) + dust == pot` and `dust < seats.length` (each share loses less than one unit to
    /// rounding, and the losses add up to a whole number). The caller pays each share and sends the dust to one
    /// defined place; it can also credit only the dust here and let each payee claim `seatShare` later.
    /// @param pot The amount to split.
    /// @param seats The seats of each payee, at least one of them not zero (an empty list reverts too: with no payee,
    /// the whole pot would be dust, and that is the caller's decision, not a rounding remainder). Its length is
    /// bounded by the caller's committee cap.
    /// @return shares The share of each payee, in the order of `seats`.
    /// @return dust `pot` minus the sum of `shares`.
    function splitPot(
        uint256 pot,
        uint256[] memory seats
    ) internal pure returns (uint256[] memory shares, uint256 dust) {
        uint256 count = seats.length;
        uint256 totalSeats;
        for (uint256 i; i < count; ++i) {
            totalSeats += seats[i];
        }
        if (totalSeats == 0) revert RewardMathZeroTotalSeats();
        shares = new uint256[](count);
        dust = pot;
        for (uint256 i; i < count; ++i) {
            uint256 share = seatShare(pot, seats[i], totalSeats);
            shares[i] = share;
            // Cannot underflow: the floored shares of a complete split add up to at most `pot`.
            unchecked {
                dust -= share;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Slashing and the cost of corruption
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice What a member holding `seats` seats loses when slashed: `slashFractionBps` of the stake its seats lock,
    /// rounded up.
    /// @dev Rounding up cannot exceed the exposure: the fraction is at most the whole, and the exposure is an integer.
    /// @param seats The member's seats.
    /// @param seatBond The stake each seat locks.
    /// @param slashFractionBps The slashed fraction, in basis points, at most `BPS`.
    /// @return The slashed amount, `ceil(seats * seatBond * slashFractionBps / BPS)`.
    function bondSlash(uint256 seats, uint256 seatBond, uint256 slashFractionBps) internal pure returns (uint256) {
        return Math.mulDiv(_exposure(seats, seatBond, slashFractionBps), slashFractionBps, BPS, Math.Rounding.Ceil);
    }

    /// @notice The least a corrupt quorum loses: `slashFractionBps` of the stake `quorumSeats` seats lock, rounded
    /// down.
    /// @dev Admission refuses a task whose value at risk exceeds this, so it rounds down: a quorum of members slashed
    /// one by one with `bondSlash` loses at least this much.
    /// @param quorumSeats The seats a result needs to reach quorum.
    /// @param seatBond The stake each seat locks.
    /// @param slashFractionBps The slashed fraction, in basis points, at most `BPS`.
    /// @return The cost of corruption, `floor(quorumSeats * seatBond * slashFractionBps / BPS)`.
    function corruptionCost(
        uint256 quorumSeats,
        uint256 seatBond,
        uint256 slashFractionBps
    ) internal pure returns (uint256) {
        return Math.mulDiv(_exposure(quorumSeats, seatBond, slashFractionBps), slashFractionBps, BPS);
    }

    /// @dev Checks the fraction and returns `seats * seatBond`, the stake the seats lock.
    function _exposure(uint256 seats, uint256 seatBond, uint256 fractionBps) private pure returns (uint256) {
        if (fractionBps > BPS) revert RewardMathFractionTooLarge(fractionBps, BPS);
        (bool ok, uint256 exposure) = Math.tryMul(seats, seatBond);
        if (!ok) revert RewardMathExposureOverflow(seats, seatBond);
        return exposure;
    }
}
