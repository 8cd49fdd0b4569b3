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
    /// @dev `Drawing`: waiting for a seed and a draw (first committee, replacements, a redraw or an escalation).
    /// `Committing`: a committee sits; its commit, then reveal windows run. `Proposed`: a result reached quorum; its
    /// challenge window runs. `Finalized`: the result is final and rewards can be claimed. `Refunded`: no result; the
    /// reward went back. `Closing`: the outcome is fixed (a final result, or none) and the records of every round are
    /// being settled in batches by `finalize`. `Gaming`: a bisection game decides a challenge of the proposed result
    /// (programs with a step verifier only).
    enum TaskState {
        None,
        Drawing,
        Committing,
        Proposed,
        Finalized,
        Refunded,
        Closing,
        Gaming
    }

    /// @notice Where a task stands at the current block: what the next action is and who may take it.
    /// @dev `AwaitingSeed`: anyone calls `drawCommittee` once the seed is ready inside a draw window.
    /// `Committing`: members commit. `AwaitingReplacement`: the commit window closed with vacant seats and
    /// replacements left; anyone calls `replaceNoShows`. `Revealing`: members reveal. `AwaitingTally`: anyone calls
    /// `tally`. `Challengeable`: anyone can `challenge` the proposed result until the challenge deadline.
    /// `AwaitingFinalization`: anyone calls `finalize` (after the challenge window, at once after the last escalation
    /// round, or while a settlement is in progress). `Finalized`, `Refunded`: the task has ended. `InGame`: a
    /// bisection game is being played; once it ends anyone calls `settleGame`.
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
        Refunded,
        InGame
    }

    /// @notice Where one committee record stands. A record is one member's seats from one draw of one round.
    /// @dev `Assigned`: seats locked, no commit yet. `Declined`: the member's free stake could not cover the seats;
    /// nothing was locked, the seats are vacant, no penalty. `Committed`, `Revealed`: as named. `Replaced`: missed the
    /// commit deadline; penalized, seats released and re-drawn. `Absent`: missed the commit deadline when no
    /// replacement was left; penalized, released. `Silent`: committed but did not reveal; penalized, released.
    /// `Revealed` records of every round stay locked until the task ends. `Released`: the task ended without a final
    /// result (refund or expiry); released without penalty. `Won`: revealed the final result (in any round);
    /// released, reward claimable. `Lost`: revealed another result (in any round); slashed, released.
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

    /// @notice How a challenge ended. `Pending`: the task is not final yet. `Won`: the claimed result is the final
    /// one; the challenger's bond and bounty are credited. `Lost`: the final result differs from the claim; the bond
    /// went to the seats that answered the challenge. `Refunded`: the task ended without a result; the bond was
    /// credited back.
    enum ChallengeOutcome {
        Pending,
        Won,
        Lost,
        Refunded
    }

    /// @notice Why a member was penalized or slashed. `LostGame`: it defended the proposed result in a bisection game
    /// and lost.
    enum PenaltyReason {
        MissedCommit,
        MissedReveal,
        WrongResult,
        LostGame
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
    /// `MAX_REDRAWS`; shared by all the rounds of the escalation ladder.
    /// @param maxEscalations Escalation rounds a task allows (challenges), at most `MAX_ESCALATIONS`. A task gets fewer
    /// when its ladder (`seats`, `2 seats + 1`, ...) would pass `MAX_ROUND_SEATS`; 0 makes results final after their
    /// challenge window with no challenge possible.
    /// @param bountyBps Share of the stake slashed from wrong revealers paid, split equally, to the challengers whose
    /// claim is the final result.
    /// @param honestShareBps Share of that slashed stake added to the pot of the seats that revealed the final result.
    /// `bountyBps + honestShareBps <= 10,000`; the rest is burned or sent to the treasury (`burnRemainder`). Below the
    /// whole, a party that slashes its own wrong members and challenges them itself always loses.
    /// @param challengeBondPerSeat The least bond per seat of the escalation round a challenge opens: the challenge
    /// bond floor is `nextRoundSeats * max(challengeBondPerSeat, ceil(reward / seats))`, what the answering seats'
    /// work costs at the task's own price. At least 1.
    /// @param burnRemainder Whether the remainder of slashed stake is burned (sent to `BURN_ADDRESS`) or credited to
    /// the pool's treasury.
    struct Config {
        uint16 slashFractionBps;
        uint16 missedCommitPenaltyBps;
        uint16 missedRevealPenaltyBps;
        uint8 maxReplacementDraws;
        uint8 maxRedraws;
        uint8 maxEscalations;
        uint16 bountyBps;
        uint16 honestShareBps;
        uint96 challengeBondPerSeat;
        bool burnRemainder;
    }

    /// @notice Everything about a task (the `taskOf` view).
    /// @param requester Who posted it and gets refunds.
    /// @param programId keccak256 of the program's WASM bytes.
    /// @param inputHash keccak256 of the input bytes.
    /// @param state The stored state.
    /// @param noQuorumRule What a round without quorum leads to.
    /// @param seats Seats of the current round's committee (the task's seats, `2 s + 1` after each escalation).
    /// @param quorum Seats a result needs in the current round (a strict majority).
    /// @param reward The escrowed reward.
    /// @param valueAtRisk The declared value at risk.
    /// @param seatBond Stake each seat locks (frozen from the pool's parameters at creation).
    /// @param config The rules frozen at creation (`maxEscalations` as capped for this task, as `maxEscalations`).
    /// @param commitBlocks The commit window length.
    /// @param revealBlocks The reveal window length.
    /// @param challengeBlocks The challenge window length.
    /// @param round The current round (0 for the first committee, one more per redraw or escalation).
    /// @param escalations Challenges accepted so far (the current step of the escalation ladder).
    /// @param maxEscalations Escalations this task allows (its config, capped by `MAX_ROUND_SEATS`).
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
    /// @param slashPot Penalties and slashes collected for the task.
    /// @param rewardPerSeat What each seat that revealed the final result gets (set when finalized), plus the bonus of
    /// its ladder step if that step answered a challenge that failed (`challengeOf`).
    /// @param wrongSlashed Stake slashed so far from members that revealed a result other than the final one.
    /// @param challengeBondFloor The least bond a challenge of the current proposed result needs.
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
        uint256 escalations;
        uint256 maxEscalations;
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
        uint256 wrongSlashed;
        uint256 challengeBondFloor;
    }

    /// @notice One round of a task (the `roundOf` view).
    /// @param seats The round's committee seats.
    /// @param quorum The seats a result needs in it.
    /// @param recordCount Its records (indices `0 .. recordCount - 1`).
    /// @param step Its step on the escalation ladder: 0 for the first committee and its redraws, `k` for the rounds
    /// opened by the `k`-th challenge and their redraws.
    struct RoundInfo {
        uint16 seats;
        uint16 quorum;
        uint16 recordCount;
        uint8 step;
    }

    /// @notice One challenge (the `challengeOf` view). Challenge `k` opens step `k` of the escalation ladder.
    /// @param challenger Who challenged (excluded from later committees of the task).
    /// @param bond The bond it escrowed.
    /// @param claimedResult The result it claims instead of the proposed one.
    /// @param challengedRound The round whose proposed result it challenged.
    /// @param openedRound The escalation round it opened.
    /// @param outcome How it ended.
    /// @param bonusPerSeat For a lost challenge: what each seat of its step that revealed the final result gets from
    /// the bond, on top of `rewardPerSeat`.
    /// @param payout For a won challenge: bond plus bounty; for a refunded one: the bond; credited to the challenger.
    struct Challenge {
        address challenger;
        uint96 bond;
        bytes32 claimedResult;
        uint8 challengedRound;
        uint8 openedRound;
        ChallengeOutcome outcome;
        uint128 bonusPerSeat;
        uint96 payout;
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
    /// @param credits Balances waiting in `claimCredit` (refunds, dust, challengers' payouts, the treasury's share).
    struct Totals {
        uint256 escrowed;
        uint256 unclaimedRewards;
        uint256 credits;
    }

    /// @notice A task's bisection-game settings and state (the `taskGameOf` view), frozen at creation (rule 9).
    /// @param verifier The program's step verifier when the task was created (zero: the task cannot use the game).
    /// @param clockBlocks Each side's clock in the task's games.
    /// @param extensionBlocks The least time per turn.
    /// @param games Games opened so far, at most `MAX_GAMES`.
    /// @param topGame The game whose challenger's claim is the proposed result, and who defends it in the next game
    /// (0: the proposed result came from a committee, whose revealers defend it).
    /// @param gameBondFloor The least bond a game challenge of the current proposed result needs.
    struct TaskGameInfo {
        address verifier;
        uint256 clockBlocks;
        uint256 extensionBlocks;
        uint256 games;
        uint256 topGame;
        uint256 gameBondFloor;
    }

    /// @notice One game challenge (the `gameChallengeOf` view). Game challenge `g` is the task's `g`-th game.
    /// @param challenger Who challenged.
    /// @param bond The bond it escrowed.
    /// @param claimedResult The result it claims.
    /// @param defendedResult The proposed result it challenged.
    /// @param gameId The game's id in the bisection game contract.
    /// @param defender Who defended (a revealer of the challenged result, or the winner of the game that produced
    /// it; zero if nobody did).
    /// @param defenderRound The defending record's round (when a member defended).
    /// @param defenderIndex The defending record's index (when a member defended).
    /// @param outcome `Pending` while the game runs, and after a win until the task is final; `Won` when its claim is
    /// final (bond and bounty credited); `Lost` when its game was lost (bond credited to the defender) or its claim
    /// was later defeated in another game (bond forfeited).
    /// @param payout Credited to the challenger.
    struct GameChallenge {
        address challenger;
        uint96 bond;
        bytes32 claimedResult;
        bytes32 defendedResult;
        uint64 gameId;
        address defender;
        uint8 defenderRound;
        uint16 defenderIndex;
        ChallengeOutcome outcome;
        uint256 payout;
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
    /// @notice The challenge window of task `taskId` closed at block `deadline`; now is `current`.
    error TaskManagerChallengeWindowClosed(uint256 taskId, uint256 deadline, uint256 current);
    /// @notice Round `round` of task `taskId` was already challenged by `challenger` (one challenge per round, the
    /// first transaction mined wins).
    error TaskManagerAlreadyChallenged(uint256 taskId, uint256 round, address challenger);
    /// @notice Task `taskId` used all its `maxEscalations` escalations: the result of round `round` is final.
    error TaskManagerNoEscalationLeft(uint256 taskId, uint256 round, uint256 maxEscalations);
    /// @notice A challenge bond of `bond` is below the floor `floor`.
    error TaskManagerChallengeBondTooLow(uint256 bond, uint256 floor);
    /// @notice A challenge must claim a result other than the proposed `proposed` (and not zero).
    error TaskManagerClaimNotDifferent(uint256 taskId, bytes32 proposed);
    /// @notice The settlement module was called directly; it only runs inside the task manager.
    error TaskManagerNotDelegated();
    /// @notice The bisection game contract is already set (to `game`); it is set once.
    error TaskManagerBisectionGameAlreadySet(address game);
    /// @notice Task `taskId`'s program `programId` had no step verifier when the task was created: no game.
    error TaskManagerGameUnavailable(uint256 taskId, bytes32 programId);
    /// @notice Task `taskId` used all its `maxGames` games.
    error TaskManagerNoGameLeft(uint256 taskId, uint256 maxGames);
    /// @notice Task `taskId`'s proposed result came out of game `game`: only another game can challenge it.
    error TaskManagerResultFromGame(uint256 taskId, uint256 game);
    /// @notice Game `game` (id `gameId`) of task `taskId` has not ended.
    error TaskManagerGameNotOver(uint256 taskId, uint256 game, uint256 gameId);
    /// @notice Game `game` of task `taskId` already has the defender `defender`.
    error TaskManagerGameDefended(uint256 taskId, uint256 game, address defender);
    /// @notice Record `index` of task `taskId` revealed `revealed`, not the proposed result `proposed`.
    error TaskManagerNotProposedResult(uint256 taskId, uint256 index, bytes32 revealed, bytes32 proposed);
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

    /// @notice Round `round`'s proposed result was challenged: challenge `step` escrowed `bond` and claims
    /// `claimedResult`; escalation round `nextRound` of `seats` seats (quorum `quorum`) is drawn next, excluding the
    /// members of earlier rounds and the challengers.
    /// @param taskId The task.
    /// @param step The challenge's number (1 for the first): the ladder step it opens.
    /// @param challenger Who challenged.
    /// @param round The challenged round.
    /// @param proposedResult The challenged result.
    /// @param claimedResult The result the challenger claims.
    /// @param bond The escrowed bond.
    /// @param nextRound The escalation round.
    /// @param seats Its seats, `2 s + 1` for a challenged round of `s` seats.
    /// @param quorum Its quorum.
    event Challenged(
        uint256 indexed taskId,
        uint256 step,
        address indexed challenger,
        uint256 round,
        bytes32 proposedResult,
        bytes32 claimedResult,
        uint256 bond,
        uint256 nextRound,
        uint256 seats,
        uint256 quorum
    );

    /// @notice Challenge `step` of task `taskId` ended with `outcome`.
    /// @param taskId The task.
    /// @param step The challenge.
    /// @param challenger The challenger.
    /// @param outcome Won, lost or refunded.
    /// @param payout Credited to the challenger (bond plus bounty when won, the bond when refunded, 0 when lost).
    /// @param bonusPerSeat When lost: what each answering seat that revealed the final result gets from the bond.
    event ChallengeSettled(
        uint256 indexed taskId,
        uint256 step,
        address indexed challenger,
        ITaskManagerTypes.ChallengeOutcome outcome,
        uint256 payout,
        uint256 bonusPerSeat
    );

    /// @notice The stake slashed from wrong revealers (`wrongSlashed`) was distributed: `bounties` to the winning
    /// challengers, `honestShare` to the pot of the seats that revealed the final result, `remainder` burned
    /// (`burned`) or credited to the treasury.
    /// @param taskId The task.
    /// @param wrongSlashed The stake slashed from wrong revealers of every round.
    /// @param bounties Paid to winning challengers.
    /// @param honestShare Added to the honest seats' pot.
    /// @param remainder What is left, rounding dust of the bounties and bonuses included.
    /// @param burned Whether the remainder was burned (else credited to the treasury).
    event SlashesDistributed(
        uint256 indexed taskId,
        uint256 wrongSlashed,
        uint256 bounties,
        uint256 honestShare,
        uint256 remainder,
        bool burned
    );

    /// @notice `finalize` settled records up to its batch limit and stopped before record `index` of round `round`;
    /// call it again to go on.
    /// @param taskId The task.
    /// @param round The round the next call starts in.
    /// @param index The record the next call starts at.
    event SettlementProgress(uint256 indexed taskId, uint256 round, uint256 index);

    /// @notice The task waited for a committee past its `expiresAt`; it is refunded (`TaskRefunded` follows).
    /// @param taskId The task.
    /// @param round The round that never got its committee.
    /// @param expiresAt The block after which it could expire.
    event TaskExpired(uint256 indexed taskId, uint256 round, uint256 expiresAt);

    /// @notice The task ended without a result: `reward` was credited back to the requester and `slashPot` to the
    /// treasury (challenge bonds go back to their challengers, see `ChallengeSettled`).
    /// @param taskId The task.
    /// @param requester The requester.
    /// @param reward The refund.
    /// @param slashPot The collected penalties, credited to the treasury.
    event TaskRefunded(uint256 indexed taskId, address indexed requester, uint256 reward, uint256 slashPot);

    /// @notice The task is final with `resultHash`.
    /// @param taskId The task.
    /// @param resultHash The final result.
    /// @param winningSeats The seats that revealed it, in every round.
    /// @param rewardPerSeat What each of those seats can claim (plus its step's bonus, if any).
    /// @param dust The rounding remainder of the honest seats' pot (`pot - rewardPerSeat * winningSeats`), credited
    /// to the treasury.
    event TaskFinalized(
        uint256 indexed taskId,
        bytes32 resultHash,
        uint256 winningSeats,
        uint256 rewardPerSeat,
        uint256 dust
    );

    /// @notice Record `index` of round `round` claimed `amount`.
    /// @param taskId The task.
    /// @param member The member, which received the tokens.
    /// @param round The record's round.
    /// @param index The record.
    /// @param amount The tokens sent.
    event RewardClaimed(uint256 indexed taskId, address indexed member, uint256 round, uint256 index, uint256 amount);

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

    /// @notice The bisection game contract was set; tasks created from now on read their program's step verifier
    /// from its registry.
    /// @param game The bisection game contract.
    event BisectionGameSet(address game);

    /// @notice Game challenge `game` of task `taskId` escrowed `bond`, claiming `claimedResult` against the proposed
    /// `defendedResult`; bisection game `gameId` decides it, with `defender` (zero: a revealer of the proposed result
    /// may take the role with `defendGame`).
    /// @param taskId The task.
    /// @param game The game challenge's number (1 for the task's first game).
    /// @param challenger Who challenged.
    /// @param defendedResult The challenged result.
    /// @param claimedResult The result the challenger claims.
    /// @param bond The escrowed bond.
    /// @param gameId The game's id in the bisection game contract.
    /// @param defender The defender, if known at once (the winner of the game that produced the challenged result).
    event GameChallenged(
        uint256 indexed taskId,
        uint256 game,
        address indexed challenger,
        bytes32 defendedResult,
        bytes32 claimedResult,
        uint256 bond,
        uint256 gameId,
        address defender
    );

    /// @notice `member` (record `index` of round `round`, a revealer of the proposed result) defends game `game`.
    /// @param taskId The task.
    /// @param game The game challenge.
    /// @param member The defender.
    /// @param round Its record's round.
    /// @param index Its record.
    event GameDefended(uint256 indexed taskId, uint256 game, address indexed member, uint256 round, uint256 index);

    /// @notice Game `game` of task `taskId` was settled: `winner` (1 defender, 2 challenger) won; `proposedResult` is
    /// the proposed result now (the challenger's claim if it won), challengeable through `challengeDeadline`.
    /// @param taskId The task.
    /// @param game The game challenge.
    /// @param winner The winning side (`IBisectionGameTypes.Side`).
    /// @param loser The losing party (zero for a defender that never showed up).
    /// @param proposedResult The proposed result after the game.
    /// @param challengeDeadline The last block of its new challenge window.
    event GameSettled(
        uint256 indexed taskId,
        uint256 game,
        uint8 winner,
        address loser,
        bytes32 proposedResult,
        uint256 challengeDeadline
    );

    /// @notice Game challenge `game` of task `taskId` ended with `outcome`; `payout` was credited to `challenger`
    /// (bond and bounty, and the honest pot when no seat revealed the final result, for a claim that is final).
    /// @param taskId The task.
    /// @param game The game challenge.
    /// @param challenger The challenger.
    /// @param outcome Won or lost.
    /// @param payout Credited to the challenger.
    event GameChallengeSettled(
        uint256 indexed taskId,
        uint256 game,
        address indexed challenger,
        ITaskManagerTypes.ChallengeOutcome outcome,
        uint256 payout
    );
}

/// @title ITaskManager
/// @notice Compute tasks secured by the security pool: a requester posts a program, an input and a reward; a
/// committee drawn stake-weighted from the pool commits and reveals a result; a result with a quorum of seats is
/// proposed, and final after its challenge window unless someone challenges it with a bond, which opens an escalation
/// round of `2 s + 1` fresh seats (the escalation ladder). See `docs/TaskManager.md`.
/// @dev Lifecycle (DESIGN.md): Drawing --seed ready inside a draw window--> Committing --commit deadline--> (vacant
/// seats and replacements left: Drawing again for the vacant seats) reveal window --reveal deadline--> tally: quorum
/// -> Proposed --challenge window--> Closing -> Finalized; a challenge -> Drawing (escalation round); no quorum ->
/// Drawing (fresh round) or Closing -> Refunded. Every step after a deadline is permissionless (rule 6); every loop
/// is bounded by `MAX_ROUND_SEATS` times the replacement cap per round, and settlement runs in batches (rule 5).
/// The post-reveal functions (`replaceNoShows`, `tally`, `challenge`, `finalize`, `expire`, `claimReward`) run in a
/// settlement module the manager created and calls by delegatecall, so that the manager fits the EIP-170 size cap.
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
    /// not reveal are penalized and released; revealers stay locked until the task ends. A result with at least
    /// `quorum` seats is proposed and its challenge window opens (none after the last escalation: it is final at
    /// once); without one, the task redraws a committee of the same size (rule `Redraw`, redraws left) or closes
    /// without a result, and is refunded as `finalize` describes.
    /// @dev Requires: phase `AwaitingTally`. Emits `MemberPenalized` per defaulter, then `ResultProposed`, or
    /// `NoQuorum` followed by `SeedRequested`, or by the settlement's events (see `finalize`).
    /// @param taskId The task.
    function tally(uint256 taskId) external;

    /// @notice Challenges the proposed result with a bond of `bond` tokens, claiming `claimedResult` instead. Opens
    /// the next step of the escalation ladder: a committee of `2 s + 1` seats (quorum `s + 1`) for a challenged round
    /// of `s` seats, drawn from a fresh seed, excluding the members of every earlier round of the task and every
    /// challenger; it keeps every rule of a first round. Anyone may challenge, once per round: the first transaction
    /// mined wins, and a copy of a pending challenge pays its sender exactly what an honest challenge would. Never
    /// paused. When the task is final, a challenge whose claim is the final result gets its bond back plus an equal
    /// share of `bountyBps` of the stake slashed from wrong revealers; a challenge that was wrong loses its bond to
    /// the seats of its step that revealed the final result; if the task ends without a result, the bond comes back.
    /// @dev Requires: phase `Challengeable` (`TaskManagerAlreadyChallenged` once the round's challenge is in,
    /// `TaskManagerChallengeWindowClosed` after the window); escalations left (`TaskManagerNoEscalationLeft`);
    /// `claimedResult` non-zero and not the proposed result; `bondFloor <= bond <= type(uint96).max`
    /// (`TaskManagerChallengeBondTooLow`); the manager receives exactly `bond`. Emits `Challenged`, `SeedRequested`.
    /// @param taskId The task.
    /// @param claimedResult The result hash the challenger claims is right.
    /// @param bond The bond, pulled from the caller (at least `taskOf(taskId).challengeBondFloor`).
    /// @return step The challenge's number (1 for the first).
    function challenge(uint256 taskId, bytes32 claimedResult, uint256 bond) external returns (uint256 step);

    /// @notice Challenges the proposed result with a bisection game (DESIGN.md, ladder step 3): for a task whose
    /// program had a step verifier when the task was created, a bond of `bond` tokens claims `claimedResult` and
    /// opens game number `game` over the trace of `input` (the task's input). The defender is the winner of the game
    /// that produced the proposed result, if one did; otherwise any member that revealed the proposed result in its
    /// round may take the role (`defendGame`) while the defender's first clock runs, and if none does the challenger
    /// wins. `settleGame` applies the outcome: a challenger that wins replaces the proposed result with its claim
    /// (the losing member defender is slashed `slashFractionBps` of its seats' bonds, a losing previous winner
    /// forfeits its bond to the burn address or the treasury); a challenger that loses pays its bond to the defender.
    /// Either way a new challenge window opens. A result that came out of a game can be challenged only by another
    /// game; a task plays at most `MAX_GAMES` games, one at a time, and their worst-case length counts in its life
    /// bound. When the task is final, a game challenger whose claim is the final result gets its bond back plus an
    /// equal share of the bounty (and the honest pot, if no seat revealed that result). Never paused.
    /// @dev Requires: phase `Challengeable` (`TaskManagerWrongPhase`; `TaskManagerChallengeWindowClosed` after the
    /// window); a verifier frozen into the task (`TaskManagerGameUnavailable`); games left (`TaskManagerNoGameLeft`);
    /// `claimedResult` non-zero and not the proposed result (`TaskManagerClaimNotDifferent`); `input` hashing to the
    /// task's input hash (`TaskManagerInputHashMismatch`); `gameBondFloor <= bond <= type(uint96).max`
    /// (`TaskManagerChallengeBondTooLow`); the game contract's and the verifier's own checks (their errors: an input
    /// the verifier cannot step, a challenger that is the defender); the manager receives exactly `bond`. Emits
    /// `GameChallenged`.
    /// @param taskId The task.
    /// @param claimedResult The result hash the challenger claims is right.
    /// @param bond The bond, pulled from the caller.
    /// @param input The task's input bytes (for a URI input, the bytes at the URI).
    /// @return game The game challenge's number (1 for the task's first game).
    function challengeByGame(
        uint256 taskId,
        bytes32 claimedResult,
        uint256 bond,
        bytes calldata input
    ) external returns (uint256 game);

    /// @notice Takes the defender's role in the running game of a task whose proposed result came from a committee:
    /// the caller must hold record `index` of the current round, revealed with the proposed result. The first such
    /// member to call defends; it then plays the game in the bisection game contract.
    /// @dev Requires: phase `InGame`; the game has no defender (`TaskManagerGameDefended`); the caller holds the
    /// record (`TaskManagerNotSeatHolder`), `Revealed` (`TaskManagerWrongRecordStatus`) with the proposed result
    /// (`TaskManagerNotProposedResult`); the game still running (the game contract's errors). Emits `GameDefended`.
    /// @param taskId The task.
    /// @param index The caller's record in the current round.
    function defendGame(uint256 taskId, uint256 index) external;

    /// @notice Applies the outcome of the task's game once it has ended, as `challengeByGame` describes, and opens a
    /// new challenge window (none when nothing is left to challenge it with: the result is then final at once).
    /// Anyone may call it.
    /// @dev Requires: phase `InGame`; the game resolved (`TaskManagerGameNotOver`). Emits `MemberPenalized` (a losing
    /// member defender), `Credited`, `GameChallengeSettled` (a losing side's bond), `GameSettled`.
    /// @param taskId The task.
    function settleGame(uint256 taskId) external;

    /// @notice Ends the task once its outcome is fixed; anyone may call it. With a final result (the last proposed
    /// one, after its challenge window or after the last escalation round), every round's revealer of that result is
    /// released and shares the honest pot, every revealer of another result loses `slashFractionBps` of its bonds,
    /// and the slashed stake pays, in order: the winning challengers' bounties (`bountyBps`), the honest pot
    /// (`honestShareBps`), then the remainder is burned or credited to the treasury. The honest pot is the reward,
    /// the missed-deadline penalties and that share; each seat that revealed the final result, in any round, gets
    /// `floor(pot / winningSeats)`, the dust going to the treasury. Without a result, every revealer is released, the
    /// reward is credited back to the requester, penalties to the treasury, bonds to their challengers. Records are
    /// settled `SETTLE_BATCH` at a time: when a call stops at the batch limit it emits `SettlementProgress` and
    /// returns false, and the next call goes on.
    /// @dev Requires: phase `AwaitingFinalization`. Emits `MemberPenalized` per wrong member, then (when done)
    /// `ChallengeSettled` per challenge, `SlashesDistributed`, `Credited`, and `TaskFinalized` or `TaskRefunded`.
    /// @param taskId The task.
    /// @return done Whether the task has ended (false: call again).
    function finalize(uint256 taskId) external returns (bool done);

    /// @notice Ends a task that is still waiting for a committee after `expiresAt` (nobody drew it in time, or the
    /// pool had no stake): every record still locked (revealers of earlier rounds, members that committed while
    /// waiting for replacements) is released without penalty, the reward is credited back to the requester,
    /// collected penalties to the treasury and challenge bonds to their challengers, as `finalize` does without a
    /// result (in batches: `finalize` goes on if needed). Anyone may call it. Together with the deadlines of the
    /// later phases, it bounds every task's life: a task is final or refundable by
    /// `expiresAt + commitBlocks + revealBlocks + challengeBlocks + 2` at the latest (the tally and `finalize` each
    /// come one block after their deadline).
    /// @dev Requires: phase `AwaitingSeed`; `block.number > expiresAt` (`TaskManagerNotExpired`). Emits `TaskExpired`,
    /// then the settlement's events (`Credited`, `ChallengeSettled`, `TaskRefunded`).
    /// @param taskId The task.
    function expire(uint256 taskId) external;

    /// @notice Sends record `index` of round `round` its reward: `seats * (rewardPerSeat + bonus)`, the bonus being
    /// its ladder step's share of a lost challenge's bond (`challengeOf`), if any.
    /// @dev Requires: the task `Finalized`; the caller holds the record; the record is `Won`. Emits `RewardClaimed`.
    /// @param taskId The task.
    /// @param round The record's round.
    /// @param index The caller's record in that round.
    /// @return amount The tokens sent.
    function claimReward(uint256 taskId, uint256 round, uint256 index) external returns (uint256 amount);

    /// @notice Sends the caller everything credited to it (refunds, dust for the treasury).
    /// @dev Requires: a credit above zero. Emits `CreditClaimed`.
    /// @return amount The tokens sent.
    function claimCredit() external returns (uint256 amount);

    /// @notice Sets the rules for tasks created from now on; live tasks keep theirs.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; every field within bounds. Emits `ConfigSet`.
    /// @param config The new rules.
    function setConfig(Config calldata config) external;

    /// @notice Sets the bisection game contract, once: tasks created from then on read their program's step verifier
    /// and the game's clocks from it and keep them.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; a non-zero address (`TaskManagerZeroAddress`); not set before
    /// (`TaskManagerBisectionGameAlreadySet`). Emits `BisectionGameSet`.
    /// @param game The bisection game contract.
    function setBisectionGame(address game) external;

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

    /// @notice A round's committee size, quorum, record count and ladder step.
    /// @param taskId The task.
    /// @param round The round (at most the task's current round).
    function roundOf(uint256 taskId, uint256 round) external view returns (RoundInfo memory);

    /// @notice Challenge `step` of a task (1 for the first; zeroes if none).
    /// @param taskId The task.
    /// @param step The challenge.
    function challengeOf(uint256 taskId, uint256 step) external view returns (Challenge memory);

    /// @notice A record of a round.
    /// @param taskId The task.
    /// @param round The round.
    /// @param index The record.
    function recordOf(uint256 taskId, uint256 round, uint256 index) external view returns (Record memory);

    /// @notice Records `from .. from + count - 1` of a round (fewer if the round has fewer).
    /// @param taskId The task.
    /// @param round The round.
    /// @param from The first index.
    /// @param count At most this many records; at most `MAX_RECORDS_PER_ROUND`.
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
    /// `1 + maxReplacementDraws` draws and a reveal window per round, `1 + maxEscalations + maxRedraws` rounds
    /// (redraws only for `Redraw`), and `1 + maxEscalations` challenge windows. `createTask` requires it within the
    /// unbonding period (rule 4: stake stays slashable until the task is final, escalation included) and sets
    /// `expiresAt` from it.
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

    /// @notice The bisection game contract (zero until set).
    function bisectionGame() external view returns (address);

    /// @notice A task's game settings and state. A task whose program has a step verifier lives longer: its
    /// `expiresAt` and the unbonding check add `MAX_GAMES * (maxDuration(maxSteps) + challengeBlocks + 1)` blocks,
    /// with the game contract's `maxDuration` at the task's clocks and the verifier's `maxSteps` (rule 4).
    /// @param taskId The task.
    function taskGameOf(uint256 taskId) external view returns (TaskGameInfo memory);

    /// @notice Game challenge `game` of a task (1 for the first; zeroes if none).
    /// @param taskId The task.
    /// @param game The game challenge.
    function gameChallengeOf(uint256 taskId, uint256 game) external view returns (GameChallenge memory);

    /// @notice What `account` can claim with `claimCredit`.
    /// @param account The account.
    function creditOf(address account) external view returns (uint256);

    /// @notice The manager's token sums (rule 1: its token balance equals their sum).
    function totals() external view returns (Totals memory);
}
