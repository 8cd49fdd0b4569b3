// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBisectionGame} from "./interfaces/IBisectionGame.sol";
import {IRandomnessSource, IRandomnessSourceTypes} from "./interfaces/IRandomnessSource.sol";
import {ISecurityPool, ISecurityPoolTypes} from "./interfaces/ISecurityPool.sol";
import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import {ITaskManager} from "./interfaces/ITaskManager.sol";
import {Commitments} from "./libraries/Commitments.sol";
import {RewardMath} from "./libraries/RewardMath.sol";
import {TaskManagerStorage} from "./tasks/TaskManagerStorage.sol";
import {TaskSettlement} from "./tasks/TaskSettlement.sol";

/// @title TaskManager
/// @notice Compute tasks secured by the security pool. See `ITaskManager` for the specification and
/// `docs/TaskManager.md`.
/// @dev Posting, draws, commits, reveals, views and admin run here; everything after the reveals runs in the
/// `TaskSettlement` module this contract creates, by delegatecall on this contract's state (`_delegate`).
contract TaskManager is ITaskManager, TaskManagerStorage, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ---------------------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice May pause and unpause new tasks.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice The most seats an escalation draw asks the pool for (the pool's `MAX_SEATS_PER_DRAW`).
    uint256 public constant MAX_DRAW_CANDIDATES = 256;

    /// @notice The module that runs the post-reveal functions (see `_delegate`).
    TaskSettlement private immutable _SETTLEMENT;

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
    constructor(
        ISecurityPool pool_,
        IRandomnessSource randomness_,
        address admin,
        Config memory config_
    ) TaskManagerStorage(pool_, randomness_) {
        require(admin != address(0), TaskManagerZeroAddress());
        _SETTLEMENT = new TaskSettlement(pool_, randomness_);
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
        Config memory cfg = _s().config;
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
        (TaskGame memory game, uint256 gameLife) = _gameSettings(request.programId, request.challengeBlocks);
        life += gameLife;
        require(life <= poolParams.unbondingPeriod, TaskManagerTaskOutlivesUnbonding(life, poolParams.unbondingPeriod));

        Layout storage store = _s();
        taskId = ++store.taskCount;
        Task storage t = store.tasks[taskId];
        _storeTask(t, request, seatBond, cfg);
        if (game.verifier != address(0)) {
            store.taskGames[taskId] = game;
            t.gameFlags = uint8(_GAME_ENABLED);
        }
        t.expiresAt = (block.number + life).toUint48();
        store.escrowed += request.reward;
        emit TaskCreated(taskId, msg.sender, request.programId, request, seatBond, cfg);

        _pullExactly(msg.sender, request.reward);
        uint256 notBefore = _nextWindowStart();
        uint256 requestId = _RANDOMNESS.request(notBefore);
        t.requestId = requestId.toUint48();
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
        t.maxEscalations = uint8(_escalationsFitting(request.seats, cfg.maxEscalations));
        t.bountyBps = cfg.bountyBps;
        t.honestShareBps = cfg.honestShareBps;
        t.challengeBondPerSeat = cfg.challengeBondPerSeat;
        t.burnRemainder = cfg.burnRemainder;
    }

    /// @dev The game settings a task of program `programId` freezes (none without a game contract or a verifier), and
    /// the life its games can add: per game, its longest duration at these clocks over the verifier's longest trace,
    /// the block to settle it, and the challenge window it opens (rule 4).
    function _gameSettings(
        bytes32 programId,
        uint256 challengeBlocks
    ) private view returns (TaskGame memory game, uint256 life) {
        IBisectionGame bisection = IBisectionGame(_s().bisectionGame);
        if (address(bisection) == address(0)) return (game, 0);
        address verifier = address(bisection.verifierOf(programId));
        if (verifier == address(0)) return (game, 0);
        (uint256 clockBlocks, uint256 extensionBlocks) = bisection.parameters();
        uint256 duration = bisection.maxDuration(IStepVerifier(verifier).maxSteps(), clockBlocks, extensionBlocks);
        // The game contract bounds both clocks far below 2^32.
        game = TaskGame(verifier, uint32(clockBlocks), uint32(extensionBlocks));
        life = MAX_GAMES * (duration + challengeBlocks + 1);
    }

    /// @dev The escalations a task of `seats` seats can have: at most `maxEscalations`, and no round of the ladder
    /// (`seats`, `2 seats + 1`, ...) above `MAX_ROUND_SEATS`.
    function _escalationsFitting(uint256 seats, uint256 maxEscalations) private pure returns (uint256 escalations) {
        while (escalations < maxEscalations && 2 * seats + 1 <= MAX_ROUND_SEATS) {
            seats = 2 * seats + 1;
            ++escalations;
        }
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
        address[] memory drawn =
            t.escalations == 0
                ? _POOL.drawSeats(seed, t.pendingSeats)
                : _eligibleSeats(taskId, t, seed, t.pendingSeats);
        _fill(t, DrawContext(taskId, round, t.seatBond, t.recordCount, t.filledSeats, t.committedSeats), drawn);
        uint256 commitDeadline = t.commitDeadline;
        emit CommitteeDrawn(
            taskId,
            round,
            drawNumber,
            seed,
            drawn.length,
            commitDeadline,
            commitDeadline + t.revealBlocks
        );
    }

    /// @dev An escalation draw: seats drawn stake-weighted from the whole pool, keeping the first `count` whose
    /// member is eligible (not in an earlier round of the task, not a challenger). Each kept seat is an independent
    /// stake-weighted draw from the eligible stake. Twice the seats are drawn (at most the pool's per-draw cap); if
    /// too few land on eligible members, the rest stay vacant and the round's replacement draws fill them.
    function _eligibleSeats(
        uint256 taskId,
        Task storage t,
        bytes32 seed,
        uint256 count
    ) private returns (address[] memory kept) {
        bytes32 tag = keccak256(abi.encode(taskId, t.round, t.replacementDraws));
        _markExcluded(taskId, t, tag);
        uint256 candidates = 2 * count;
        if (candidates > MAX_DRAW_CANDIDATES) candidates = MAX_DRAW_CANDIDATES;
        kept = _POOL.drawSeats(seed, candidates);
        uint256 n;
        for (uint256 i; i < candidates && n < count; ++i) {
            address member = kept[i];
            if (!_isMarked(tag, member)) kept[n++] = member;
        }
        // Shrink to the seats kept (memory arrays keep their length in the first word).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(kept, n)
        }
    }

    /// @dev Marks, in transient storage under `tag`, every member of the task's earlier rounds and every challenger
    /// (of an escalation or a game).
    /// Transient marks cost 100 gas each and vanish with the transaction; the tag keeps draws apart within one.
    function _markExcluded(uint256 taskId, Task storage t, bytes32 tag) private {
        Layout storage store = _s();
        uint256 round = t.round;
        for (uint256 r; r < round; ++r) {
            mapping(uint256 index => Record) storage records = store.records[taskId][r];
            uint256 count = store.rounds[taskId][r].recordCount;
            for (uint256 i; i < count; ++i) _mark(tag, records[i].member);
        }
        uint256 steps = t.escalations;
        for (uint256 k = 1; k <= steps; ++k) _mark(tag, store.challenges[taskId][k].challenger);
        // Game challengers too: nobody sits on a committee that judges a result it claimed.
        uint256 games = _gamesOf(t);
        for (uint256 g = 1; g <= games; ++g) _mark(tag, store.gameChallenges[taskId][g].challenger);
    }

    function _mark(bytes32 tag, address member) private {
        _transientSet(tag, member, 1);
    }

    function _isMarked(bytes32 tag, address member) private view returns (bool) {
        return _transientGet(tag, member) != 0;
    }

    /// @dev A transient map from member to value under `tag` (slot `keccak256(member, tag)`).
    function _transientSet(bytes32 tag, address member, uint256 value) private {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, member)
            mstore(0x20, tag)
            tstore(keccak256(0x00, 0x40), value)
        }
    }

    function _transientGet(bytes32 tag, address member) private view returns (uint256 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, member)
            mstore(0x20, tag)
            value := tload(keccak256(0x00, 0x40))
        }
    }

    function _fill(Task storage t, DrawContext memory c, address[] memory drawn) private {
        (address[] memory members, uint256[] memory seatCounts) = _group(drawn);
        bytes32 holders = t.replacementDraws == 0 ? bytes32(0) : _mapLiveHolders(c, t.replacementDraws);
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
    function _seat(DrawContext memory c, bytes32 holders, address member, uint256 seats) private {
        mapping(uint256 index => Record) storage records = _s().records[c.taskId][c.round];
        if (!_POOL.tryLockSeats(member, seats, c.bond)) {
            _newRecord(records[c.recordCount], member, seats, RecordStatus.Declined);
            emit SeatsDeclined(c.taskId, member, c.round, c.recordCount, seats);
            ++c.recordCount;
            return;
        }
        c.filled += seats;
        // The transient map holds index + 1 of each live record's member (0: none, or a first draw).
        uint256 held = holders == bytes32(0) ? 0 : _transientGet(holders, member);
        uint256 index;
        if (held == 0) {
            index = c.recordCount++;
            _newRecord(records[index], member, seats, RecordStatus.Assigned);
        } else {
            index = held - 1;
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

    /// @dev Maps, in transient storage, each member of the round's live records (Assigned or Committed) to its
    /// record index + 1, so that a replacement draw finds a member's record in O(1) (a scan per member would cost
    /// 129 members x 516 records at the caps). The tag is unique to this draw.
    function _mapLiveHolders(DrawContext memory c, uint256 drawNumber) private returns (bytes32 tag) {
        tag = keccak256(abi.encode("holders", c.taskId, c.round, drawNumber));
        mapping(uint256 index => Record) storage records = _s().records[c.taskId][c.round];
        uint256 recordCount = c.recordCount;
        for (uint256 i; i < recordCount; ++i) {
            Record storage r = records[i];
            if (r.status == RecordStatus.Assigned || r.status == RecordStatus.Committed) {
                _transientSet(tag, r.member, i + 1);
            }
        }
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
        mapping(bytes32 resultHash => uint256 seats) storage votesOf = _s().votes[taskId][round];
        uint256 votes = votesOf[resultHash] + seats;
        votesOf[resultHash] = votes;
        // Quorum is a strict majority of the seats, so at most one result ever reaches it.
        if (votes >= t.quorum && t.proposedResult == bytes32(0)) t.proposedResult = resultHash;
        emit Revealed(taskId, msg.sender, round, index, resultHash, votes, result);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // After the reveals: run by the settlement module (delegatecall)
    // ---------------------------------------------------------------------------------------------------------------

    // These forwarders take unnamed parameters: `_delegate` passes the calldata on as it is to TaskSettlement, which
    // holds the implementation. Their NatSpec is `ITaskManager`'s.
    // solhint-disable use-natspec
    /// @inheritdoc ITaskManager
    function replaceNoShows(uint256) external {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function tally(uint256) external {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function challenge(uint256, bytes32, uint256) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function finalize(uint256) external returns (bool) {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function expire(uint256) external {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function claimReward(uint256, uint256, uint256) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function challengeByGame(uint256, bytes32, uint256, bytes calldata) external returns (uint256) {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function defendGame(uint256, uint256) external {
        _delegate();
    }

    /// @inheritdoc ITaskManager
    function settleGame(uint256) external {
        _delegate();
    }

    // solhint-enable use-natspec

    /// @dev Runs the call's own calldata in the settlement module on this contract's state and returns (or reverts
    /// with) exactly what it returned: the module implements these functions with the same signatures, and carries
    /// the reentrancy guard itself (its transient slot is this contract's under delegatecall).
    function _delegate() private {
        address module = address(_SETTLEMENT);
        // solhint-disable-next-line no-inline-assembly
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), module, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims (pull payments, rule 8)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function claimCredit() external nonReentrant returns (uint256 amount) {
        Layout storage store = _s();
        amount = store.credits[msg.sender];
        require(amount != 0, TaskManagerNothingToClaim(msg.sender));
        store.credits[msg.sender] = 0;
        store.totalCredits -= amount;
        emit CreditClaimed(msg.sender, amount);
        _TOKEN.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Life bound
    // ---------------------------------------------------------------------------------------------------------------

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
        uint256 steps = 1 + uint256(cfg.maxEscalations);
        uint256 rounds = rule == NoQuorumRule.Redraw ? steps + uint256(cfg.maxRedraws) : steps;
        return rounds * perRound + steps * challengeBlocks;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Admin
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITaskManager
    function setConfig(Config calldata config_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setConfig(config_);
    }

    /// @inheritdoc ITaskManager
    function setBisectionGame(address game) external onlyRole(DEFAULT_ADMIN_ROLE) {
        require(game != address(0), TaskManagerZeroAddress());
        Layout storage store = _s();
        require(store.bisectionGame == address(0), TaskManagerBisectionGameAlreadySet(store.bisectionGame));
        store.bisectionGame = game;
        emit BisectionGameSet(game);
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
        _checkBounds("maxEscalations", config_.maxEscalations, 0, MAX_ESCALATIONS);
        _checkBounds("bountyBps", config_.bountyBps, 0, RewardMath.BPS);
        _checkBounds("honestShareBps", config_.honestShareBps, 0, RewardMath.BPS - config_.bountyBps);
        _checkBounds("challengeBondPerSeat", config_.challengeBondPerSeat, 1, type(uint96).max);
        _s().config = config_;
        emit ConfigSet(config_);
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
        return _s().config;
    }

    /// @inheritdoc ITaskManager
    function taskCount() external view returns (uint256) {
        return _s().taskCount;
    }

    /// @inheritdoc ITaskManager
    function taskOf(uint256 taskId) external view returns (TaskInfo memory info) {
        Task storage t = _s().tasks[taskId];
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
            t.maxRedraws,
            t.maxEscalations,
            t.bountyBps,
            t.honestShareBps,
            t.challengeBondPerSeat,
            t.burnRemainder
        );
        info.commitBlocks = t.commitBlocks;
        info.revealBlocks = t.revealBlocks;
        info.challengeBlocks = t.challengeBlocks;
        info.round = t.round;
        info.escalations = t.escalations;
        info.maxEscalations = t.maxEscalations;
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
        info.wrongSlashed = t.wrongSlashed;
        if (t.state != TaskState.None) info.challengeBondFloor = _challengeBondFloor(t);
    }

    /// @inheritdoc ITaskManager
    function phaseOf(uint256 taskId) external view returns (Phase) {
        return _phase(_s().tasks[taskId]);
    }

    /// @inheritdoc ITaskManager
    function roundOf(uint256 taskId, uint256 round) external view returns (RoundInfo memory) {
        Task storage t = _s().tasks[taskId];
        if (round == t.round) return RoundInfo(t.seats, t.quorum, t.recordCount, t.escalations);
        return _s().rounds[taskId][round];
    }

    /// @inheritdoc ITaskManager
    function challengeOf(uint256 taskId, uint256 step) external view returns (Challenge memory) {
        return _s().challenges[taskId][step];
    }

    /// @inheritdoc ITaskManager
    function recordOf(uint256 taskId, uint256 round, uint256 index) external view returns (Record memory) {
        return _s().records[taskId][round][index];
    }

    /// @inheritdoc ITaskManager
    function recordsOf(
        uint256 taskId,
        uint256 round,
        uint256 from,
        uint256 count
    ) external view returns (Record[] memory records) {
        _checkBounds("count", count, 0, MAX_RECORDS_PER_ROUND);
        mapping(uint256 index => Record) storage stored = _s().records[taskId][round];
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
        Task storage t = _s().tasks[taskId];
        mapping(uint256 index => Record) storage records = _s().records[taskId][t.round];
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
        return _s().votes[taskId][round][resultHash];
    }

    /// @inheritdoc ITaskManager
    function lifeBound(
        uint256 commitBlocks,
        uint256 revealBlocks,
        uint256 challengeBlocks,
        NoQuorumRule noQuorumRule
    ) external view returns (uint256) {
        return _lifeBound(commitBlocks, revealBlocks, challengeBlocks, noQuorumRule, _s().config);
    }

    /// @inheritdoc ITaskManager
    function bisectionGame() external view returns (address) {
        return _s().bisectionGame;
    }

    /// @inheritdoc ITaskManager
    function taskGameOf(uint256 taskId) external view returns (TaskGameInfo memory) {
        Task storage t = _s().tasks[taskId];
        TaskGame storage game = _s().taskGames[taskId];
        uint256 floor = t.state == TaskState.None ? 0 : _gameBondFloor(t);
        return TaskGameInfo(game.verifier, game.clockBlocks, game.extensionBlocks, _gamesOf(t), _topGameOf(t), floor);
    }

    /// @inheritdoc ITaskManager
    function gameChallengeOf(uint256 taskId, uint256 game) external view returns (GameChallenge memory) {
        return _s().gameChallenges[taskId][game];
    }

    /// @inheritdoc ITaskManager
    function creditOf(address account) external view returns (uint256) {
        return _s().credits[account];
    }

    /// @inheritdoc ITaskManager
    function totals() external view returns (Totals memory) {
        Layout storage store = _s();
        return Totals(store.escrowed, store.unclaimedRewards, store.totalCredits);
    }
}
