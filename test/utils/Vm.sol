// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The name is Foundry's, kept so the tests read like any Foundry test.
// solhint-disable interface-starts-with-i

/// @title Vm
/// @notice The few Foundry cheatcodes the Solidity tests use, with their real signatures.
/// @dev forge-std is not installable here, so this declares only what the tests call. Hardhat's test runner (EDR)
/// answers these at the cheatcode address, by selector: a signature that differs from Foundry's is not found.
interface Vm {
    /// @notice Sets `block.number`; in an invariant run it stays set for the calls that follow.
    /// @param newHeight The new block number.
    function roll(uint256 newHeight) external;

    /// @notice Sets the `msg.sender` of the next call only.
    /// @param msgSender The sender to impersonate.
    function prank(address msgSender) external;

    /// @notice Sets `msg.sender` for every call until `stopPrank`.
    /// @param msgSender The sender to impersonate.
    function startPrank(address msgSender) external;

    /// @notice Ends a `startPrank`.
    function stopPrank() external;

    /// @notice Expects the next call to revert with exactly `revertData` (a custom error with its arguments).
    /// @param revertData The expected revert data.
    function expectRevert(bytes calldata revertData) external;

    /// @notice Expects the next call to revert with a custom error whose selector is `revertData`.
    /// @param revertData The expected selector.
    function expectRevert(bytes4 revertData) external;

    /// @notice Expects the next call to emit the event emitted right after this one, on the checked parts.
    /// @param checkTopic1 Compare the first indexed argument.
    /// @param checkTopic2 Compare the second indexed argument.
    /// @param checkTopic3 Compare the third indexed argument.
    /// @param checkData Compare the non-indexed arguments.
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData) external;

    /// @notice Like `expectEmit(bool,bool,bool,bool)`, and also checks the emitting contract.
    /// @param checkTopic1 Compare the first indexed argument.
    /// @param checkTopic2 Compare the second indexed argument.
    /// @param checkTopic3 Compare the third indexed argument.
    /// @param checkData Compare the non-indexed arguments.
    /// @param emitter The contract expected to emit it.
    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;

    /// @notice Names `account` in traces.
    /// @param account The address.
    /// @param newLabel Its name.
    function label(address account, string calldata newLabel) external;
}
