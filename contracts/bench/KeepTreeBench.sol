// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SortitionTree} from "./reference/keep/SortitionTree.sol";
import {Branch} from "./reference/keep/Branch.sol";
import {Leaf} from "./reference/keep/Leaf.sol";
import {Position} from "./reference/keep/Position.sol";

/// @title KeepTreeBench
/// @notice Bench-only: keep-network's sortition-pools tree (reference/keep/, 8 packed 32-bit weights per slot, fixed
/// 7 levels) behind the same fill / draw interface as our harness, so the benchmark measures both on the same EVM.
/// @dev Weights are whole stake units, as keep's pool divides the authorized stake by its `poolWeightDivisor`.
/// Inserts go through upstream's `_insertOperator` (operator ID, leaf, branches, flagged position), and draws walk
/// upstream's `pickWeightedLeaf` then read the leaf, as `SortitionPool.selectGroup` does. Nothing here touches our
/// protocol.
contract KeepTreeBench is SortitionTree {
    using Branch for uint256;
    using Leaf for uint256;
    using Position for uint256;

    /// @notice Emitted by `draw` so that its work cannot be optimized away.
    /// @param seed The seed of the draws.
    /// @param count How many members were drawn.
    /// @param checksum Hash chain over the drawn addresses.
    event Drawn(bytes32 seed, uint256 count, bytes32 checksum);

    /// @notice `draw` on a pool without weight.
    error EmptyPool();

    /// @notice Appends `count` synthetic members with weights in [1, 1000] units, derived from `salt`.
    /// @param count The members to add.
    /// @param salt Distinguishes batches (use the current size so addresses never repeat).
    function fill(uint256 count, uint256 salt) external {
        for (uint256 i; i < count; ++i) {
            bytes32 h = keccak256(abi.encode(salt, i));
            _insertOperator(address(uint160(uint256(h))), 1 + ((uint256(h) >> 160) % 1000));
        }
    }

    /// @notice Appends one member (it must not be in the pool yet).
    /// @param member The new member.
    /// @param stake Its weight in whole units.
    function insertNew(address member, uint256 stake) external {
        _insertOperator(member, stake);
    }

    /// @notice Adds one unit to a member's weight.
    /// @param member A member already in the pool.
    function stakeIncrease(address member) external {
        updateOperator(member, getLeafWeight(getFlaggedLeafPosition(member).unsetFlag()) + 1);
    }

    /// @notice Draws `count` members with replacement with the tree's own `pickWeightedLeaf` and emits a checksum.
    /// @dev Draw `i` uses `uint256(keccak256(abi.encode(seed, i))) % totalWeight` as the index (keep's own
    /// `selectGroup` uses a rejection-sampling RNG instead; the tree walk is the same).
    /// @param seed The draw seed.
    /// @param count The members to draw.
    function draw(bytes32 seed, uint256 count) external {
        uint256 _root = root;
        uint256 weight = _root.sumWeight();
        if (weight == 0) revert EmptyPool();
        bytes32 checksum;
        for (uint256 i; i < count; ++i) {
            uint256 leafPosition = pickWeightedLeaf(uint256(keccak256(abi.encode(seed, i))) % weight, _root);
            checksum = keccak256(abi.encode(checksum, leaves[leafPosition].operator()));
        }
        emit Drawn(seed, count, checksum);
    }
}
