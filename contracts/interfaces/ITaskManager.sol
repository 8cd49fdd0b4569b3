// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types of the task manager
/// @notice The structs and enums the task manager takes and returns.
interface ITaskManagerTypes {
    /// @notice Where a task's input lives.
    /// @dev `Inline`: the input bytes themselves (their keccak256 must equal `inputHash`). `Uri`: a URI (file, data:,
    /// http(s)) from which workers fetch bytes whose keccak256 must equal `inputHash`.
    enum InputKind {
        Inline,
        Uri
    }

    /// @notice What a round without quorum leads to: a fresh committee (while the task's redraws last) or a refund.
    enum NoQuorumRule {
        Redraw,
        Refund
    }

    /// @notice The stored state of a task. `phaseOf` refines it with the current block.
    /// @dev `Drawing`: waiting for a seed and a draw (first committee, replacements or a redraw). `Committing`: a
    /// committee sits; its commit, then reveal windows run. `Proposed`: a result reached quorum; its challenge window
    /// runs. `Finalized`: the result is final and rewards can be claimed. `Refunded`: no result; the reward went back.
    enum TaskState {
        None,
        Drawing,
        Committing,
        Proposed,
        Finalized,
        Refunded
    }

    /// @notice Where a task stands at the current block: what the next action is and who may take it.
    /// @dev `AwaitingSeed`: anyone calls `drawCommittee` once the seed is ready inside a draw window.
    /// `Committing`: members commit. `AwaitingReplacement`: the commit window closed with vacant seats and
    /// replacements left; anyone calls `replaceNoShows`. `Revealing`: members reveal. `AwaitingTally`: anyone calls
    /// `tally`. `Challengeable`: the proposed result can be challenged (disputes) until the challenge deadline.
    /// `AwaitingFinalization`: anyone calls `finalize`. `Finalized`, `Refunded`: the task has ended.
    enum Phase {
        None,
        AwaitingSeed,
        Committing,
        AwaitingReplacement,
        Revealing,
        AwaitingTally,
        Challengeable,
        AwaitingFinalization,
        Finalized,
        Refunded
    }

    /// @notice Where one committee record stands. A record is one member's seats from one draw of one round.
    /// @dev `Assigned`: seats locked, no commit yet. `Declined`: the member's free stake could not cover the seats;
    /// nothing was locked, the seats are vacant, no penalty. `Committed`, `Revealed`: as named. `Replaced`: missed the
    /// commit deadline; penalized, seats released and re-drawn. `Absent`: missed the commit deadline when no
    /// replacement was left; penalized, released. `Silent`: committed but did not reveal; penalized, released.
    /// `Released`: revealed in a round that ended without a final result; released without penalty. `Won`: revealed
    /// the final result; released, reward claimable. `Lost`: revealed another result; slashed, released.
    /// `Claimed`: a `Won` record whose reward was claimed.
    enum RecordStatus {
        None,
        Assigned,
        Declined,
        Committed,
        Revealed,
        Replaced,
        Absent,
        Silent,
        Released,
        Won,
        Lost,
        Claimed
    }

    /// @notice Why a member was penalized or slashed.
    enum PenaltyReason {
        MissedCommit,
        MissedReveal,
        WrongResult
    }

    /// @notice What a requester posts. Amounts are in the payment token (the pool's stake token).
    /// @param programId keccak256 of the program's WASM bytes.
    /// @param inputHash keccak256 of the input bytes.
    /// @param inputKind Whether `input` holds the input itself or a URI to it: an `InputKind` (a plain `uint8` so that
    /// an out-of-range value gets a named error instead of a bare ABI-decoding revert).
    /// @param input The inline input or its URI, at most `MAX_INPUT_BYTES`; emitted, not stored.
    /// @param seats Committee seats, in [1, `MAX_SEATS`].
    /// @param quorum Seats a result needs, a strict majority: `seats / 2 < quorum <= seats`.
    /// @param reward Escrowed and paid to the seats that reveal the final result, at least one unit per seat.
    /// @param commitBlocks Blocks from the draw through the commit deadline, in [`MIN_WINDOW_BLOCKS`,
    /// `MAX_WINDOW_BLOCKS`].
    /// @param revealBlocks Blocks after the commit deadline through the reveal deadline, same bounds.
    /// @param challengeBlocks Blocks after the tally through the challenge deadline, same bounds.
    /// @param valueAtRisk What a wrong result could be worth to someone; at most what a corrupt quorum would lose.
    /// @param noQuorumRule What a round without quorum leads to: a `NoQuorumRule` (a plain `uint8`, as `inputKind`).
    struct TaskRequest {
        bytes32 programId;
        bytes32 inputHash;
        uint8 inputKind;
        bytes input;
        uint256 seats;
        uint256 quorum;
        uint256 reward;
        uint256 commitBlocks;
        uint256 revealBlocks;
        uint256 challengeBlocks;
        uint256 valueAtRisk;
        uint8 noQuorumRule;
    }

    /// @notice The rules an admin may change within fixed bounds. Each task copies them at creation (rule 9).
    /// @param slashFractionBps Share of a seat's bond a member that revealed a wrong final result loses, in
    /// [`MIN_SLASH_FRACTION_BPS`, 10,000].
    /// @param missedCommitPenaltyBps Share of a seat's bond a member that missed the commit deadline loses, at most
    /// 10,000.
    /// @param missedRevealPenaltyBps Share of a seat's bond a member that committed but did not reveal loses, at most
    /// 10,000.
    /// @param maxReplacementDraws Replacement draws per round for seats left vacant at the commit deadline, at most
    /// `MAX_REPLACEMENT_DRAWS`.
    /// @param maxRedraws Fresh committees after rounds without quorum (for `NoQuorumRule.Redraw`), at most
    /// `MAX_REDRAWS`.
    struct Config {
        uint16 slashFractionBps;
        uint16 missedCommitPenaltyBps;
        uint16 missedRevealPenaltyBps;
        uint8 maxReplacementDraws;
        uint8 maxRedraws;
    }

    /// @notice Everything about a task (the `taskOf` view).
    /// @param requester Who posted it and gets refunds.
    /// @param programId keccak256 of the program's WASM bytes.
    /// @param inputHash keccak256 of the input bytes.
    /// @param state The stored state.
    /// @param noQuorumRule What a round without quorum leads to.
    /// @param seats Committee seats per round.
    /// @param quorum Seats a result needs.
    /// @param reward The escrowed reward.
    /// @param valueAtRisk The declared value at risk.
    /// @param seatBond Stake each seat locks (frozen from the pool's parameters at creation).
    /// @param config The rules frozen at creation.
    /// @param commitBlocks The commit window length.
    /// @param revealBlocks The reveal window length.
    /// @param challengeBlocks The challenge window length.
    /// @param round The current round (0 for the first committee, one more per redraw).
    /// @param replacementDraws Replacement draws used in the current round.
    /// @param requestId The randomness request serving the task's draws.
    /// @param pendingSeats Seats the next draw fills (while `Drawing`).
    /// @param filledSeats Seats of the current round held by members that did not miss a deadline so far.
    /// @param committedSeats Seats of the current round whose holders committed.
    /// @param revealedSeats Seats of the current round whose holders revealed.
    /// @param recordCount Records of the current round (indices `0 .. recordCount - 1`).
    /// @param commitDeadline Last block of the commit window (0 before the first draw of a round).
    /// @param revealDeadline Last block of the reveal window (0 before the first draw of a round).
    /// @param challengeDeadline Last block of the challenge window (0 until a result is proposed).
    /// @param expiresAt Creation block plus `lifeBound`: after it, a task still waiting for a committee can only
    /// `expire`.
    /// @param proposedResult The result hash that reached quorum (0 if none yet).
    /// @param slashPot Penalties and slashes collected for the task, paid with the reward.
    /// @param rewardPerSeat What each winning seat gets (set when finalized).
    struct TaskInfo {
        address requester;
        bytes32 programId;
        bytes32 inputHash;
        TaskState state;
        NoQuorumRule noQuorumRule;
        uint256 seats;
        uint256 quorum;
        uint256 reward;
        uint256 valueAtRisk;
        uint256 seatBond;
        Config config;
        uint256 commitBlocks;
        uint256 revealBlocks;
        uint256 challengeBlocks;
        uint256 round;
        uint256 replacementDraws;
        uint256 requestId;
        uint256 pendingSeats;
        uint256 filledSeats;
        uint256 committedSeats;
        uint256 revealedSeats;
        uint256 recordCount;
        uint256 commitDeadline;
        uint256 revealDeadline;
        uint256 challengeDeadline;
        uint256 expiresAt;
        bytes32 proposedResult;
        uint256 slashPot;
        uint256 rewardPerSeat;
    }

    /// @notice One committee record (the `recordOf` view).
    /// @param member The seat holder.
    /// @param seats Its seats in this record.
    /// @param status Where the record stands.
    /// @param sealedHash The commitment while `Committed`; the revealed result hash from `Revealed` on; 0 otherwise.
    struct Record {
        address member;
        uint16 seats;
        RecordStatus status;
        bytes32 sealedHash;
    }

    /// @notice A member's place in a task's current round (the `assignmentOf` view).
    /// @param found Whether the member holds a live record (not `Declined`, `Replaced`) in the current round.
    /// @param index The record's index (meaningful only when `found`).
    /// @param record The record.
    struct Assignment {
        bool found;
        uint256 index;
        Record record;
    }

    /// @notice The task manager's token sums, for the accounting invariant (rule 1).
    /// @param escrowed Rewards and collected penalties of tasks that have not ended.
    /// @param unclaimedRewards Rewards of finalized tasks not claimed yet.
    /// @param credits Balances waiting in `claimCredit` (refunds, dust, amounts owed to the treasury).
    struct Totals {
        uint256 escrowed;
        uint256 unclaimedRewards;
        uint256 credits;
    }
}

/// @title Errors of the task manager
/// @notice Every revert, named, with the values needed to debug it (rule 11).
interface ITaskManagerErrors {
    /// @notice An address of zero was given.
    error TaskManagerZeroAddress();
    /// @notice The task parameter `name` was `value`, outside [`min`, `max`].
    error TaskManagerParameterOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice `programId` or `inputHash` was zero.
    error TaskManagerZeroHash(bytes32 name);
    /// @notice The inline input hashes to `actual`, not the declared `inputHash`.
    error TaskManagerInputHashMismatch(bytes32 inputHash, bytes32 actual);
    /// @notice A value at risk of `valueAtRisk` exceeds `maxValue`, what a corrupt quorum would lose.
    error TaskManagerValueAtRiskTooHigh(uint256 valueAtRisk, uint256 maxValue);
    /// @notice The task could live `lifeBound` blocks, longer than the pool's unbonding period `unbondingPeriod`, so
    /// a member could unbond and leave before it is final (rule 4).
    error TaskManagerTaskOutlivesUnbonding(uint256 lifeBound, uint256 unbondingPeriod);
    /// @notice The pool's seat bond is zero: seats would back nothing.
    error TaskManagerZeroSeatBond();
    /// @notice The token moved `received` instead of `expected`: fee-on-transfer tokens are refused.
    error TaskManagerFeeOnTransferToken(uint256 expected, uint256 received);
    /// @notice No task has id `taskId`.
    error TaskManagerUnknownTask(uint256 taskId);
    /// @notice Task `taskId` is in phase `phase`; the call needs `expected`.
    error TaskManagerWrongPhase(uint256 taskId, ITaskManagerTypes.Phase phase, ITaskManagerTypes.Phase expected);
    /// @notice The seed of task `taskId` (request `requestId`) is not usable yet (`status` at the source); wait for
    /// it, or trigger the source (VRF) once its window starts.
    error TaskManagerSeedNotReady(uint256 taskId, uint256 requestId, uint8 status);
    /// @notice Record `index` of task `taskId`'s current round is held by `holder` (zero: no such record), not
    /// `caller`.
    error TaskManagerNotSeatHolder(uint256 taskId, uint256 index, address caller, address holder);
    /// @notice Record `index` of task `taskId` is `status`; the call needs `expected`.
    error TaskManagerWrongRecordStatus(
        uint256 taskId,
        uint256 index,
        ITaskManagerTypes.RecordStatus status,
        ITaskManagerTypes.RecordStatus expected
    );
    /// @notice A commitment or result hash of zero was given.
    error TaskManagerZeroCommitment();
    /// @notice The reveal hashes to `computed`, not the stored commitment `committed`.
    error TaskManagerRevealMismatch(uint256 taskId, uint256 index, bytes32 committed, bytes32 computed);
    /// @notice The revealed result bytes hash to `actual`, not the revealed `resultHash`.
    error TaskManagerResultHashMismatch(bytes32 resultHash, bytes32 actual);
    /// @notice `account` has nothing to claim.
    error TaskManagerNothingToClaim(address account);
    /// @notice Task `taskId` passed its `expiresAt` (`expiresAt`) while waiting for a committee; it can only expire.
    error TaskManagerTaskExpired(uint256 taskId, uint256 expiresAt);
    /// @notice Task `taskId` can expire only after block `expiresAt`; now is `current`.
    error TaskManagerNotExpired(uint256 taskId, uint256 expiresAt, uint256 current);
}

/// @title Events of the task manager
/// @notice One event per state change. Workers find their seats through `SeatsAssigned` (indexed by member).
interface ITaskManagerEvents {
    /// @notice A task was posted and its reward escrowed.
    /// @param taskId The new task.
    /// @param requester Who posted it.
    /// @param programId keccak256 of the program's WASM bytes.
    /// @param request Everything the requester posted, input included.
    /// @param seatBond The stake each seat locks, frozen.
    /// @param config The rules frozen into the task.
    event TaskCreated(
        uint256 indexed taskId,
        address indexed requester,
        bytes32 indexed programId,
        ITaskManagerTypes.TaskRequest request,
        uint256 seatBond,
        ITaskManagerTypes.Config config
    );

    /// @notice Round `round` of task `taskId` waits for a seed from request `requestId` that nobody knows before
    /// block `notBefore` (the start of a draw window). Emitted at creation, on a redraw, a replacement and a re-arm.
    /// @param taskId The task.
    /// @param round The round.
    /// @param requestId The randomness request.
    /// @param notBefore The first block of the window the draw aims at.
    event SeedRequested(uint256 indexed taskId, uint256 round, uint256 requestId, uint256 notBefore);

    /// @notice Seats of round `round` were drawn from `seed` (draw number `draw`: 0 first, then replacements).
    /// @param taskId The task.
    /// @param round The round.
    /// @param draw 0 for a round's first committee, then 1, 2, ... for replacement draws.
    /// @param seed The seed the seats came from (`keccak256(value, chain, manager, task, round, draw)`).
    /// @param seatsDrawn The seats drawn.
    /// @param commitDeadline The last block to commit.
    /// @param revealDeadline The last block to reveal.
    event CommitteeDrawn(
        uint256 indexed taskId,
        uint256 round,
        uint256 draw,
        bytes32 seed,
        uint256 seatsDrawn,
        uint256 commitDeadline,
        uint256 revealDeadline
    );

    /// @notice `member` holds `seats` seats of task `taskId`'s round `round` as record `index`; its stake is locked.
    /// @param taskId The task.
    /// @param member The seat holder.
    /// @param round The round.
    /// @param index The record index to pass to `commit` and `reveal`.
    /// @param seats The seats added to the record by this draw.
    event SeatsAssigned(uint256 indexed taskId, address indexed member, uint256 round, uint256 index, uint256 seats);

    /// @notice `member` was drawn for `seats` seats but its free stake could not cover them; they stay vacant.
    /// @param taskId The task.
    /// @param member The drawn worker.
    /// @param round The round.
    /// @param index The record index (status `Declined`).
    /// @param seats The seats left vacant.
    event SeatsDeclined(uint256 indexed taskId, address indexed member, uint256 round, uint256 index, uint256 seats);

    /// @notice Record `index` committed.
    /// @param taskId The task.
    /// @param member The member.
    /// @param round The round.
    /// @param index The record.
    /// @param commitment The commitment.
    event Committed(uint256 indexed taskId, address indexed member, uint256 round, uint256 index, bytes32 commitment);

    /// @notice Record `index` revealed `resultHash` (and, if given, the result bytes).
    /// @param taskId The task.
    /// @param member The member.
    /// @param round The round.
    /// @param index The record.
    /// @param resultHash The revealed result hash.
    /// @param seatsForResult The seats of the round that have revealed `resultHash` so far.
    /// @param result The result bytes, or empty.
    event Revealed(
        uint256 indexed taskId,
        address indexed member,
        uint256 round,
        uint256 index,
        bytes32 resultHash,
        uint256 seatsForResult,
        bytes result
    );

    /// @notice `member` lost `slashed` (of `requested`) of its stake for `reason`; it went to the task's pot.
    /// @param taskId The task.
    /// @param member The member.
    /// @param round The round.
    /// @param index The record.
    /// @param reason Why.
    /// @param requested The penalty the rules call for.
    /// @param slashed What the pool could take.
    event MemberPenalized(
        uint256 indexed taskId,
        address indexed member,
        uint256 round,
        uint256 index,
        ITaskManagerTypes.PenaltyReason reason,
        uint256 requested,
        uint256 slashed
    );

    /// @notice The commit window closed with `vacantSeats` vacant; a replacement draw (number `draw`) follows.
    /// @param taskId The task.
    /// @param round The round.
    /// @param draw The replacement draw's number (1 for the first).
    /// @param vacantSeats The seats it will fill.
    event NoShowsReplaced(uint256 indexed taskId, uint256 round, uint256 draw, uint256 vacantSeats);

    /// @notice Round `round` was tallied: `resultHash` reached quorum with `seatsForResult` seats.
    /// @param taskId The task.
    /// @param round The round.
    /// @param resultHash The proposed result.
    /// @param seatsForResult Its seats.
    /// @param revealedSeats All seats that revealed.
    /// @param challengeDeadline The last block of the challenge window.
    event ResultProposed(
        uint256 indexed taskId,
        uint256 round,
        bytes32 resultHash,
        uint256 seatsForResult,
        uint256 revealedSeats,
        uint256 challengeDeadline
    );

    /// @notice Round `round` ended without quorum (`revealedSeats` revealed); the task redraws (`redraw`) or is
    /// refunded.
    /// @param taskId The task.
    /// @param round The round.
    /// @param revealedSeats Seats that revealed.
    /// @param redraw Whether a fresh committee follows.
    event NoQuorum(uint256 indexed taskId, uint256 round, uint256 revealedSeats, bool redraw);

    /// @notice The task waited for a committee past its `expiresAt`; it is refunded (`TaskRefunded` follows).
    /// @param taskId The task.
    /// @param round The round that never got its committee.
    /// @param expiresAt The block after which it could expire.
    event TaskExpired(uint256 indexed taskId, uint256 round, uint256 expiresAt);

    /// @notice The task ended without a result: `reward` was credited back to the requester and `slashPot` to the
    /// treasury.
    /// @param taskId The task.
    /// @param requester The requester.
    /// @param reward The refund.
    /// @param slashPot The collected penalties, credited to the treasury.
    event TaskRefunded(uint256 indexed taskId, address indexed requester, uint256 reward, uint256 slashPot);

    /// @notice The task is final with `resultHash`.
    /// @param taskId The task.
    /// @param resultHash The final result.
    /// @param winningSeats The seats that revealed it in the final round.
    /// @param rewardPerSeat What each of those seats can claim.
    /// @param dust The rounding remainder (`reward + slashPot - rewardPerSeat * winningSeats`), credited to the
    /// treasury.
    event TaskFinalized(
        uint256 indexed taskId,
        bytes32 resultHash,
        uint256 winningSeats,
        uint256 rewardPerSeat,
        uint256 dust
    );

    /// @notice Record `index` of the final round claimed `amount`.
    /// @param taskId The task.
    /// @param member The member, which received the tokens.
    /// @param index The record.
    /// @param amount The tokens sent.
    event RewardClaimed(uint256 indexed taskId, address indexed member, uint256 index, uint256 amount);

    /// @notice `amount` was credited to `account`, to be claimed with `claimCredit`.
    /// @param account The account.
    /// @param amount The tokens credited.
    event Credited(address indexed account, uint256 amount);

    /// @notice `account` claimed its credit of `amount`.
    /// @param account The account, which received the tokens.
    /// @param amount The tokens sent.
    event CreditClaimed(address indexed account, uint256 amount);

    /// @notice The rules for new tasks changed.
    /// @param config The new rules.
    event ConfigSet(ITaskManagerTypes.Config config);
}

/// @title ITaskManager
/// @notice Compute tasks secured by the security pool: a requester posts a program, an input and a reward; a
/// committee drawn stake-weighted from the pool commits and reveals a result; a result with a quorum of seats is
/// proposed, and final after its challenge window. See `docs/TaskManager.md`.
/// @dev Lifecycle (DESIGN.md): Drawing --seed ready inside a draw window--> Committing --commit deadline--> (vacant
/// seats and replacements left: Drawing again for the vacant seats) reveal window --reveal deadline--> tally: quorum
/// -> Proposed --challenge window--> Finalized; no quorum -> Drawing (fresh round) or Refunded. Every step after a
/// deadline is permissionless (rule 6), and every loop is bounded by `MAX_SEATS` times the replacement cap (rule 5).
/// Members are addressed by record index: a record is one member's seats from one draw of one round, and a member
/// holds at most one live record per round (a replacement draw that lands on it adds seats to it). Rewards, refunds
/// and penalties are pulled, never pushed (rule 8). The payment token is the pool's stake token.
interface ITaskManager is ITaskManagerTypes, ITaskManagerErrors, ITaskManagerEvents {
    /// @notice Posts a task and escrows its reward; requests the seed of its first committee.
    /// @dev Requires: not paused; every field within bounds (`TaskManagerParameterOutOfBounds`), non-zero hashes, an
    /// inline input that hashes to `inputHash`; `valueAtRisk <= corruptionCost(quorum, seatBond, slashFractionBps)`
    /// (`TaskManagerValueAtRiskTooHigh`); the task's worst-case life (see `lifeBound`) within the pool's unbonding
    /// period (`TaskManagerTaskOutlivesUnbonding`); the manager receives exactly `reward`. Copies the pool's seat bond
    /// and the current `Config` into the task. Emits `TaskCreated`, `SeedRequested`.
    /// @param request The task.
    /// @return taskId The new task's id (ids start at 1).
    function createTask(TaskRequest calldata request) external returns (uint256 taskId);

    /// @notice Draws the seats the task waits for from the pool, stake-weighted and with replacement, and locks each
    /// member's seat bonds. If the seed cannot serve the current draw window (it expired, or became known before the
    /// window opened), re-arms it for the next window instead and returns false.
    /// @dev Requires: phase `AwaitingSeed`; not past `expiresAt` (`TaskManagerTaskExpired`); the seed ready
    /// (`TaskManagerSeedNotReady` while it is on its way). Draws
    /// only inside a pool draw window, with a seed first known inside that window (rule 2). Seat `j` of draw `d` of
    /// round `r` is the pool's `drawSeats(keccak256(value, chainid, manager, taskId, r, d), ...)[j]`: it does not
    /// depend on the caller, the time within the window, or the gas. A member whose free stake cannot cover its seats
    /// gets a `Declined` record. Emits one `SeatsAssigned` or `SeatsDeclined` per member, then `CommitteeDrawn`; or
    /// `SeedRequested` on a re-arm.
    /// @param taskId The task.
    /// @return drawn Whether seats were drawn (false: the seed was re-armed).
    function drawCommittee(uint256 taskId) external returns (bool drawn);

    /// @notice Commits record `index` to a result: `commitment = Commitments.commitment(chainid, manager, taskId,
    /// round, member, resultHash, salt)`.
    /// @dev Requires: phase `Committing`; the caller holds record `index` of the current round; the record is
    /// `Assigned` (one commit per record); a non-zero commitment. Emits `Committed`.
    /// @param taskId The task.
    /// @param index The caller's record in the current round.
    /// @param commitment The commitment.
    function commit(uint256 taskId, uint256 index, bytes32 commitment) external;

    /// @notice Opens record `index`'s commitment. Optional `result` bytes are checked against `resultHash` and emitted.
    /// @dev Requires: phase `Revealing` (after the commit deadline, through the reveal deadline, no replacement
    /// pending); the caller holds the record; it is `Committed`; a non-zero result hash; the commitment recomputed
    /// with the caller, this chain, this manager, the task and the round matches; `result`, if not empty, at most
    /// `MAX_RESULT_BYTES` and hashing to `resultHash`. Counts the record's seats for `resultHash`. Emits `Revealed`.
    /// @param taskId The task.
    /// @param index The caller's record.
    /// @param resultHash keccak256 of the result bytes.
    /// @param salt The salt used in the commitment.
    /// @param result The result bytes, or empty.
    function reveal(uint256 taskId, uint256 index, bytes32 resultHash, bytes32 salt, bytes calldata result) external;

    /// @notice Closes a commit window that left seats vacant: penalizes and releases members that did not commit, and
    /// asks for a seed to re-draw the vacant seats. Anyone may call it.
    /// @dev Requires: phase `AwaitingReplacement` (past the commit deadline, fewer committed seats than `seats`,
    /// replacement draws left). Emits `MemberPenalized` per no-show, `NoShowsReplaced`, `SeedRequested`.
    /// @param taskId The task.
    function replaceNoShows(uint256 taskId) external;

    /// @notice Ends the reveal window of the current round. Anyone may call it. Members that did not commit or did
    /// not reveal are penalized and released. A result with at least `quorum` seats is proposed and its challenge
    /// window opens; without one, revealers are released and the task redraws (rule `Redraw`, redraws left) or is
    /// refunded to the requester.
    /// @dev Requires: phase `AwaitingTally`. Emits `MemberPenalized` per defaulter, then `ResultProposed`, or
    /// `NoQuorum` followed by `SeedRequested` or `TaskRefunded`.
    /// @param taskId The task.
    function tally(uint256 taskId) external;

    /// @notice Makes the proposed result final after its challenge window: releases the round's seats, slashes
    /// members that revealed another result (`slashFractionBps` of their bonds, into the task's pot), and fixes each
    /// winning seat's reward, `floor((reward + slashPot) / winningSeats)`; the dust goes to the treasury's credit.
    /// Anyone may call it.
    /// @dev Requires: phase `AwaitingFinalization`. Emits `MemberPenalized` per wrong member, `Credited` for the
    /// dust (if any), then `TaskFinalized`.
    /// @param taskId The task.
    function finalize(uint256 taskId) external;

    /// @notice Ends a task that is still waiting for a committee after `expiresAt` (nobody drew it in time, or the
    /// pool had no stake): members of the current round that committed while waiting for replacements are released
    /// without penalty, the reward is credited back to the requester and collected penalties to the treasury. Anyone
    /// may call it. Together with the deadlines of the later phases, it bounds every task's life: a task is final or
    /// refundable by `expiresAt + commitBlocks + revealBlocks + challengeBlocks` at the latest.
    /// @dev Requires: phase `AwaitingSeed`; `block.number > expiresAt` (`TaskManagerNotExpired`). Emits `TaskExpired`,
    /// `Credited`, `TaskRefunded`.
    /// @param taskId The task.
    function expire(uint256 taskId) external;

    /// @notice Sends record `index`'s reward: `rewardPerSeat * seats`.
    /// @dev Requires: the task `Finalized`; the caller holds record `index` of the final round; the record is `Won`.
    /// Emits `RewardClaimed`.
    /// @param taskId The task.
    /// @param index The caller's record in the final round.
    /// @return amount The tokens sent.
    function claimReward(uint256 taskId, uint256 index) external returns (uint256 amount);

    /// @notice Sends the caller everything credited to it (refunds, dust for the treasury).
    /// @dev Requires: a credit above zero. Emits `CreditClaimed`.
    /// @return amount The tokens sent.
    function claimCredit() external returns (uint256 amount);

    /// @notice Sets the rules for tasks created from now on; live tasks keep theirs.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; every field within bounds. Emits `ConfigSet`.
    /// @param config The new rules.
    function setConfig(Config calldata config) external;

    /// @notice Stops new tasks. Everything else (draws, commits, reveals, tallies, finalization, claims) goes on.
    /// @dev Requires: `PAUSER_ROLE`.
    function pause() external;

    /// @notice Lets new tasks in again.
    /// @dev Requires: `PAUSER_ROLE`.
    function unpause() external;

    /// @notice The security pool the committees come from.
    function pool() external view returns (address);

    /// @notice The randomness source, fixed at deployment.
    function randomness() external view returns (address);

    /// @notice The payment token (the pool's stake token).
    function paymentToken() external view returns (address);

    /// @notice The rules new tasks get.
    function config() external view returns (Config memory);

    /// @notice The number of tasks created so far (the last id).
    function taskCount() external view returns (uint256);

    /// @notice Everything about a task.
    /// @param taskId The task.
    function taskOf(uint256 taskId) external view returns (TaskInfo memory);

    /// @notice Where the task stands at the current block.
    /// @param taskId The task.
    function phaseOf(uint256 taskId) external view returns (Phase);

    /// @notice A record of a round.
    /// @param taskId The task.
    /// @param round The round.
    /// @param index The record.
    function recordOf(uint256 taskId, uint256 round, uint256 index) external view returns (Record memory);

    /// @notice Records `from .. from + count - 1` of a round (fewer if the round has fewer).
    /// @param taskId The task.
    /// @param round The round.
    /// @param from The first index.
    /// @param count At most this many records; at most `MAX_SEATS * (1 + MAX_REPLACEMENT_DRAWS)`.
    /// @return records The records, in index order.
    function recordsOf(
        uint256 taskId,
        uint256 round,
        uint256 from,
        uint256 count
    ) external view returns (Record[] memory records);

    /// @notice `member`'s live record in the task's current round, if any (the worker's view of its assignment).
    /// @param taskId The task.
    /// @param member The worker.
    function assignmentOf(uint256 taskId, address member) external view returns (Assignment memory);

    /// @notice The seats of round `round` that have revealed `resultHash`.
    /// @param taskId The task.
    /// @param round The round.
    /// @param resultHash The result hash.
    function votesFor(uint256 taskId, uint256 round, bytes32 resultHash) external view returns (uint256);

    /// @notice The longest a task with these windows can live, in blocks, if someone moves it on at each step: per
    /// draw three epochs for the seed (its window, and one more after a missed one) plus the commit window,
    /// `1 + maxReplacementDraws` draws and a reveal window per round, `1 + maxRedraws` rounds, then the challenge
    /// window. `createTask` requires it within the unbonding period and sets `expiresAt` from it.
    /// @param commitBlocks The commit window.
    /// @param revealBlocks The reveal window.
    /// @param challengeBlocks The challenge window.
    /// @param noQuorumRule The rule (redraws count only for `Redraw`).
    function lifeBound(
        uint256 commitBlocks,
        uint256 revealBlocks,
        uint256 challengeBlocks,
        NoQuorumRule noQuorumRule
    ) external view returns (uint256);

    /// @notice What `account` can claim with `claimCredit`.
    /// @param account The account.
    function creditOf(address account) external view returns (uint256);

    /// @notice The manager's token sums (rule 1: its token balance equals their sum).
    function totals() external view returns (Totals memory);
}
