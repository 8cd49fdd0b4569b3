// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IBisectionGame, IBisectionGameTypes} from "../interfaces/IBisectionGame.sol";
import {IRandomnessSource} from "../interfaces/IRandomnessSource.sol";
import {IStepVerifier} from "../interfaces/IStepVerifier.sol";
import {ISecurityPool} from "../interfaces/ISecurityPool.sol";
import {RewardMath} from "../libraries/RewardMath.sol";
import {TaskManagerStorage} from "./TaskManagerStorage.sol";

/// @title TaskSettlement
/// @notice What happens to a task after its reveals: replacements of no-shows, the tally, challenges and the
/// escalation ladder, and the settlement of every round when the task ends. Runs only by delegatecall from the
/// `TaskManager` that created it, on the manager's state; see `ITaskManager` for each function's specification.
/// @dev Each external function's parameters and effects are specified once, in `ITaskManager`.
// solhint-disable use-natspec
contract TaskSettlement is TaskManagerStorage, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @dev The manager that created this module: the only context it runs in.
    address private immutable _MANAGER;

    /// @dev What one settlement call adds up, kept in memory to stay within the stack.
    struct Cursor {
        uint256 round;
        uint256 index;
        uint256 visited;
        uint256 wrongSlashed;
    }

    /// @dev What the distribution of a final result adds up.
    struct Split {
        uint256 bountyEach;
        uint256 winners;
        uint256 honestPot;
        uint256 remainder;
        uint256 bonuses;
        uint256 bonds;
    }

    constructor(ISecurityPool pool_, IRandomnessSource randomness_) TaskManagerStorage(pool_, randomness_) {
        _MANAGER = msg.sender;
    }

    /// @dev Called directly, the module would act on its own empty state; only the manager's context counts.
    modifier onlyDelegated() {
        require(address(this) == _MANAGER, TaskManagerNotDelegated());
        _;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Progress after deadlines (permissionless, rule 6)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ITaskManager.replaceNoShows`.
    function replaceNoShows(uint256 taskId) external nonReentrant onlyDelegated {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingReplacement);
        uint256 round = t.round;
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _s().records[taskId][round];
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

    /// @notice See `ITaskManager.tally`.
    function tally(uint256 taskId) external nonReentrant onlyDelegated {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingTally);
        uint256 round = t.round;
        // Nothing to visit when everyone revealed: the common case stays O(1).
        if (t.revealedSeats < t.filledSeats) _settleDefaulters(taskId, t, round);

        bytes32 proposed = t.proposedResult;
        if (proposed != bytes32(0)) {
            // With nothing left to challenge it with (no escalation, no game) the result is final at once.
            uint256 window = _challengeable(t) ? t.challengeBlocks : 0;
            uint256 challengeDeadline = block.number + window;
            t.challengeDeadline = uint64(challengeDeadline);
            t.state = TaskState.Proposed;
            emit ResultProposed(
                taskId,
                round,
                proposed,
                _s().votes[taskId][round][proposed],
                t.revealedSeats,
                challengeDeadline
            );
            return;
        }
        // Rounds are the first one, one per escalation and one per redraw, so the redraws used are the difference.
        bool redraw = t.noQuorumRule == NoQuorumRule.Redraw && round - t.escalations < t.maxRedraws;
        emit NoQuorum(taskId, round, t.revealedSeats, redraw);
        if (redraw) {
            _startRound(taskId, t, t.seats, t.quorum);
        } else {
            t.state = TaskState.Closing;
            _settle(taskId, t);
        }
    }

    /// @dev Penalizes and releases the round's members that missed the commit or reveal deadline. Revealers stay
    /// locked: whether they were right is known only when the task ends.
    function _settleDefaulters(uint256 taskId, Task storage t, uint256 round) private {
        uint256 recordCount = t.recordCount;
        mapping(uint256 index => Record) storage records = _s().records[taskId][round];
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
            }
        }
        _collect(t, collected);
    }

    /// @dev Ends the current round and starts the next with `seats` seats: stores the ended round's shape, resets the
    /// round counters and asks for a seed.
    function _startRound(uint256 taskId, Task storage t, uint256 seats, uint256 quorum) private {
        uint256 round = t.round;
        _s().rounds[taskId][round] = RoundInfo(t.seats, t.quorum, t.recordCount, t.escalations);
        t.round = uint8(round + 1);
        t.seats = uint16(seats);
        t.quorum = uint16(quorum);
        t.replacementDraws = 0;
        t.pendingSeats = uint16(seats);
        t.filledSeats = 0;
        t.committedSeats = 0;
        t.revealedSeats = 0;
        t.recordCount = 0;
        t.commitDeadline = 0;
        t.challengeDeadline = 0;
        t.proposedResult = bytes32(0);
        t.state = TaskState.Drawing;
        _rearmSeed(taskId, t);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Challenges
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ITaskManager.challenge`. Not pausable: a pause must never let a wrong result through.
    function challenge(
        uint256 taskId,
        bytes32 claimedResult,
        uint256 bond
    ) external nonReentrant onlyDelegated returns (uint256 step) {
        Task storage t = _task(taskId);
        step = t.escalations;
        TaskState state = t.state;
        // While an escalation is being drawn or sits, the round it answers has had its one challenge.
        if (step != 0 && (state == TaskState.Drawing || state == TaskState.Committing)) {
            Challenge storage last = _s().challenges[taskId][step];
            revert TaskManagerAlreadyChallenged(taskId, last.challengedRound, last.challenger);
        }
        uint256 round = t.round;
        require(state == TaskState.Proposed, TaskManagerWrongPhase(taskId, _phase(t), Phase.Challengeable));
        {
            // A committee does not overturn a result a game produced: a one-step check outranks a vote.
            uint256 top = _topGameOf(t);
            require(top == 0, TaskManagerResultFromGame(taskId, top));
        }
        require(step < t.maxEscalations, TaskManagerNoEscalationLeft(taskId, round, t.maxEscalations));
        uint256 deadline = t.challengeDeadline;
        require(block.number <= deadline, TaskManagerChallengeWindowClosed(taskId, deadline, block.number));
        bytes32 proposed = t.proposedResult;
        require(
            claimedResult != bytes32(0) && claimedResult != proposed,
            TaskManagerClaimNotDifferent(taskId, proposed)
        );
        uint256 floor = _challengeBondFloor(t);
        require(bond >= floor, TaskManagerChallengeBondTooLow(bond, floor));
        _checkBounds("bond", bond, floor, type(uint96).max);

        ++step;
        _s().challenges[taskId][step] = Challenge({
            challenger: msg.sender,
            bond: uint96(bond),
            claimedResult: claimedResult,
            challengedRound: uint8(round),
            openedRound: uint8(round + 1),
            outcome: ChallengeOutcome.Pending,
            bonusPerSeat: 0,
            payout: 0
        });
        _s().escrowed += bond;
        uint256 seats = 2 * uint256(t.seats) + 1;
        emit Challenged(
            taskId,
            step,
            msg.sender,
            round,
            proposed,
            claimedResult,
            bond,
            round + 1,
            seats,
            seats / 2 + 1
        );
        // The ended round keeps its own step in `roundOf`; the new round is the first of step `step`.
        _startRound(taskId, t, seats, seats / 2 + 1);
        t.escalations = uint8(step);
        _pullExactly(msg.sender, bond);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bisection games (ladder step 3)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ITaskManager.challengeByGame`. Not pausable, as `challenge`.
    function challengeByGame(
        uint256 taskId,
        bytes32 claimedResult,
        uint256 bond,
        bytes calldata input
    ) external nonReentrant onlyDelegated returns (uint256 game) {
        Task storage t = _task(taskId);
        game = _checkGameChallenge(taskId, t, claimedResult, bond, input);
        GameChallenge storage c = _openGameChallenge(taskId, t, game, claimedResult, bond);
        // The game contract is the one the admin set once: it holds no tokens and makes no callbacks. Its id is only
        // known from the call, so it is stored after it.
        c.gameId = uint64(_createGame(_s().taskGames[taskId], c, input));
        _emitGameChallenged(taskId, game, c);
        _pullExactly(msg.sender, bond);
    }

    function _emitGameChallenged(uint256 taskId, uint256 game, GameChallenge storage c) private {
        emit GameChallenged(
            taskId,
            game,
            c.challenger,
            c.defendedResult,
            c.claimedResult,
            c.bond,
            c.gameId,
            c.defender
        );
    }

    /// @dev Records game challenge `game` and puts the task in play. A result a game produced is defended by that
    /// game's winner; a committee's by one of its revealers (`defendGame`).
    function _openGameChallenge(
        uint256 taskId,
        Task storage t,
        uint256 game,
        bytes32 claimedResult,
        uint256 bond
    ) private returns (GameChallenge storage c) {
        Layout storage store = _s();
        uint256 top = _topGameOf(t);
        c = store.gameChallenges[taskId][game];
        c.challenger = msg.sender;
        c.bond = uint96(bond);
        c.claimedResult = claimedResult;
        c.defendedResult = t.proposedResult;
        if (top != 0) c.defender = store.gameChallenges[taskId][top].challenger;
        store.escrowed += bond;
        t.state = TaskState.Gaming;
        t.gameFlags = uint8(_GAME_ENABLED | (game << 1) | (top << 3));
    }

    /// @dev The requirements of a game challenge, in the order `ITaskManager.challengeByGame` lists them; returns the
    /// game's number.
    function _checkGameChallenge(
        uint256 taskId,
        Task storage t,
        bytes32 claimedResult,
        uint256 bond,
        bytes calldata input
    ) private view returns (uint256 game) {
        require(t.state == TaskState.Proposed, TaskManagerWrongPhase(taskId, _phase(t), Phase.Challengeable));
        require(t.gameFlags & _GAME_ENABLED != 0, TaskManagerGameUnavailable(taskId, t.programId));
        game = _gamesOf(t) + 1;
        require(game <= MAX_GAMES, TaskManagerNoGameLeft(taskId, MAX_GAMES));
        uint256 deadline = t.challengeDeadline;
        require(block.number <= deadline, TaskManagerChallengeWindowClosed(taskId, deadline, block.number));
        bytes32 proposed = t.proposedResult;
        require(
            claimedResult != bytes32(0) && claimedResult != proposed,
            TaskManagerClaimNotDifferent(taskId, proposed)
        );
        bytes32 actual = keccak256(input);
        require(actual == t.inputHash, TaskManagerInputHashMismatch(t.inputHash, actual));
        uint256 floor = _gameBondFloor(t);
        require(bond >= floor, TaskManagerChallengeBondTooLow(bond, floor));
        _checkBounds("bond", bond, floor, type(uint96).max);
    }

    function _createGame(TaskGame storage tg, GameChallenge storage c, bytes calldata input) private returns (uint256) {
        IBisectionGameTypes.GameSetup memory setup = IBisectionGameTypes.GameSetup({
            verifier: IStepVerifier(tg.verifier),
            defender: c.defender,
            challenger: msg.sender,
            defenderClaim: c.defendedResult,
            challengerClaim: c.claimedResult,
            clockBlocks: tg.clockBlocks,
            extensionBlocks: tg.extensionBlocks
        });
        return IBisectionGame(_s().bisectionGame).createGame(setup, input);
    }

    /// @notice See `ITaskManager.defendGame`.
    function defendGame(uint256 taskId, uint256 index) external nonReentrant onlyDelegated {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.InGame);
        uint256 game = _gamesOf(t);
        GameChallenge storage c = _s().gameChallenges[taskId][game];
        require(c.defender == address(0), TaskManagerGameDefended(taskId, game, c.defender));
        uint256 round = t.round;
        Record storage r = _heldRecord(taskId, round, index);
        _expectStatus(taskId, index, r.status, RecordStatus.Revealed);
        bytes32 proposed = t.proposedResult;
        require(r.sealedHash == proposed, TaskManagerNotProposedResult(taskId, index, r.sealedHash, proposed));
        c.defender = msg.sender;
        c.defenderRound = uint8(round);
        c.defenderIndex = uint16(index);
        emit GameDefended(taskId, game, msg.sender, round, index);
        IBisectionGame(_s().bisectionGame).assignDefender(c.gameId, msg.sender);
    }

    /// @notice See `ITaskManager.settleGame`.
    function settleGame(uint256 taskId) external nonReentrant onlyDelegated {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.InGame);
        uint256 game = _gamesOf(t);
        Layout storage store = _s();
        GameChallenge storage c = store.gameChallenges[taskId][game];
        IBisectionGameTypes.Side winner = IBisectionGame(store.bisectionGame).gameOf(c.gameId).winner;
        require(winner != IBisectionGameTypes.Side.None, TaskManagerGameNotOver(taskId, game, c.gameId));
        uint256 top = _topGameOf(t);
        address loser;
        if (winner == IBisectionGameTypes.Side.Challenger) {
            // The challenger's claim replaces the proposed result; its bond stays escrowed until the task is final.
            loser = c.defender;
            t.proposedResult = c.claimedResult;
            t.gameFlags = uint8(_GAME_ENABLED | (game << 1) | (game << 3));
        } else {
            loser = c.challenger;
            _loseGameChallenge(taskId, t, game, c);
        }
        t.state = TaskState.Proposed;
        uint256 challengeDeadline = block.number + (_challengeable(t) ? t.challengeBlocks : 0);
        t.challengeDeadline = uint64(challengeDeadline);
        if (winner == IBisectionGameTypes.Side.Challenger) _defeatDefender(taskId, t, c, top);
        emit GameSettled(taskId, game, uint8(winner), loser, t.proposedResult, challengeDeadline);
    }

    /// @dev A challenger that lost its game pays its bond to the defender, whose work it imposed (to the task's pot if
    /// there was none: an empty trace decided at once).
    function _loseGameChallenge(uint256 taskId, Task storage t, uint256 game, GameChallenge storage c) private {
        c.outcome = ChallengeOutcome.Lost;
        uint256 bond = c.bond;
        emit GameChallengeSettled(taskId, game, c.challenger, ChallengeOutcome.Lost, 0);
        if (c.defender == address(0)) {
            t.slashPot = (uint256(t.slashPot) + bond).toUint128();
        } else {
            _s().escrowed -= bond;
            _credit(c.defender, bond);
        }
    }

    /// @dev The defender of a result a challenger's game defeated pays: a previous game winner forfeits its bond
    /// (burned or to the treasury, never to the new winner, so a party playing both sides pays for every flip); a
    /// member is slashed for the game as for a wrong result, and its seats no longer count for the result it
    /// defended. A defender that never showed up loses nothing here (its result's revealers are slashed when the task
    /// ends with another result).
    function _defeatDefender(uint256 taskId, Task storage t, GameChallenge storage c, uint256 top) private {
        Layout storage store = _s();
        if (top != 0) {
            GameChallenge storage previous = store.gameChallenges[taskId][top];
            previous.outcome = ChallengeOutcome.Lost;
            uint256 bond = previous.bond;
            store.escrowed -= bond;
            emit GameChallengeSettled(taskId, top, previous.challenger, ChallengeOutcome.Lost, 0);
            if (!t.burnRemainder) _credit(_treasury(), bond);
            else _TOKEN.safeTransfer(BURN_ADDRESS, bond);
        } else if (c.defender != address(0)) {
            (uint256 round, uint256 index) = (c.defenderRound, c.defenderIndex);
            Record storage r = store.records[taskId][round][index];
            r.status = RecordStatus.Lost;
            store.votes[taskId][round][r.sealedHash] -= r.seats;
            _collectWrong(t, _penalize(taskId, t, round, index, r, PenaltyReason.LostGame));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Ending a task
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ITaskManager.expire`.
    function expire(uint256 taskId) external nonReentrant onlyDelegated {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingSeed);
        uint256 expiresAt = t.expiresAt;
        require(block.number > expiresAt, TaskManagerNotExpired(taskId, expiresAt, block.number));
        emit TaskExpired(taskId, t.round, expiresAt);
        // No reveal happened in a round still waiting for its committee, so no result is proposed: a refund.
        t.state = TaskState.Closing;
        _settle(taskId, t);
    }

    /// @notice See `ITaskManager.finalize`.
    function finalize(uint256 taskId) external nonReentrant onlyDelegated returns (bool done) {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.AwaitingFinalization);
        t.state = TaskState.Closing;
        return _settle(taskId, t);
    }

    /// @dev Settles up to `SETTLE_BATCH` records, from the stored cursor on, across every round of the task: with a
    /// final result (the proposed one), its revealers are released (`Won`) and the others slashed (`Lost`); without
    /// one, every locked record is released. When the last record is done, pays out and ends the task.
    function _settle(uint256 taskId, Task storage t) private returns (bool done) {
        bytes32 result = t.proposedResult;
        Cursor memory c = Cursor(t.settleRound, t.settleIndex, 0, 0);
        uint256 lastRound = t.round;
        for (; c.round <= lastRound; ++c.round) {
            uint256 count = _recordCountOf(taskId, t, c.round);
            mapping(uint256 index => Record) storage records = _s().records[taskId][c.round];
            for (; c.index < count; ++c.index) {
                if (c.visited == SETTLE_BATCH) {
                    _collectWrong(t, c.wrongSlashed);
                    t.settleRound = uint8(c.round);
                    t.settleIndex = uint16(c.index);
                    emit SettlementProgress(taskId, c.round, c.index);
                    return false;
                }
                ++c.visited;
                _settleRecord(taskId, t, c, records[c.index], result);
            }
            c.index = 0;
        }
        _collectWrong(t, c.wrongSlashed);
        if (result == bytes32(0)) _refund(taskId, t);
        else _distribute(taskId, t, result);
        return true;
    }

    function _settleRecord(uint256 taskId, Task storage t, Cursor memory c, Record storage r, bytes32 result) private {
        RecordStatus status = r.status;
        // Committed records remain only in a round that expired while waiting for replacements: they did their part.
        if (status == RecordStatus.Committed || (status == RecordStatus.Revealed && result == bytes32(0))) {
            r.status = RecordStatus.Released;
            _release(t, r);
        } else if (status == RecordStatus.Revealed) {
            if (r.sealedHash == result) {
                r.status = RecordStatus.Won;
                _release(t, r);
            } else {
                r.status = RecordStatus.Lost;
                c.wrongSlashed += _penalize(taskId, t, c.round, c.index, r, PenaltyReason.WrongResult);
            }
        }
    }

    function _collectWrong(Task storage t, uint256 amount) private {
        if (amount == 0) return;
        t.wrongSlashed = (uint256(t.wrongSlashed) + amount).toUint104();
        _collect(t, amount);
    }

    /// @dev No result: the requester gets its reward back, the challengers their bonds, the treasury the penalties.
    function _refund(uint256 taskId, Task storage t) private {
        uint256 reward = t.reward;
        uint256 pot = t.slashPot;
        uint256 bonds;
        uint256 steps = t.escalations;
        for (uint256 k = 1; k <= steps; ++k) {
            Challenge storage ch = _s().challenges[taskId][k];
            uint256 bond = ch.bond;
            bonds += bond;
            ch.outcome = ChallengeOutcome.Refunded;
            ch.payout = uint96(bond);
            _credit(ch.challenger, bond);
            emit ChallengeSettled(taskId, k, ch.challenger, ChallengeOutcome.Refunded, bond, 0);
        }
        t.state = TaskState.Refunded;
        _s().escrowed -= reward + pot + bonds;
        // The requester gets its whole escrow back: the failure was the committee's, not its own.
        _credit(t.requester, reward);
        _credit(_treasury(), pot);
        emit TaskRefunded(taskId, t.requester, reward, pot);
    }

    /// @dev A final result: pays the challengers, fixes the honest seats' reward, and burns or credits the rest. The
    /// slashed stake pays, in order, the winning challengers' bounties, the honest pot, then the remainder.
    function _distribute(uint256 taskId, Task storage t, bytes32 result) private {
        uint256 wrong = t.wrongSlashed;
        uint256 steps = t.escalations;
        (uint256[4] memory stepSeats, uint256 winningSeats) = _winningSeats(taskId, t, result);
        Split memory s;
        for (uint256 k = 1; k <= steps; ++k) {
            if (_s().challenges[taskId][k].claimedResult == result) ++s.winners;
        }
        // A result a game produced is its challenger's claim: that challenger is a winner too.
        uint256 top = _topGameOf(t);
        if (top != 0) ++s.winners;
        uint256 bounties = s.winners == 0 ? 0 : (wrong * t.bountyBps) / RewardMath.BPS;
        s.bountyEach = s.winners == 0 ? 0 : bounties / s.winners;
        uint256 honestShare = (wrong * t.honestShareBps) / RewardMath.BPS;
        // Penalties for missed deadlines join the reward, as they do without a dispute.
        s.honestPot = uint256(t.reward) + (uint256(t.slashPot) - wrong) + honestShare;
        s.remainder = wrong - s.bountyEach * s.winners - honestShare;
        for (uint256 k = 1; k <= steps; ++k) _settleChallenge(taskId, k, result, stepSeats[k], s);
        if (top != 0) _settleGameWinner(taskId, top, s, winningSeats);

        // No winning seat only when a game produced the result nobody revealed: the winner took the pot above.
        uint256 perSeat = winningSeats == 0 ? 0 : s.honestPot / winningSeats;
        uint256 paid = perSeat * winningSeats;
        t.rewardPerSeat = perSeat.toUint128();
        t.state = TaskState.Finalized;
        Layout storage store = _s();
        store.escrowed -= uint256(t.reward) + t.slashPot + s.bonds;
        store.unclaimedRewards += paid + s.bonuses;
        _credit(_treasury(), s.honestPot - paid);
        bool burn = t.burnRemainder;
        if (!burn) _credit(_treasury(), s.remainder);
        emit SlashesDistributed(taskId, wrong, s.bountyEach * s.winners, honestShare, s.remainder, burn);
        emit TaskFinalized(taskId, result, winningSeats, perSeat, s.honestPot - paid);
        if (burn && s.remainder != 0) _TOKEN.safeTransfer(BURN_ADDRESS, s.remainder);
    }

    /// @dev The game challenger whose claim is final gets its bond and bounty back, and the honest pot as well when no
    /// seat revealed the result (it computed what no committee did). Other game challenges were settled with their
    /// games.
    function _settleGameWinner(uint256 taskId, uint256 top, Split memory s, uint256 winningSeats) private {
        GameChallenge storage c = _s().gameChallenges[taskId][top];
        uint256 bond = c.bond;
        s.bonds += bond;
        uint256 payout = bond + s.bountyEach;
        if (winningSeats == 0) {
            payout += s.honestPot;
            s.honestPot = 0;
        }
        c.outcome = ChallengeOutcome.Won;
        c.payout = payout;
        _credit(c.challenger, payout);
        emit GameChallengeSettled(taskId, top, c.challenger, ChallengeOutcome.Won, payout);
    }

    /// @dev A won challenge gets its bond and bounty credited; a lost one's bond goes to the seats of its step that
    /// revealed the final result (to the honest pot if there are none, the rounding dust to the remainder).
    function _settleChallenge(uint256 taskId, uint256 k, bytes32 result, uint256 answering, Split memory s) private {
        Challenge storage ch = _s().challenges[taskId][k];
        uint256 bond = ch.bond;
        s.bonds += bond;
        if (ch.claimedResult == result) {
            uint256 payout = bond + s.bountyEach;
            ch.outcome = ChallengeOutcome.Won;
            ch.payout = payout.toUint96();
            _credit(ch.challenger, payout);
            emit ChallengeSettled(taskId, k, ch.challenger, ChallengeOutcome.Won, payout, 0);
            return;
        }
        uint256 bonus;
        if (answering == 0) {
            s.honestPot += bond;
        } else {
            bonus = bond / answering;
            s.bonuses += bonus * answering;
            s.remainder += bond - bonus * answering;
        }
        ch.outcome = ChallengeOutcome.Lost;
        ch.bonusPerSeat = uint128(bonus);
        emit ChallengeSettled(taskId, k, ch.challenger, ChallengeOutcome.Lost, 0, bonus);
    }

    /// @dev The seats that revealed `result`, per ladder step and in all.
    function _winningSeats(
        uint256 taskId,
        Task storage t,
        bytes32 result
    ) private view returns (uint256[4] memory stepSeats, uint256 total) {
        uint256 lastRound = t.round;
        for (uint256 r; r <= lastRound; ++r) {
            uint256 seats = _s().votes[taskId][r][result];
            stepSeats[_stepOf(taskId, t, r)] += seats;
            total += seats;
        }
    }

    function _stepOf(uint256 taskId, Task storage t, uint256 round) private view returns (uint256) {
        return round == t.round ? t.escalations : _s().rounds[taskId][round].step;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Claims (pull payments, rule 8)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See `ITaskManager.claimReward`.
    function claimReward(
        uint256 taskId,
        uint256 round,
        uint256 index
    ) external nonReentrant onlyDelegated returns (uint256 amount) {
        Task storage t = _task(taskId);
        _expectPhase(taskId, t, Phase.Finalized);
        Record storage r = _heldRecord(taskId, round, index);
        _expectStatus(taskId, index, r.status, RecordStatus.Won);
        r.status = RecordStatus.Claimed;
        uint256 perSeat = t.rewardPerSeat;
        uint256 step = _stepOf(taskId, t, round);
        if (step != 0) perSeat += _s().challenges[taskId][step].bonusPerSeat;
        amount = perSeat * r.seats;
        _s().unclaimedRewards -= amount;
        emit RewardClaimed(taskId, msg.sender, round, index, amount);
        _TOKEN.safeTransfer(msg.sender, amount);
    }
}
