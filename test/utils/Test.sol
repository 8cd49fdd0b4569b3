// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {Vm} from "./Vm.sol";

/// @title Test
/// @notice A minimal stand-in for forge-std's `Test`: the cheatcode handle, asserts and `bound`.
/// @dev A failed assert reverts, which is what fails a test (and an `invariant_*` function) in Hardhat's runner. The
/// messages carry both values, so a failure can be read without a trace.
abstract contract Test {
    /// @notice `bound` was given an empty range.
    error BoundEmptyRange(uint256 min, uint256 max);

    /// @notice The cheatcode contract, at Foundry's fixed address (named `vm`, as in every Foundry test).
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice Fails with `message` unless `condition` holds.
    /// @param condition What must hold.
    /// @param message The failure message.
    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert(message);
    }

    /// @notice Fails unless `left == right`.
    /// @param left The actual value.
    /// @param right The expected value.
    /// @param message The failure message, followed by both values.
    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert(_pair(message, Strings.toString(left), " != ", Strings.toString(right)));
    }

    /// @notice Fails unless `left == right`.
    /// @param left The actual value.
    /// @param right The expected value.
    /// @param message The failure message, followed by both values.
    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) revert(_pair(message, Strings.toHexString(left), " != ", Strings.toHexString(right)));
    }

    /// @notice Fails unless `left == right`.
    /// @param left The actual value.
    /// @param right The expected value.
    /// @param message The failure message, followed by both values.
    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) {
            revert(_pair(message, Strings.toHexString(uint256(left)), " != ", Strings.toHexString(uint256(right))));
        }
    }

    /// @notice Fails unless `left == right`.
    /// @param left The actual value.
    /// @param right The expected value.
    /// @param message The failure message, followed by both values.
    function assertEq(bool left, bool right, string memory message) internal pure {
        if (left != right) revert(_pair(message, left ? "true" : "false", " != ", right ? "true" : "false"));
    }

    /// @notice Fails unless `left <= right`.
    /// @param left The smaller value.
    /// @param right The larger value.
    /// @param message The failure message, followed by both values.
    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) revert(_pair(message, Strings.toString(left), " > ", Strings.toString(right)));
    }

    /// @notice Fails unless `left >= right`.
    /// @param left The larger value.
    /// @param right The smaller value.
    /// @param message The failure message, followed by both values.
    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) revert(_pair(message, Strings.toString(left), " < ", Strings.toString(right)));
    }

    /// @notice Maps `x` into [`min`, `max`], leaving values already inside unchanged.
    /// @dev Keeping in-range values as they are lets the fuzzer's boundary values (0, 1, max, constants found in the
    /// bytecode) reach the test as given, as forge-std's `bound` does; the others wrap around by modulo.
    /// @param x The fuzzed value.
    /// @param min The lower bound, inclusive.
    /// @param max The upper bound, inclusive.
    /// @return The value in range.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert BoundEmptyRange(min, max);
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    function _pair(
        string memory message,
        string memory left,
        string memory op,
        string memory right
    ) private pure returns (string memory) {
        return string.concat(message, ": ", left, op, right);
    }
}
