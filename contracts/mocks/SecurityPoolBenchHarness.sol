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

    uint256 private immutable _UNIT;

    constructor(
        IERC20 token,
        address admin,
        uint256 weightUnit_,
        uint256 epochBlocks_,
        uint256 drawWindowBlocks_,
        Parameters memory params
    ) SecurityPool(token, admin, weightUnit_, epochBlocks_, drawWindowBlocks_, params) {
        _UNIT = weightUnit_;
    }

    /// @notice Inserts `count` synthetic stakers with weights in [1, 1000], derived from `salt`.
    /// @param count The stakers to add.
    /// @param salt Distinguishes batches (use the current size so addresses never repeat).
    function benchFill(uint256 count, uint256 salt) external {
        for (uint256 i; i < count; ++i) {
            bytes32 h = keccak256(abi.encode(salt, i));
            _tree.set(address(uint160(uint256(h))), 1 + ((uint256(h) >> 160) % 1000));
        }
    }

    /// @notice Inserts `count` synthetic stakers that hold real stake records (stake in [10, 1000] weight units,
    /// derived from `salt`), so they can be drawn and can lock seats. The caller must send the pool the tokens
    /// (`benchStakedAmount(count, salt)`) for the pool's books to balance.
    /// @param count The stakers to add.
    /// @param salt Distinguishes batches (use the current size so addresses never repeat).
    function benchFillStaked(uint256 count, uint256 salt) external {
        uint256 added;
        for (uint256 i; i < count; ++i) {
            (address worker, uint256 weight) = _stakedStaker(salt, i);
            _workers[worker].active = uint112(weight * _UNIT);
            _tree.set(worker, weight);
            added += weight * _UNIT;
        }
        _totalActive += added;
    }

    /// @notice The tokens `benchFillStaked(count, salt)` credits as stake.
    /// @param count The stakers.
    /// @param salt The batch salt.
    /// @return amount The sum of their stakes.
    function benchStakedAmount(uint256 count, uint256 salt) external view returns (uint256 amount) {
        for (uint256 i; i < count; ++i) {
            (, uint256 weight) = _stakedStaker(salt, i);
            amount += weight * _UNIT;
        }
    }

    function _stakedStaker(uint256 salt, uint256 i) private pure returns (address worker, uint256 weight) {
        bytes32 h = keccak256(abi.encode("staked", salt, i));
        return (address(uint160(uint256(h))), 10 + ((uint256(h) >> 160) % 991));
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
