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

    /// @notice Reads a whole file as text. The path is relative to the project root and must be allowed by the
    /// Solidity test config's `fsPermissions` (hardhat.config.ts allows reading `test/vectors`).
    /// @param path The file.
    /// @return data Its contents.
    function readFile(string calldata path) external view returns (string memory data);

    /// @notice Whether `key` (a JSONPath such as `.rewards[3].pot`) exists in `json`.
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return Whether it exists.
    function keyExistsJson(string calldata json, string calldata key) external view returns (bool);

    /// @notice The uint256 at `key` (a JSON number or a decimal or 0x-hex string).
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The value.
    function parseJsonUint(string calldata json, string calldata key) external pure returns (uint256);

    /// @notice The uint256 array at `key`.
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The values.
    function parseJsonUintArray(string calldata json, string calldata key) external pure returns (uint256[] memory);

    /// @notice The address at `key` (a 0x-hex string).
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The address.
    function parseJsonAddress(string calldata json, string calldata key) external pure returns (address);

    /// @notice The bytes32 at `key` (a 0x-hex string of 32 bytes).
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The value.
    function parseJsonBytes32(string calldata json, string calldata key) external pure returns (bytes32);

    /// @notice The bytes at `key` (a 0x-hex string).
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The bytes.
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);

    /// @notice The string at `key`.
    /// @param json The JSON text.
    /// @param key The JSONPath.
    /// @return The string.
    function parseJsonString(string calldata json, string calldata key) external pure returns (string memory);

    /// @notice Names `account` in traces.
    /// @param account The address.
    /// @param newLabel Its name.
    function label(address account, string calldata newLabel) external;
}
