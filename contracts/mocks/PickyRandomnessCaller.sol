// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";

/// @title PickyRandomnessCaller
/// @notice A test caller with a taste in values (it likes one parity): it triggers a request, reads it, and
/// reverts unless it likes what it sees. Tests use it to show that reverting on a disliked value gets the caller
/// no other value.
contract PickyRandomnessCaller {
    /// @notice The caller disliked request `requestId`'s value (`ready`, `value`).
    error PickyRandomnessCallerDisliked(uint256 requestId, bool ready, bytes32 value);

    /// @notice The caller accepted `value` for request `requestId`.
    /// @param requestId The request.
    /// @param value The value it liked.
    event ValueAccepted(uint256 indexed requestId, bytes32 value);

    /// @notice Opens a request on `source` (the caller must hold its consumer role).
    /// @param source The randomness source.
    /// @param notBefore Passed through.
    /// @return requestId The new request.
    function request(IRandomnessSource source, uint256 notBefore) external returns (uint256 requestId) {
        return source.request(notBefore);
    }

    /// @notice Triggers the request if it can, then keeps its value only if it is ready and of parity `liked`.
    /// @param source The randomness source.
    /// @param requestId The request.
    /// @param liked The parity (0 or 1) of the values the caller likes.
    /// @return value The accepted value.
    function pick(IRandomnessSource source, uint256 requestId, uint256 liked) external returns (bytes32 value) {
        // A trigger that is refused (already sent, too early) is fine: the caller only wants to read.
        try source.trigger(requestId) {} catch {} // solhint-disable-line no-empty-blocks
        bool ready;
        (ready, value, ) = source.randomnessOf(requestId);
        require(ready && uint256(value) % 2 == liked, PickyRandomnessCallerDisliked(requestId, ready, value));
        emit ValueAccepted(requestId, value);
    }

    /// @notice Re-arms the request for `notBefore` when its value is not to the caller's liking (the caller must be
    /// the request's consumer).
    /// @param source The randomness source.
    /// @param requestId The request.
    /// @param liked The parity (0 or 1) of the values the caller likes.
    /// @param notBefore Passed through.
    function rearmIfDisliked(IRandomnessSource source, uint256 requestId, uint256 liked, uint256 notBefore) external {
        (bool ready, bytes32 value, ) = source.randomnessOf(requestId);
        if (!ready || uint256(value) % 2 != liked) source.rearm(requestId, notBefore);
    }
}
