// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title SortitionTree
/// @notice A stake-weighted sum tree for sampling members with replacement: O(log8 n) update and draw.
/// @dev Designed from the storage-read limit up. A draw in a fresh transaction pays one cold SLOAD (2,100 gas) per
/// tree level, so the tree packs 8 child sums of 32 bits into each slot (keep-network's layout): 100,000 members
/// need 6 levels, 1,000,000 need 7. Unlike keep's fixed 7 levels, the height grows with the member count, so small
/// pools pay for fewer levels; the height lives in the `meta` slot that every operation reads anyway.
///
/// Layout: level 0 holds the leaves' weights, 8 per slot; a slot at level l + 1 holds the sums of 8 slots of level l;
/// the root is the single slot at level `height - 1`, and the total weight is the sum of its 8 lanes. Node keys are
/// `level << 64 | index`, so growing the tree adds a root above the old one without moving any node.
///
/// Every lane holds a subtree sum, and no subtree sum can exceed the total, so capping the total at 2^32 - 1 makes
/// lane overflow impossible. Removed members' leaves go on a free list and are reused before the tree grows.
library SortitionTree {
    // ---------------------------------------------------------------------------------------------------------------
    // Constants
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Children per node: 8 lanes of 32 bits fill one storage slot.
    uint256 internal constant BRANCHING = 8;
    /// @notice The largest total weight (and so the largest single weight) the tree accepts.
    uint256 internal constant MAX_TOTAL_WEIGHT = type(uint32).max;
    /// @notice The tallest tree: 8^8 = 16,777,216 leaves.
    uint256 internal constant MAX_HEIGHT = 8;

    uint256 private constant _LANE_BITS = 32;
    uint256 private constant _LANE_MASK = 0xffffffff;
    uint256 private constant _LEVEL_SHIFT = 64;
    // meta: height (8 bits) | nextLeaf (64 bits) | freeCount (64 bits) | size (64 bits)
    uint256 private constant _NEXT_LEAF_SHIFT = 8;
    uint256 private constant _FREE_COUNT_SHIFT = 72;
    uint256 private constant _SIZE_SHIFT = 136;
    uint256 private constant _FIELD_MASK = 0xffffffffffffffff;

    // ---------------------------------------------------------------------------------------------------------------
    // Types and errors
    // ---------------------------------------------------------------------------------------------------------------

    struct Tree {
        uint256 meta;
        mapping(uint256 key => uint256 lanes) nodes;
        mapping(uint256 leaf => address member) memberAt;
        mapping(address member => uint256 leafPlusOne) leafOf;
        mapping(uint256 position => uint256 leaf) freeLeaves;
    }

    /// @notice A weight above `MAX_TOTAL_WEIGHT` was given for `member`.
    error SortitionTreeWeightTooLarge(address member, uint256 weight, uint256 maxWeight);
    /// @notice The update would take the total weight to `total`, above `maxTotal`.
    error SortitionTreeTotalWeightOverflow(uint256 total, uint256 maxTotal);
    /// @notice All `capacity` leaves are in use.
    error SortitionTreeFull(uint256 capacity);
    /// @notice A draw was asked of a tree whose total weight is zero.
    error SortitionTreeEmpty();

    // ---------------------------------------------------------------------------------------------------------------
    // Updates
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Sets `member`'s weight: inserts it, updates it, or (weight 0) removes it and frees its leaf.
    /// @param tree The tree.
    /// @param member The member.
    /// @param weight The new weight, at most `MAX_TOTAL_WEIGHT` (and the total stays within it).
    function set(Tree storage tree, address member, uint256 weight) internal {
        if (weight > MAX_TOTAL_WEIGHT) revert SortitionTreeWeightTooLarge(member, weight, MAX_TOTAL_WEIGHT);
        uint256 leafPlusOne = tree.leafOf[member];
        if (leafPlusOne == 0) {
            if (weight == 0) return;
            _insert(tree, member, weight);
            return;
        }
        uint256 leaf = leafPlusOne - 1;
        uint256 meta = tree.meta;
        uint256 height = meta & 0xff;
        uint256 old = _lane(tree.nodes[leaf >> 3], leaf & 7);
        if (old == weight) return;
        _updatePath(tree, leaf, height, old, weight);
        if (weight == 0) {
            // Removal leaves no residue: the member's mappings are cleared and its leaf is queued for reuse.
            delete tree.memberAt[leaf];
            delete tree.leafOf[member];
            uint256 freeCount = (meta >> _FREE_COUNT_SHIFT) & _FIELD_MASK;
            tree.freeLeaves[freeCount] = leaf;
            uint256 members = (meta >> _SIZE_SHIFT) & _FIELD_MASK;
            tree.meta = _packMeta(height, (meta >> _NEXT_LEAF_SHIFT) & _FIELD_MASK, freeCount + 1, members - 1);
        }
    }

    function _insert(Tree storage tree, address member, uint256 weight) private {
        uint256 meta = tree.meta;
        uint256 height = meta & 0xff;
        uint256 nextLeaf = (meta >> _NEXT_LEAF_SHIFT) & _FIELD_MASK;
        uint256 freeCount = (meta >> _FREE_COUNT_SHIFT) & _FIELD_MASK;
        uint256 members = (meta >> _SIZE_SHIFT) & _FIELD_MASK;
        uint256 leaf;
        if (freeCount != 0) {
            unchecked {
                --freeCount;
            }
            leaf = tree.freeLeaves[freeCount];
            delete tree.freeLeaves[freeCount];
        } else {
            leaf = nextLeaf;
            if (leaf == _capacity(height)) height = _grow(tree, height);
            unchecked {
                ++nextLeaf;
            }
        }
        unchecked {
            ++members;
        }
        tree.meta = _packMeta(height, nextLeaf, freeCount, members);
        tree.memberAt[leaf] = member;
        tree.leafOf[member] = leaf + 1;
        _updatePath(tree, leaf, height, 0, weight);
    }

    /// @dev Adds a root above the current one whose first lane carries the old total; no existing node moves.
    function _grow(Tree storage tree, uint256 height) private returns (uint256) {
        if (height == MAX_HEIGHT) revert SortitionTreeFull(_capacity(height));
        if (height != 0) {
            uint256 oldTotal = _sumLanes(tree.nodes[(height - 1) << _LEVEL_SHIFT]);
            if (oldTotal != 0) tree.nodes[height << _LEVEL_SHIFT] = oldTotal;
        }
        return height + 1;
    }

    /// @dev Rewrites the lane of `leaf`'s path at every level, from the leaf up to the root. Each lane holds a
    /// subtree sum that includes `oldWeight`, so the subtraction cannot underflow. The new total is checked at the
    /// root from the node as stored, before the lane is written back: a lane above 32 bits would spill into its
    /// neighbour, so a sum over the rewritten node could hide the overflow. The total bounds every lane below it,
    /// so one check suffices, and the revert undoes the levels already written.
    function _updatePath(
        Tree storage tree,
        uint256 leaf,
        uint256 height,
        uint256 oldWeight,
        uint256 newWeight
    ) private {
        uint256 index = leaf;
        uint256 lastLevel = height - 1;
        for (uint256 level; level < height;) {
            uint256 key = (level << _LEVEL_SHIFT) | (index >> 3);
            uint256 shift = (index & 7) * _LANE_BITS;
            uint256 node = tree.nodes[key];
            if (level == lastLevel) {
                uint256 newTotal = _sumLanes(node) + newWeight - oldWeight;
                if (newTotal > MAX_TOTAL_WEIGHT) {
                    revert SortitionTreeTotalWeightOverflow(newTotal, MAX_TOTAL_WEIGHT);
                }
            }
            uint256 lane = (((node >> shift) & _LANE_MASK) + newWeight) - oldWeight;
            node = (node & ~(_LANE_MASK << shift)) | (lane << shift);
            tree.nodes[key] = node;
            unchecked {
                index >>= 3;
                ++level;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Draws
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Draws `count` members with replacement; seat `j` uses the value `keccak256(abi.encode(seed, j))`.
    /// @param tree The tree.
    /// @param seed The draw's seed.
    /// @param count The number of seats.
    /// @return members The member of each seat.
    /// @dev A value `v` selects the member whose cumulative weight interval contains `v % total`. The modulo bias is
    /// below total / 2^256 < 2^-223 per draw, because the total is below 2^33.
    function drawMany(Tree storage tree, bytes32 seed, uint256 count) internal view returns (address[] memory members) {
        uint256 height = tree.meta & 0xff;
        uint256 root = height == 0 ? 0 : tree.nodes[(height - 1) << _LEVEL_SHIFT];
        uint256 totalWeight = _sumLanes(root);
        if (totalWeight == 0) revert SortitionTreeEmpty();
        members = new address[](count);
        for (uint256 j; j < count;) {
            uint256 leaf = _descend(tree, root, height, _seatValue(seed, j) % totalWeight);
            members[j] = tree.memberAt[leaf];
            unchecked {
                ++j;
            }
        }
    }

    /// @notice The member owning the cumulative weight position `position % total`.
    /// @param tree The tree.
    /// @param position A position in [0, total) (larger values wrap around).
    /// @return The member whose weight interval holds the position.
    function memberAtPosition(Tree storage tree, uint256 position) internal view returns (address) {
        uint256 height = tree.meta & 0xff;
        uint256 root = height == 0 ? 0 : tree.nodes[(height - 1) << _LEVEL_SHIFT];
        uint256 totalWeight = _sumLanes(root);
        if (totalWeight == 0) revert SortitionTreeEmpty();
        return tree.memberAt[_descend(tree, root, height, position % totalWeight)];
    }

    /// @dev Walks from the root (already loaded) to a leaf: at each level, subtract lane sums until `r` falls in one.
    function _descend(Tree storage tree, uint256 root, uint256 height, uint256 r) private view returns (uint256 index) {
        uint256 node = root;
        uint256 level = height;
        while (true) {
            unchecked {
                uint256 lane;
                uint256 laneWeight = node & _LANE_MASK;
                // The loop ends at lane 7 at the latest: r < (sum of the lanes) holds on entry at every level.
                while (r >= laneWeight) {
                    r -= laneWeight;
                    ++lane;
                    laneWeight = (node >> (lane * _LANE_BITS)) & _LANE_MASK;
                }
                index = (index << 3) | lane;
                --level;
                if (level == 0) return index;
                node = tree.nodes[((level - 1) << _LEVEL_SHIFT) | index];
            }
        }
    }

    /// @dev keccak256(abi.encode(seed, j)), in scratch space to avoid a memory allocation per seat.
    function _seatValue(bytes32 seed, uint256 j) private pure returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, seed)
            mstore(0x20, j)
            value := keccak256(0x00, 0x40)
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The sum of all weights.
    /// @param tree The tree.
    /// @return The total weight.
    function total(Tree storage tree) internal view returns (uint256) {
        uint256 height = tree.meta & 0xff;
        if (height == 0) return 0;
        return _sumLanes(tree.nodes[(height - 1) << _LEVEL_SHIFT]);
    }

    /// @notice `member`'s weight (0 when absent).
    /// @param tree The tree.
    /// @param member The member.
    /// @return The member's weight.
    function weightOf(Tree storage tree, address member) internal view returns (uint256) {
        uint256 leafPlusOne = tree.leafOf[member];
        if (leafPlusOne == 0) return 0;
        uint256 leaf = leafPlusOne - 1;
        return _lane(tree.nodes[leaf >> 3], leaf & 7);
    }

    /// @notice The number of members with a non-zero weight.
    /// @param tree The tree.
    /// @return The member count.
    function size(Tree storage tree) internal view returns (uint256) {
        return (tree.meta >> _SIZE_SHIFT) & _FIELD_MASK;
    }

    /// @notice The tree's shape.
    /// @param tree The tree.
    /// @return height Levels of nodes.
    /// @return leaves Leaves ever allocated.
    /// @return freeLeaves Allocated leaves waiting on the free list.
    function shape(Tree storage tree) internal view returns (uint256 height, uint256 leaves, uint256 freeLeaves) {
        uint256 meta = tree.meta;
        return (meta & 0xff, (meta >> _NEXT_LEAF_SHIFT) & _FIELD_MASK, (meta >> _FREE_COUNT_SHIFT) & _FIELD_MASK);
    }

    /// @notice The leaf index of `member` and whether it has one.
    /// @param tree The tree.
    /// @param member The member.
    /// @return found Whether the member is in the tree.
    /// @return leaf Its leaf index (0 when not found).
    function leafIndexOf(Tree storage tree, address member) internal view returns (bool found, uint256 leaf) {
        uint256 leafPlusOne = tree.leafOf[member];
        return leafPlusOne == 0 ? (false, 0) : (true, leafPlusOne - 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    function _capacity(uint256 height) private pure returns (uint256) {
        return height == 0 ? 0 : BRANCHING ** height;
    }

    function _lane(uint256 node, uint256 lane) private pure returns (uint256) {
        return (node >> (lane * _LANE_BITS)) & _LANE_MASK;
    }

    function _sumLanes(uint256 node) private pure returns (uint256 sum) {
        unchecked {
            for (uint256 lane; lane < BRANCHING; ++lane) {
                sum += (node >> (lane * _LANE_BITS)) & _LANE_MASK;
            }
        }
    }

    function _packMeta(
        uint256 height,
        uint256 nextLeaf,
        uint256 freeCount,
        uint256 members
    ) private pure returns (uint256) {
        return height | (nextLeaf << _NEXT_LEAF_SHIFT) | (freeCount << _FREE_COUNT_SHIFT) | (members << _SIZE_SHIFT);
    }
}
