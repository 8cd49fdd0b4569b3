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
}
