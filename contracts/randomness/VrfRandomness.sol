// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VRFConsumerBaseV2Plus} from "@chainlink/contracts/src/v0.8/vrf/dev/VRFConsumerBaseV2Plus.sol";
import {VRFV2PlusClient} from "@chainlink/contracts/src/v0.8/vrf/dev/libraries/VRFV2PlusClient.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IRandomnessSource, IVrfRandomness} from "../interfaces/IRandomnessSource.sol";

/// @title VrfRandomness
/// @notice The production randomness source: Chainlink VRF v2.5. See `IVrfRandomness` and `docs/VrfRandomness.md`.
/// @dev Trust: the VRF oracle (it can withhold an answer, never choose it) and whoever can replace the coordinator:
/// this contract's owner (`setCoordinator`, proposed to `admin` at deployment) and the subscription owner (through
/// the coordinator's migration). Both should be the timelock that holds `DEFAULT_ADMIN_ROLE`.
contract VrfRandomness is IVrfRandomness, VRFConsumerBaseV2Plus, AccessControl {
    using SafeCast for uint256;

    // ---------------------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice May request values and re-arm its own requests (the task manager).
    bytes32 public constant CONSUMER_ROLE = keccak256("CONSUMER_ROLE");

    /// @notice The least callback gas accepted: a fulfilment stores the value and clears the VRF id with it (the
    /// tests fulfil at exactly this limit). Less would make the coordinator's callback fail and drop the answer.
    uint32 public constant MIN_CALLBACK_GAS_LIMIT = 60_000;

    /// @notice The coordinator's own cap on request confirmations.
    uint16 public constant MAX_REQUEST_CONFIRMATIONS = 200;

    uint256 private immutable _SUBSCRIPTION_ID;
    bytes32 private immutable _KEY_HASH;
    uint32 private immutable _CALLBACK_GAS_LIMIT;
    uint16 private immutable _REQUEST_CONFIRMATIONS;
    bool private immutable _NATIVE_PAYMENT;
    uint256 private immutable _TIMEOUT_BLOCKS;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage
    // ---------------------------------------------------------------------------------------------------------------

    struct Request {
        address consumer;
        uint64 notBefore;
        uint64 triggeredAt;
        uint64 fulfilledAt;
        uint256 vrfRequestId;
        bytes32 value;
    }

    mapping(uint256 requestId => Request) private _requests;
    /// @dev Set while a VRF request is in flight for a live request, cleared on its answer and on re-arm: an answer
    /// whose VRF id is not here is ignored.
    mapping(uint256 vrfRequestId => uint256 requestId) private _requestOfVrf;
    uint256 private _lastRequestId;

    // ---------------------------------------------------------------------------------------------------------------
    // Constructor
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Fixes the coordinator (until the owner migrates it) and the VRF settings.
    /// @param admin Holds `DEFAULT_ADMIN_ROLE` (meant to be a timelock) and is proposed as owner (it must call
    /// `acceptOwnership`; the deployer owns the contract until then).
    /// @param coordinator The VRF v2.5 coordinator.
    /// @param cfg The VRF settings (see `VrfConfig`).
    constructor(address admin, address coordinator, VrfConfig memory cfg) VRFConsumerBaseV2Plus(coordinator) {
        require(admin != address(0), RandomnessZeroAddress());
        _checkBounds("subscriptionId", cfg.subscriptionId, 1, type(uint256).max);
        _checkBounds("keyHash", uint256(cfg.keyHash), 1, type(uint256).max);
        _checkBounds("callbackGasLimit", cfg.callbackGasLimit, MIN_CALLBACK_GAS_LIMIT, type(uint32).max);
        _checkBounds("requestConfirmations", cfg.requestConfirmations, 0, MAX_REQUEST_CONFIRMATIONS);
        // An answer cannot come before the oracle has waited its confirmations, so a shorter timeout would expire
        // every request.
        _checkBounds("timeoutBlocks", cfg.timeoutBlocks, uint256(cfg.requestConfirmations) + 1, type(uint64).max);
        _SUBSCRIPTION_ID = cfg.subscriptionId;
        _KEY_HASH = cfg.keyHash;
        _CALLBACK_GAS_LIMIT = cfg.callbackGasLimit;
        _REQUEST_CONFIRMATIONS = cfg.requestConfirmations;
        _NATIVE_PAYMENT = cfg.nativePayment;
        _TIMEOUT_BLOCKS = cfg.timeoutBlocks;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // The owner can replace the coordinator, and a fake coordinator could answer with any value: the owner must
        // be the admin, not the deployer.
        if (admin != msg.sender) transferOwnership(admin);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRandomnessSource
    function request(uint256 notBefore) external onlyRole(CONSUMER_ROLE) returns (uint256 requestId) {
        requestId = ++_lastRequestId;
        _requests[requestId] = Request({
            consumer: msg.sender,
            notBefore: notBefore.toUint64(),
            triggeredAt: 0,
            fulfilledAt: 0,
            vrfRequestId: 0,
            value: bytes32(0)
        });
        emit RandomnessRequested(requestId, msg.sender, notBefore);
    }

    /// @inheritdoc IRandomnessSource
    function trigger(uint256 requestId) external {
        Request storage r = _existing(requestId);
        require(r.triggeredAt == 0, VrfRandomnessAlreadyTriggered(requestId, r.vrfRequestId));
        require(block.number >= r.notBefore, VrfRandomnessTriggerTooEarly(requestId, r.notBefore, block.number));
        // Marked before the call so that no re-entry can send a second VRF request for this one.
        r.triggeredAt = uint64(block.number);
        // No try/catch: if the coordinator refuses (unfunded subscription, too little gas), the whole trigger
        // reverts and the request stays armed, so no caller can leave it marked as sent without a VRF request.
        uint256 vrfRequestId = s_vrfCoordinator.requestRandomWords(
            VRFV2PlusClient.RandomWordsRequest({
                keyHash: _KEY_HASH,
                subId: _SUBSCRIPTION_ID,
                requestConfirmations: _REQUEST_CONFIRMATIONS,
                callbackGasLimit: _CALLBACK_GAS_LIMIT,
                numWords: 1,
                extraArgs: VRFV2PlusClient._argsToBytes(VRFV2PlusClient.ExtraArgsV1({nativePayment: _NATIVE_PAYMENT}))
            })
        );
        r.vrfRequestId = vrfRequestId;
        _requestOfVrf[vrfRequestId] = requestId;
        emit VrfRequestSent(requestId, vrfRequestId, msg.sender);
    }

    /// @inheritdoc IRandomnessSource
    function rearm(uint256 requestId, uint256 notBefore) external onlyRole(CONSUMER_ROLE) {
        Request storage r = _existing(requestId);
        require(r.consumer == msg.sender, RandomnessNotRequestConsumer(requestId, msg.sender, r.consumer));
        Status status = _status(r);
        require(
            status != Status.Pending,
            RandomnessRequestPending(requestId, uint256(r.triggeredAt) + _TIMEOUT_BLOCKS, block.number)
        );
        // An answer the oracle could compute from the consumer's new `notBefore` on still serves it: re-arming would
        // let the consumer trade a value it dislikes for a fresh one.
        require(
            status != Status.Ready || r.triggeredAt < notBefore,
            RandomnessValueUsable(requestId, r.triggeredAt, notBefore)
        );
        // Forgetting the old VRF id makes a late answer to it land in `VrfFulfillmentIgnored`.
        delete _requestOfVrf[r.vrfRequestId];
        r.notBefore = notBefore.toUint64();
        r.triggeredAt = 0;
        r.fulfilledAt = 0;
        r.vrfRequestId = 0;
        r.value = bytes32(0);
        emit RandomnessRearmed(requestId, notBefore);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRandomnessSource
    function randomnessOf(uint256 requestId) external view returns (bool ready, bytes32 value, uint256 knownFrom) {
        Request storage r = _requests[requestId];
        if (_status(r) != Status.Ready) return (false, bytes32(0), 0);
        return (true, r.value, r.triggeredAt);
    }

    /// @inheritdoc IRandomnessSource
    function statusOf(uint256 requestId) external view returns (Status) {
        return _status(_requests[requestId]);
    }

    /// @inheritdoc IRandomnessSource
    function consumerOf(uint256 requestId) external view returns (address) {
        return _requests[requestId].consumer;
    }

    /// @inheritdoc IVrfRandomness
    function config() external view returns (VrfConfig memory) {
        return
            VrfConfig({
                subscriptionId: _SUBSCRIPTION_ID,
                keyHash: _KEY_HASH,
                callbackGasLimit: _CALLBACK_GAS_LIMIT,
                requestConfirmations: _REQUEST_CONFIRMATIONS,
                nativePayment: _NATIVE_PAYMENT,
                timeoutBlocks: _TIMEOUT_BLOCKS
            });
    }

    /// @inheritdoc IVrfRandomness
    function vrfRequestOf(uint256 requestId) external view returns (VrfRequest memory) {
        Request storage r = _requests[requestId];
        return VrfRequest({vrfRequestId: r.vrfRequestId, triggeredAt: r.triggeredAt, fulfilledAt: r.fulfilledAt});
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The coordinator's callback. It never reverts: the coordinator deletes its commitment before calling, so a
    /// revert would lose the answer for good. An answer nobody waits for is dropped with an event instead.
    function fulfillRandomWords(uint256 vrfRequestId, uint256[] calldata words) internal override {
        uint256 requestId = _requestOfVrf[vrfRequestId];
        if (requestId == 0 || words.length == 0) {
            emit VrfFulfillmentIgnored(vrfRequestId);
            return;
        }
        delete _requestOfVrf[vrfRequestId];
        Request storage r = _requests[requestId];
        bytes32 value = bytes32(words[0]);
        // Zero means "no value" to consumers; a zero word (probability 2^-256) is replaced by a hash that is
        // non-zero and just as unpredictable.
        if (value == bytes32(0)) value = keccak256(abi.encode(vrfRequestId));
        r.value = value;
        r.fulfilledAt = uint64(block.number);
        emit VrfRequestFulfilled(requestId, vrfRequestId, value, r.triggeredAt);
    }

    function _existing(uint256 requestId) private view returns (Request storage r) {
        r = _requests[requestId];
        require(r.consumer != address(0), RandomnessUnknownRequest(requestId));
    }

    function _status(Request storage r) private view returns (Status) {
        if (r.consumer == address(0)) return Status.None;
        if (r.triggeredAt == 0) return Status.Armed;
        if (r.fulfilledAt != 0) return Status.Ready;
        // A late answer before a re-arm is still taken (see `fulfillRandomWords`); until then the request is expired.
        if (block.number > uint256(r.triggeredAt) + _TIMEOUT_BLOCKS) return Status.Expired;
        return Status.Pending;
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        require(value >= min && value <= max, RandomnessParameterOutOfBounds(name, value, min, max));
    }
}
