// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRandomnessSource, IRandomnessSourceTypes} from "./interfaces/IRandomnessSource.sol";
import {ISecurityPool, ISecurityPoolTypes} from "./interfaces/ISecurityPool.sol";
import {ITaskManager} from "./interfaces/ITaskManager.sol";
import {Commitments} from "./libraries/Commitments.sol";
import {RewardMath} from "./libraries/RewardMath.sol";

/// @title TaskManager
/// @notice Compute tasks secured by the security pool. See `ITaskManager` for the specification and
/// `docs/TaskManager.md`.
contract TaskManager is ITaskManager, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ---------------------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice May pause and unpause new tasks.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice The most seats a committee has (rule 5: it bounds every per-round loop).
    uint256 public constant MAX_SEATS = 64;
    /// @notice The most replacement draws a task's rules may allow per round.
    uint256 public constant MAX_REPLACEMENT_DRAWS = 3;
    /// @notice The most fresh committees a task's rules may allow after rounds without quorum.
    uint256 public constant MAX_REDRAWS = 3;
    /// @notice The most records one round can hold: every draw can at most fill all seats with new members.
    uint256 public constant MAX_RECORDS_PER_ROUND = MAX_SEATS * (1 + MAX_REPLACEMENT_DRAWS);
    /// @notice The least share of a seat bond a wrong member loses: below it, corruption gets too cheap to price.
    uint256 public constant MIN_SLASH_FRACTION_BPS = 1_000;
    /// @notice The shortest commit, reveal or challenge window, in blocks.
    uint256 public constant MIN_WINDOW_BLOCKS = 1;
    /// @notice The longest commit, reveal or challenge window, in blocks (about two weeks at 12 s).
    uint256 public constant MAX_WINDOW_BLOCKS = 100_000;
    /// @notice The most bytes of inline input (or URI) a task may carry; it is emitted, not stored.
    uint256 public constant MAX_INPUT_BYTES = 16_384;
    /// @notice The most result bytes a reveal may carry; they are emitted, not stored.
    uint256 public constant MAX_RESULT_BYTES = 16_384;

    ISecurityPool private immutable _POOL;
    IRandomnessSource private immutable _RANDOMNESS;
    IERC20 private immutable _TOKEN;
    uint256 private immutable _EPOCH_BLOCKS;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Eight slots, packed so that the hot fields of each step share a slot.
    struct Task {
        // slot 0: identity and round state
        address requester;
        uint16 seats;
        uint16 quorum;
        TaskState state;
        NoQuorumRule noQuorumRule;
        uint8 round;
        uint8 replacementDraws;
        // slot 1, 2
        bytes32 programId;
        bytes32 inputHash;
        // slot 3
        uint96 reward;
        uint96 valueAtRisk;
        uint64 challengeDeadline;
        // slot 4: frozen rules (a nested struct would start its own slot)
        uint128 seatBond;
        uint16 slashFractionBps;
        uint16 missedCommitPenaltyBps;
        uint16 missedRevealPenaltyBps;
        uint8 maxReplacementDraws;
        uint8 maxRedraws;
        uint32 commitBlocks;
        uint32 revealBlocks;
        // slot 5: the current round's counters (48-bit block numbers last millions of years)
        uint32 challengeBlocks;
        uint48 requestId;
        uint48 commitDeadline;
        uint48 expiresAt;
        uint16 pendingSeats;
        uint16 filledSeats;
        uint16 committedSeats;
        uint16 revealedSeats;
        uint16 recordCount;
        // slot 6, 7
        bytes32 proposedResult;
        uint128 slashPot;
        uint128 rewardPerSeat;
    }

    Config private _config;
    uint256 private _taskCount;
    mapping(uint256 taskId => Task) private _tasks;
    mapping(uint256 taskId => mapping(uint256 round => mapping(uint256 index => Record))) private _records;
    mapping(uint256 taskId => mapping(uint256 round => mapping(bytes32 resultHash => uint256 seats))) private _votes;
    mapping(address account => uint256) private _credits;

    uint256 private _escrowed;
    uint256 private _unclaimedRewards;
    uint256 private _totalCredits;

    // ---------------------------------------------------------------------------------------------------------------
    // Construction
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Binds the manager to its pool and randomness source for its whole life.
    /// @dev The manager then needs `SEAT_MANAGER_ROLE` and `SLASHER_ROLE` on the pool and `CONSUMER_ROLE` on the
    /// source (granted by their admins).
    /// @param pool_ The security pool.
    /// @param randomness_ The randomness source (blockhash or VRF, chosen here).
    /// @param admin Holds `DEFAULT_ADMIN_ROLE` and `PAUSER_ROLE` (meant to be a timelock).
    /// @param config_ The rules of new tasks.
    constructor(ISecurityPool pool_, IRandomnessSource randomness_, address admin, Config memory config_) {
        require(
            address(pool_) != address(0) && address(randomness_) != address(0) && admin != address(0),
            TaskManagerZeroAddress()
        );
        _POOL = pool_;
        _RANDOMNESS = randomness_;
        _TOKEN = IERC20(pool_.stakeToken());
        _EPOCH_BLOCKS = pool_.epochBlocks();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _setConfig(config_);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Posting
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function createTask(TaskRequest calldata request) external nonReentrant whenNotPaused returns (uint256 taskId) {
        _checkRequest(request);
        ISecurityPoolTypes.Parameters memory poolParams = _POOL.parameters();
        Config memory cfg = _config;
        uint256 seatBond = poolParams.seatBond;
        require(seatBond != 0, TaskManagerZeroSeatBond());
        _checkBounds("seatBond", seatBond, 1, type(uint128).max);
        uint256 maxValue = RewardMath.corruptionCost(request.quorum, seatBond, cfg.slashFractionBps);
        require(request.valueAtRisk <= maxValue, TaskManagerValueAtRiskTooHigh(request.valueAtRisk, maxValue));
        uint256 life = _lifeBound(
            request.commitBlocks,
            request.revealBlocks,
            request.challengeBlocks,
            NoQuorumRule(request.noQuorumRule),
            cfg
        );
        require(life <= poolParams.unbondingPeriod, TaskManagerTaskOutlivesUnbonding(life, poolParams.unbondingPeriod));

        taskId = ++_taskCount;
        _storeTask(_tasks[taskId], request, seatBond, cfg);
        _tasks[taskId].expiresAt = (block.number + life).toUint48();
        _escrowed += request.reward;
        emit TaskCreated(taskId, msg.sender, request.programId, request, seatBond, cfg);

        _pullExactly(msg.sender, request.reward);
        uint256 notBefore = _nextWindowStart();
        uint256 requestId = _RANDOMNESS.request(notBefore);
        _tasks[taskId].requestId = requestId.toUint48();
        emit SeedRequested(taskId, 0, requestId, notBefore);
    }

    function _checkRequest(TaskRequest calldata request) private pure {
        require(request.programId != bytes32(0), TaskManagerZeroHash("programId"));
        require(request.inputHash != bytes32(0), TaskManagerZeroHash("inputHash"));
        _checkBounds("inputKind", request.inputKind, 0, uint8(type(InputKind).max));
        _checkBounds("noQuorumRule", request.noQuorumRule, 0, uint8(type(NoQuorumRule).max));
        uint256 inputLength = request.input.length;
        if (InputKind(request.inputKind) == InputKind.Inline) {
            _checkBounds("input", inputLength, 0, MAX_INPUT_BYTES);
            bytes32 actual = keccak256(request.input);
            require(actual == request.inputHash, TaskManagerInputHashMismatch(request.inputHash, actual));
        } else {
            _checkBounds("input", inputLength, 1, MAX_INPUT_BYTES);
        }
        uint256 seats = request.seats;
        _checkBounds("seats", seats, 1, MAX_SEATS);
        // A strict majority: two results can never both reach quorum.
        _checkBounds("quorum", request.quorum, seats / 2 + 1, seats);
        // At least one unit per seat, so every winning seat earns something.
        _checkBounds("reward", request.reward, seats, type(uint96).max);
        _checkBounds("commitBlocks", request.commitBlocks, MIN_WINDOW_BLOCKS, MAX_WINDOW_BLOCKS);
        _checkBounds("revealBlocks", request.revealBlocks, MIN_WINDOW_BLOCKS, MAX_WINDOW_BLOCKS);
        _checkBounds("challengeBlocks", request.challengeBlocks, MIN_WINDOW_BLOCKS, MAX_WINDOW_BLOCKS);
        _checkBounds("valueAtRisk", request.valueAtRisk, 0, type(uint96).max);
    }

    function _storeTask(Task storage t, TaskRequest calldata request, uint256 seatBond, Config memory cfg) private {
        t.requester = msg.sender;
        t.seats = uint16(request.seats);
        t.quorum = uint16(request.quorum);
        t.state = TaskState.Drawing;
        t.noQuorumRule = NoQuorumRule(request.noQuorumRule);
        t.programId = request.programId;
        t.inputHash = request.inputHash;
        t.reward = uint96(request.reward);
        t.valueAtRisk = uint96(request.valueAtRisk);
        t.seatBond = uint128(seatBond);
        t.slashFractionBps = cfg.slashFractionBps;
        t.missedCommitPenaltyBps = cfg.missedCommitPenaltyBps;
        t.missedRevealPenaltyBps = cfg.missedRevealPenaltyBps;
        t.maxReplacementDraws = cfg.maxReplacementDraws;
        t.maxRedraws = cfg.maxRedraws;
        t.commitBlocks = uint32(request.commitBlocks);
        t.revealBlocks = uint32(request.revealBlocks);
        t.challengeBlocks = uint32(request.challengeBlocks);
        t.pendingSeats = uint16(request.seats);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Committees
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function drawCommittee(uint256 taskId) external nonReentrant returns (bool drawn) {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingSeed);
        require(block.number <= t.expiresAt, TaskManagerTaskExpired(taskId, t.expiresAt));
        uint256 requestId = t.requestId;
        (bool ready, bytes32 value, uint256 knownFrom) = _RANDOMNESS.randomnessOf(requestId);
        ISecurityPoolTypes.DrawWindow memory window = _POOL.drawWindow();
        // Rule 2: draw only inside a window, from a value nobody knew before that window opened (weights froze at
        // its first block). A value that is ready but older is spent: it gets re-armed, never used.
        if (ready && window.frozen && knownFrom >= window.start) {
            _draw(taskId, t, value);
            return true;
        }
        IRandomnessSourceTypes.Status status = _RANDOMNESS.statusOf(requestId);
        require(
            status == IRandomnessSourceTypes.Status.Ready || status == IRandomnessSourceTypes.Status.Expired,
            TaskManagerSeedNotReady(taskId, requestId, uint8(status))
        );
        uint256 notBefore = _windowAfter(window);
        emit SeedRequested(taskId, t.round, requestId, notBefore);
        _RANDOMNESS.rearm(requestId, notBefore);
        return false;
    }

    /// @dev The running state of one draw, kept in memory to stay within the stack.
    struct DrawContext {
        uint256 taskId;
        uint256 round;
        uint256 bond;
        uint256 recordCount;
        uint256 filled;
        uint256 committed;
    }

    /// @dev Draws `pendingSeats` seats, groups them by member, and locks each member's bonds. In a replacement draw a
    /// member that already holds a live record of the round gets the seats added to it (one record, one commit).
    function _draw(uint256 taskId, Task storage t, bytes32 value) private {
        uint256 round = t.round;
        uint256 drawNumber = t.replacementDraws;
        bytes32 seed = keccak256(abi.encode(value, block.chainid, address(this), taskId, round, drawNumber));
        uint256 count = t.pendingSeats;
        _fill(t, DrawContext(taskId, round, t.seatBond, t.recordCount, t.filledSeats, t.committedSeats), seed, count);
        uint256 commitDeadline = t.commitDeadline;
        emit CommitteeDrawn(taskId, round, drawNumber, seed, count, commitDeadline, commitDeadline + t.revealBlocks);
    }

    function _fill(Task storage t, DrawContext memory c, bytes32 seed, uint256 count) private {
        (address[] memory members, uint256[] memory seatCounts) = _group(_POOL.drawSeats(seed, count));
        address[] memory holders =
            t.replacementDraws == 0 ? new address[](0) : _liveHolders(c.taskId, c.round, c.recordCount);
        for (uint256 i; i < members.length; ++i) _seat(c, holders, members[i], seatCounts[i]);
        _openCommits(t, c);
    }

    function _openCommits(Task storage t, DrawContext memory c) private {
        t.recordCount = uint16(c.recordCount);
        t.filledSeats = uint16(c.filled);
        t.committedSeats = uint16(c.committed);
        t.pendingSeats = 0;
        t.commitDeadline = uint48(block.number + t.commitBlocks);
        t.state = TaskState.Committing;
    }

    /// @dev Gives `member` its `seats` seats: a new record, seats added to its live record, or a declined record when
    /// its free stake cannot cover the bonds.
    function _seat(DrawContext memory c, address[] memory holders, address member, uint256 seats) private {
        mapping(uint256 index => Record) storage records = _records[c.taskId][c.round];
        if (!_POOL.tryLockSeats(member, seats, c.bond)) {
            _newRecord(records[c.recordCount], member, seats, RecordStatus.Declined);
            emit SeatsDeclined(c.taskId, member, c.round, c.recordCount, seats);
            ++c.recordCount;
            return;
        }
        c.filled += seats;
        uint256 index = _indexOf(holders, member);
        if (index == type(uint256).max) {
            index = c.recordCount++;
            _newRecord(records[index], member, seats, RecordStatus.Assigned);
        } else {
            Record storage r = records[index];
            r.seats += uint16(seats);
            // The member's commitment (if made) stands for all its seats of the round.
            if (r.status == RecordStatus.Committed) c.committed += seats;
        }
        emit SeatsAssigned(c.taskId, member, c.round, index, seats);
    }

    /// @dev Writes the record's first slot only: its `sealedHash` is still zero, and writing zero over zero would
    /// cost a cold slot access for nothing.
    function _newRecord(Record storage r, address member, uint256 seats, RecordStatus status) private {
        r.member = member;
        r.seats = uint16(seats);
        r.status = status;
    }

    /// @dev Groups seats by member, in order of first appearance. At most `MAX_SEATS` seats, so the quadratic scan
    /// stays small (64 seats: about 2,000 comparisons).
    function _group(
        address[] memory drawn
    ) private pure returns (address[] memory members, uint256[] memory seatCounts) {
        uint256 n = drawn.length;
        members = new address[](n);
        seatCounts = new uint256[](n);
        uint256 distinct;
        for (uint256 i; i < n; ++i) {
            address member = drawn[i];
            uint256 j;
            while (j < distinct && members[j] != member) ++j;
            if (j == distinct) {
                members[distinct] = member;
                ++distinct;
            }
            ++seatCounts[j];
        }
        // Shrink the arrays to the distinct members (memory arrays keep their length in the first word).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(members, distinct)
            mstore(seatCounts, distinct)
        }
    }

    /// @dev The members of the round's live records (Assigned or Committed), zero for the others, indexed by record.
    function _liveHolders(
        uint256 taskId,
        uint256 round,
        uint256 recordCount
    ) private view returns (address[] memory holders) {
        holders = new address[](recordCount);
        mapping(uint256 index => Record) storage records = _records[taskId][round];
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.status == RecordStatus.Assigned || r.status == RecordStatus.Committed) holders[i] = r.member;
        }
    }

    function _indexOf(address[] memory holders, address member) private pure returns (uint256) {
        for (uint256 i; i < holders.length; ++i) if (holders[i] == member) return i;
        return type(uint256).max;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commit and reveal
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function commit(uint256 taskId, uint256 index, bytes32 commitment) external {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.Committing);
        require(commitment != bytes32(0), TaskManagerZeroCommitment());
        Record storage r = _heldRecord(taskId, t.round, index);
        _expectStatus(taskId, index, r.status, RecordStatus.Assigned);
        r.status = RecordStatus.Committed;
        r.sealedHash = commitment;
        t.committedSeats += r.seats;
        emit Committed(taskId, msg.sender, t.round, index, commitment);
    }

    /// @inheritdoc ITaskManager
    function reveal(uint256 taskId, uint256 index, bytes32 resultHash, bytes32 salt, bytes calldata result) external {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.Revealing);
        require(resultHash != bytes32(0), TaskManagerZeroCommitment());
        uint256 round = t.round;
        Record storage r = _heldRecord(taskId, round, index);
        _expectStatus(taskId, index, r.status, RecordStatus.Committed);
        bytes32 computed = Commitments.commitment(
            block.chainid,
            address(this),
            taskId,
            round,
            msg.sender,
            resultHash,
            salt
        );
        require(computed == r.sealedHash, TaskManagerRevealMismatch(taskId, index, r.sealedHash, computed));
        if (result.length != 0) {
            _checkBounds("result", result.length, 1, MAX_RESULT_BYTES);
            bytes32 actual = keccak256(result);
            require(actual == resultHash, TaskManagerResultHashMismatch(resultHash, actual));
        }

        uint256 seats = r.seats;
        r.status = RecordStatus.Revealed;
        r.sealedHash = resultHash;
        t.revealedSeats += uint16(seats);
        uint256 votes = _votes[taskId][round][resultHash] + seats;
        _votes[taskId][round][resultHash] = votes;
        // Quorum is a strict majority of the seats, so at most one result ever reaches it.
        if (votes >= t.quorum && t.proposedResult == bytes32(0)) t.proposedResult = resultHash;
        emit Revealed(taskId, msg.sender, round, index, resultHash, votes, result);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Progress after deadlines (permissionless, rule 6)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function replaceNoShows(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingReplacement);
        uint256 round = t.round;
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _records[taskId][round];
        uint256 collected;
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.status != RecordStatus.Assigned) continue;
            r.status = RecordStatus.Replaced;
            collected += _penalize(taskId, t, round, i, r, PenaltyReason.MissedCommit);
        }
        _collect(t, collected);

        uint256 vacant = t.seats - t.committedSeats;
        uint256 drawNumber = t.replacementDraws + 1;
        t.replacementDraws = uint8(drawNumber);
        t.filledSeats = t.committedSeats;
        t.pendingSeats = uint16(vacant);
        t.state = TaskState.Drawing;
        emit NoShowsReplaced(taskId, round, drawNumber, vacant);
        _rearmSeed(taskId, t);
    }

    /// @inheritdoc ITaskManager
    function tally(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingTally);
        uint256 round = t.round;
        bytes32 proposed = t.proposedResult;
        // Nothing to visit when everyone revealed and a result stands: the common case stays O(1).
        if (t.revealedSeats < t.filledSeats || proposed == bytes32(0)) _settleDefaulters(taskId, t, round, proposed);

        if (proposed != bytes32(0)) {
            uint256 challengeDeadline = block.number + t.challengeBlocks;
            t.challengeDeadline = uint64(challengeDeadline);
            t.state = TaskState.Proposed;
            emit ResultProposed(
                taskId,
                round,
                proposed,
                _votes[taskId][round][proposed],
                t.revealedSeats,
                challengeDeadline
            );
            return;
        }
        bool redraw = t.noQuorumRule == NoQuorumRule.Redraw && round < t.maxRedraws;
        emit NoQuorum(taskId, round, t.revealedSeats, redraw);
        if (redraw) _startRound(taskId, t, round + 1);
        else _refund(taskId, t);
    }

    /// @dev Penalizes and releases the round's members that missed the commit or reveal deadline; without a proposed
    /// result, also releases those that revealed (no result is final, so nobody is wrong).
    function _settleDefaulters(uint256 taskId, Task storage t, uint256 round, bytes32 proposed) private {
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _records[taskId][round];
        uint256 collected;
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            RecordStatus status = r.status;
            if (status == RecordStatus.Assigned) {
                r.status = RecordStatus.Absent;
                collected += _penalize(taskId, t, round, i, r, PenaltyReason.MissedCommit);
            } else if (status == RecordStatus.Committed) {
                r.status = RecordStatus.Silent;
                collected += _penalize(taskId, t, round, i, r, PenaltyReason.MissedReveal);
            } else if (status == RecordStatus.Revealed && proposed == bytes32(0)) {
                r.status = RecordStatus.Released;
                _release(t, r);
            }
        }
        _collect(t, collected);
    }

    function _startRound(uint256 taskId, Task storage t, uint256 round) private {
        t.round = uint8(round);
        t.replacementDraws = 0;
        t.pendingSeats = t.seats;
        t.filledSeats = 0;
        t.committedSeats = 0;
        t.revealedSeats = 0;
        t.recordCount = 0;
        t.commitDeadline = 0;
        t.state = TaskState.Drawing;
        _rearmSeed(taskId, t);
    }

    function _refund(uint256 taskId, Task storage t) private {
        uint256 reward = t.reward;
        uint256 pot = t.slashPot;
        t.state = TaskState.Refunded;
        _escrowed -= reward + pot;
        // The requester gets its whole escrow back: the failure was the committee's, not its own.
        _credit(t.requester, reward);
        _credit(_treasury(), pot);
        emit TaskRefunded(taskId, t.requester, reward, pot);
    }

    /// @inheritdoc ITaskManager
    function expire(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingSeed);
        uint256 expiresAt = t.expiresAt;
        require(block.number > expiresAt, TaskManagerNotExpired(taskId, expiresAt, block.number));
        uint256 round = t.round;
        // Only members that committed and then waited for replacement seats can be live here; they did their part.
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _records[taskId][round];
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.status != RecordStatus.Committed) continue;
            r.status = RecordStatus.Released;
            _release(t, r);
        }
        emit TaskExpired(taskId, round, expiresAt);
        _refund(taskId, t);
    }

    /// @inheritdoc ITaskManager
    function finalize(uint256 taskId) external nonReentrant {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingFinalization);
        uint256 round = t.round;
        bytes32 result = t.proposedResult;
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _records[taskId][round];
        uint256 collected;
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.status != RecordStatus.Revealed) continue;
            if (r.sealedHash == result) {
                r.status = RecordStatus.Won;
                _release(t, r);
            } else {
                r.status = RecordStatus.Lost;
                collected += _penalize(taskId, t, round, i, r, PenaltyReason.WrongResult);
            }
        }
        _collect(t, collected);

        uint256 winningSeats = _votes[taskId][round][result];
        uint256 pot = uint256(t.reward) + t.slashPot;
        // Per seat and rounded down: no payee gets more than its pro-rata share, and the dust is known now.
        uint256 perSeat = pot / winningSeats;
        uint256 paid = perSeat * winningSeats;
        t.rewardPerSeat = perSeat.toUint128();
        t.state = TaskState.Finalized;
        _escrowed -= pot;
        _unclaimedRewards += paid;
        _credit(_treasury(), pot - paid);
        emit TaskFinalized(taskId, result, winningSeats, perSeat, pot - paid);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims (pull payments, rule 8)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function claimReward(uint256 taskId, uint256 index) external nonReentrant returns (uint256 amount) {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.Finalized);
        Record storage r = _heldRecord(taskId, t.round, index);
        _expectStatus(taskId, index, r.status, RecordStatus.Won);
        r.status = RecordStatus.Claimed;
        amount = uint256(t.rewardPerSeat) * r.seats;
        _unclaimedRewards -= amount;
        emit RewardClaimed(taskId, msg.sender, index, amount);
        _TOKEN.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ITaskManager
    function claimCredit() external nonReentrant returns (uint256 amount) {
        amount = _credits[msg.sender];
        require(amount != 0, TaskManagerNothingToClaim(msg.sender));
        _credits[msg.sender] = 0;
        _totalCredits -= amount;
        emit CreditClaimed(msg.sender, amount);
        _TOKEN.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Penalties and token movements
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Releases the record's seats, then slashes its member by the share of its bonds the reason calls for; the
    /// pool credits the slashed stake to this manager (collected by `_collect`). Releasing first makes the penalty
    /// come out of the freed bond rather than eat into locks of the member's other tasks.
    function _penalize(
        uint256 taskId,
        Task storage t,
        uint256 round,
        uint256 index,
        Record storage r,
        PenaltyReason reason
    ) private returns (uint256 slashed) {
        address member = r.member;
        uint256 seats = r.seats;
        uint256 bond = t.seatBond;
        _release(t, r);
        uint256 bps =
            reason == PenaltyReason.MissedCommit
                ? t.missedCommitPenaltyBps
                : reason == PenaltyReason.MissedReveal
                    ? t.missedRevealPenaltyBps
                    : t.slashFractionBps;
        uint256 requested = RewardMath.bondSlash(seats, bond, bps);
        if (requested != 0) {
            address[] memory recipients = new address[](1);
            uint256[] memory amounts = new uint256[](1);
            recipients[0] = address(this);
            amounts[0] = requested;
            slashed = _POOL.slash(member, requested, recipients, amounts);
        }
        emit MemberPenalized(taskId, member, round, index, reason, requested, slashed);
    }

    /// @dev Releases the record's seat bonds in the pool.
    function _release(Task storage t, Record storage r) private {
        _POOL.unlockSeats(r.member, r.seats, t.seatBond);
    }

    /// @dev Moves the slashes credited to this manager by the pool into its own balance and the task's pot.
    function _collect(Task storage t, uint256 amount) private {
        if (amount == 0) return;
        t.slashPot = (uint256(t.slashPot) + amount).toUint128();
        _escrowed += amount;
        // The pool credited exactly these slashes to this manager in this transaction. Anything more (another slasher
        // naming this manager as a recipient) belongs to no task: it goes to the treasury rather than block the task.
        uint256 received = _POOL.claim();
        if (received > amount) _credit(_treasury(), received - amount);
    }

    function _credit(address account, uint256 amount) private {
        if (amount == 0) return;
        _credits[account] += amount;
        _totalCredits += amount;
        emit Credited(account, amount);
    }

    function _pullExactly(address from, uint256 amount) private {
        uint256 before = _TOKEN.balanceOf(address(this));
        _TOKEN.safeTransferFrom(from, address(this), amount);
        uint256 received = _TOKEN.balanceOf(address(this)) - before;
        require(received == amount, TaskManagerFeeOnTransferToken(amount, received));
    }

    function _treasury() private view returns (address) {
        return _POOL.parameters().treasury;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Seeds and phases
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Points the task's request at the next draw window. The request's last value was used (or never came),
    /// so the source accepts the re-arm: its `knownFrom` lies before the next window.
    function _rearmSeed(uint256 taskId, Task storage t) private {
        uint256 notBefore = _nextWindowStart();
        emit SeedRequested(taskId, t.round, t.requestId, notBefore);
        _RANDOMNESS.rearm(t.requestId, notBefore);
    }

    /// @dev The first block of the next draw window that starts after the current block.
    function _nextWindowStart() private view returns (uint256) {
        return _windowAfter(_POOL.drawWindow());
    }

    /// @dev The first block of the next window after the current block, given the pool's current `window`.
    function _windowAfter(ISecurityPoolTypes.DrawWindow memory window) private view returns (uint256) {
        return window.frozen ? window.start + _EPOCH_BLOCKS : window.start;
    }

    function _phase(Task storage t) private view returns (Phase) {
        TaskState state = t.state;
        if (state == TaskState.Drawing) return Phase.AwaitingSeed;
        if (state == TaskState.Committing) return _committeePhase(t);
        if (state == TaskState.Proposed) {
            return block.number <= t.challengeDeadline ? Phase.Challengeable : Phase.AwaitingFinalization;
        }
        if (state == TaskState.Finalized) return Phase.Finalized;
        if (state == TaskState.Refunded) return Phase.Refunded;
        return Phase.None;
    }

    /// @dev The phase of a sitting committee: commit window, then either a pending replacement draw or the reveal
    /// window, then the tally.
    function _committeePhase(Task storage t) private view returns (Phase) {
        uint256 commitDeadline = t.commitDeadline;
        if (block.number <= commitDeadline) return Phase.Committing;
        if (t.committedSeats < t.seats && t.replacementDraws < t.maxReplacementDraws) {
            return Phase.AwaitingReplacement;
        }
        if (block.number <= commitDeadline + t.revealBlocks) return Phase.Revealing;
        return Phase.AwaitingTally;
    }

    function _expectPhase(uint256 taskId, Task storage t, Phase expected) private view {
        Phase phase = _phase(t);
        require(phase == expected, TaskManagerWrongPhase(taskId, phase, expected));
    }

    function _expectStatus(uint256 taskId, uint256 index, RecordStatus status, RecordStatus expected) private pure {
        require(status == expected, TaskManagerWrongRecordStatus(taskId, index, status, expected));
    }

    function _task(uint256 taskId) private view returns (Task storage t) {
        t = _tasks[taskId];
        require(t.state != TaskState.None, TaskManagerUnknownTask(taskId));
    }

    function _heldRecord(uint256 taskId, uint256 round, uint256 index) private view returns (Record storage r) {
        r = _records[taskId][round][index];
        require(r.member == msg.sender, TaskManagerNotSeatHolder(taskId, index, msg.sender, r.member));
    }

    function _lifeBound(
        uint256 commitBlocks,
        uint256 revealBlocks,
        uint256 challengeBlocks,
        NoQuorumRule rule,
        Config memory cfg
    ) private view returns (uint256) {
        // A seed serves the first window after its request: at most one epoch away. One missed window (a lookahead
        // that overshot it, a slow VRF answer) costs one more epoch; a third epoch is slack for the keeper.
        uint256 perDraw = 3 * _EPOCH_BLOCKS + commitBlocks;
        uint256 perRound = (1 + uint256(cfg.maxReplacementDraws)) * perDraw + revealBlocks;
        uint256 rounds = rule == NoQuorumRule.Redraw ? 1 + uint256(cfg.maxRedraws) : 1;
        return rounds * perRound + challengeBlocks;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Admin
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function setConfig(Config calldata config_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setConfig(config_);
    }

    /// @inheritdoc ITaskManager
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITaskManager
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _setConfig(Config memory config_) private {
        _checkBounds("slashFractionBps", config_.slashFractionBps, MIN_SLASH_FRACTION_BPS, RewardMath.BPS);
        _checkBounds("missedCommitPenaltyBps", config_.missedCommitPenaltyBps, 0, RewardMath.BPS);
        _checkBounds("missedRevealPenaltyBps", config_.missedRevealPenaltyBps, 0, RewardMath.BPS);
        _checkBounds("maxReplacementDraws", config_.maxReplacementDraws, 0, MAX_REPLACEMENT_DRAWS);
        _checkBounds("maxRedraws", config_.maxRedraws, 0, MAX_REDRAWS);
        _config = config_;
        emit ConfigSet(config_);
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        require(value >= min && value <= max, TaskManagerParameterOutOfBounds(name, value, min, max));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function pool() external view returns (address) {
        return address(_POOL);
    }

    /// @inheritdoc ITaskManager
    function randomness() external view returns (address) {
        return address(_RANDOMNESS);
    }

    /// @inheritdoc ITaskManager
    function paymentToken() external view returns (address) {
        return address(_TOKEN);
    }

    /// @inheritdoc ITaskManager
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @inheritdoc ITaskManager
    function taskCount() external view returns (uint256) {
        return _taskCount;
    }

    /// @inheritdoc ITaskManager
    function taskOf(uint256 taskId) external view returns (TaskInfo memory info) {
        Task storage t = _tasks[taskId];
        info.requester = t.requester;
        info.programId = t.programId;
        info.inputHash = t.inputHash;
        info.state = t.state;
        info.noQuorumRule = t.noQuorumRule;
        info.seats = t.seats;
        info.quorum = t.quorum;
        info.reward = t.reward;
        info.valueAtRisk = t.valueAtRisk;
        info.seatBond = t.seatBond;
        info.config = Config(
            t.slashFractionBps,
            t.missedCommitPenaltyBps,
            t.missedRevealPenaltyBps,
            t.maxReplacementDraws,
            t.maxRedraws
        );
        info.commitBlocks = t.commitBlocks;
        info.revealBlocks = t.revealBlocks;
        info.challengeBlocks = t.challengeBlocks;
        info.round = t.round;
        info.replacementDraws = t.replacementDraws;
        info.requestId = t.requestId;
        info.pendingSeats = t.pendingSeats;
        info.filledSeats = t.filledSeats;
        info.committedSeats = t.committedSeats;
        info.revealedSeats = t.revealedSeats;
        info.recordCount = t.recordCount;
        info.commitDeadline = t.commitDeadline;
        info.revealDeadline = t.commitDeadline == 0 ? 0 : uint256(t.commitDeadline) + t.revealBlocks;
        info.challengeDeadline = t.challengeDeadline;
        info.expiresAt = t.expiresAt;
        info.proposedResult = t.proposedResult;
        info.slashPot = t.slashPot;
        info.rewardPerSeat = t.rewardPerSeat;
    }

    /// @inheritdoc ITaskManager
    function phaseOf(uint256 taskId) external view returns (Phase) {
        return _phase(_tasks[taskId]);
    }

    /// @inheritdoc ITaskManager
    function recordOf(uint256 taskId, uint256 round, uint256 index) external view returns (Record memory) {
        return _records[taskId][round][index];
    }

    /// @inheritdoc ITaskManager
    function recordsOf(
        uint256 taskId,
        uint256 round,
        uint256 from,
        uint256 count
    ) external view returns (Record[] memory records) {
        _checkBounds("count", count, 0, MAX_RECORDS_PER_ROUND);
        mapping(uint256 index => Record) storage stored = _records[taskId][round];
        records = new Record[](count);
        uint256 n;
        // Records are written densely from index 0, so the first empty one ends the round's list.
        while (n < count && stored[from + n].status != RecordStatus.None) {
            records[n] = stored[from + n];
            ++n;
        }
        // Shrink to the records found (memory arrays keep their length in the first word).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(records, n)
        }
    }

    /// @inheritdoc ITaskManager
    function assignmentOf(uint256 taskId, address member) external view returns (Assignment memory assignment) {
        Task storage t = _tasks[taskId];
        mapping(uint256 index => Record) storage records = _records[taskId][t.round];
        uint256 recordCount = t.recordCount;
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.member != member) continue;
            RecordStatus status = r.status;
            if (status == RecordStatus.Declined || status == RecordStatus.Replaced) continue;
            return Assignment(true, i, r);
        }
    }

    /// @inheritdoc ITaskManager
    function votesFor(uint256 taskId, uint256 round, bytes32 resultHash) external view returns (uint256) {
        return _votes[taskId][round][resultHash];
    }

    /// @inheritdoc ITaskManager
    function lifeBound(
        uint256 commitBlocks,
        uint256 revealBlocks,
        uint256 challengeBlocks,
        NoQuorumRule noQuorumRule
    ) external view returns (uint256) {
        return _lifeBound(commitBlocks, revealBlocks, challengeBlocks, noQuorumRule, _config);
    }

    /// @inheritdoc ITaskManager
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc ITaskManager
    function totals() external view returns (Totals memory) {
        return Totals(_escrowed, _unclaimedRewards, _totalCredits);
    }
}
