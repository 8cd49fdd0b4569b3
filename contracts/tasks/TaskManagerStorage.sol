// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {ISecurityPool, ISecurityPoolTypes} from "../interfaces/ISecurityPool.sol";
import {ITaskManagerTypes, ITaskManagerErrors, ITaskManagerEvents} from "../interfaces/ITaskManager.sol";
import {RewardMath} from "../libraries/RewardMath.sol";

/// @title TaskManagerStorage
/// @notice The state, constants and shared internals of the task manager. Two contracts inherit it: `TaskManager`
/// (the entry point: posting, draws, commits, reveals, views, admin) and `TaskSettlement` (tally, challenges and
/// settlement), which the manager creates and runs by delegatecall so that each stays under EIP-170's 24,576 bytes.
/// @dev The state lives in one ERC-7201 namespace, so both contracts see the same layout whatever else they inherit
/// (AccessControl and Pausable keep their own slots in `TaskManager` only).
abstract contract TaskManagerStorage is ITaskManagerTypes, ITaskManagerErrors, ITaskManagerEvents {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ---------------------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The most seats a task's first committee has.
    uint256 public constant MAX_SEATS = 64;
    /// @notice The most seats any round has, escalation rounds included (`2 * 64 + 1`): it bounds every per-round
    /// loop (rule 5).
    uint256 public constant MAX_ROUND_SEATS = 129;
    /// @notice The most replacement draws a task's rules may allow per round.
    uint256 public constant MAX_REPLACEMENT_DRAWS = 3;
    /// @notice The most fresh committees a task's rules may allow after rounds without quorum.
    uint256 public constant MAX_REDRAWS = 3;
    /// @notice The most escalation rounds (challenges) a task's rules may allow.
    uint256 public constant MAX_ESCALATIONS = 3;
    /// @notice The most records one round can hold: every draw can at most fill all seats with new members.
    uint256 public constant MAX_RECORDS_PER_ROUND = MAX_ROUND_SEATS * (1 + MAX_REPLACEMENT_DRAWS);
    /// @notice The most records one `finalize` call settles; a task with more (escalations) takes several calls.
    uint256 public constant SETTLE_BATCH = 256;
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
    /// @notice Where burned slashes go: an address nobody holds a key for (ERC20s refuse the zero address).
    address public constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;
    /// @notice The most bisection games a task plays (one at a time). With `n` games an attacker that can front-run
    /// every game challenge keeps a wrong result only by forfeiting `n - 1` game bonds of at least the value at risk.
    uint256 public constant MAX_GAMES = 3;

    /// @dev `Task.gameFlags`: bit 0, the task froze a step verifier; bits 1-2, games opened; bits 3-4, the game whose
    /// challenger's claim is the proposed result (0: a committee's).
    uint256 internal constant _GAME_ENABLED = 1;

    ISecurityPool internal immutable _POOL;
    IRandomnessSource internal immutable _RANDOMNESS;
    IERC20 internal immutable _TOKEN;
    uint256 internal immutable _EPOCH_BLOCKS;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Nine slots, packed so that the hot fields of each step share a slot.
    struct Task {
        // slot 0: identity and round state
        address requester;
        uint16 seats;
        uint16 quorum;
        TaskState state;
        NoQuorumRule noQuorumRule;
        uint8 round;
        uint8 replacementDraws;
        uint8 escalations;
        uint8 maxEscalations;
        bool burnRemainder;
        uint8 gameFlags;
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
        // slot 8: dispute rules and the settlement's progress
        uint16 bountyBps;
        uint16 honestShareBps;
        uint96 challengeBondPerSeat;
        uint104 wrongSlashed;
        uint8 settleRound;
        uint16 settleIndex;
    }

    /// @dev The bisection-game settings a task froze at creation (tasks of programs with a step verifier only).
    struct TaskGame {
        address verifier;
        uint32 clockBlocks;
        uint32 extensionBlocks;
    }

    /// @custom:storage-location erc7201:cohort.storage.TaskManager
    struct Layout {
        Config config;
        uint256 taskCount;
        mapping(uint256 taskId => Task) tasks;
        mapping(uint256 taskId => mapping(uint256 round => mapping(uint256 index => Record))) records;
        mapping(uint256 taskId => mapping(uint256 round => mapping(bytes32 resultHash => uint256 seats))) votes;
        /// Rounds after the first are written when they start; every round's record count when it ends.
        mapping(uint256 taskId => mapping(uint256 round => RoundInfo)) rounds;
        mapping(uint256 taskId => mapping(uint256 step => Challenge)) challenges;
        mapping(address account => uint256) credits;
        uint256 escrowed;
        uint256 unclaimedRewards;
        uint256 totalCredits;
        // Appended for the bisection game (ladder step 3): new fields go after the old ones, so nothing moves.
        address bisectionGame;
        mapping(uint256 taskId => TaskGame) taskGames;
        mapping(uint256 taskId => mapping(uint256 game => GameChallenge)) gameChallenges;
    }

    // keccak256(abi.encode(uint256(keccak256("cohort.storage.TaskManager")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _LAYOUT_SLOT = 0x2faa3b960dfb97dbfe984cd3b645d9e510cbab5ea2a655b6ae2895fe141cda00;

    /// @dev Binds the immutables both contracts share (each holds its own copy in its code).
    constructor(ISecurityPool pool_, IRandomnessSource randomness_) {
        require(address(pool_) != address(0) && address(randomness_) != address(0), TaskManagerZeroAddress());
        _POOL = pool_;
        _RANDOMNESS = randomness_;
        _TOKEN = IERC20(pool_.stakeToken());
        _EPOCH_BLOCKS = pool_.epochBlocks();
    }

    function _s() internal pure returns (Layout storage store) {
        bytes32 slot = _LAYOUT_SLOT;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            store.slot := slot
        }
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
    ) internal returns (uint256 slashed) {
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
    function _release(Task storage t, Record storage r) internal {
        _POOL.unlockSeats(r.member, r.seats, t.seatBond);
    }

    /// @dev Moves the slashes credited to this manager by the pool into its own balance and the task's pot.
    function _collect(Task storage t, uint256 amount) internal {
        if (amount == 0) return;
        t.slashPot = (uint256(t.slashPot) + amount).toUint128();
        _s().escrowed += amount;
        // The pool credited exactly these slashes to this manager in this transaction. Anything more (another slasher
        // naming this manager as a recipient) belongs to no task: it goes to the treasury rather than block the task.
        uint256 received = _POOL.claim();
        if (received > amount) _credit(_treasury(), received - amount);
    }

    function _credit(address account, uint256 amount) internal {
        if (amount == 0) return;
        Layout storage store = _s();
        store.credits[account] += amount;
        store.totalCredits += amount;
        emit Credited(account, amount);
    }

    function _pullExactly(address from, uint256 amount) internal {
        uint256 before = _TOKEN.balanceOf(address(this));
        _TOKEN.safeTransferFrom(from, address(this), amount);
        uint256 received = _TOKEN.balanceOf(address(this)) - before;
        require(received == amount, TaskManagerFeeOnTransferToken(amount, received));
    }

    function _treasury() internal view returns (address) {
        return _POOL.parameters().treasury;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Seeds, rounds and phases
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Points the task's request at the next draw window. The request's last value was used (or never came),
    /// so the source accepts the re-arm: its `knownFrom` lies before the next window.
    function _rearmSeed(uint256 taskId, Task storage t) internal {
        uint256 notBefore = _nextWindowStart();
        emit SeedRequested(taskId, t.round, t.requestId, notBefore);
        _RANDOMNESS.rearm(t.requestId, notBefore);
    }

    /// @dev The first block of the next draw window that starts after the current block.
    function _nextWindowStart() internal view returns (uint256) {
        return _windowAfter(_POOL.drawWindow());
    }

    /// @dev The first block of the next window after the current block, given the pool's current `window`.
    function _windowAfter(ISecurityPoolTypes.DrawWindow memory window) internal view returns (uint256) {
        return window.frozen ? window.start + _EPOCH_BLOCKS : window.start;
    }

    /// @dev Records of round `round`: the live counter for the current round, the stored count for earlier ones.
    function _recordCountOf(uint256 taskId, Task storage t, uint256 round) internal view returns (uint256) {
        return round == t.round ? t.recordCount : _s().rounds[taskId][round].recordCount;
    }

    function _phase(Task storage t) internal view returns (Phase) {
        TaskState state = t.state;
        if (state == TaskState.Drawing) return Phase.AwaitingSeed;
        if (state == TaskState.Committing) return _committeePhase(t);
        if (state == TaskState.Proposed) return _proposedPhase(t);
        if (state == TaskState.Gaming) return Phase.InGame;
        if (state == TaskState.Closing) return Phase.AwaitingFinalization;
        if (state == TaskState.Finalized) return Phase.Finalized;
        if (state == TaskState.Refunded) return Phase.Refunded;
        return Phase.None;
    }

    /// @dev A proposed result is challengeable through its window; with nothing left to challenge it with (no
    /// escalation, no game) it is final at once.
    function _proposedPhase(Task storage t) private view returns (Phase) {
        if (_challengeable(t) && block.number <= t.challengeDeadline) return Phase.Challengeable;
        return Phase.AwaitingFinalization;
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

    function _expectPhase(uint256 taskId, Task storage t, Phase expected) internal view {
        Phase phase = _phase(t);
        require(phase == expected, TaskManagerWrongPhase(taskId, phase, expected));
    }

    function _expectStatus(uint256 taskId, uint256 index, RecordStatus status, RecordStatus expected) internal pure {
        require(status == expected, TaskManagerWrongRecordStatus(taskId, index, status, expected));
    }

    function _task(uint256 taskId) internal view returns (Task storage t) {
        t = _s().tasks[taskId];
        require(t.state != TaskState.None, TaskManagerUnknownTask(taskId));
    }

    function _heldRecord(uint256 taskId, uint256 round, uint256 index) internal view returns (Record storage r) {
        r = _s().records[taskId][round][index];
        require(r.member == msg.sender, TaskManagerNotSeatHolder(taskId, index, msg.sender, r.member));
    }

    /// @dev The least bond a challenge of the current proposed result needs: the next round's seats, each priced at
    /// the larger of the configured floor and the task's own reward per seat of its first round.
    function _challengeBondFloor(Task storage t) internal view returns (uint256) {
        uint256 firstSeats = ((uint256(t.seats) + 1) >> t.escalations) - 1;
        uint256 perSeat = (uint256(t.reward) + firstSeats - 1) / firstSeats;
        if (perSeat < t.challengeBondPerSeat) perSeat = t.challengeBondPerSeat;
        return (2 * uint256(t.seats) + 1) * perSeat;
    }

    /// @dev Whether the proposed result can still be challenged at all: by a committee (an escalation left, and the
    /// result not from a game: a committee cannot overturn a game) or by a game (a verifier, and games left).
    function _challengeable(Task storage t) internal view returns (bool) {
        uint256 flags = t.gameFlags;
        bool byCommittee = ((flags >> 3) & 3) == 0 && t.escalations < t.maxEscalations;
        return byCommittee || ((flags & _GAME_ENABLED) != 0 && ((flags >> 1) & 3) < MAX_GAMES);
    }

    /// @dev The games a task opened so far.
    function _gamesOf(Task storage t) internal view returns (uint256) {
        return (uint256(t.gameFlags) >> 1) & 3;
    }

    /// @dev The game whose claim is the proposed result (0: a committee's).
    function _topGameOf(Task storage t) internal view returns (uint256) {
        return (uint256(t.gameFlags) >> 3) & 3;
    }

    /// @dev The least bond a game challenge needs: the committee challenge's floor, and at least the value at risk,
    /// so that every flip of the proposed result an attacker buys by playing both sides costs it that much.
    function _gameBondFloor(Task storage t) internal view returns (uint256) {
        uint256 floor = _challengeBondFloor(t);
        return floor > t.valueAtRisk ? floor : t.valueAtRisk;
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) internal pure {
        require(value >= min && value <= max, TaskManagerParameterOutOfBounds(name, value, min, max));
    }
}
