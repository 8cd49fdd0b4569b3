// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// solhint-disable func-name-mixedcase
pragma solidity 0.8.30;

import {SortitionTreeHarness} from "../contracts/mocks/SortitionTreeHarness.sol";
import {SortitionTree} from "../contracts/libraries/SortitionTree.sol";

import {Test} from "./utils/Test.sol";

/// @title SortitionTreeTest
/// @notice Unit and fuzz tests of `SortitionTree` through `SortitionTreeHarness`. The fuzz tests keep an independent
/// model of the tree (weights, leaf allocation with a LIFO free list) and check every answer against a brute-force
/// prefix sum over the model's leaves.
contract SortitionTreeTest is Test {
    uint256 private constant MAX = SortitionTree.MAX_TOTAL_WEIGHT;
    /// @dev The fuzz tests' member count cap; the model arrays are sized to it.
    uint256 private constant MODEL_SIZE = 100;

    SortitionTreeHarness private tree;

    address private constant ALICE = address(0xA11CE);
    address private constant BOB = address(0xB0B);
    address private constant CAROL = address(0xCA201);
    address private constant DAVE = address(0xDA5E);

    /// @dev What the tree should hold, maintained without looking at the tree.
    struct Model {
        uint256[MODEL_SIZE] weight; // by member index
        uint256[MODEL_SIZE] leafPlusOne; // by member index
        uint256[MODEL_SIZE] memberPlusOne; // by leaf
        uint256[MODEL_SIZE] freeStack;
        uint256 freeCount;
        uint256 nextLeaf;
        uint256 total;
        uint256 members;
    }

    /// @notice Deploys a fresh, empty tree.
    function setUp() public {
        tree = new SortitionTreeHarness();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Insert, update, remove
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The first insert creates a one-level tree holding the member at leaf 0.
    function test_set_InsertsFirstMember() public {
        tree.set(ALICE, 7);
        assertEq(tree.weightOf(ALICE), 7, "weight");
        assertEq(tree.total(), 7, "total");
        assertEq(tree.size(), 1, "size");
        (uint256 height, uint256 leaves, uint256 free) = tree.shape();
        assertEq(height, 1, "height");
        assertEq(leaves, 1, "leaves");
        assertEq(free, 0, "free");
        (bool found, uint256 leaf) = tree.leafOf(ALICE);
        assertTrue(found && leaf == 0, "leaf 0");
        assertEq(tree.memberAtLeaf(0), ALICE, "memberAt");
    }

    /// @notice Members get consecutive leaves, and positions follow leaf order.
    function test_set_InsertsInLeafOrder() public {
        tree.set(ALICE, 3);
        tree.set(BOB, 5);
        tree.set(CAROL, 2);
        assertEq(tree.total(), 10, "total");
        (, uint256 leaf) = tree.leafOf(CAROL);
        assertEq(leaf, 2, "carol leaf");
        assertEq(tree.memberAtPosition(0), ALICE, "p0");
        assertEq(tree.memberAtPosition(2), ALICE, "p2");
        assertEq(tree.memberAtPosition(3), BOB, "p3");
        assertEq(tree.memberAtPosition(7), BOB, "p7");
        assertEq(tree.memberAtPosition(8), CAROL, "p8");
        assertEq(tree.memberAtPosition(9), CAROL, "p9");
        assertEq(tree.memberAtPosition(10), ALICE, "p10 wraps modulo the total");
    }

    /// @notice An update rewrites the weight in place: same leaf, new total, same size.
    function test_set_UpdatesWeightInPlace() public {
        tree.set(ALICE, 3);
        tree.set(BOB, 5);
        tree.set(ALICE, 11);
        assertEq(tree.weightOf(ALICE), 11, "weight");
        assertEq(tree.total(), 16, "total");
        assertEq(tree.size(), 2, "size");
        (, uint256 leaf) = tree.leafOf(ALICE);
        assertEq(leaf, 0, "leaf kept");
        assertEq(tree.memberAtPosition(10), ALICE, "p10");
        assertEq(tree.memberAtPosition(11), BOB, "p11");
    }

    /// @notice Weight 0 removes the member: its weight leaves the total and its leaf goes on the free list.
    function test_set_RemovesMemberOnZeroWeight() public {
        tree.set(ALICE, 3);
        tree.set(BOB, 5);
        tree.set(ALICE, 0);
        assertEq(tree.weightOf(ALICE), 0, "weight");
        assertEq(tree.total(), 5, "total");
        assertEq(tree.size(), 1, "size");
        (bool found, ) = tree.leafOf(ALICE);
        assertTrue(!found, "no leaf");
        (, uint256 leaves, uint256 free) = tree.shape();
        assertEq(leaves, 2, "leaves stay allocated");
        assertEq(free, 1, "free");
        assertEq(tree.memberAtPosition(0), BOB, "p0");
    }

    /// @notice Setting an absent member to 0 changes nothing: no leaf is allocated.
    function test_set_ZeroForAbsentMemberIsNoop() public {
        tree.set(ALICE, 0);
        (uint256 height, uint256 leaves, ) = tree.shape();
        assertEq(height, 0, "height");
        assertEq(leaves, 0, "leaves");
        assertEq(tree.size(), 0, "size");
    }

    /// @notice A removed member leaves no residue, and the next insert reuses its leaf instead of a new one.
    function test_set_ReusesFreedLeafWithoutResidue() public {
        tree.set(ALICE, 1);
        tree.set(BOB, 2);
        tree.set(CAROL, 3);
        tree.set(BOB, 0);
        assertEq(tree.memberAtLeaf(1), address(0), "memberAt cleared");
        assertEq(tree.rawLeafPlusOne(BOB), 0, "leafOf cleared");
        assertEq(tree.freeLeafAt(0), 1, "leaf 1 queued");

        tree.set(DAVE, 4);
        (, uint256 leaf) = tree.leafOf(DAVE);
        assertEq(leaf, 1, "dave reuses bob's leaf");
        assertEq(tree.memberAtLeaf(1), DAVE, "memberAt");
        (, uint256 leaves, uint256 free) = tree.shape();
        assertEq(leaves, 3, "no new leaf");
        assertEq(free, 0, "free list empty");
        assertEq(tree.freeLeafAt(0), 0, "free-list slot cleared");
        assertEq(tree.rawLeafPlusOne(BOB), 0, "bob still absent");
        assertEq(tree.weightOf(BOB), 0, "bob weight");
        assertEq(tree.total(), 8, "total");
        assertEq(tree.memberAtPosition(1), DAVE, "p1");
        assertEq(tree.memberAtPosition(4), DAVE, "p4");
        assertEq(tree.memberAtPosition(5), CAROL, "p5");

        // The removed member comes back on a fresh leaf (the free list is empty), with nothing left of the old one.
        tree.set(BOB, 5);
        (, leaf) = tree.leafOf(BOB);
        assertEq(leaf, 3, "bob gets a new leaf");
    }

    /// @notice The free list is a stack: the most recently freed leaf is reused first.
    function test_set_ReusesFreedLeavesLastInFirstOut() public {
        tree.set(ALICE, 1);
        tree.set(BOB, 1);
        tree.set(CAROL, 1);
        tree.set(ALICE, 0);
        tree.set(CAROL, 0);
        tree.set(DAVE, 1);
        (, uint256 leaf) = tree.leafOf(DAVE);
        assertEq(leaf, 2, "carol's leaf first");
        tree.set(ALICE, 1);
        (, leaf) = tree.leafOf(ALICE);
        assertEq(leaf, 0, "then alice's");
    }

    /// @notice A tree emptied by removals keeps its height; a draw on it reverts, and the next insert reuses a leaf.
    function test_set_EmptiedTreeReusesLeaves() public {
        tree.fill(1, 9, 2);
        tree.fill(1, 9, 0);
        assertEq(tree.total(), 0, "total");
        assertEq(tree.size(), 0, "size");
        (uint256 height, , uint256 free) = tree.shape();
        assertEq(height, 2, "height kept");
        assertEq(free, 9, "all leaves free");
        tree.set(ALICE, 4);
        (, uint256 leaf) = tree.leafOf(ALICE);
        assertEq(leaf, 8, "last freed leaf");
        assertEq(tree.memberAtPosition(3), ALICE, "p3");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Height growth
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The height grows when the 9th, 65th and 513th members arrive, and never moves existing weights.
    function test_shape_GrowsAt8And64And512Members() public {
        uint256[4] memory heightAfter = [uint256(1), 2, 3, 4];
        uint256[4] memory boundary = [uint256(8), 64, 512, 4096];
        uint256 members;
        for (uint256 i; i < 3; ++i) {
            // Fill up to the capacity of the current height: the height must not change yet.
            tree.fill(uint160(members + 1), boundary[i] - members, 1);
            members = boundary[i];
            (uint256 height, uint256 leaves, ) = tree.shape();
            assertEq(height, heightAfter[i], "height at capacity");
            assertEq(leaves, members, "leaves at capacity");
            // One more member adds a level.
            tree.set(address(uint160(members + 1)), 1);
            ++members;
            (height, , ) = tree.shape();
            assertEq(height, heightAfter[i + 1], "height after growth");
            assertEq(tree.total(), members, "total after growth");
            // Every member still owns exactly its position: first, last before the new one, the new one.
            assertEq(tree.memberAtPosition(0), address(1), "first member");
            assertEq(tree.memberAtPosition(members - 2), address(uint160(members - 1)), "old last member");
            assertEq(tree.memberAtPosition(members - 1), address(uint160(members)), "new member");
            // Back to the boundary, so the next round starts at a full tree.
            tree.set(address(uint160(members)), 0);
            tree.set(address(uint160(members)), 1);
        }
    }

    /// @notice Growth keeps the existing weights under the new root's first lane, with non-unit weights.
    function test_shape_GrowthKeepsWeights() public {
        tree.fill(1, 8, 1000);
        tree.set(ALICE, 5);
        assertEq(tree.total(), 8005, "total");
        assertEq(tree.memberAtPosition(7999), address(8), "last old member");
        assertEq(tree.memberAtPosition(8000), ALICE, "new member");
        tree.set(address(3), 0);
        assertEq(tree.total(), 7005, "total after removal");
        assertEq(tree.memberAtPosition(2000), address(4), "shifted down");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Limits
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The total may reach exactly `MAX_TOTAL_WEIGHT`.
    function test_set_AcceptsTotalAtMax() public {
        tree.set(ALICE, MAX - 1);
        tree.set(BOB, 1);
        assertEq(tree.total(), MAX, "total");
        assertEq(tree.memberAtPosition(MAX - 1), BOB, "last position");
    }

    /// @notice A single weight above 2^32 - 1 is refused.
    function test_RevertWhen_WeightTooLarge() public {
        vm.expectRevert(
            abi.encodeWithSelector(SortitionTree.SortitionTreeWeightTooLarge.selector, ALICE, MAX + 1, MAX)
        );
        tree.set(ALICE, MAX + 1);
    }

    /// @notice An insert that takes the total past 2^32 - 1 is refused.
    function test_RevertWhen_InsertOverflowsTotal() public {
        tree.set(ALICE, MAX);
        vm.expectRevert(abi.encodeWithSelector(SortitionTree.SortitionTreeTotalWeightOverflow.selector, MAX + 1, MAX));
        tree.set(BOB, 1);
    }

    /// @notice Once all 8^8 leaves are allocated and none is free, an insert is refused with the capacity.
    function test_RevertWhen_TreeFull() public {
        uint256 capacity = 8 ** SortitionTree.MAX_HEIGHT;
        tree.pretendAllocated(SortitionTree.MAX_HEIGHT, capacity);
        vm.expectRevert(abi.encodeWithSelector(SortitionTree.SortitionTreeFull.selector, capacity));
        tree.set(ALICE, 1);
    }

    /// @notice An update that takes the total past 2^32 - 1 is refused.
    function test_RevertWhen_UpdateOverflowsTotal() public {
        tree.set(ALICE, 10);
        tree.set(BOB, MAX - 10);
        vm.expectRevert(abi.encodeWithSelector(SortitionTree.SortitionTreeTotalWeightOverflow.selector, MAX + 5, MAX));
        tree.set(ALICE, 15);
    }

    /// @notice The overflow is caught when one root lane (one subtree's sum) passes 2^32 - 1, too: the bits above the
    /// lane must not spill into the neighbouring lane, which would hide the overflow and corrupt the sums.
    function test_RevertWhen_SubtreeSumOverflowsTotal() public {
        // Nine members: height 2, leaves 0..7 under root lane 0, leaf 8 under root lane 1.
        tree.fill(1, 9, 1);
        tree.set(address(1), MAX - 8); // root lanes: [MAX - 1, 1], total MAX
        tree.set(address(9), 0); // root lanes: [MAX - 1, 0]
        vm.expectRevert(abi.encodeWithSelector(SortitionTree.SortitionTreeTotalWeightOverflow.selector, MAX + 8, MAX));
        tree.set(address(2), 10); // root lane 0 would be MAX + 8
    }

    /// @notice A draw from a tree that never had a member reverts.
    function test_RevertWhen_DrawOnNeverUsedTree() public {
        vm.expectRevert(SortitionTree.SortitionTreeEmpty.selector);
        tree.drawMany(bytes32(0), 1);
        vm.expectRevert(SortitionTree.SortitionTreeEmpty.selector);
        tree.memberAtPosition(0);
    }

    /// @notice A draw from a tree whose members were all removed reverts.
    function test_RevertWhen_DrawOnEmptiedTree() public {
        tree.set(ALICE, 1);
        tree.set(ALICE, 0);
        vm.expectRevert(SortitionTree.SortitionTreeEmpty.selector);
        tree.drawMany(bytes32(0), 1);
        vm.expectRevert(SortitionTree.SortitionTreeEmpty.selector);
        tree.memberAtPosition(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Draws
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A single member holds every seat; a count of zero returns no seats.
    function test_drawMany_SingleMemberTakesEverySeat() public {
        tree.set(BOB, 1);
        address[] memory seats = tree.drawMany(keccak256("seed"), 20);
        assertEq(seats.length, 20, "length");
        for (uint256 j; j < seats.length; ++j) {
            assertEq(seats[j], BOB, "seat");
        }
        assertEq(tree.drawMany(keccak256("seed"), 0).length, 0, "zero seats");
    }

    /// @notice A member with weight 0 is never drawn, even while its freed leaf sits between live ones.
    function test_drawMany_NeverDrawsRemovedMember() public {
        tree.set(ALICE, 1);
        tree.set(BOB, 1000);
        tree.set(CAROL, 1);
        tree.set(BOB, 0);
        address[] memory seats = tree.drawMany(keccak256("seed"), 64);
        for (uint256 j; j < seats.length; ++j) {
            assertTrue(seats[j] == ALICE || seats[j] == CAROL, "only live members");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fuzz: the tree against a brute-force model
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice After random inserts, updates and removals of up to 100 members: the total is the sum of the weights,
    /// every member sits on the leaf the model's free-list allocation predicts, and `memberAtPosition` agrees with a
    /// brute-force prefix sum at every interval boundary (cum[i] - 1, cum[i], total - 1) and at a random position.
    /// @param seed Drives the sequence of sets.
    /// @param memberCount Distinct members, bounded to [1, 100].
    /// @param opCount Sets applied, bounded to [1, 200].
    /// @param maxWeight The largest weight, bounded to [1, MAX / memberCount].
    /// @param probe A random position to check.
    function testFuzz_positionsMatchPrefixSums(
        uint256 seed,
        uint256 memberCount,
        uint256 opCount,
        uint256 maxWeight,
        uint256 probe
    ) public {
        memberCount = bound(memberCount, 1, MODEL_SIZE);
        opCount = bound(opCount, 1, 2 * MODEL_SIZE);
        // Up to MAX / memberCount each, so small trees also get weights near the 32-bit limit without overflowing.
        maxWeight = bound(maxWeight, 1, MAX / memberCount);
        Model memory m = _randomTree(seed, memberCount, opCount, maxWeight);
        _checkAgainstModel(m, memberCount, probe);
    }

    /// @notice With weights large enough that many updates would take the total past 2^32 - 1: exactly those
    /// updates revert with `SortitionTreeTotalWeightOverflow(newTotal, MAX)`, and they leave no trace (the tree
    /// still matches the model everywhere). Nine or more members make the tree two levels high, so single subtree
    /// sums can pass 32 bits too.
    /// @param seed Drives the sequence of sets.
    /// @param memberCount Distinct members, bounded to [9, 40].
    /// @param opCount Sets attempted, bounded to [1, 120].
    /// @param probe A random position to check.
    function testFuzz_overflowIsRefusedAndLeavesNoTrace(
        uint256 seed,
        uint256 memberCount,
        uint256 opCount,
        uint256 probe
    ) public {
        memberCount = bound(memberCount, 9, 40);
        opCount = bound(opCount, 1, 120);
        Model memory m;
        for (uint256 op; op < opCount; ++op) {
            uint256 r = uint256(keccak256(abi.encode(seed, op)));
            uint256 k = r % memberCount;
            uint256 w = (r >> 64) % 4 == 0 ? 0 : 1 + ((r >> 128) % (MAX / 3));
            uint256 newTotal = m.total + w - m.weight[k];
            if (newTotal > MAX) {
                vm.expectRevert(
                    abi.encodeWithSelector(SortitionTree.SortitionTreeTotalWeightOverflow.selector, newTotal, MAX)
                );
                tree.set(_member(k), w);
            } else {
                tree.set(_member(k), w);
                _modelSet(m, k, w);
            }
        }
        _checkAgainstModel(m, memberCount, probe);
    }

    /// @notice Seat `j` of `drawMany(seed, count)` is `memberAtPosition(keccak256(abi.encode(seed, j)))`, and only
    /// members with a non-zero weight are drawn.
    /// @param treeSeed Drives the sets that build the tree.
    /// @param memberCount Distinct members, bounded to [1, 100].
    /// @param maxWeight The largest weight, bounded to [1, MAX / memberCount].
    /// @param drawSeed The draw's seed.
    /// @param count Seats, bounded to [1, 64].
    function testFuzz_drawManyMatchesMemberAtPosition(
        uint256 treeSeed,
        uint256 memberCount,
        uint256 maxWeight,
        bytes32 drawSeed,
        uint256 count
    ) public {
        memberCount = bound(memberCount, 1, MODEL_SIZE);
        maxWeight = bound(maxWeight, 1, MAX / memberCount);
        count = bound(count, 1, 64);
        Model memory m = _randomTree(treeSeed, memberCount, memberCount + memberCount / 2, maxWeight);
        if (m.total == 0) tree.set(_member(0), maxWeight); // a draw needs some weight

        address[] memory seats = tree.drawMany(drawSeed, count);
        assertEq(seats.length, count, "length");
        for (uint256 j; j < count; ++j) {
            address expected = tree.memberAtPosition(uint256(keccak256(abi.encode(drawSeed, j))));
            assertEq(seats[j], expected, "seat");
            assertTrue(tree.weightOf(seats[j]) != 0, "drawn member has weight");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Checks the tree against the model: total, size, shape, every member's weight and leaf, and
    /// `memberAtPosition` at every interval boundary (cum[i] - 1, cum[i]), at total - 1 and at `probe`.
    function _checkAgainstModel(Model memory m, uint256 memberCount, uint256 probe) private view {
        assertEq(tree.total(), m.total, "total");
        assertEq(tree.size(), m.members, "size");
        (, uint256 leaves, uint256 free) = tree.shape();
        assertEq(leaves, m.nextLeaf, "leaves");
        assertEq(free, m.freeCount, "free leaves");
        for (uint256 k; k < memberCount; ++k) {
            assertEq(tree.weightOf(_member(k)), m.weight[k], "weightOf");
            (bool found, uint256 leaf) = tree.leafOf(_member(k));
            assertEq(found, m.leafPlusOne[k] != 0, "found");
            if (found) assertEq(leaf + 1, m.leafPlusOne[k], "leaf");
        }
        if (m.total == 0) return;

        uint256 cum;
        for (uint256 leaf; leaf < m.nextLeaf; ++leaf) {
            uint256 w = m.memberPlusOne[leaf] == 0 ? 0 : m.weight[m.memberPlusOne[leaf] - 1];
            if (w == 0) continue;
            _checkPosition(m, cum, "interval start");
            cum += w;
            _checkPosition(m, cum - 1, "interval end (cum - 1)");
            _checkPosition(m, cum, "next interval start (cum)");
        }
        _checkPosition(m, m.total - 1, "total - 1");
        _checkPosition(m, probe, "random position");
    }

    function _member(uint256 k) private pure returns (address) {
        return address(uint160(0x1000 + k));
    }

    /// @dev Applies `opCount` pseudo-random `set`s to the tree and to the model; a quarter of them are removals.
    function _randomTree(
        uint256 seed,
        uint256 memberCount,
        uint256 opCount,
        uint256 maxWeight
    ) private returns (Model memory m) {
        for (uint256 op; op < opCount; ++op) {
            uint256 r = uint256(keccak256(abi.encode(seed, op)));
            uint256 k = r % memberCount;
            uint256 w = (r >> 64) % 4 == 0 ? 0 : 1 + ((r >> 128) % maxWeight);
            tree.set(_member(k), w);
            _modelSet(m, k, w);
        }
    }

    /// @dev The model of `set`: removals push the leaf on a stack, inserts pop it or take the next new leaf.
    function _modelSet(Model memory m, uint256 k, uint256 w) private pure {
        uint256 old = m.weight[k];
        if (old == 0 && w == 0) return;
        if (old == 0) {
            uint256 leaf = m.freeCount != 0 ? m.freeStack[--m.freeCount] : m.nextLeaf++;
            m.leafPlusOne[k] = leaf + 1;
            m.memberPlusOne[leaf] = k + 1;
            ++m.members;
        } else if (w == 0) {
            uint256 leaf = m.leafPlusOne[k] - 1;
            m.freeStack[m.freeCount++] = leaf;
            m.leafPlusOne[k] = 0;
            m.memberPlusOne[leaf] = 0;
            --m.members;
        }
        m.total = m.total + w - old;
        m.weight[k] = w;
    }

    /// @dev Brute force: walk the leaves in order until the cumulative weight passes `position % total`.
    function _checkPosition(Model memory m, uint256 position, string memory what) private view {
        uint256 p = position % m.total;
        uint256 cum;
        address expected;
        for (uint256 leaf; leaf < m.nextLeaf; ++leaf) {
            if (m.memberPlusOne[leaf] == 0) continue;
            cum += m.weight[m.memberPlusOne[leaf] - 1];
            if (p < cum) {
                expected = _member(m.memberPlusOne[leaf] - 1);
                break;
            }
        }
        assertEq(tree.memberAtPosition(position), expected, what);
    }
}
