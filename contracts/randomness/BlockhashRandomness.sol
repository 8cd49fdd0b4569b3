// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IBlockhashRandomness, IRandomnessSource} from "../interfaces/IRandomnessSource.sol";

/// @title BlockhashRandomness
/// @notice The default randomness source: a future block's hash. See `IBlockhashRandomness` and
/// `docs/BlockhashRandomness.md`.
/// @dev Known bias: whoever builds the target block picks its contents, so it can try many candidate blocks and
/// publish the one whose hash it prefers, or withhold the block (the request then waits for a re-arm). It is fit for
/// local networks, tests and values nobody profits from biasing; `VrfRandomness` is the production source.
contract BlockhashRandomness is IBlockhashRandomness, AccessControl {
    using SafeCast for uint256;

    /// @notice May request values and re-arm its own requests (the task manager).
    bytes32 public constant CONSUMER_ROLE = keccak256("CONSUMER_ROLE");

    /// @notice The largest lookahead accepted: beyond the 256-block hash horizon a larger one only delays draws, so it
    /// is taken for a configuration mistake.
    uint256 public constant MAX_LOOKAHEAD = 256;

    /// @dev The number of most recent block hashes the EVM serves; older ones read as zero.
    uint256 private constant _HASH_HORIZON = 256;

    uint256 private immutable _LOOKAHEAD;

    struct Request {
        address consumer;
        uint64 target;
    }

    mapping(uint256 requestId => Request) private _requests;
    uint256 private _lastRequestId;

    /// @notice Fixes the lookahead for the source's whole life.
    /// @param admin Holds `DEFAULT_ADMIN_ROLE` (meant to be a timelock); it grants `CONSUMER_ROLE`.
    /// @param lookahead_ The least number of blocks between arming a request and its target, in [1, 256].
    constructor(address admin, uint256 lookahead_) {
        require(admin != address(0), RandomnessZeroAddress());
        // A lookahead of 0 would target the block that carries the request, whose builder sees the request.
        require(
            lookahead_ >= 1 && lookahead_ <= MAX_LOOKAHEAD,
            RandomnessParameterOutOfBounds("lookahead", lookahead_, 1, MAX_LOOKAHEAD)
        );
        _LOOKAHEAD = lookahead_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IRandomnessSource
    function request(uint256 notBefore) external onlyRole(CONSUMER_ROLE) returns (uint256 requestId) {
        requestId = ++_lastRequestId;
        _requests[requestId].consumer = msg.sender;
        emit RandomnessRequested(requestId, msg.sender, notBefore);
        _arm(requestId, notBefore);
    }

    /// @inheritdoc IRandomnessSource
    /// @dev A block hash needs no trigger; the function exists so that consumers treat every source alike.
    function trigger(uint256 requestId) external view {
        _existing(requestId);
    }

    /// @inheritdoc IRandomnessSource
    function rearm(uint256 requestId, uint256 notBefore) external onlyRole(CONSUMER_ROLE) {
        Request storage r = _existing(requestId);
        require(r.consumer == msg.sender, RandomnessNotRequestConsumer(requestId, msg.sender, r.consumer));
        Status status = _status(r);
        require(status != Status.Pending, RandomnessRequestPending(requestId, r.target, block.number));
        // A ready hash that was known from the consumer's new `notBefore` on still serves it: re-arming would let the
        // consumer trade a value it dislikes for a fresh one.
        require(status != Status.Ready || r.target < notBefore, RandomnessValueUsable(requestId, r.target, notBefore));
        emit RandomnessRearmed(requestId, notBefore);
        _arm(requestId, notBefore);
    }

    /// @inheritdoc IRandomnessSource
    function randomnessOf(uint256 requestId) external view returns (bool ready, bytes32 value, uint256 knownFrom) {
        Request storage r = _requests[requestId];
        if (_status(r) != Status.Ready) return (false, bytes32(0), 0);
        // solhint-disable-next-line not-rely-on-block-hash
        return (true, blockhash(r.target), r.target);
    }

    /// @inheritdoc IRandomnessSource
    function statusOf(uint256 requestId) external view returns (Status) {
        return _status(_requests[requestId]);
    }

    /// @inheritdoc IRandomnessSource
    function consumerOf(uint256 requestId) external view returns (address) {
        return _requests[requestId].consumer;
    }

    /// @inheritdoc IBlockhashRandomness
    function targetOf(uint256 requestId) external view returns (uint256) {
        return _requests[requestId].target;
    }

    /// @inheritdoc IBlockhashRandomness
    function lookahead() external view returns (uint256) {
        return _LOOKAHEAD;
    }

    /// @dev Fixes the target now: at least `_LOOKAHEAD` blocks ahead, so its hash is unknown to everyone while this
    /// transaction runs, and not before `notBefore`, so nobody knows it before the consumer's window opens.
    function _arm(uint256 requestId, uint256 notBefore) private {
        uint256 target = block.number + _LOOKAHEAD;
        if (notBefore > target) target = notBefore;
        _requests[requestId].target = target.toUint64();
        emit BlockhashTargetSet(requestId, target);
    }

    function _existing(uint256 requestId) private view returns (Request storage r) {
        r = _requests[requestId];
        require(r.consumer != address(0), RandomnessUnknownRequest(requestId));
    }

    function _status(Request storage r) private view returns (Status) {
        if (r.consumer == address(0)) return Status.None;
        uint256 target = r.target;
        if (block.number <= target) return Status.Pending;
        // Past the horizon the EVM returns zero; a zero hash inside it is impossible but would be just as unusable.
        // solhint-disable-next-line not-rely-on-block-hash
        if (block.number > target + _HASH_HORIZON || blockhash(target) == bytes32(0)) return Status.Expired;
        return Status.Ready;
    }
}
