// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SortitionTree} from "../libraries/SortitionTree.sol";

/// @title SortitionTreeHarness
/// @notice Test-only: one `SortitionTree.Tree` with the library's internal functions exposed as externals, plus raw
/// reads of the tree's mappings so tests can check that a removal leaves no residue.
contract SortitionTreeHarness {
    using SortitionTree for SortitionTree.Tree;

    SortitionTree.Tree private _tree;

    /// @notice `SortitionTree.set`.
    /// @param member The member.
    /// @param weight Its new weight (0 removes it).
    function set(address member, uint256 weight) external {
        _tree.set(member, weight);
    }

    /// @notice Inserts (or updates) members `address(first)` .. `address(first + count - 1)`, all at `weight`.
    /// @dev One call instead of hundreds, so height-growth tests stay fast.
    /// @param first The first member's address, as a number.
    /// @param count How many members.
    /// @param weight The weight of each.
    function fill(uint160 first, uint256 count, uint256 weight) external {
        for (uint160 i; i < count; ++i) {
            _tree.set(address(first + i), weight);
        }
    }

    /// @notice `SortitionTree.drawMany`.
    /// @param seed The draw's seed.
    /// @param count The number of seats.
    /// @return members One member per seat.
    function drawMany(bytes32 seed, uint256 count) external view returns (address[] memory members) {
        return _tree.drawMany(seed, count);
    }

    /// @notice `SortitionTree.memberAtPosition`.
    /// @param position A cumulative weight position (taken modulo the total).
    /// @return member The member owning it.
    function memberAtPosition(uint256 position) external view returns (address member) {
        return _tree.memberAtPosition(position);
    }

    /// @notice `SortitionTree.total`.
    /// @return The sum of all weights.
    function total() external view returns (uint256) {
        return _tree.total();
    }

    /// @notice `SortitionTree.weightOf`.
    /// @param member The member.
    /// @return Its weight.
    function weightOf(address member) external view returns (uint256) {
        return _tree.weightOf(member);
    }

    /// @notice `SortitionTree.size`.
    /// @return The number of members.
    function size() external view returns (uint256) {
        return _tree.size();
    }

    /// @notice `SortitionTree.shape`.
    /// @return height The number of levels.
    /// @return leaves The leaves ever allocated.
    /// @return freeLeaves The leaves on the free list.
    function shape() external view returns (uint256 height, uint256 leaves, uint256 freeLeaves) {
        return _tree.shape();
    }

    /// @notice `SortitionTree.leafOf`.
    /// @param member The member.
    /// @return found Whether it has a leaf.
    /// @return leaf Its leaf index.
    function leafOf(address member) external view returns (bool found, uint256 leaf) {
        return _tree.leafIndexOf(member);
    }

    /// @notice The raw `memberAt` entry of `leaf` (zero for a free or never-used leaf).
    /// @param leaf The leaf index.
    /// @return The member stored there.
    function memberAtLeaf(uint256 leaf) external view returns (address) {
        return _tree.memberAt[leaf];
    }

    /// @notice The raw `leafOf` entry of `member` (leaf index plus one; zero when absent).
    /// @param member The member.
    /// @return The stored value.
    function rawLeafPlusOne(address member) external view returns (uint256) {
        return _tree.leafOf[member];
    }

    /// @notice The raw free-list entry at `position`.
    /// @param position The free-list position.
    /// @return The leaf stored there.
    function freeLeafAt(uint256 position) external view returns (uint256) {
        return _tree.freeLeaves[position];
    }

    /// @notice Test-only: pretends `leaves` leaves are allocated in a tree of `height` levels, to reach the capacity
    /// limit without 16 million inserts. Writes the meta slot (height | nextLeaf << 8 | freeCount << 72 | size << 136).
    /// @param height The height to record.
    /// @param leaves The leaves to record as allocated (and in use).
    function pretendAllocated(uint256 height, uint256 leaves) external {
        _tree.meta = height | (leaves << 8) | (leaves << 136);
    }
}
