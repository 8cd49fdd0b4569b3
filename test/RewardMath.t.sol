// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// solhint-disable func-name-mixedcase
pragma solidity 0.8.30;

import {MathHarness} from "../contracts/mocks/MathHarness.sol";
import {RewardMath} from "../contracts/libraries/RewardMath.sol";

import {Test} from "./utils/Test.sol";

/// @title RewardMathTest
/// @notice Unit tests of `RewardMath` against hand-computed values, and fuzz tests of its rounding guarantees: shares
/// never exceed the pot and leave less dust than there are payees; slashes round up but stay within the exposure; the
/// cost of corruption rounds down.
contract RewardMathTest is Test {
    uint256 private constant BPS = RewardMath.BPS;
    uint256 private constant MAX = type(uint256).max;
    /// @dev The fuzzed split's payee cap, well above any committee the TaskManager will pay in one transaction.
    uint256 private constant MAX_PAYEES = 64;

    MathHarness private math;

    /// @notice Deploys the harness the revert tests call.
    function setUp() public {
        math = new MathHarness();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // seatShare
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Shares are proportional to seats; holding every seat takes the whole pot.
    function test_seatShare_ProRata() public pure {
        assertEq(RewardMath.seatShare(90, 1, 3), 30, "1 of 3");
        assertEq(RewardMath.seatShare(90, 2, 3), 60, "2 of 3");
        assertEq(RewardMath.seatShare(90, 3, 3), 90, "3 of 3");
    }

    /// @notice A fractional share rounds down, against the payee.
    function test_seatShare_RoundsDown() public pure {
        assertEq(RewardMath.seatShare(10, 1, 4), 2, "10 / 4 = 2.5");
        assertEq(RewardMath.seatShare(100, 2, 3), 66, "200 / 3 = 66.67");
        assertEq(RewardMath.seatShare(1, 1, 2), 0, "half a unit");
    }

    /// @notice No seats or no pot means no share.
    function test_seatShare_Zero() public pure {
        assertEq(RewardMath.seatShare(100, 0, 3), 0, "no seats");
        assertEq(RewardMath.seatShare(0, 3, 3), 0, "no pot");
    }

    /// @notice The product `pot * seats` may exceed 256 bits: 2/3 of the largest pot is exact (3 divides 2^256 - 1).
    function test_seatShare_FullRangePot() public pure {
        assertEq(RewardMath.seatShare(MAX, 2, 3), (MAX / 3) * 2, "2/3 of max");
        assertEq(RewardMath.seatShare(MAX, 1, 1), MAX, "all of max");
    }

    /// @notice A pot split over zero seats is refused.
    function test_RevertWhen_TotalSeatsZero() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathZeroTotalSeats.selector));
        math.seatShare(100, 0, 0);
    }

    /// @notice A payee cannot hold more seats than the pot is split over.
    function test_RevertWhen_SeatsExceedTotal() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathSeatsExceedTotal.selector, 4, 3));
        math.seatShare(100, 4, 3);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // splitPot
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice 1000 over seats (3, 2, 2): 3000/7, 2000/7, 2000/7 round down to 428, 285, 285, leaving 2 of dust.
    function test_splitPot_RoundsEachShareDown() public pure {
        (uint256[] memory shares, uint256 dust) = RewardMath.splitPot(1000, _seats3(3, 2, 2));
        assertEq(shares.length, 3, "length");
        assertEq(shares[0], 428, "share 0");
        assertEq(shares[1], 285, "share 1");
        assertEq(shares[2], 285, "share 2");
        assertEq(dust, 2, "dust");
    }

    /// @notice An evenly divisible pot leaves no dust; a payee with no seats gets nothing.
    function test_splitPot_ExactSplitLeavesNoDust() public pure {
        (uint256[] memory shares, uint256 dust) = RewardMath.splitPot(90, _seats3(1, 0, 2));
        assertEq(shares[0], 30, "share 0");
        assertEq(shares[1], 0, "share 1");
        assertEq(shares[2], 60, "share 2");
        assertEq(dust, 0, "dust");
    }

    /// @notice A pot smaller than the seat count is all dust: every share rounds to zero.
    function test_splitPot_TinyPotIsAllDust() public pure {
        (uint256[] memory shares, uint256 dust) = RewardMath.splitPot(2, _seats3(1, 1, 1));
        assertEq(shares[0] + shares[1] + shares[2], 0, "shares");
        assertEq(dust, 2, "dust");
    }

    /// @notice A split with no payees is refused, rather than calling the whole pot dust.
    function test_RevertWhen_SplitHasNoPayees() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathZeroTotalSeats.selector));
        math.splitPot(100, new uint256[](0));
    }

    /// @notice A split whose payees hold no seats is refused.
    function test_RevertWhen_SplitHasNoSeats() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathZeroTotalSeats.selector));
        math.splitPot(100, _seats3(0, 0, 0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // bondSlash and corruptionCost
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice 10% of 2 seats of 1000 tokens is 200 tokens, exactly.
    function test_bondSlash_ExactFraction() public pure {
        assertEq(RewardMath.bondSlash(2, 1000e18, 1000), 200e18, "10% of 2000");
    }

    /// @notice A fractional slash rounds up, against the slashed member, and a full slash takes the whole exposure.
    function test_bondSlash_RoundsUp() public pure {
        assertEq(RewardMath.bondSlash(3, 7, 5000), 11, "50% of 21 = 10.5");
        assertEq(RewardMath.bondSlash(3, 7, 1), 1, "0.01% of 21 = 0.0021");
        assertEq(RewardMath.bondSlash(3, 7, BPS), 21, "100% of 21");
        assertEq(RewardMath.bondSlash(3, 7, 0), 0, "0%");
    }

    /// @notice The largest exposure slashes in full without overflow.
    function test_bondSlash_MaxExposure() public pure {
        assertEq(RewardMath.bondSlash(1, MAX, BPS), MAX, "100% of max");
        assertEq(RewardMath.bondSlash(1, MAX, 1), MAX / BPS + 1, "0.01% of max, rounded up");
    }

    /// @notice The design's example: a quorum of 16 seats of 1000 tokens at 10% costs 1600 tokens to corrupt.
    function test_corruptionCost_ExactFraction() public pure {
        assertEq(RewardMath.corruptionCost(16, 1000e18, 1000), 1600e18, "10% of 16000");
    }

    /// @notice A fractional cost rounds down, so admission never overstates it.
    function test_corruptionCost_RoundsDown() public pure {
        assertEq(RewardMath.corruptionCost(3, 7, 5000), 10, "50% of 21 = 10.5");
        assertEq(RewardMath.corruptionCost(3, 7, 1), 0, "0.01% of 21 = 0.0021");
        assertEq(RewardMath.corruptionCost(3, 7, BPS), 21, "100% of 21");
        assertEq(RewardMath.corruptionCost(1, MAX, 1), MAX / BPS, "0.01% of max, rounded down");
    }

    /// @notice A slash fraction above the whole is refused.
    function test_RevertWhen_SlashFractionAboveBps() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathFractionTooLarge.selector, BPS + 1, BPS));
        math.bondSlash(1, 1, BPS + 1);
    }

    /// @notice A corruption cost with a fraction above the whole is refused.
    function test_RevertWhen_CorruptionFractionAboveBps() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathFractionTooLarge.selector, BPS + 1, BPS));
        math.corruptionCost(1, 1, BPS + 1);
    }

    /// @notice An exposure `seats * seatBond` beyond 256 bits is refused with a named error, not a panic.
    function test_RevertWhen_ExposureOverflows() public {
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathExposureOverflow.selector, 2, MAX));
        math.bondSlash(2, MAX, 1);
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathExposureOverflow.selector, 2, MAX));
        math.corruptionCost(2, MAX, 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fuzz: rewards
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A share is the exact pro rata share rounded down: `share * total <= pot * seats < (share + 1) * total`.
    /// @param pot The pot, bounded to 128 bits so the check's products fit.
    /// @param seats The payee's seats, bounded to [0, totalSeats].
    /// @param totalSeats The seats, bounded to [1, 2^64 - 1].
    function testFuzz_seatShareIsFloorOfExactShare(uint256 pot, uint256 seats, uint256 totalSeats) public pure {
        pot = bound(pot, 0, type(uint128).max);
        totalSeats = bound(totalSeats, 1, type(uint64).max);
        seats = bound(seats, 0, totalSeats);
        uint256 share = RewardMath.seatShare(pot, seats, totalSeats);
        assertLe(share * totalSeats, pot * seats, "share above the exact share");
        assertLe(pot * seats + 1, (share + 1) * totalSeats, "share below the floor");
    }

    /// @notice More seats never earn less, and no share exceeds the pot, over the full range of pots.
    /// @param pot The pot, unbounded.
    /// @param a The smaller seat count, bounded to [0, b].
    /// @param b The larger seat count, bounded to [0, totalSeats].
    /// @param totalSeats The seats, bounded to [1, 2^256 - 1].
    function testFuzz_seatShareMonotoneInSeats(uint256 pot, uint256 a, uint256 b, uint256 totalSeats) public pure {
        totalSeats = bound(totalSeats, 1, MAX);
        b = bound(b, 0, totalSeats);
        a = bound(a, 0, b);
        uint256 shareA = RewardMath.seatShare(pot, a, totalSeats);
        uint256 shareB = RewardMath.seatShare(pot, b, totalSeats);
        assertLe(shareA, shareB, "fewer seats earned more");
        assertLe(shareB, pot, "share above the pot");
    }

    /// @notice Over a random split of `totalSeats` among up to 64 payees, the shares never exceed the pot, the dust is
    /// less than the number of payees, and `splitPot` agrees with paying each payee `seatShare` on its own.
    /// @param pot The pot, unbounded.
    /// @param totalSeats The seats, bounded to [payees, 2^64 - 1].
    /// @param payees The payee count, bounded to [1, 64].
    /// @param seed Drives the split.
    function testFuzz_splitNeverExceedsPotAndDustBelowPayees(
        uint256 pot,
        uint256 totalSeats,
        uint256 payees,
        uint256 seed
    ) public pure {
        payees = bound(payees, 1, MAX_PAYEES);
        totalSeats = bound(totalSeats, payees, type(uint64).max);
        uint256[] memory seats = _randomSplit(totalSeats, payees, seed);

        uint256 paid;
        for (uint256 i; i < payees; ++i) {
            paid += RewardMath.seatShare(pot, seats[i], totalSeats);
        }
        assertLe(paid, pot, "paid above the pot");
        assertLe(pot - paid + 1, payees, "dust not below the payee count");

        (uint256[] memory shares, uint256 dust) = RewardMath.splitPot(pot, seats);
        for (uint256 i; i < payees; ++i) {
            assertEq(shares[i], RewardMath.seatShare(pot, seats[i], totalSeats), "splitPot share");
        }
        assertEq(dust, pot - paid, "splitPot dust");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fuzz: slashing and the cost of corruption
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A slash is the exact fraction of the exposure rounded up, and never above the exposure.
    /// @param seats The member's seats, bounded to 64 bits.
    /// @param bond The seat bond, bounded to 128 bits.
    /// @param bps The slash fraction, bounded to [0, BPS].
    function testFuzz_bondSlashBetweenExactFractionAndExposure(uint256 seats, uint256 bond, uint256 bps) public pure {
        seats = bound(seats, 0, type(uint64).max);
        bond = bound(bond, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        uint256 exposure = seats * bond;
        uint256 slash = RewardMath.bondSlash(seats, bond, bps);
        assertLe(slash, exposure, "slash above the exposure");
        assertGe(slash * BPS, exposure * bps, "slash below the exact fraction");
        assertLe(slash * BPS, exposure * bps + BPS - 1, "slash above the ceiling");
    }

    /// @notice The cost of corruption is the exact fraction rounded down: `cost <= exact < cost + 1`.
    /// @param quorum The quorum seats, bounded to 64 bits.
    /// @param bond The seat bond, bounded to 128 bits.
    /// @param bps The slash fraction, bounded to [0, BPS].
    function testFuzz_corruptionCostIsFloorOfExactFraction(uint256 quorum, uint256 bond, uint256 bps) public pure {
        quorum = bound(quorum, 0, type(uint64).max);
        bond = bound(bond, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        uint256 exact = quorum * bond * bps; // in units of 1 / BPS token
        uint256 cost = RewardMath.corruptionCost(quorum, bond, bps);
        assertLe(cost * BPS, exact, "cost above the exact fraction");
        assertLe(exact + 1, (cost + 1) * BPS, "cost below the floor");
    }

    /// @notice However a corrupt quorum is spread over two members, slashing each with `bondSlash` takes at least the
    /// cost of corruption that admitted the task.
    /// @param quorum The quorum seats, bounded to 64 bits.
    /// @param a The first member's seats, bounded to [0, quorum]; the second holds the rest.
    /// @param bond The seat bond, bounded to 128 bits.
    /// @param bps The slash fraction, bounded to [0, BPS].
    function testFuzz_quorumSlashCoversCorruptionCost(
        uint256 quorum,
        uint256 a,
        uint256 bond,
        uint256 bps
    ) public pure {
        quorum = bound(quorum, 0, type(uint64).max);
        a = bound(a, 0, quorum);
        bond = bound(bond, 0, type(uint128).max);
        bps = bound(bps, 0, BPS);
        uint256 slashed = RewardMath.bondSlash(a, bond, bps) + RewardMath.bondSlash(quorum - a, bond, bps);
        assertGe(slashed, RewardMath.corruptionCost(quorum, bond, bps), "quorum slashed below the cost");
    }

    /// @notice Any fraction above the whole is refused, carrying the fraction.
    /// @param seats The seats, unbounded.
    /// @param bond The seat bond, unbounded.
    /// @param bps The slash fraction, bounded to [BPS + 1, 2^256 - 1].
    function testFuzz_RevertWhen_FractionAboveBps(uint256 seats, uint256 bond, uint256 bps) public {
        bps = bound(bps, BPS + 1, MAX);
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathFractionTooLarge.selector, bps, BPS));
        math.bondSlash(seats, bond, bps);
        vm.expectRevert(abi.encodeWithSelector(RewardMath.RewardMathFractionTooLarge.selector, bps, BPS));
        math.corruptionCost(seats, bond, bps);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Splits `total` into `count` parts of at least one seat each, pseudo-randomly from `seed`: each payee but
    /// the last takes a random part of what is left above the others' minimum, the last takes the rest.
    function _randomSplit(uint256 total, uint256 count, uint256 seed) private pure returns (uint256[] memory seats) {
        seats = new uint256[](count);
        uint256 spare = total - count;
        for (uint256 i; i + 1 < count; ++i) {
            uint256 extra = uint256(keccak256(abi.encode(seed, i))) % (spare + 1);
            seats[i] = 1 + extra;
            spare -= extra;
        }
        seats[count - 1] = 1 + spare;
    }

    function _seats3(uint256 a, uint256 b, uint256 c) private pure returns (uint256[] memory seats) {
        seats = new uint256[](3);
        seats[0] = a;
        seats[1] = b;
        seats[2] = c;
    }
}
