// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types of a randomness source
/// @notice The life cycle of a request.
interface IRandomnessSourceTypes {
    /// @notice Where a request stands.
    /// @dev `None`: no such request. `Armed`: waiting for `trigger` (VRF only; nothing has been sent, no one knows
    /// anything). `Pending`: a value is on its way (the blockhash target is not mined yet, or a VRF answer is awaited
    /// within the timeout). `Ready`: `randomnessOf` returns the value. `Expired`: no value will come (the target's
    /// hash left the 256-block horizon or was zero, or the VRF answer timed out); the consumer must `rearm`.
    enum Status {
        None,
        Armed,
        Pending,
        Ready,
        Expired
    }
}

/// @title Errors of a randomness source
/// @notice Every revert of a randomness source, named, with the values needed to debug it (rule 11).
interface IRandomnessSourceErrors {
    /// @notice An address of zero was given.
    error RandomnessZeroAddress();
    /// @notice No request has id `requestId`.
    error RandomnessUnknownRequest(uint256 requestId);
    /// @notice Only the consumer that made request `requestId` (`consumer`) may re-arm it, not `caller`.
    error RandomnessNotRequestConsumer(uint256 requestId, address caller, address consumer);
    /// @notice Request `requestId` still waits for its value, which may arrive up to block `until`; now is `current`.
    error RandomnessRequestPending(uint256 requestId, uint256 until, uint256 current);
    /// @notice Request `requestId` holds a value known from block `knownFrom`, which already meets `notBefore`:
    /// re-arming it would re-roll a usable value.
    error RandomnessValueUsable(uint256 requestId, uint256 knownFrom, uint256 notBefore);
    /// @notice The deployment parameter `name` was `value`, outside [`min`, `max`].
    error RandomnessParameterOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
}

/// @title Events of a randomness source
/// @notice One event per state change, emitted right after it.
interface IRandomnessSourceEvents {
    /// @notice `consumer` asked for a value that nobody can know before block `notBefore`.
    /// @param requestId The new request.
    /// @param consumer The caller, which alone may re-arm the request.
    /// @param notBefore The first block from which the value may become known.
    event RandomnessRequested(uint256 indexed requestId, address indexed consumer, uint256 notBefore);

    /// @notice Request `requestId` dropped its old value (or the hope of one) and now waits for a value that nobody
    /// can know before block `notBefore`.
    /// @param requestId The request.
    /// @param notBefore The new first block from which the value may become known.
    event RandomnessRearmed(uint256 indexed requestId, uint256 notBefore);
}

/// @title IRandomnessSource
/// @notice A source of values that nobody could predict when they were requested, for committee draws (DESIGN.md,
/// "Randomness"). The source is chosen at deployment: `BlockhashRandomness` (default, local and tests) or
/// `VrfRandomness` (Chainlink VRF v2.5, Sepolia and production).
/// @dev A consumer (holder of `CONSUMER_ROLE`, the task manager) asks for a value with `request(notBefore)`, passing
/// the first block of the draw window it wants. Anyone may `trigger` it once that block is reached (VRF sends its
/// request then; blockhash needs nothing). `randomnessOf` returns the value once it is public, with `knownFrom`, the
/// first block at which anyone (a block builder, the VRF oracle) could have known it; it is always `>= notBefore`.
/// The consumer draws only inside the draw window that contains `knownFrom` (its first block `<= knownFrom`, the
/// current block `<=` its last), so the weights it draws from were frozen before the value existed (rule 2). If the
/// value cannot serve (expired, or known before the window the consumer now needs because the old one passed
/// unused), the consumer `rearm`s the request for a later window.
/// The source cannot see the consumer's windows: the consumer is trusted to pass `notBefore` computed from chain
/// state (the pool's next window start), never from a caller's wish, or it could re-roll values it dislikes.
interface IRandomnessSource is IRandomnessSourceTypes, IRandomnessSourceErrors, IRandomnessSourceEvents {
    /// @notice Opens a request for a value that nobody can know before block `notBefore`.
    /// @dev Requires: `CONSUMER_ROLE`. Emits `RandomnessRequested` (and the source's own arming event). A `notBefore`
    /// in the past is allowed: the source still picks a value that is unknown now.
    /// @param notBefore The first block from which the value may become known (the draw window's first block).
    /// @return requestId The request's id; ids start at 1.
    function request(uint256 notBefore) external returns (uint256 requestId);

    /// @notice Sets an armed request's value on its way. Anyone may call it; who calls, when and with what gas does
    /// not let them choose the value.
    /// @dev VRF: requires `block.number >= notBefore` and an `Armed` request, and sends the VRF request, so not even
    /// the oracle can know the value before `notBefore`. Blockhash: the value needs no trigger; this only checks that
    /// the request exists and changes nothing.
    /// @param requestId The request.
    function trigger(uint256 requestId) external;

    /// @notice Points a request that can no longer serve its consumer at a value nobody can know before `notBefore`.
    /// @dev Requires: the caller is the request's consumer and still holds `CONSUMER_ROLE`; the request is not
    /// `Pending` (`RandomnessRequestPending`); if it is `Ready`, its `knownFrom < notBefore`, that is the value became
    /// known before the window the consumer now needs (`RandomnessValueUsable`). `Armed` and `Expired` requests can
    /// always be re-armed. Emits `RandomnessRearmed` (and the source's own arming event). The request keeps its id.
    /// @param requestId The request.
    /// @param notBefore The first block of the window the consumer now needs.
    function rearm(uint256 requestId, uint256 notBefore) external;

    /// @notice The request's value once it is public.
    /// @dev Never returns `ready` with a zero value. While not ready, returns `(false, 0, 0)`. A ready value stays
    /// the same until the consumer re-arms the request (or, for blockhash, until it expires).
    /// @param requestId The request.
    /// @return ready Whether the value can be used now.
    /// @return value The value (non-zero when ready).
    /// @return knownFrom The first block at which anyone could know the value (blockhash: the target block; VRF: the
    /// block of the VRF request, since the oracle can compute the answer from then on).
    function randomnessOf(uint256 requestId) external view returns (bool ready, bytes32 value, uint256 knownFrom);

    /// @notice Where the request stands.
    /// @param requestId The request.
    function statusOf(uint256 requestId) external view returns (Status);

    /// @notice The consumer that made the request (zero if there is no such request).
    /// @param requestId The request.
    function consumerOf(uint256 requestId) external view returns (address);
}

/// @title IBlockhashRandomness
/// @notice The default source: the value of a request is the hash of a target block fixed when the request is armed.
/// @dev Target = `max(notBefore, block.number + lookahead())` at request or re-arm. Ready while
/// `target < block.number <= target + 256` and the hash is non-zero; expired after that. The proposer (builder) of
/// the target block chooses its contents and so can grind its hash, or withhold the block: use VRF in production.
interface IBlockhashRandomness is IRandomnessSource {
    /// @notice Request `requestId` now reads the hash of block `target`.
    /// @param requestId The request.
    /// @param target The block whose hash is the value.
    event BlockhashTargetSet(uint256 indexed requestId, uint256 target);

    /// @notice The least number of blocks between arming a request and its target block, fixed at deployment.
    function lookahead() external view returns (uint256);

    /// @notice The block whose hash is the request's value (zero if there is no such request).
    /// @param requestId The request.
    function targetOf(uint256 requestId) external view returns (uint256);
}

/// @title IVrfRandomness
/// @notice The production source: Chainlink VRF v2.5, one random word per request, paid by a subscription.
/// @dev The VRF request is sent by `trigger` once `notBefore` is reached. The answer arrives through the coordinator's
/// callback, which never reverts (a revert would make the coordinator drop the answer for good). A triggered request
/// that has no answer `timeoutBlocks()` blocks after its trigger is expired and can be re-armed; an answer to a VRF
/// request that no longer belongs to a live request is ignored.
interface IVrfRandomness is IRandomnessSource {
    /// @notice The VRF settings, fixed at deployment.
    /// @param subscriptionId The VRF subscription that pays; this contract must be one of its consumers.
    /// @param keyHash The VRF key (gas lane) to use.
    /// @param callbackGasLimit The gas the coordinator gives the callback; at least `MIN_CALLBACK_GAS_LIMIT`.
    /// @param requestConfirmations The blocks the oracle waits before answering.
    /// @param nativePayment Pay in the native token instead of LINK.
    /// @param timeoutBlocks Blocks after the trigger without an answer after which the request is expired; more than
    /// `requestConfirmations`.
    struct VrfConfig {
        uint256 subscriptionId;
        bytes32 keyHash;
        uint32 callbackGasLimit;
        uint16 requestConfirmations;
        bool nativePayment;
        uint256 timeoutBlocks;
    }

    /// @notice The VRF side of a request.
    /// @param vrfRequestId The coordinator's id of the VRF request in flight or answered (0 while armed).
    /// @param triggeredAt The block in which the VRF request was sent (0 while armed): the value's `knownFrom`.
    /// @param fulfilledAt The block in which the answer arrived (0 until then): the value is public from then on.
    struct VrfRequest {
        uint256 vrfRequestId;
        uint256 triggeredAt;
        uint256 fulfilledAt;
    }

    /// @notice `trigger` was called at block `current`, before the request's `notBefore`.
    error VrfRandomnessTriggerTooEarly(uint256 requestId, uint256 notBefore, uint256 current);
    /// @notice The request already sent VRF request `vrfRequestId`; re-arm it to send another.
    error VrfRandomnessAlreadyTriggered(uint256 requestId, uint256 vrfRequestId);

    /// @notice Request `requestId` sent VRF request `vrfRequestId`.
    /// @param requestId The request.
    /// @param vrfRequestId The coordinator's id.
    /// @param caller Who triggered it (it has no influence on the value).
    event VrfRequestSent(uint256 indexed requestId, uint256 indexed vrfRequestId, address caller);

    /// @notice The answer to `vrfRequestId` made request `requestId` ready.
    /// @param requestId The request.
    /// @param vrfRequestId The coordinator's id.
    /// @param value The value stored (the random word, re-hashed if it was zero).
    /// @param knownFrom The block the VRF request was sent in.
    event VrfRequestFulfilled(
        uint256 indexed requestId,
        uint256 indexed vrfRequestId,
        bytes32 value,
        uint256 knownFrom
    );

    /// @notice An answer to `vrfRequestId` arrived but no live request waits for it (unknown, already answered,
    /// re-armed since, or without words); it was dropped.
    /// @param vrfRequestId The coordinator's id.
    event VrfFulfillmentIgnored(uint256 indexed vrfRequestId);

    /// @notice The VRF settings.
    function config() external view returns (VrfConfig memory);

    /// @notice The VRF side of a request.
    /// @param requestId The request.
    function vrfRequestOf(uint256 requestId) external view returns (VrfRequest memory);
}
