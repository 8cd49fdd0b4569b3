// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Commitments
/// @notice The protocol's commit-reveal hashing: what a committee member commits to, and how a result is hashed.
/// @dev The commitment is `keccak256(abi.encode(chainId, manager, taskId, round, member, resultHash, salt))`. The SDK
/// reproduces it byte for byte, so the encoding (standard ABI, seven 32-byte words, in this order) is part of the
/// protocol and never changes. Every field is there to stop a specific reuse of a commitment (rule 7):
///
/// - `chainId` and `manager`: a commitment seen on one chain or one TaskManager deployment (a testnet, a fork, a
///   redeployment) cannot be replayed on another, where task ids restart and would otherwise collide.
/// - `taskId` and `round`: a commitment is valid for one round of one task only, so a member cannot carry a commitment
///   into a later escalation round or another task with the same program and input, where the answer may be known.
/// - `member`: a commitment is bound to its author, so a lazy member cannot copy another member's commitment during
///   the commit phase and then copy its reveal, claiming a reward for work it did not do.
/// - `salt` (256 bits, secret until the reveal): results often come from a small space (a boolean, a small number, a
///   handful of likely outputs). Without the salt, anyone could hash every candidate and read a member's answer from
///   its commitment before the reveal, then copy it or vote against it. A 256-bit salt makes that search infeasible.
///
/// `abi.encode` (not `abi.encodePacked`) keeps every field in its own 32-byte word, so no two different tuples share
/// an encoding.
library Commitments {
    /// @notice The commitment a member posts in the commit phase and opens in the reveal phase.
    /// @param chainId The chain id (`block.chainid`).
    /// @param manager The TaskManager contract the commitment is for.
    /// @param taskId The task.
    /// @param round The round of the task (0 for the first committee, then one per escalation).
    /// @param member The committee member committing.
    /// @param resultHash The hash of the member's result, `resultHashOf(result)`.
    /// @param salt A secret, uniformly random 256-bit value, revealed with the result hash.
    /// @return The commitment.
    function commitment(
        uint256 chainId,
        address manager,
        uint256 taskId,
        uint256 round,
        address member,
        bytes32 resultHash,
        bytes32 salt
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(chainId, manager, taskId, round, member, resultHash, salt));
    }

    /// @notice The hash of a result's canonical byte encoding; equal results have equal hashes.
    /// @param result The result bytes, in the program's canonical encoding.
    /// @return The result hash.
    function resultHashOf(bytes memory result) internal pure returns (bytes32) {
        return keccak256(result);
    }
}
