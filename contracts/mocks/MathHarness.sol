// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Commitments} from "../libraries/Commitments.sol";
import {RewardMath} from "../libraries/RewardMath.sol";

/// @title MathHarness
/// @notice Test-only: `Commitments` and `RewardMath` exposed as external functions, so Solidity tests see their
/// reverts one call deep (where `vm.expectRevert` catches them) and TypeScript tests can check the SDK's commitment
/// hashing and reward math against the contracts'.
contract MathHarness {
    /// @notice `Commitments.commitment`.
    /// @param chainId The chain id.
    /// @param manager The TaskManager contract.
    /// @param taskId The task.
    /// @param round The round of the task.
    /// @param member The committee member.
    /// @param resultHash The hash of the member's result.
    /// @param salt The member's secret salt.
    /// @return The commitment.
    function commitment(
        uint256 chainId,
        address manager,
        uint256 taskId,
        uint256 round,
        address member,
        bytes32 resultHash,
        bytes32 salt
    ) external pure returns (bytes32) {
        return Commitments.commitment(chainId, manager, taskId, round, member, resultHash, salt);
    }

    /// @notice `Commitments.resultHashOf`.
    /// @param result The result bytes.
    /// @return The result hash.
    function resultHashOf(bytes calldata result) external pure returns (bytes32) {
        return Commitments.resultHashOf(result);
    }

    /// @notice `RewardMath.seatShare`.
    /// @param pot The amount to split.
    /// @param seats The payee's seats.
    /// @param totalSeats The seats the pot is split over.
    /// @return The payee's share.
    function seatShare(uint256 pot, uint256 seats, uint256 totalSeats) external pure returns (uint256) {
        return RewardMath.seatShare(pot, seats, totalSeats);
    }

    /// @notice `RewardMath.splitPot`.
    /// @param pot The amount to split.
    /// @param seats The seats of each payee.
    /// @return shares The share of each payee.
    /// @return dust What rounding leaves of the pot.
    function splitPot(
        uint256 pot,
        uint256[] calldata seats
    ) external pure returns (uint256[] memory shares, uint256 dust) {
        return RewardMath.splitPot(pot, seats);
    }

    /// @notice `RewardMath.bondSlash`.
    /// @param seats The member's seats.
    /// @param seatBond The stake each seat locks.
    /// @param slashFractionBps The slashed fraction, in basis points.
    /// @return The slashed amount.
    function bondSlash(uint256 seats, uint256 seatBond, uint256 slashFractionBps) external pure returns (uint256) {
        return RewardMath.bondSlash(seats, seatBond, slashFractionBps);
    }

    /// @notice `RewardMath.corruptionCost`.
    /// @param quorumSeats The seats a result needs to reach quorum.
    /// @param seatBond The stake each seat locks.
    /// @param slashFractionBps The slashed fraction, in basis points.
    /// @return The cost of corruption.
    function corruptionCost(
        uint256 quorumSeats,
        uint256 seatBond,
        uint256 slashFractionBps
    ) external pure returns (uint256) {
        return RewardMath.corruptionCost(quorumSeats, seatBond, slashFractionBps);
    }
}
