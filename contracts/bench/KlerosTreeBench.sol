// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SortitionTrees, TreeKey, CourtID} from "./reference/kleros/SortitionTrees.sol";

/// @title KlerosTreeBench
/// @notice Bench-only: Kleros v2's K-ary sortition sum tree (reference/kleros/SortitionTrees.sol, K = 6 as its
/// DEFAULT_K) behind the same fill / draw interface as our harness, so the benchmark measures both on the same EVM.
/// @dev One tree, keyed like the general court. Stakes are whole units times 1e18, as Kleros stores PNK wei. Nothing
/// here touches our protocol.
contract KlerosTreeBench {
    using SortitionTrees for SortitionTrees.Tree;

    /// @notice Children per node: Kleros v2's DEFAULT_K (contracts/src/libraries/Constants.sol).
    uint256 public constant K = 6;
    /// @notice The court every synthetic juror stakes in (Kleros v2's GENERAL_COURT).
    uint96 public constant COURT = 1;
    /// @notice One whole stake unit in the tree's value scale.
    uint256 public constant UNIT = 1e18;

    mapping(TreeKey key => SortitionTrees.Tree tree) private _trees;
    /// @notice Members appended so far.
    uint256 public members;

    /// @notice Emitted by `draw` so that its work cannot be optimized away.
    /// @param seed The seed of the draws.
    /// @param count How many members were drawn.
    /// @param checksum Hash chain over the drawn addresses.
    event Drawn(bytes32 seed, uint256 count, bytes32 checksum);

    constructor() {
        SortitionTrees.createTree(_trees, _key(), K);
    }

    /// @notice Appends `count` synthetic members with stakes in [1, 1000] units, derived from `salt`.
    /// @param count The members to add.
    /// @param salt Distinguishes batches (use the current size so addresses never repeat).
    function fill(uint256 count, uint256 salt) external {
        SortitionTrees.Tree storage tree = _trees[_key()];
        for (uint256 i; i < count; ++i) {
            bytes32 h = keccak256(abi.encode(salt, i));
            uint256 stake = 1 + ((uint256(h) >> 160) % 1000);
            tree.set(stake * UNIT, SortitionTrees.toStakePathID(address(uint160(uint256(h))), COURT));
        }
        members += count;
    }

    /// @notice Appends one member (it must not be in the tree yet).
    /// @param member The new member.
    /// @param stake Its stake in whole units.
    function insertNew(address member, uint256 stake) external {
        _trees[_key()].set(stake * UNIT, SortitionTrees.toStakePathID(member, COURT));
        ++members;
    }

    /// @notice Adds one unit to a member's stake.
    /// @param member A member already in the tree.
    function stakeIncrease(address member) external {
        SortitionTrees.Tree storage tree = _trees[_key()];
        bytes32 id = SortitionTrees.toStakePathID(member, COURT);
        tree.set(tree.stakeOf(id) + UNIT, id);
    }

    /// @notice Draws `count` members with replacement with the tree's own `draw` and emits a checksum of them.
    /// @dev Draw `i` passes `uint256(keccak256(abi.encode(seed, i)))` as the random number (dispute 0, nonce `i`);
    /// the library hashes it with the dispute and nonce and reduces it modulo the root sum, as Kleros does.
    /// @param seed The draw seed.
    /// @param count The members to draw.
    function draw(bytes32 seed, uint256 count) external {
        SortitionTrees.Tree storage tree = _trees[_key()];
        bytes32 checksum;
        for (uint256 i; i < count; ++i) {
            (address drawn, ) = tree.draw(0, i, uint256(keccak256(abi.encode(seed, i))));
            checksum = keccak256(abi.encode(checksum, drawn));
        }
        emit Drawn(seed, count, checksum);
    }

    /// @notice The sum of all stakes in the tree (the root node).
    /// @return The root sum, in the tree's value scale (units times 1e18).
    function total() external view returns (uint256) {
        return _trees[_key()].nodes[0];
    }

    function _key() private pure returns (TreeKey) {
        return CourtID.wrap(COURT).toTreeKey();
    }
}
