// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {SecurityPool} from "../SecurityPool.sol";
import {SortitionTree} from "../libraries/SortitionTree.sol";

/// @title SecurityPoolBenchHarness
/// @notice Bench-only: the real pool plus a bulk helper that fills the sortition tree with synthetic stakers, so the
/// gas of real operations can be measured at 100,000 stakers without 100,000 staking transactions.
/// @dev Synthetic stakers exist only in the tree (they carry weight and can be drawn); they hold no stake records.
contract SecurityPoolBenchHarness is SecurityPool {
    using SortitionTree for SortitionTree.Tree;

    constructor(
        IERC20 token,
        address admin,
        uint256 weightUnit_,
        uint256 epochBlocks_,
        uint256 drawWindowBlocks_,
        Parameters memory params
    ) SecurityPool(token, admin, weightUnit_, epochBlocks_, drawWindowBlocks_, params) {}

    /// @notice Inserts `count` synthetic stakers with weights in [1, 1000], derived from `salt`.
    /// @param count The stakers to add.
    /// @param salt Distinguishes batches (use the current size so addresses never repeat).
    function benchFill(uint256 count, uint256 salt) external {
        for (uint256 i; i < count; ++i) {
            bytes32 h = keccak256(abi.encode(salt, i));
            _tree.set(address(uint160(uint256(h))), 1 + ((uint256(h) >> 160) % 1000));
        }
    }

    /// @notice Builds the tallest tree (8 levels) with `count` synthetic stakers whose leaves lie `spacing` apart, so
    /// that draws walk the longest and least shared paths: the worst case for gas, without millions of stakers.
    /// @dev Rewrites the tree's meta slot (height | nextLeaf << 8 | freeCount << 72 | size << 136) before each insert
    /// to place the next leaf; only valid on an empty tree.
    /// @param first The index of the first staker to add (batches continue where the last one stopped).
    /// @param count The stakers to add.
    /// @param spacing The distance between consecutive leaves.
    function benchSpread(uint256 first, uint256 count, uint256 spacing) external {
        for (uint256 i = first; i < first + count; ++i) {
            _tree.meta = SortitionTree.MAX_HEIGHT | ((i * spacing) << 8) | (i << 136);
            bytes32 h = keccak256(abi.encode("spread", i));
            _tree.set(address(uint160(uint256(h))), 1 + ((uint256(h) >> 160) % 1000));
        }
    }

    /// @notice The tree's shape, for tests that need its height.
    /// @return height Levels of nodes.
    /// @return leaves Leaves ever allocated.
    /// @return freeLeaves Leaves waiting for reuse.
    function benchShape() external view returns (uint256 height, uint256 leaves, uint256 freeLeaves) {
        return _tree.shape();
    }
}
