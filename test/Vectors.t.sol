// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// solhint-disable func-name-mixedcase
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {Commitments} from "../contracts/libraries/Commitments.sol";
import {RewardMath} from "../contracts/libraries/RewardMath.sol";
import {MathHarness} from "../contracts/mocks/MathHarness.sol";

import {Test} from "./utils/Test.sol";

/// @title VectorsTest
/// @notice Checks `Commitments` and `RewardMath` against the shared vectors in `test/vectors/` (written by
/// `test/vectors/generate.ts`), the same files `test/sdk/vectors.test.ts` checks the SDK's domain layer against: every
/// expected value, and every revert with its exact data (the custom error and its arguments, or the panic code).
/// @dev The files are read with `vm.readFile`, which `hardhat.config.ts` allows for `test/vectors` only. The math runs
/// through `MathHarness`, so a revert surfaces one call deep where `try`/`catch` sees its data.
contract VectorsTest is Test {
    /// @notice A vector names an error this test does not know how to encode.
    error VectorsUnknownError(string name);

    string private constant COMMITMENTS = "test/vectors/commitments.json";
    string private constant REWARDS = "test/vectors/rewards.json";
    /// @dev The fewest vectors a list may hold: a renamed or emptied list fails instead of passing vacuously.
    uint256 private constant MIN_VECTORS = 10;

    MathHarness private math;

    /// @notice Deploys the harness the vectors run through.
    function setUp() public {
        math = new MathHarness();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commitments
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Every commitment vector: the seven fields hash to the expected commitment.
    function test_commitment_MatchesVectors() public view {
        string memory json = vm.readFile(COMMITMENTS);
        uint256 count = _count(json, ".commitments");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".commitments", i);
            bytes32 expected = vm.parseJsonBytes32(json, _key(at, "commitment"));
            assertEq(_commitmentAt(json, at), expected, _name(json, at));
        }
    }

    /// @notice Every result-hash vector: the bytes hash to the expected result hash.
    function test_resultHashOf_MatchesVectors() public view {
        string memory json = vm.readFile(COMMITMENTS);
        uint256 count = _count(json, ".resultHashes");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".resultHashes", i);
            bytes memory result = vm.parseJsonBytes(json, _key(at, "result"));
            bytes32 expected = vm.parseJsonBytes32(json, _key(at, "resultHash"));
            assertEq(Commitments.resultHashOf(result), expected, _name(json, at));
            assertEq(math.resultHashOf(result), expected, _name(json, at));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RewardMath
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Every `seatShare` vector: the share, or the named revert.
    function test_seatShare_MatchesVectors() public view {
        string memory json = vm.readFile(REWARDS);
        uint256 count = _count(json, ".seatShare");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".seatShare", i);
            uint256 pot = _uint(json, at, "pot");
            uint256 seats = _uint(json, at, "seats");
            uint256 totalSeats = _uint(json, at, "totalSeats");
            try math.seatShare(pot, seats, totalSeats) returns (uint256 share) {
                _expectValue(json, at, share);
            } catch (bytes memory reason) {
                _expectRevert(json, at, reason);
            }
        }
    }

    /// @notice Every `splitPot` vector: each share and the dust, or the named revert (or the overflow panic).
    function test_splitPot_MatchesVectors() public view {
        string memory json = vm.readFile(REWARDS);
        uint256 count = _count(json, ".splitPot");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".splitPot", i);
            uint256 pot = _uint(json, at, "pot");
            uint256[] memory seats = vm.parseJsonUintArray(json, _key(at, "seats"));
            try math.splitPot(pot, seats) returns (uint256[] memory shares, uint256 dust) {
                string memory name = _name(json, at);
                assertTrue(!vm.keyExistsJson(json, _key(at, "error")), string.concat(name, ": expected a revert"));
                uint256[] memory expected = vm.parseJsonUintArray(json, _key(at, "shares"));
                assertEq(shares.length, expected.length, string.concat(name, ": payees"));
                for (uint256 j; j < shares.length; ++j) {
                    assertEq(shares[j], expected[j], string.concat(name, ": share ", Strings.toString(j)));
                }
                assertEq(dust, _uint(json, at, "dust"), string.concat(name, ": dust"));
            } catch (bytes memory reason) {
                _expectRevert(json, at, reason);
            }
        }
    }

    /// @notice Every `bondSlash` vector: the slash, rounded up, or the named revert.
    function test_bondSlash_MatchesVectors() public view {
        string memory json = vm.readFile(REWARDS);
        uint256 count = _count(json, ".bondSlash");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".bondSlash", i);
            uint256 seats = _uint(json, at, "seats");
            uint256 seatBond = _uint(json, at, "seatBond");
            uint256 bps = _uint(json, at, "slashFractionBps");
            try math.bondSlash(seats, seatBond, bps) returns (uint256 slashed) {
                _expectValue(json, at, slashed);
            } catch (bytes memory reason) {
                _expectRevert(json, at, reason);
            }
        }
    }

    /// @notice Every `corruptionCost` vector: the cost, rounded down, or the named revert.
    function test_corruptionCost_MatchesVectors() public view {
        string memory json = vm.readFile(REWARDS);
        uint256 count = _count(json, ".corruptionCost");
        for (uint256 i; i < count; ++i) {
            string memory at = _at(".corruptionCost", i);
            uint256 quorumSeats = _uint(json, at, "quorumSeats");
            uint256 seatBond = _uint(json, at, "seatBond");
            uint256 bps = _uint(json, at, "slashFractionBps");
            try math.corruptionCost(quorumSeats, seatBond, bps) returns (uint256 cost) {
                _expectValue(json, at, cost);
            } catch (bytes memory reason) {
                _expectRevert(json, at, reason);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The commitment of the vector at `at` (a struct keeps the seven fields off the stack).
    function _commitmentAt(string memory json, string memory at) private pure returns (bytes32) {
        Fields memory f = Fields({
            chainId: _uint(json, at, "chainId"),
            manager: vm.parseJsonAddress(json, _key(at, "manager")),
            taskId: _uint(json, at, "taskId"),
            round: _uint(json, at, "round"),
            member: vm.parseJsonAddress(json, _key(at, "member")),
            resultHash: vm.parseJsonBytes32(json, _key(at, "resultHash")),
            salt: vm.parseJsonBytes32(json, _key(at, "salt"))
        });
        return Commitments.commitment(f.chainId, f.manager, f.taskId, f.round, f.member, f.resultHash, f.salt);
    }

    /// @notice The seven fields of a commitment.
    struct Fields {
        uint256 chainId;
        address manager;
        uint256 taskId;
        uint256 round;
        address member;
        bytes32 resultHash;
        bytes32 salt;
    }

    /// @dev The call returned `value`: the vector must expect exactly that, not a revert.
    function _expectValue(string memory json, string memory at, uint256 value) private view {
        string memory name = _name(json, at);
        assertTrue(!vm.keyExistsJson(json, _key(at, "error")), string.concat(name, ": expected a revert"));
        assertEq(value, _uint(json, at, "expected"), name);
    }

    /// @dev The call reverted with `reason`: the vector must name that error with those arguments.
    function _expectRevert(string memory json, string memory at, bytes memory reason) private view {
        string memory name = _name(json, at);
        assertTrue(vm.keyExistsJson(json, _key(at, "error")), string.concat(name, ": unexpected revert"));
        assertEq(keccak256(reason), keccak256(_revertData(json, _key(at, "error"))), string.concat(name, ": revert"));
    }

    /// @dev The revert data a vector's `error` (`{ name, args }`) stands for.
    function _revertData(string memory json, string memory err) private pure returns (bytes memory) {
        string memory errorName = vm.parseJsonString(json, _key(err, "name"));
        bytes32 id = keccak256(bytes(errorName));
        string memory args = _key(err, "args");
        if (id == keccak256("RewardMathZeroTotalSeats")) {
            return abi.encodeWithSelector(RewardMath.RewardMathZeroTotalSeats.selector);
        }
        if (id == keccak256("RewardMathSeatsExceedTotal")) {
            return
                abi.encodeWithSelector(
                    RewardMath.RewardMathSeatsExceedTotal.selector,
                    _uint(json, args, "seats"),
                    _uint(json, args, "totalSeats")
                );
        }
        if (id == keccak256("RewardMathFractionTooLarge")) {
            return
                abi.encodeWithSelector(
                    RewardMath.RewardMathFractionTooLarge.selector,
                    _uint(json, args, "fractionBps"),
                    _uint(json, args, "maxBps")
                );
        }
        if (id == keccak256("RewardMathExposureOverflow")) {
            return
                abi.encodeWithSelector(
                    RewardMath.RewardMathExposureOverflow.selector,
                    _uint(json, args, "seats"),
                    _uint(json, args, "seatBond")
                );
        }
        if (id == keccak256("Panic")) return abi.encodeWithSignature("Panic(uint256)", _uint(json, args, "code"));
        revert VectorsUnknownError(errorName);
    }

    /// @dev The length of the list at `list`, which must hold at least `MIN_VECTORS` entries.
    function _count(string memory json, string memory list) private view returns (uint256 count) {
        while (vm.keyExistsJson(json, _at(list, count))) ++count;
        assertGe(count, MIN_VECTORS, string.concat(list, ": too few vectors"));
    }

    function _at(string memory list, uint256 i) private pure returns (string memory) {
        return string.concat(list, "[", Strings.toString(i), "]");
    }

    function _key(string memory at, string memory field) private pure returns (string memory) {
        return string.concat(at, ".", field);
    }

    function _uint(string memory json, string memory at, string memory field) private pure returns (uint256) {
        return vm.parseJsonUint(json, _key(at, field));
    }

    function _name(string memory json, string memory at) private pure returns (string memory) {
        return string.concat(at, " (", vm.parseJsonString(json, _key(at, "name")), ")");
    }
}
