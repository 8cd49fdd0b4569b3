// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// The handler shares this file: the runner identifies fuzz targets by their artifacts, and Hardhat emits artifacts
// for the contracts of `*.t.sol` files only.
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {SecurityPool} from "../contracts/SecurityPool.sol";
import {TaskManager} from "../contracts/TaskManager.sol";
import {IRandomnessSource} from "../contracts/interfaces/IRandomnessSource.sol";
import {ISecurityPool, ISecurityPoolTypes} from "../contracts/interfaces/ISecurityPool.sol";
import {ITaskManagerErrors, ITaskManagerTypes} from "../contracts/interfaces/ITaskManager.sol";
import {Commitments} from "../contracts/libraries/Commitments.sol";
import {SortitionTree} from "../contracts/libraries/SortitionTree.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";
import {BlockhashRandomness} from "../contracts/randomness/BlockhashRandomness.sol";

import {Test} from "./utils/Test.sol";

/// @title TaskFixture
/// @notice The task system both suites use: a token, a pool with 16-block epochs whose last 4 blocks are the draw
/// window, the real blockhash randomness source (lookahead 1) and the task manager, wired with their roles.
/// @dev The runner serves non-zero hashes for the blocks `vm.roll` skips over (checked: `blockhash` of a skipped
/// block inside the 256-block horizon is non-zero), so the real `BlockhashRandomness` works here and no mock
/// randomness source is needed.
abstract contract TaskFixture is Test, ITaskManagerTypes {
    uint256 internal constant UNIT = 1000;
    uint256 internal constant MIN_STAKE = 2000;
    uint256 internal constant SEAT_BOND = 1000;
    uint256 internal constant EPOCH_BLOCKS = 16;
    uint256 internal constant DRAW_WINDOW_BLOCKS = 4;
    /// @dev Above the longest task the suites post: windows of at most 12 blocks, 2 replacement draws, 1 redraw and
    /// up to 3 escalations give a life bound of 5 rounds of 3 * (3 * 16 + 12) + 12 blocks plus 4 challenge windows of
    /// 12: 1,008 blocks.
    uint256 internal constant UNBONDING_PERIOD = 1_100;
    uint256 internal constant LOOKAHEAD = 1;
    uint256 internal constant BPS = 10_000;
    address internal constant TREASURY = address(0x7EA5);

    TestToken internal token;
    SecurityPool internal pool;
    BlockhashRandomness internal randomness;
    TaskManager internal manager;

    function _deploy(Config memory cfg) internal {
        token = new TestToken("Cohort Stake", "CST");
        pool = new SecurityPool(
            IERC20(address(token)),
            address(this),
            UNIT,
            EPOCH_BLOCKS,
            DRAW_WINDOW_BLOCKS,
            ISecurityPoolTypes.Parameters({
                minStake: MIN_STAKE,
                seatBond: SEAT_BOND,
                unbondingPeriod: UNBONDING_PERIOD,
                treasury: TREASURY
            })
        );
        randomness = new BlockhashRandomness(address(this), LOOKAHEAD);
        manager = new TaskManager(
            ISecurityPool(address(pool)),
            IRandomnessSource(address(randomness)),
            address(this),
            cfg
        );
        pool.grantRole(pool.SEAT_MANAGER_ROLE(), address(manager));
        pool.grantRole(pool.SLASHER_ROLE(), address(manager));
        randomness.grantRole(randomness.CONSUMER_ROLE(), address(manager));
        vm.label(address(pool), "pool");
        vm.label(address(manager), "manager");
        vm.label(TREASURY, "treasury");
    }
}

/// @title TaskMath
/// @notice The spec's arithmetic, written independently of `RewardMath`, for the expected values of the tests.
library TaskMath {
    /// @notice The penalty the rules call for: `ceil(seats * bond * bps / 10,000)`.
    /// @param seats The record's seats.
    /// @param bond The seat bond.
    /// @param bps The penalty share.
    /// @return The requested penalty.
    function requested(uint256 seats, uint256 bond, uint256 bps) internal pure returns (uint256) {
        return (seats * bond * bps + 9_999) / 10_000;
    }

    /// @notice What the pool can take from a worker: its active stake plus its unbonding stake while slashable.
    /// @param s The worker's position.
    /// @return The slashable stake.
    function available(ISecurityPoolTypes.StakeInfo memory s) internal view returns (uint256) {
        return s.active + (block.number <= s.unbondingEnd ? s.unbonding : 0);
    }

    /// @notice The smaller of two values.
    /// @param a One value.
    /// @param b The other.
    /// @return The minimum.
    function min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}

/// @title TaskSplit
/// @notice The final split of a task with a result, recomputed from the spec (`ITaskManager.finalize`) out of the
/// manager's views: the stake slashed from wrong revealers (`wrongSlashed`) pays the winning challengers' equal
/// bounties (`bountyBps`), then the honest pot's share (`honestShareBps`), then the remainder; the honest pot (reward,
/// missed-deadline penalties, that share, and the bonds of lost challenges no seat of their step answered) goes
/// `floor(pot / winningSeats)` per seat that revealed the final result in any round, the dust to the treasury; a lost
/// challenge's bond goes `floor(bond / answering)` per answering seat, its rounding dust to the remainder.
library TaskSplit {
    /// @notice What the split adds up to.
    /// @param winningSeats The seats that revealed the final result, over every round.
    /// @param stepSeats Those seats per step of the escalation ladder.
    /// @param winners The challenges whose claim is the final result.
    /// @param bountyEach The bounty of each of them.
    /// @param honestShare The wrong slashes' share of the honest pot.
    /// @param honestPot What the winning seats share.
    /// @param remainder What is burned or credited to the treasury.
    /// @param rewardPerSeat `floor(honestPot / winningSeats)`.
    /// @param dust `honestPot - rewardPerSeat * winningSeats`.
    /// @param bonuses The lost bonds paid per answering seat, in all.
    /// @param bonds Every challenge bond.
    struct Split {
        uint256 winningSeats;
        uint256[4] stepSeats;
        uint256 winners;
        uint256 bountyEach;
        uint256 honestShare;
        uint256 honestPot;
        uint256 remainder;
        uint256 rewardPerSeat;
        uint256 dust;
        uint256 bonuses;
        uint256 bonds;
    }

    /// @notice The split of task `id`, whose final result is its proposed one.
    /// @param manager The task manager.
    /// @param id The task.
    /// @return s The split.
    function compute(TaskManager manager, uint256 id) internal view returns (Split memory s) {
        ITaskManagerTypes.TaskInfo memory t = manager.taskOf(id);
        bytes32 result = t.proposedResult;
        for (uint256 r; r <= t.round; ++r) {
            uint256 votes = manager.votesFor(id, r, result);
            s.stepSeats[manager.roundOf(id, r).step] += votes;
            s.winningSeats += votes;
        }
        for (uint256 k = 1; k <= t.escalations; ++k) {
            if (manager.challengeOf(id, k).claimedResult == result) ++s.winners;
        }
        uint256 wrong = t.wrongSlashed;
        if (s.winners != 0) s.bountyEach = (wrong * t.config.bountyBps) / 10_000 / s.winners;
        s.honestShare = (wrong * t.config.honestShareBps) / 10_000;
        s.honestPot = t.reward + (t.slashPot - wrong) + s.honestShare;
        s.remainder = wrong - s.bountyEach * s.winners - s.honestShare;
        for (uint256 k = 1; k <= t.escalations; ++k) {
            ITaskManagerTypes.Challenge memory c = manager.challengeOf(id, k);
            s.bonds += c.bond;
            if (c.claimedResult == result) continue;
            uint256 answering = s.stepSeats[k];
            if (answering == 0) {
                s.honestPot += c.bond;
            } else {
                uint256 bonus = c.bond / answering;
                s.bonuses += bonus * answering;
                s.remainder += c.bond - bonus * answering;
            }
        }
        s.rewardPerSeat = s.honestPot / s.winningSeats;
        s.dust = s.honestPot - s.rewardPerSeat * s.winningSeats;
    }

    /// @notice What challenge `k` gets paid per answering seat (0 unless it lost to seats of its step).
    /// @param s The split.
    /// @param c The challenge.
    /// @param k Its step.
    /// @param result The final result.
    /// @return The bonus per seat.
    function bonusOf(
        Split memory s,
        ITaskManagerTypes.Challenge memory c,
        uint256 k,
        bytes32 result
    ) internal pure returns (uint256) {
        if (c.claimedResult == result || s.stepSeats[k] == 0) return 0;
        return c.bond / s.stepSeats[k];
    }

    /// @notice What a won record of round `round` can claim per seat: the reward per seat plus its step's bonus.
    /// @param manager The task manager.
    /// @param id The task (finalized).
    /// @param round The record's round.
    /// @return The tokens per seat.
    function perSeatOf(TaskManager manager, uint256 id, uint256 round) internal view returns (uint256) {
        uint256 step = manager.roundOf(id, round).step;
        uint256 bonus = step == 0 ? 0 : manager.challengeOf(id, step).bonusPerSeat;
        return manager.taskOf(id).rewardPerSeat + bonus;
    }
}

/// @title TaskManagerHandler
/// @notice The invariant fuzzer's only target: drives requesters, eight unevenly staked workers, two challengers and
/// anyone through valid calls of every task and pool action, moves the chain to the blocks each step needs, and checks
/// each call's exact effect (penalties, splits, credits, challenges) against its own arithmetic.
/// @dev Every call that should succeed is made through try/catch; a surprise (a revert, a wrong effect) is recorded
/// as a violation that `invariant_handlerSawNoViolation` reports by name. The handler itself never reverts, so the
/// invariants run with `failOnRevert = true`. Members commit the honest result, one of two wrong results, or stay
/// absent; committed members reveal or stay silent, so every penalty path runs. Challengers claim the honest result,
/// a wrong one, or (to check the named refusals) the proposed one, nothing, or a bond below the floor. The handler
/// holds the admin role, so the rules of new tasks (escalations, bounty and honest shares, bond floor, burning)
/// change between tasks.
contract TaskManagerHandler is Test, ITaskManagerTypes {
    /// @notice What a settling call penalizes: no-shows (`replaceNoShows`), defaulters (`tally`).
    enum Settle {
        NoShows,
        Defaulters
    }

    /// @dev What the parties of a task are owed before a call, to check what the call credited.
    struct Ledger {
        uint256 requesterCredit;
        uint256 treasuryCredit;
        uint256[2] challengerCredit;
        uint256 burned;
    }

    /// @dev The challenge action's inputs and what it expects, kept in memory to stay within the stack.
    struct ChallengeCall {
        uint256 id;
        address challenger;
        bytes32 claimed;
        uint256 bond;
        uint256 held;
        bytes expectedError;
    }

    uint256 private constant ACTORS = 8;
    uint256 private constant REQUESTERS = 2;
    uint256 private constant CHALLENGERS = 2;
    uint256 private constant MAX_TASKS = 10;
    uint256 private constant MAX_TASK_SEATS = 8;
    uint256 private constant MAX_WINDOW = 12;
    address private constant BURN = 0x000000000000000000000000000000000000dEaD;

    TaskManager private immutable _MANAGER;
    SecurityPool private immutable _POOL;
    BlockhashRandomness private immutable _RANDOMNESS;
    TestToken private immutable _TOKEN;
    address private immutable _TREASURY;
    uint256 private immutable _UNIT;
    uint256 private immutable _MIN_STAKE;

    address[ACTORS] private _actors;
    address[REQUESTERS] private _requesters;
    address[CHALLENGERS] private _challengers;

    /// @notice Ghost: every token minted (to requesters, workers and challengers); the token's supply must equal it.
    uint256 public ghostMinted;
    /// @notice Ghost: every reward token claimed from the manager.
    uint256 public ghostRewardsClaimed;
    /// @notice Ghost: every credit token claimed from the manager.
    uint256 public ghostCreditsClaimed;
    /// @dev The result hash each committed record sealed, so it can be revealed.
    mapping(uint256 taskId => mapping(uint256 round => mapping(uint256 index => bytes32))) private _sealed;

    /// @notice How many checks failed.
    uint256 public violations;
    /// @notice What the first failed check was.
    string public firstViolation;
    /// @notice Successful calls per action, to see what a campaign covered.
    mapping(bytes32 action => uint256) public calls;

    /// @notice Names the actors and stakes the eight workers unevenly (20, 12, 8, 5, 3, 2, 10 and 6 seat bonds' worth).
    /// @param manager_ The task manager under test.
    /// @param token_ The stake and payment token (anyone can mint it).
    constructor(TaskManager manager_, TestToken token_) {
        _MANAGER = manager_;
        _POOL = SecurityPool(manager_.pool());
        _RANDOMNESS = BlockhashRandomness(manager_.randomness());
        _TOKEN = token_;
        ISecurityPoolTypes.Parameters memory params = _POOL.parameters();
        _TREASURY = params.treasury;
        _MIN_STAKE = params.minStake;
        _UNIT = _POOL.weightUnit();
        uint16[ACTORS] memory stakes = [uint16(20), 12, 8, 5, 3, 2, 10, 6];
        for (uint256 i; i < ACTORS; ++i) {
            _actors[i] = address(uint160(0xA0000 + i));
            _stakeFor(_actors[i], stakes[i] * params.seatBond);
        }
        for (uint256 i; i < REQUESTERS; ++i) {
            _requesters[i] = address(uint160(0xB0000 + i));
        }
        for (uint256 i; i < CHALLENGERS; ++i) {
            _challengers[i] = address(uint160(0xC0000 + i));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Task actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A requester posts a task with bounded seats (1-8), quorum, reward and windows (1-12 blocks).
    /// @param requesterSeed Picks the requester.
    /// @param seats The seats, bounded.
    /// @param quorumSeed The quorum, bounded to a strict majority.
    /// @param reward The reward, bounded to [seats, 10^9].
    /// @param windowSeed The three windows and the inline input.
    /// @param refund Whether a round without quorum refunds (else it redraws).
    function createTask(
        uint256 requesterSeed,
        uint256 seats,
        uint256 quorumSeed,
        uint256 reward,
        uint256 windowSeed,
        bool refund
    ) external {
        uint256 count = _MANAGER.taskCount();
        if (count >= MAX_TASKS) return;
        address requester = _requesters[requesterSeed % REQUESTERS];
        TaskRequest memory r = _request(seats, quorumSeed, reward, windowSeed, refund);
        _mint(requester, r.reward);
        vm.prank(requester);
        _TOKEN.approve(address(_MANAGER), r.reward);
        uint256 escrowed = _MANAGER.totals().escrowed;
        vm.prank(requester);
        try _MANAGER.createTask(r) returns (uint256 taskId) {
            _check(taskId, count + 1, "createTask: id");
            _check(_MANAGER.totals().escrowed, escrowed + r.reward, "createTask: escrowed");
            _check(uint256(_MANAGER.phaseOf(taskId)), uint256(Phase.AwaitingSeed), "createTask: phase");
            _check(_MANAGER.taskOf(taskId).maxEscalations, _ladderSteps(r.seats), "createTask: escalations allowed");
            ++calls["createTask"];
        } catch (bytes memory err) {
            _unexpected("createTask", err);
        }
    }

    /// @notice The admin changes the rules of new tasks: escalations (0-3), bounty and honest shares (together at
    /// most the whole), the bond floor per seat (1-1,000) and whether the remainder is burned. Live tasks keep theirs.
    /// @param seed Picks the rules.
    function setConfig(uint256 seed) external {
        Config memory cfg = _MANAGER.config();
        cfg.maxEscalations = uint8(seed % 4);
        cfg.bountyBps = uint16((seed >> 8) % 10_001);
        cfg.honestShareBps = uint16((seed >> 24) % (10_001 - uint256(cfg.bountyBps)));
        cfg.challengeBondPerSeat = uint96(1 + ((seed >> 40) % 1_000));
        cfg.burnRemainder = (seed >> 56) & 1 == 1;
        try _MANAGER.setConfig(cfg) {
            _check(_MANAGER.config().maxEscalations, cfg.maxEscalations, "setConfig: maxEscalations");
            ++calls["setConfig"];
        } catch (bytes memory err) {
            _unexpected("setConfig", err);
        }
    }

    /// @notice Anyone draws a waiting task's seats, after rolling to the block after its seed's target (the draw
    /// re-arms instead when the seed is stale). Three draws in four are followed by the members' commits at once, as
    /// live workers would, so that tasks often reach their reveal and final steps within a run.
    /// @param taskSeed Picks the task.
    /// @param behaviourSeed Whether the members commit at once, and how.
    function drawCommittee(uint256 taskSeed, uint256 behaviourSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.AwaitingSeed));
        if (id == 0) return;
        TaskInfo memory before = _MANAGER.taskOf(id);
        uint256 target = _RANDOMNESS.targetOf(before.requestId);
        if (block.number <= target) vm.roll(target + 1);
        // Past its life bound a waiting task can only expire.
        if (block.number > before.expiresAt) return _expire(id);
        bool emptyTree = _POOL.totals().weight == 0;
        try _MANAGER.drawCommittee(id) returns (bool drawn) {
            if (drawn) _checkDraw(id, before);
            if (drawn && behaviourSeed % 4 != 0) _commitAll(id, behaviourSeed >> 2);
            if (!drawn) {
                bool later = _RANDOMNESS.targetOf(before.requestId) > block.number;
                _check(later ? 1 : 0, 1, "drawCommittee: re-armed for a later block");
            }
            ++calls[drawn ? bytes32("drawCommittee") : bytes32("drawRearmed")];
        } catch (bytes memory err) {
            if (!emptyTree || bytes4(err) != SortitionTree.SortitionTreeEmpty.selector) {
                _unexpected("drawCommittee", err);
            }
        }
    }

    /// @notice The members of a committing task's assigned records commit: the honest result (6 in 8), a wrong one
    /// (1 in 8, one of two, so wrong results can also reach quorum) or nothing (1 in 8, absent). The committees of
    /// half the tasks (by input) are corrupt before any escalation: they commit wrong result 0 (6 in 8) or the honest
    /// one (1 in 8), so that challenges claiming the honest result can win.
    /// @param taskSeed Picks the task.
    /// @param behaviourSeed Picks each member's behaviour.
    function commit(uint256 taskSeed, uint256 behaviourSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Committing));
        if (id != 0) _commitAll(id, behaviourSeed);
    }

    function _commitAll(uint256 id, uint256 behaviourSeed) private {
        TaskInfo memory t = _MANAGER.taskOf(id);
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, t.round, i);
            if (r.status != RecordStatus.Assigned) continue;
            uint256 behaviour = uint256(keccak256(abi.encode(behaviourSeed, i))) % 8;
            if (behaviour == 0) continue;
            bool corrupt = t.escalations == 0 && uint256(t.inputHash) % 2 == 0;
            bytes32 usual = corrupt ? _wrongResult(id, 0) : _honestResult(id);
            bytes32 other = corrupt ? _honestResult(id) : _wrongResult(id, behaviourSeed % 2);
            _commit(id, t.round, i, r, behaviour == 1 ? other : usual);
        }
    }

    /// @notice The committed members of a task reveal what they sealed (7 in 8) or stay silent, after rolling past
    /// the commit deadline if needed.
    /// @param taskSeed Picks the task.
    /// @param behaviourSeed Picks who stays silent.
    function reveal(uint256 taskSeed, uint256 behaviourSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Committing) | _bit(Phase.Revealing));
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (block.number <= t.commitDeadline) vm.roll(t.commitDeadline + 1);
        if (_MANAGER.phaseOf(id) != Phase.Revealing) return;
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, t.round, i);
            if (r.status != RecordStatus.Committed) continue;
            if (uint256(keccak256(abi.encode(behaviourSeed, i))) % 8 == 0) continue;
            _reveal(id, t.round, i, r);
        }
    }

    /// @notice Anyone replaces a task's no-shows once its commit window closed with vacant seats; checks each
    /// no-show's penalty and the seats the next draw fills.
    /// @param taskSeed Picks the task.
    function replaceNoShows(uint256 taskSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Committing) | _bit(Phase.AwaitingReplacement));
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (block.number <= t.commitDeadline) vm.roll(t.commitDeadline + 1);
        if (_MANAGER.phaseOf(id) != Phase.AwaitingReplacement) return;
        uint256 penalties = _expectedPenalties(id, t, Settle.NoShows);
        try _MANAGER.replaceNoShows(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(a.slashPot, t.slashPot + penalties, "replaceNoShows: penalties");
            _check(a.pendingSeats, a.seats - t.committedSeats, "replaceNoShows: vacant seats");
            _check(a.filledSeats, t.committedSeats, "replaceNoShows: filled seats");
            _check(a.replacementDraws, t.replacementDraws + 1, "replaceNoShows: draws");
            _check(uint256(a.state), uint256(TaskState.Drawing), "replaceNoShows: state");
            ++calls["replaceNoShows"];
        } catch (bytes memory err) {
            _unexpected("replaceNoShows", err);
        }
    }

    /// @notice Anyone tallies a task after its reveal deadline (rolling there if needed); checks the penalties, and the
    /// proposal (with a challenge window unless no escalation is left), redraw or refund that follows.
    /// @param taskSeed Picks the task.
    function tally(uint256 taskSeed) external {
        uint256 mask = _bit(Phase.Committing) | _bit(Phase.Revealing) | _bit(Phase.AwaitingTally);
        uint256 id = _findTask(taskSeed, mask);
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (block.number <= t.revealDeadline) vm.roll(t.revealDeadline + 1);
        if (_MANAGER.phaseOf(id) != Phase.AwaitingTally) return;
        uint256 penalties = _expectedPenalties(id, t, Settle.Defaulters);
        Ledger memory before = _ledger(t);
        try _MANAGER.tally(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(a.slashPot, t.slashPot + penalties, "tally: penalties");
            if (a.state == TaskState.Refunded) {
                _checkRefund(id, a, before, "tally");
            } else if (a.state == TaskState.Proposed) {
                _check(_MANAGER.votesFor(id, a.round, a.proposedResult) >= a.quorum ? 1 : 0, 1, "tally: quorum");
                // After the last escalation the window is empty: the result is final at once.
                uint256 window = a.escalations < a.maxEscalations ? a.challengeBlocks : 0;
                _check(a.challengeDeadline, block.number + window, "tally: challenge deadline");
                bool open = _MANAGER.phaseOf(id) == Phase.Challengeable;
                _check(open ? 1 : 0, window != 0 ? 1 : 0, "tally: challengeable iff a window");
            } else if (a.state == TaskState.Drawing) {
                _check(a.round, t.round + 1, "tally: redraw round");
                _check(a.seats, t.seats, "tally: redraw keeps the round's seats");
                _check(a.pendingSeats, a.seats, "tally: redraw seats");
                _check(a.round - a.escalations <= a.config.maxRedraws ? 1 : 0, 1, "tally: redraws within the cap");
            } else {
                _check(uint256(a.state), uint256(TaskState.Closing), "tally: state");
            }
            ++calls["tally"];
        } catch (bytes memory err) {
            _unexpected("tally", err);
        }
    }

    /// @notice Someone challenges a proposed result with a bond: usually a valid challenge (the honest result or a
    /// wrong one claimed, a bond at or somewhat above the floor), sometimes one the manager must refuse with its named
    /// error (the proposed result or nothing claimed, a bond below the floor, a window that closed, no escalation
    /// left, an escalation already under way). The challenger is funded and approves the manager first.
    /// @param taskSeed Picks the task (and, 1 in 8, a task whose escalation is under way).
    /// @param claimSeed Picks the claimed result.
    /// @param challengerSeed Picks the challenger.
    /// @param bondSeed Picks the bond.
    function challenge(uint256 taskSeed, uint256 claimSeed, uint256 challengerSeed, uint256 bondSeed) external {
        uint256 mask =
            taskSeed % 8 == 0
                ? _bit(Phase.AwaitingSeed) | _bit(Phase.Committing)
                : _bit(Phase.Challengeable) | _bit(Phase.AwaitingFinalization);
        ChallengeCall memory c;
        c.id = _findTask(taskSeed >> 3, mask);
        if (c.id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(c.id);
        c.challenger = _challengers[challengerSeed % CHALLENGERS];
        // Mostly a result other than the proposed one (the honest result or a wrong one); one in sixteen each: no
        // result, or the proposed one.
        uint256 pick = claimSeed % 16;
        if (pick == 0) c.claimed = bytes32(0);
        else if (pick == 1) c.claimed = t.proposedResult;
        else c.claimed = _otherResult(c.id, t.proposedResult, pick);
        uint256 floor = t.challengeBondFloor;
        c.bond =
            bondSeed % 16 == 0 && floor != 0 ? floor - 1 : floor + ((bondSeed >> 4) % 4 == 0 ? 0 : bondSeed % 1_000);
        c.expectedError = _challengeError(t, c);
        c.held = _TOKEN.balanceOf(c.challenger);
        _mint(c.challenger, c.bond);
        vm.prank(c.challenger);
        _TOKEN.approve(address(_MANAGER), c.bond);
        uint256 escrowed = _MANAGER.totals().escrowed;
        vm.prank(c.challenger);
        try _MANAGER.challenge(c.id, c.claimed, c.bond) returns (uint256 step) {
            if (c.expectedError.length != 0) return _violation("challenge: accepted a challenge it must refuse");
            _checkChallenge(c, t, step, escrowed);
            ++calls["challenge"];
        } catch (bytes memory err) {
            if (keccak256(err) != keccak256(c.expectedError)) return _unexpected("challenge", err);
            ++calls["challengeRefused"];
        }
    }

    /// @notice Anyone finalizes a proposed task after its challenge window (rolling there if needed), or goes on with
    /// a settlement in progress, calling `finalize` until it reports the task ended; checks the slashes of every
    /// round's wrong revealers, the challengers' payouts, the reward per seat, the dust and the remainder.
    /// @param taskSeed Picks the task.
    function finalize(uint256 taskSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Challengeable) | _bit(Phase.AwaitingFinalization));
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (t.state == TaskState.Proposed && block.number <= t.challengeDeadline) vm.roll(t.challengeDeadline + 1);
        if (_MANAGER.phaseOf(id) != Phase.AwaitingFinalization) return _violation("finalize: not finalizable");
        uint256 wrong = t.proposedResult == bytes32(0) ? 0 : _expectedWrongSlashes(id, t);
        Ledger memory before = _ledger(t);
        bool done;
        for (uint256 call; call < 8 && !done; ++call) {
            try _MANAGER.finalize(id) returns (bool finished) {
                done = finished;
            } catch (bytes memory err) {
                return _unexpected("finalize", err);
            }
        }
        _check(done ? 1 : 0, 1, "finalize: ended within 8 calls");
        TaskInfo memory a = _MANAGER.taskOf(id);
        if (t.proposedResult == bytes32(0)) {
            _checkRefund(id, a, before, "finalize");
        } else {
            _check(a.slashPot, t.slashPot + wrong, "finalize: slashes");
            _check(a.wrongSlashed, t.wrongSlashed + wrong, "finalize: wrong slashed");
            _checkFinal(id, a, before);
        }
        ++calls["finalize"];
    }

    /// @notice Anyone expires a task still waiting for a committee past its life bound; one call in four first rolls
    /// there (every later draw of it is refused).
    /// @param taskSeed Picks the task (and whether to roll).
    function expire(uint256 taskSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.AwaitingSeed));
        if (id == 0) return;
        uint256 expiresAt = _MANAGER.taskOf(id).expiresAt;
        if (block.number <= expiresAt) {
            if (taskSeed % 4 != 0) return;
            vm.roll(expiresAt + 1);
        }
        _expire(id);
    }

    /// @notice Winners of a finalized task, in every round, claim their rewards (each with probability one half, so
    /// some stay unclaimed): the reward per seat plus the bonus of their ladder step.
    /// @param taskSeed Picks the task.
    /// @param claimSeed Picks who claims.
    function claimReward(uint256 taskSeed, uint256 claimSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Finalized));
        if (id == 0) return;
        uint256 lastRound = _MANAGER.taskOf(id).round;
        for (uint256 round; round <= lastRound; ++round) {
            uint256 perSeat = TaskSplit.perSeatOf(_MANAGER, id, round);
            uint256 count = _MANAGER.roundOf(id, round).recordCount;
            for (uint256 i; i < count; ++i) {
                Record memory r = _MANAGER.recordOf(id, round, i);
                if (r.status != RecordStatus.Won) continue;
                if (uint256(keccak256(abi.encode(claimSeed, round, i))) % 2 == 1) continue;
                _claim(id, round, i, r, perSeat);
            }
        }
    }

    function _claim(uint256 id, uint256 round, uint256 index, Record memory r, uint256 perSeat) private {
        uint256 balance = _TOKEN.balanceOf(r.member);
        vm.prank(r.member);
        try _MANAGER.claimReward(id, round, index) returns (uint256 amount) {
            _check(amount, perSeat * r.seats, "claimReward: amount");
            _check(_TOKEN.balanceOf(r.member), balance + amount, "claimReward: tokens received");
            ghostRewardsClaimed += amount;
            ++calls["claimReward"];
        } catch (bytes memory err) {
            _unexpected("claimReward", err);
        }
    }

    /// @notice Moves one task one to six whole steps on, whatever its phase: draws (and commits), commits and
    /// reveals, replaces no-shows, reveals and tallies, challenges (two in three) or finalizes a challengeable result,
    /// finalizes (and, one in eight, first tries a challenge the manager must refuse), claims. A run of 64 calls then
    /// often reaches the later steps of the escalation ladder, which single actions picked at random rarely do; half
    /// the calls move a challenged task that has not ended, if there is one.
    /// @param taskSeed Picks the task.
    /// @param seed Drives the steps' choices.
    function advance(uint256 taskSeed, uint256 seed) external {
        uint256 count = _MANAGER.taskCount();
        if (count == 0) return;
        uint256 start = taskSeed % count;
        if ((seed >> 128) % 2 == 0) {
            for (uint256 k; k < count; ++k) {
                uint256 id = 1 + ((start + k) % count);
                TaskInfo memory t = _MANAGER.taskOf(id);
                if (t.escalations == 0 || t.state == TaskState.Finalized || t.state == TaskState.Refunded) continue;
                start = id - 1;
                break;
            }
        }
        uint256 steps = 1 + (seed % 6);
        for (uint256 k; k < steps; ++k) _advance(start, uint256(keccak256(abi.encode(seed, k))));
        ++calls["advance"];
    }

    /// @dev One step of `advance`: each action finds its task from `start` on, and task `start + 1` is in the phase
    /// it looks for.
    function _advance(uint256 start, uint256 seed) private {
        Phase phase = _MANAGER.phaseOf(start + 1);
        if (phase == Phase.AwaitingSeed) {
            this.drawCommittee(start, seed);
        } else if (phase == Phase.Committing) {
            this.commit(start, seed);
            this.reveal(start, seed >> 8);
        } else if (phase == Phase.AwaitingReplacement) {
            this.replaceNoShows(start);
        } else if (phase == Phase.Revealing || phase == Phase.AwaitingTally) {
            if (phase == Phase.Revealing) this.reveal(start, seed >> 8);
            this.tally(start);
        } else {
            _advanceResult(start, seed, phase);
        }
    }

    /// @dev A step of `advance` once a result is proposed, or the task ended.
    function _advanceResult(uint256 start, uint256 seed, Phase phase) private {
        if (phase == Phase.Challengeable) {
            if (seed % 3 == 0) this.finalize(start);
            else this.challenge((start << 3) | 1, seed >> 16, seed >> 24, seed >> 32);
        } else if (phase == Phase.AwaitingFinalization) {
            if (seed % 8 == 0) this.challenge((start << 3) | 1, seed >> 16, seed >> 24, seed >> 32);
            this.finalize(start);
        } else if (phase == Phase.Finalized) {
            this.claimReward(start, seed);
        } else if (phase == Phase.Refunded) {
            this.claimCredit(seed);
        }
    }

    /// @notice A requester, the treasury, a challenger or a worker claims its credit (the next account with one).
    /// @param accountSeed Picks the account.
    function claimCredit(uint256 accountSeed) external {
        uint256 n = _accountCount();
        address account;
        for (uint256 k; k < n; ++k) {
            address candidate = _account((accountSeed % n) + k);
            if (_MANAGER.creditOf(candidate) != 0) {
                account = candidate;
                break;
            }
        }
        if (account == address(0)) return;
        uint256 owed = _MANAGER.creditOf(account);
        uint256 balance = _TOKEN.balanceOf(account);
        vm.prank(account);
        try _MANAGER.claimCredit() returns (uint256 amount) {
            _check(amount, owed, "claimCredit: amount");
            _check(_TOKEN.balanceOf(account), balance + owed, "claimCredit: tokens received");
            _check(_MANAGER.creditOf(account), 0, "claimCredit: credit left");
            ghostCreditsClaimed += amount;
            ++calls["claimCredit"];
        } catch (bytes memory err) {
            _unexpected("claimCredit", err);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pool actions
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice A worker stakes 1 to 10 weight units more (topped up to the minimum stake).
    /// @param actorSeed Picks the worker.
    /// @param amount The amount, bounded.
    function stake(uint256 actorSeed, uint256 amount) external {
        address a = _actors[actorSeed % ACTORS];
        uint256 active = _POOL.stakeOf(a).active;
        amount = bound(amount, 1, 10 * _UNIT);
        if (active + amount < _MIN_STAKE) amount = _MIN_STAKE - active;
        if (_stakeFor(a, amount)) ++calls["stake"];
    }

    /// @notice A worker unbonds part of its free stake, keeping the rest at zero or at least the minimum.
    /// @param actorSeed Picks the worker.
    /// @param amount The amount, bounded to what is allowed.
    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        address a = _actors[actorSeed % ACTORS];
        ISecurityPoolTypes.StakeInfo memory s = _POOL.stakeOf(a);
        uint256 free = s.active - s.locked;
        if (free == 0) return;
        // At most half the free stake, so that committees keep finding stake to lock.
        amount = bound(amount, 1, free / 2 + 1);
        uint256 remaining = s.active - amount;
        if (remaining != 0 && remaining < _MIN_STAKE) {
            if (s.locked != 0) return;
            amount = s.active;
        }
        vm.prank(a);
        try _POOL.requestUnstake(amount) {
            ++calls["requestUnstake"];
        } catch (bytes memory err) {
            _unexpected("requestUnstake", err);
        }
    }

    /// @notice A worker withdraws its unbonded stake; one call in four first rolls to the end of its unbonding period
    /// (which can expire the seeds of waiting tasks: they must re-arm).
    /// @param actorSeed Picks the worker.
    function withdraw(uint256 actorSeed) external {
        address a = _actors[actorSeed % ACTORS];
        ISecurityPoolTypes.StakeInfo memory s = _POOL.stakeOf(a);
        if (s.unbonding == 0) return;
        if (block.number <= s.unbondingEnd) {
            if (actorSeed % 4 != 0) return;
            vm.roll(s.unbondingEnd + 1);
        }
        vm.prank(a);
        try _POOL.withdraw() returns (uint256 amount) {
            _check(amount, s.unbonding, "withdraw: amount");
            ++calls["withdraw"];
        } catch (bytes memory err) {
            _unexpected("withdraw", err);
        }
    }

    /// @notice Anyone syncs a worker's weight outside a draw window (a stake made inside one waits for it).
    /// @param actorSeed Picks the worker.
    function syncWeight(uint256 actorSeed) external {
        if (_POOL.drawWindow().frozen) return;
        try _POOL.syncWeight(_actors[actorSeed % ACTORS]) {
            ++calls["syncWeight"];
        } catch (bytes memory err) {
            _unexpected("syncWeight", err);
        }
    }

    /// @notice A worker or the treasury claims slash credits from the pool, if any (the manager should leave none).
    /// @param accountSeed Picks the account.
    function poolClaim(uint256 accountSeed) external {
        address account = _account(accountSeed);
        if (_POOL.claimableOf(account) == 0) return;
        vm.prank(account);
        try _POOL.claim() {
            ++calls["poolClaim"];
        } catch (bytes memory err) {
            _unexpected("poolClaim", err);
        }
    }

    /// @notice Moves the chain forward by 1-24 blocks (epochs are 16 blocks, windows at most 12).
    /// @param blocks The blocks to skip, bounded.
    function roll(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 24));
        ++calls["roll"];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The workers, in order.
    /// @return actors_ The eight worker addresses.
    function actors() external view returns (address[ACTORS] memory actors_) {
        return _actors;
    }

    /// @notice Every account that can hold tokens or credits besides the pool, the manager and the burn address.
    /// @return list The workers, the requesters, the challengers and the treasury.
    function accounts() external view returns (address[] memory list) {
        uint256 n = _accountCount();
        list = new address[](n);
        for (uint256 i; i < n; ++i) list[i] = _account(i);
    }

    /// @notice The selectors the fuzzer may call.
    /// @return selectors The action functions of this handler.
    function actionSelectors() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](28);
        selectors[0] = this.createTask.selector;
        selectors[1] = this.drawCommittee.selector;
        selectors[2] = this.commit.selector;
        selectors[3] = this.reveal.selector;
        selectors[4] = this.replaceNoShows.selector;
        selectors[5] = this.tally.selector;
        selectors[6] = this.finalize.selector;
        selectors[7] = this.claimReward.selector;
        selectors[8] = this.claimCredit.selector;
        selectors[9] = this.stake.selector;
        selectors[10] = this.requestUnstake.selector;
        selectors[11] = this.withdraw.selector;
        selectors[12] = this.syncWeight.selector;
        selectors[13] = this.poolClaim.selector;
        selectors[14] = this.roll.selector;
        // The task steps twice as often as the rest keeps tasks moving towards their end within a run.
        selectors[15] = this.drawCommittee.selector;
        selectors[16] = this.commit.selector;
        selectors[17] = this.expire.selector;
        selectors[18] = this.challenge.selector;
        selectors[19] = this.challenge.selector;
        selectors[20] = this.setConfig.selector;
        selectors[21] = this.reveal.selector;
        selectors[22] = this.advance.selector;
        selectors[23] = this.advance.selector;
        selectors[24] = this.advance.selector;
        selectors[25] = this.advance.selector;
        selectors[26] = this.advance.selector;
        selectors[27] = this.advance.selector;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    function _request(
        uint256 seats,
        uint256 quorumSeed,
        uint256 reward,
        uint256 windowSeed,
        bool refund
    ) private pure returns (TaskRequest memory r) {
        r.seats = bound(seats, 1, MAX_TASK_SEATS);
        r.quorum = bound(quorumSeed, r.seats / 2 + 1, r.seats);
        r.reward = bound(reward, r.seats, 1e9);
        r.commitBlocks = 1 + (windowSeed % MAX_WINDOW);
        r.revealBlocks = 1 + ((windowSeed >> 8) % MAX_WINDOW);
        r.challengeBlocks = 1 + ((windowSeed >> 16) % MAX_WINDOW);
        r.programId = keccak256("program: particles.wasm");
        r.input = abi.encode(windowSeed);
        r.inputHash = keccak256(r.input);
        r.inputKind = uint8(InputKind.Inline);
        r.noQuorumRule = uint8(refund ? NoQuorumRule.Refund : NoQuorumRule.Redraw);
    }

    /// @dev The escalations a task of `seats` seats gets under the current config: its ladder (s, 2s + 1, ...) stays
    /// within the 129 seats of a round.
    function _ladderSteps(uint256 seats) private view returns (uint256 steps) {
        uint256 allowed = _MANAGER.config().maxEscalations;
        while (steps < allowed && 2 * seats + 1 <= 129) {
            seats = 2 * seats + 1;
            ++steps;
        }
    }

    function _honestResult(uint256 id) private pure returns (bytes32) {
        return keccak256(abi.encode("result", id));
    }

    function _wrongResult(uint256 id, uint256 which) private pure returns (bytes32) {
        return keccak256(abi.encode("wrong", id, which));
    }

    /// @dev One of the results members commit (honest, wrong 0, wrong 1) that is not `proposed`: against a wrong
    /// proposed result, mostly the honest one.
    function _otherResult(uint256 id, bytes32 proposed, uint256 pick) private pure returns (bytes32 result) {
        result = _honestResult(id);
        if (proposed != result && pick % 4 != 0) return result;
        for (uint256 k; k < 3; ++k) {
            uint256 which = (pick + k) % 3;
            result = which == 0 ? _honestResult(id) : _wrongResult(id, which - 1);
            if (result != proposed) return result;
        }
    }

    /// @dev The named error a challenge must get, checked in the spec's order; empty if it must be accepted.
    function _challengeError(TaskInfo memory t, ChallengeCall memory c) private view returns (bytes memory) {
        if (t.escalations != 0 && (t.state == TaskState.Drawing || t.state == TaskState.Committing)) {
            Challenge memory last = _MANAGER.challengeOf(c.id, t.escalations);
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerAlreadyChallenged.selector,
                    c.id,
                    last.challengedRound,
                    last.challenger
                );
        }
        if (t.state != TaskState.Proposed) {
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerWrongPhase.selector,
                    c.id,
                    _MANAGER.phaseOf(c.id),
                    Phase.Challengeable
                );
        }
        if (t.escalations >= t.maxEscalations) {
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerNoEscalationLeft.selector,
                    c.id,
                    t.round,
                    t.maxEscalations
                );
        }
        if (block.number > t.challengeDeadline) {
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerChallengeWindowClosed.selector,
                    c.id,
                    t.challengeDeadline,
                    block.number
                );
        }
        if (c.claimed == bytes32(0) || c.claimed == t.proposedResult) {
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerClaimNotDifferent.selector,
                    c.id,
                    t.proposedResult
                );
        }
        if (c.bond < t.challengeBondFloor) {
            return
                abi.encodeWithSelector(
                    ITaskManagerErrors.TaskManagerChallengeBondTooLow.selector,
                    c.bond,
                    t.challengeBondFloor
                );
        }
        return "";
    }

    /// @dev A challenge opens the next round of the ladder: `2 s + 1` seats, quorum `s + 1`, drawn next; the bond is
    /// escrowed and recorded; the challenged round's shape is stored.
    function _checkChallenge(ChallengeCall memory c, TaskInfo memory t, uint256 step, uint256 escrowed) private {
        TaskInfo memory a = _MANAGER.taskOf(c.id);
        _check(step, t.escalations + 1, "challenge: step");
        _check(a.escalations, step, "challenge: escalations");
        _check(a.round, t.round + 1, "challenge: round");
        _check(a.seats, 2 * t.seats + 1, "challenge: seats 2s + 1");
        _check(a.quorum, t.seats + 1, "challenge: quorum s + 1");
        _check(a.pendingSeats, a.seats, "challenge: seats to draw");
        _check(uint256(a.state), uint256(TaskState.Drawing), "challenge: state");
        _check(_MANAGER.totals().escrowed, escrowed + c.bond, "challenge: bond escrowed");
        _check(_TOKEN.balanceOf(c.challenger), c.held, "challenge: exactly the bond pulled");
        Challenge memory ch = _MANAGER.challengeOf(c.id, step);
        _check(ch.challenger == c.challenger ? 1 : 0, 1, "challenge: challenger");
        _check(ch.bond, c.bond, "challenge: bond");
        _check(ch.claimedResult == c.claimed ? 1 : 0, 1, "challenge: claim");
        _check(ch.challengedRound, t.round, "challenge: challenged round");
        _check(ch.openedRound, t.round + 1, "challenge: opened round");
        _check(uint256(ch.outcome), uint256(ChallengeOutcome.Pending), "challenge: pending");
        RoundInfo memory challenged = _MANAGER.roundOf(c.id, t.round);
        _check(challenged.seats, t.seats, "challenge: challenged round's seats");
        _check(challenged.recordCount, t.recordCount, "challenge: challenged round's records");
        _check(challenged.step, t.escalations, "challenge: challenged round's step");
    }

    /// @dev Expires a waiting task past its life bound: the requester gets the reward back, the treasury the pot, the
    /// challengers their bonds, and every record still locked (earlier rounds' revealers, members that committed
    /// while waiting for replacements) is released without penalty.
    function _expire(uint256 id) private {
        TaskInfo memory t = _MANAGER.taskOf(id);
        Ledger memory before = _ledger(t);
        try _MANAGER.expire(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(a.slashPot, t.slashPot, "expire: no penalty");
            // More records than one settlement call visits leave the task Closing: finalize goes on.
            if (a.state != TaskState.Closing) _checkRefund(id, a, before, "expire");
            ++calls["expire"];
        } catch (bytes memory err) {
            _unexpected("expire", err);
        }
    }

    /// @dev What the task's requester, the treasury, the challengers and the burn address hold or are owed now.
    function _ledger(TaskInfo memory t) private view returns (Ledger memory ledger) {
        ledger.requesterCredit = _MANAGER.creditOf(t.requester);
        ledger.treasuryCredit = _MANAGER.creditOf(_TREASURY);
        for (uint256 i; i < CHALLENGERS; ++i) ledger.challengerCredit[i] = _MANAGER.creditOf(_challengers[i]);
        ledger.burned = _TOKEN.balanceOf(BURN);
    }

    /// @dev A refund: the reward back to the requester, the pot to the treasury, each bond back to its challenger.
    function _checkRefund(uint256 id, TaskInfo memory a, Ledger memory before, string memory what) private {
        _check(uint256(a.state), uint256(TaskState.Refunded), string.concat(what, ": refunded"));
        _check(_MANAGER.creditOf(a.requester), before.requesterCredit + a.reward, string.concat(what, ": refund"));
        _check(
            _MANAGER.creditOf(_TREASURY),
            before.treasuryCredit + a.slashPot,
            string.concat(what, ": pot to the treasury")
        );
        uint256[2] memory owed = before.challengerCredit;
        for (uint256 k = 1; k <= a.escalations; ++k) {
            Challenge memory c = _MANAGER.challengeOf(id, k);
            _check(uint256(c.outcome), uint256(ChallengeOutcome.Refunded), string.concat(what, ": bond refunded"));
            _check(c.payout, c.bond, string.concat(what, ": refund payout"));
            owed[_challengerIndex(c.challenger)] += c.bond;
        }
        for (uint256 i; i < CHALLENGERS; ++i) {
            _check(_MANAGER.creditOf(_challengers[i]), owed[i], string.concat(what, ": bonds credited back"));
        }
        _check(_TOKEN.balanceOf(BURN), before.burned, string.concat(what, ": nothing burned"));
    }

    /// @dev A final result: the split the spec gives, the challenges settled, the credits and the burn.
    function _checkFinal(uint256 id, TaskInfo memory a, Ledger memory before) private {
        TaskSplit.Split memory s = TaskSplit.compute(_MANAGER, id);
        _check(s.winningSeats, _seatsWith(id, a.round, RecordStatus.Won), "finalize: winning seats == Won seats");
        _check(a.rewardPerSeat, s.rewardPerSeat, "finalize: reward per seat");
        uint256[2] memory owed = before.challengerCredit;
        for (uint256 k = 1; k <= a.escalations; ++k) {
            Challenge memory c = _MANAGER.challengeOf(id, k);
            bool won = c.claimedResult == a.proposedResult;
            ChallengeOutcome outcome = won ? ChallengeOutcome.Won : ChallengeOutcome.Lost;
            _check(uint256(c.outcome), uint256(outcome), "finalize: challenge outcome");
            _check(c.payout, won ? c.bond + s.bountyEach : 0, "finalize: challenge payout");
            _check(c.bonusPerSeat, TaskSplit.bonusOf(s, c, k, a.proposedResult), "finalize: bonus per seat");
            if (won) owed[_challengerIndex(c.challenger)] += c.bond + s.bountyEach;
        }
        for (uint256 i; i < CHALLENGERS; ++i) {
            _check(_MANAGER.creditOf(_challengers[i]), owed[i], "finalize: challengers credited");
        }
        bool burn = a.config.burnRemainder;
        _check(
            _MANAGER.creditOf(_TREASURY),
            before.treasuryCredit + s.dust + (burn ? 0 : s.remainder),
            "finalize: dust and remainder to the treasury"
        );
        _check(_TOKEN.balanceOf(BURN), before.burned + (burn ? s.remainder : 0), "finalize: remainder burned");
        _check(_MANAGER.creditOf(a.requester), before.requesterCredit, "finalize: nothing to the requester");
    }

    /// @dev A draw seats what it was for: the seats that found a member plus those of new declined records are the
    /// seats pending (an escalation draw keeps only eligible members, so it may seat fewer: they stay vacant). An
    /// escalation draw seats no member of an earlier round of the task and no challenger.
    function _checkDraw(uint256 id, TaskInfo memory before) private {
        TaskInfo memory a = _MANAGER.taskOf(id);
        uint256 declined;
        for (uint256 i = before.recordCount; i < a.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, a.round, i);
            if (r.status == RecordStatus.Declined) declined += r.seats;
            if (a.escalations != 0 && _excluded(id, a, r.member))
                _violation("drawCommittee: an excluded member seated");
        }
        uint256 kept = a.filledSeats - before.filledSeats + declined;
        if (a.escalations == 0) _check(kept, before.pendingSeats, "drawCommittee: seats drawn");
        else _check(kept <= before.pendingSeats ? 1 : 0, 1, "drawCommittee: escalation seats within those pending");
        _check(a.pendingSeats, 0, "drawCommittee: pending");
        _check(a.commitDeadline, block.number + a.commitBlocks, "drawCommittee: commit deadline");
        _check(uint256(a.state), uint256(TaskState.Committing), "drawCommittee: state");
        if (a.escalations != 0) ++calls["escalationDraw"];
    }

    /// @dev Whether `member` sat in an earlier round of the task or challenged it.
    function _excluded(uint256 id, TaskInfo memory t, address member) private view returns (bool) {
        for (uint256 k = 1; k <= t.escalations; ++k) {
            if (_MANAGER.challengeOf(id, k).challenger == member) return true;
        }
        for (uint256 round; round < t.round; ++round) {
            uint256 count = _MANAGER.roundOf(id, round).recordCount;
            for (uint256 i; i < count; ++i) {
                if (_MANAGER.recordOf(id, round, i).member == member) return true;
            }
        }
        return false;
    }

    function _commit(uint256 id, uint256 round, uint256 index, Record memory r, bytes32 result) private {
        bytes32 commitment = Commitments.commitment(
            block.chainid,
            address(_MANAGER),
            id,
            round,
            r.member,
            result,
            _salt(id, round, r.member)
        );
        uint256 committed = _MANAGER.taskOf(id).committedSeats;
        vm.prank(r.member);
        try _MANAGER.commit(id, index, commitment) {
            _sealed[id][round][index] = result;
            _check(_MANAGER.taskOf(id).committedSeats, committed + r.seats, "commit: committed seats");
            ++calls["commit"];
        } catch (bytes memory err) {
            _unexpected("commit", err);
        }
    }

    function _reveal(uint256 id, uint256 round, uint256 index, Record memory r) private {
        bytes32 result = _sealed[id][round][index];
        uint256 votes = _MANAGER.votesFor(id, round, result);
        vm.prank(r.member);
        try _MANAGER.reveal(id, index, result, _salt(id, round, r.member), "") {
            _check(_MANAGER.votesFor(id, round, result), votes + r.seats, "reveal: votes");
            ++calls["reveal"];
        } catch (bytes memory err) {
            _unexpected("reveal", err);
        }
    }

    /// @dev The penalties a settling call of the current round must collect: per penalized record,
    /// `ceil(seats * bond * bps / 10,000)` capped at what the pool can take from the member. Each member holds at
    /// most one live record per round, so no member is penalized twice in one call.
    function _expectedPenalties(uint256 id, TaskInfo memory t, Settle what) private view returns (uint256 sum) {
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, t.round, i);
            uint256 bps = _penaltyBps(t, r, what);
            if (bps == type(uint256).max) continue;
            uint256 requested = TaskMath.requested(r.seats, t.seatBond, bps);
            sum += TaskMath.min(requested, TaskMath.available(_POOL.stakeOf(r.member)));
        }
    }

    /// @dev The stake `finalize` must slash from the revealers of another result than the proposed one, in every round
    /// not settled yet, in settlement order: each `ceil(seats * bond * slashFractionBps / 10,000)`, capped at what
    /// the pool can still take from the member (a member can hold revealed records in several rounds).
    function _expectedWrongSlashes(uint256 id, TaskInfo memory t) private view returns (uint256 sum) {
        uint256[ACTORS] memory taken;
        for (uint256 round; round <= t.round; ++round) {
            uint256 count = _MANAGER.roundOf(id, round).recordCount;
            for (uint256 i; i < count; ++i) {
                Record memory r = _MANAGER.recordOf(id, round, i);
                if (r.status != RecordStatus.Revealed || r.sealedHash == t.proposedResult) continue;
                uint256 w = _actorIndex(r.member);
                uint256 left = TaskMath.available(_POOL.stakeOf(r.member)) - taken[w];
                uint256 slashed = TaskMath.min(
                    TaskMath.requested(r.seats, t.seatBond, t.config.slashFractionBps),
                    left
                );
                taken[w] += slashed;
                sum += slashed;
            }
        }
    }

    /// @dev The penalty share a settling call applies to a record, or `type(uint256).max` if it leaves it alone.
    function _penaltyBps(TaskInfo memory t, Record memory r, Settle what) private pure returns (uint256) {
        if (r.status == RecordStatus.Assigned) return t.config.missedCommitPenaltyBps;
        if (r.status == RecordStatus.Committed && what == Settle.Defaulters) return t.config.missedRevealPenaltyBps;
        return type(uint256).max;
    }

    /// @dev The seats of records with `status` over rounds `0 .. lastRound`.
    function _seatsWith(uint256 id, uint256 lastRound, RecordStatus status) private view returns (uint256 seats) {
        for (uint256 round; round <= lastRound; ++round) {
            uint256 count = _MANAGER.roundOf(id, round).recordCount;
            for (uint256 i; i < count; ++i) {
                Record memory r = _MANAGER.recordOf(id, round, i);
                if (r.status == status) seats += r.seats;
            }
        }
    }

    /// @dev The first task, from a seed-chosen start, whose current phase is in `phaseMask`; 0 if none.
    function _findTask(uint256 seed, uint256 phaseMask) private view returns (uint256) {
        uint256 count = _MANAGER.taskCount();
        for (uint256 k; k < count; ++k) {
            uint256 id = 1 + (((seed % count) + k) % count);
            if (phaseMask & _bit(_MANAGER.phaseOf(id)) != 0) return id;
        }
        return 0;
    }

    function _bit(Phase phase) private pure returns (uint256) {
        return 1 << uint256(phase);
    }

    function _salt(uint256 id, uint256 round, address member) private pure returns (bytes32) {
        return keccak256(abi.encode("salt", id, round, member));
    }

    function _accountCount() private pure returns (uint256) {
        return ACTORS + REQUESTERS + CHALLENGERS + 1;
    }

    /// @dev Accounts by index: the workers, the requesters, the challengers, then the treasury.
    function _account(uint256 seed) private view returns (address) {
        uint256 i = seed % _accountCount();
        if (i < ACTORS) return _actors[i];
        if (i < ACTORS + REQUESTERS) return _requesters[i - ACTORS];
        if (i < ACTORS + REQUESTERS + CHALLENGERS) return _challengers[i - ACTORS - REQUESTERS];
        return _TREASURY;
    }

    function _actorIndex(address member) private view returns (uint256 w) {
        while (_actors[w] != member) ++w;
    }

    function _challengerIndex(address challenger) private view returns (uint256 i) {
        while (_challengers[i] != challenger) ++i;
    }

    function _stakeFor(address a, uint256 amount) private returns (bool) {
        _mint(a, amount);
        vm.prank(a);
        _TOKEN.approve(address(_POOL), amount);
        vm.prank(a);
        try _POOL.stake(amount) {
            return true;
        } catch (bytes memory err) {
            _unexpected("stake", err);
            return false;
        }
    }

    function _mint(address to, uint256 amount) private {
        _TOKEN.mint(to, amount);
        ghostMinted += amount;
    }

    function _unexpected(string memory what, bytes memory err) private {
        uint256 selector = err.length >= 4 ? uint32(bytes4(err)) : 0;
        _violation(string.concat(what, ": unexpected revert ", Strings.toHexString(selector)));
    }

    function _check(uint256 actual, uint256 expected, string memory what) private {
        if (actual != expected) {
            _violation(
                string.concat(what, ": ", Strings.toString(actual), " != expected ", Strings.toString(expected))
            );
        }
    }

    function _violation(string memory what) private {
        if (violations == 0) firstViolation = what;
        ++violations;
    }
}

/// @title TaskManagerInvariantTest
/// @notice Invariants of the task manager and the pool after arbitrary sequences of task posts, draws, commits,
/// reveals, replacements, tallies, challenges, escalations, finalizations, claims, rule changes, stakes, unstakes,
/// withdrawals and block rolls, driven by `TaskManagerHandler`.
contract TaskManagerInvariantTest is TaskFixture {
    /// @notice What forge-std's `StdInvariant` calls a selector target.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev Sums over one round's records.
    struct RoundSums {
        uint256 live;
        uint256 committed;
        uint256 revealed;
        uint256 won;
    }

    uint256 private constant WORKERS = 8;

    TaskManagerHandler internal handler;

    /// @notice Deploys the system (2 replacement draws, 1 redraw, 2 escalations, every penalty above zero) and the
    /// handler, which may change the rules of new tasks as the admin.
    function setUp() public {
        _deploy(
            Config({
                slashFractionBps: 5_000,
                missedCommitPenaltyBps: 1_000,
                missedRevealPenaltyBps: 2_000,
                maxReplacementDraws: 2,
                maxRedraws: 1,
                maxEscalations: 2,
                bountyBps: 2_000,
                honestShareBps: 5_000,
                challengeBondPerSeat: 1,
                burnRemainder: false
            })
        );
        handler = new TaskManagerHandler(manager, token);
        manager.grantRole(manager.DEFAULT_ADMIN_ROLE(), address(handler));
    }

    /// @notice The fuzzer calls only the handler.
    /// @return targets The handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice ... and only its actions, not its views.
    /// @return targets The handler's action selectors.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: handler.actionSelectors()});
    }

    /// @notice (i) Rule 1 for the manager: its balance is exactly escrow (rewards, penalties and challenge bonds of
    /// live tasks), unclaimed rewards and credits.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_managerBalanceIsItsTotals() public view {
        Totals memory t = manager.totals();
        uint256 balance = token.balanceOf(address(manager));
        assertEq(balance, t.escrowed + t.unclaimedRewards + t.credits, "balance == escrowed + unclaimed + credits");
    }

    /// @notice (ii) Rule 1 for the pool: its balance is exactly active, unbonding and claimable stake, and the
    /// manager collects every slash it causes (nothing is left claimable in the pool).
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_poolBalanceIsItsTotals() public view {
        ISecurityPoolTypes.PoolTotals memory t = pool.totals();
        assertEq(token.balanceOf(address(pool)), t.active + t.unbonding + t.claimable, "pool balance");
        assertEq(t.claimable, 0, "pool claimable left behind");
        assertLe(t.locked, t.active, "locked <= active");
    }

    /// @notice (iii) Conservation: every token minted is held by a known account, the pool, the manager or the burn
    /// address.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_tokensAreConserved() public view {
        address[] memory accounts = handler.accounts();
        uint256 held = token.balanceOf(address(pool)) + token.balanceOf(address(manager));
        held += token.balanceOf(manager.BURN_ADDRESS());
        for (uint256 i; i < accounts.length; ++i) held += token.balanceOf(accounts[i]);
        assertEq(token.totalSupply(), handler.ghostMinted(), "supply == minted");
        assertEq(held, handler.ghostMinted(), "sum of holders == minted");
    }

    /// @notice (iv) The manager's sums are the sums over its tasks and accounts: escrow is the reward, pot and
    /// challenge bonds of each live task (settling ones included), unclaimed rewards are the unclaimed winning seats
    /// of every round of finalized tasks (with their steps' bonuses), credits are the accounts'.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_totalsMatchTasks() public view {
        uint256 escrowed;
        uint256 unclaimed;
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) {
            TaskInfo memory t = manager.taskOf(id);
            if (_ended(t.state)) {
                if (t.state == TaskState.Finalized) unclaimed += _unclaimed(id, t);
            } else {
                escrowed += t.reward + t.slashPot;
                for (uint256 k = 1; k <= t.escalations; ++k) escrowed += manager.challengeOf(id, k).bond;
            }
        }
        uint256 credits;
        address[] memory accounts = handler.accounts();
        for (uint256 i; i < accounts.length; ++i) credits += manager.creditOf(accounts[i]);
        Totals memory totals = manager.totals();
        assertEq(totals.escrowed, escrowed, "escrowed == sum over live tasks");
        assertEq(totals.unclaimedRewards, unclaimed, "unclaimed == sum over finalized tasks");
        assertEq(totals.credits, credits, "credits == sum over accounts");
    }

    /// @notice (v) Each worker's locked stake and seats are exactly those of its live records (Assigned, Committed,
    /// Revealed) over all tasks and rounds: penalties come out of the freed bond, never out of other tasks' locks. An
    /// earlier round of a task keeps only its revealers locked, until the task ends.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_locksMatchLiveRecords() public view {
        address[WORKERS] memory workers = handler.actors();
        uint256[WORKERS] memory locked;
        uint256[WORKERS] memory seats;
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) {
            TaskInfo memory t = manager.taskOf(id);
            for (uint256 round; round <= t.round; ++round) {
                Record[] memory records = manager.recordsOf(id, round, 0, 516);
                for (uint256 i; i < records.length; ++i) {
                    if (!_live(records[i].status)) continue;
                    if (round != t.round) {
                        assertTrue(
                            records[i].status == RecordStatus.Revealed,
                            "an earlier round's live record revealed"
                        );
                    }
                    uint256 w = _workerIndex(workers, records[i].member);
                    locked[w] += records[i].seats * t.seatBond;
                    seats[w] += records[i].seats;
                }
            }
        }
        uint256 total;
        for (uint256 w; w < workers.length; ++w) {
            ISecurityPoolTypes.StakeInfo memory s = pool.stakeOf(workers[w]);
            assertEq(s.locked, locked[w], "worker locked == live bonds");
            assertEq(s.seats, seats[w], "worker seats == live seats");
            total += locked[w];
        }
        assertEq(pool.totals().locked, total, "pool locked == live bonds");
    }

    /// @notice (vi) Every task is in a consistent state: its counters match its records, its rounds follow its
    /// ladder, a proposed or final result has quorum, and a final split is exactly the spec's.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_tasksAreConsistent() public view {
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) _checkTask(id);
    }

    /// @notice (vii) An ended task (Finalized or Refunded) holds nothing: no record of any round is still Assigned,
    /// Committed or Revealed, every challenge is settled; and once every task has ended, the pool holds no stake
    /// locked (the manager is its only seat manager).
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_endedTasksHoldNothing() public view {
        uint256 count = manager.taskCount();
        bool allEnded = true;
        for (uint256 id = 1; id <= count; ++id) {
            TaskInfo memory t = manager.taskOf(id);
            bool ended = _ended(t.state);
            allEnded = allEnded && ended;
            for (uint256 k = 1; k <= t.escalations; ++k) {
                bool pending = manager.challengeOf(id, k).outcome == ChallengeOutcome.Pending;
                assertEq(pending, !ended, "a challenge is pending exactly while its task lives");
            }
            if (!ended) continue;
            for (uint256 round; round <= t.round; ++round) {
                Record[] memory records = manager.recordsOf(id, round, 0, 516);
                for (uint256 i; i < records.length; ++i) {
                    assertTrue(!_live(records[i].status), "an ended task's record still locked");
                }
            }
        }
        if (allEnded) assertEq(pool.totals().locked, 0, "every task ended: nothing locked");
    }

    /// @notice (viii) Every call the handler made had exactly the effect the spec gives it.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_handlerSawNoViolation() public view {
        assertEq(handler.violations(), 0, handler.firstViolation());
    }

    function _checkTask(uint256 id) private view {
        TaskInfo memory t = manager.taskOf(id);
        Record[] memory records = manager.recordsOf(id, t.round, 0, 516);
        RoundSums memory s = _sums(records);
        assertEq(records.length, t.recordCount, "recordCount");
        assertLe(t.escalations, t.maxEscalations, "escalations within the task's cap");
        assertLe(t.maxEscalations, 3, "the task's cap within MAX_ESCALATIONS");
        // Rounds are the first, one per escalation and one per redraw.
        assertLe(t.round - t.escalations, t.config.maxRedraws, "round within the escalations and redraws");
        assertLe(t.replacementDraws, t.config.maxReplacementDraws, "replacement draws within the cap");
        _checkLadder(id, t);
        if (t.state == TaskState.Drawing) {
            assertEq(t.pendingSeats + t.filledSeats, t.seats, "drawing: pending + filled == seats");
            assertEq(t.filledSeats, s.live, "drawing: filled == live seats");
            assertEq(s.live, s.committed, "drawing: only committed records live");
        } else if (t.state == TaskState.Committing) {
            assertEq(t.pendingSeats, 0, "committing: nothing pending");
            assertLe(t.filledSeats, t.seats, "committing: filled <= seats");
            assertEq(t.filledSeats, s.live, "committing: filled == live seats");
            assertEq(t.committedSeats, s.committed, "committing: committed seats");
            assertEq(t.revealedSeats, s.revealed, "committing: revealed seats");
        } else if (t.state == TaskState.Proposed) {
            assertTrue(t.proposedResult != bytes32(0), "proposed: a result");
            assertGe(manager.votesFor(id, t.round, t.proposedResult), t.quorum, "proposed: quorum");
        } else if (t.state == TaskState.Finalized) {
            _checkFinal(id, t);
        }
    }

    /// @dev Each round's seats and quorum follow the ladder: a round of step k has the first round's seats doubled
    /// plus one k times, a strict-majority quorum, and its step never decreases.
    function _checkLadder(uint256 id, TaskInfo memory t) private view {
        RoundInfo memory first = manager.roundOf(id, 0);
        uint256 step;
        for (uint256 round; round <= t.round; ++round) {
            RoundInfo memory r = manager.roundOf(id, round);
            assertGe(r.step, step, "ladder: steps never go down");
            step = r.step;
            assertEq(r.seats, ((uint256(first.seats) + 1) << r.step) - 1, "ladder: seats 2s + 1 per step");
            if (r.step != 0) assertEq(r.quorum, uint256(r.seats) / 2 + 1, "ladder: escalation quorum s + 1");
        }
        assertEq(step, t.escalations, "ladder: the current round is the last step");
    }

    /// @dev A final split is the spec's, every winning seat of every round is accounted for, and the honest pot is
    /// paid out to within less than one unit per winning seat.
    function _checkFinal(uint256 id, TaskInfo memory t) private view {
        TaskSplit.Split memory s = TaskSplit.compute(manager, id);
        assertGe(manager.votesFor(id, t.round, t.proposedResult), t.quorum, "final: quorum");
        assertEq(t.rewardPerSeat, s.rewardPerSeat, "final: rewardPerSeat == floor(honest pot / winning seats)");
        assertLe(t.rewardPerSeat * s.winningSeats, s.honestPot, "final: paid <= honest pot");
        assertLe(s.dust, s.winningSeats - 1, "final: dust < winningSeats");
        for (uint256 k = 1; k <= t.escalations; ++k) {
            Challenge memory c = manager.challengeOf(id, k);
            assertEq(c.bonusPerSeat, TaskSplit.bonusOf(s, c, k, t.proposedResult), "final: bonus per seat");
        }
    }

    /// @dev The unclaimed rewards of a finalized task: each Won record, in every round, at its round's per-seat pay.
    function _unclaimed(uint256 id, TaskInfo memory t) private view returns (uint256 sum) {
        for (uint256 round; round <= t.round; ++round) {
            uint256 won = _sums(manager.recordsOf(id, round, 0, 516)).won;
            if (won != 0) sum += won * TaskSplit.perSeatOf(manager, id, round);
        }
    }

    function _sums(Record[] memory records) private pure returns (RoundSums memory s) {
        for (uint256 i; i < records.length; ++i) {
            RecordStatus status = records[i].status;
            uint256 seats = records[i].seats;
            if (_live(status)) s.live += seats;
            if (status == RecordStatus.Committed || status == RecordStatus.Revealed) s.committed += seats;
            if (status == RecordStatus.Revealed) s.revealed += seats;
            if (status == RecordStatus.Won) s.won += seats;
        }
    }

    function _live(RecordStatus status) private pure returns (bool) {
        return status == RecordStatus.Assigned || status == RecordStatus.Committed || status == RecordStatus.Revealed;
    }

    function _ended(TaskState state) private pure returns (bool) {
        return state == TaskState.Finalized || state == TaskState.Refunded;
    }

    function _workerIndex(address[WORKERS] memory workers, address member) private pure returns (uint256 w) {
        while (workers[w] != member) ++w;
    }
}

/// @title TaskManagerFuzzTest
/// @notice Fuzz tests of the task arithmetic through the real contracts: the final split never pays more than the
/// pot and leaves less than one unit per winning seat, and a penalty is `ceil(seats * bond * bps / 10,000)` capped at
/// what the member still has.
contract TaskManagerFuzzTest is TaskFixture {
    address internal constant REQUESTER = address(0xB0000);
    address internal constant SLASHER = address(0x5EA5);

    address[4] internal workers;
    /// @dev The result each record committed, so it can be revealed.
    mapping(uint256 id => mapping(uint256 index => bytes32)) private _results;

    /// @notice Deploys the system without replacements or redraws (a round ends at its tally) and four workers.
    function setUp() public {
        _deploy(
            Config({
                slashFractionBps: 5_000,
                missedCommitPenaltyBps: 1_000,
                missedRevealPenaltyBps: 2_000,
                maxReplacementDraws: 0,
                maxRedraws: 0,
                maxEscalations: 0,
                bountyBps: 2_000,
                honestShareBps: 5_000,
                challengeBondPerSeat: 1,
                burnRemainder: false
            })
        );
        for (uint256 i; i < workers.length; ++i) workers[i] = address(uint160(0xA0000 + i));
        pool.grantRole(pool.SLASHER_ROLE(), SLASHER);
    }

    /// @notice The final split without a challenge (no escalation allowed: the result is final at its tally): wrong
    /// members (chosen by `wrongMask` while the honest seats keep quorum) are slashed `ceil(seats * bond * 5,000 /
    /// 10,000)` each; half of that (`honestShareBps`, floored) joins the reward in the honest pot, the rest goes to
    /// the treasury (no challenger, no bounty); `rewardPerSeat = floor(pot / winningSeats)`, the winners' claims add
    /// up to `rewardPerSeat * winningSeats <= pot`, the dust (`< winningSeats`) goes to the treasury, and the manager
    /// ends holding exactly the treasury's credit.
    /// @param seats The task's seats, bounded to [1, 16].
    /// @param reward The reward, bounded to [seats, 2^96 - 1].
    /// @param bond The seat bond, bounded to [1, 3 units] (odd bonds exercise the rounding up).
    /// @param wrongMask Which records reveal a wrong result.
    function testFuzz_finalSplitNeverOverpays(uint256 seats, uint256 reward, uint256 bond, uint256 wrongMask) public {
        seats = bound(seats, 1, 16);
        reward = bound(reward, seats, type(uint96).max);
        bond = bound(bond, 1, 3 * UNIT);
        _setSeatBond(bond);
        uint16[4] memory stakes = [uint16(200), 150, 120, 100];
        for (uint256 i; i < workers.length; ++i) _stake(workers[i], stakes[i] * UNIT);
        uint256 id = _post(seats, seats / 2 + 1, reward);
        _drawNow(id);

        (uint256 honestSeats, uint256 slashes) = _commitWithWrongMinority(id, seats / 2 + 1, bond, wrongMask);
        _revealAll(id);
        _rollPast(manager.taskOf(id).revealDeadline);
        manager.tally(id);
        // No escalation allowed: the window is empty and the result final at once.
        assertEq(manager.taskOf(id).challengeDeadline, block.number, "no challenge window");
        assertEq(uint256(manager.phaseOf(id)), uint256(Phase.AwaitingFinalization), "final at its tally");
        // Wrong revealers stay locked until the task ends.
        if (slashes != 0) assertGe(pool.totals().locked, 1, "wrong revealers locked until finalize");
        assertTrue(manager.finalize(id), "one call settles the round");

        TaskInfo memory t = manager.taskOf(id);
        uint256 honestShare = (slashes * 5_000) / BPS;
        uint256 remainder = slashes - honestShare;
        uint256 pot = reward + honestShare;
        assertEq(t.slashPot, slashes, "slashPot == sum of ceil(seats * bond * bps / 10,000)");
        assertEq(t.wrongSlashed, slashes, "wrongSlashed == the wrong members' slashes");
        assertEq(manager.votesFor(id, 0, t.proposedResult), honestSeats, "winning seats");
        assertEq(t.rewardPerSeat, pot / honestSeats, "rewardPerSeat == floor((reward + honest share) / winningSeats)");
        uint256 dust = pot - t.rewardPerSeat * honestSeats;
        assertLe(dust, honestSeats - 1, "dust < winningSeats");
        assertEq(manager.creditOf(TREASURY), dust + remainder, "dust and the rest of the slashes to the treasury");

        uint256 paid = _claimAll(id);
        assertEq(paid, t.rewardPerSeat * honestSeats, "claims == rewardPerSeat * winningSeats");
        assertLe(paid, pot, "claims <= pot");
        assertEq(paid + dust + remainder, reward + slashes, "every token of the reward and the slashes accounted for");
        assertEq(token.balanceOf(address(manager)), dust + remainder, "the manager keeps only the treasury's credit");
        Totals memory totals = manager.totals();
        assertEq(totals.escrowed + totals.unclaimedRewards, 0, "nothing escrowed or unclaimed");
        assertEq(totals.credits, dust + remainder, "credits == dust + remainder");
        assertEq(pool.totals().locked, 0, "every seat released");
    }

    /// @notice A penalty for a missed commit or a missed reveal is `ceil(seats * bond * bps / 10,000)`, capped at
    /// what the pool can still take from the member; here another slasher (a dispute contract) first took a fuzzed
    /// part of the member's stake, locks included, so the cap binds. The task then refunds: the requester gets the
    /// reward back and the treasury the pot.
    /// @param seats The task's seats, bounded to [1, 8] (one worker holds them all).
    /// @param bond The seat bond, bounded to [1, 3 units].
    /// @param bps The penalty share, bounded to [0, 10,000].
    /// @param stakeAmount The worker's stake, bounded to cover the seats.
    /// @param externalSlash What the other slasher takes first, bounded to [0, stake].
    /// @param committed Whether the member committed (missed reveal) or not (missed commit).
    function testFuzz_penaltyIsCeilCappedAtStake(
        uint256 seats,
        uint256 bond,
        uint256 bps,
        uint256 stakeAmount,
        uint256 externalSlash,
        bool committed
    ) public {
        seats = bound(seats, 1, 8);
        bond = bound(bond, 1, 3 * UNIT);
        bps = bound(bps, 0, BPS);
        manager.setConfig(Config(5_000, uint16(bps), uint16(bps), 0, 0, 0, 2_000, 5_000, 1, false));
        _setSeatBond(bond);
        address worker = workers[0];
        _stake(worker, bound(stakeAmount, _max(MIN_STAKE, seats * bond), 30 * UNIT));
        uint256 reward = 1_000 * UNIT;
        uint256 id = _post(seats, seats, reward);
        _drawNow(id);
        assertEq(manager.taskOf(id).recordCount, 1, "one record holds every seat");
        if (committed) _commitAs(id, 0, worker, keccak256("result"));

        ISecurityPoolTypes.StakeInfo memory s = pool.stakeOf(worker);
        externalSlash = bound(externalSlash, 0, s.active);
        if (externalSlash != 0) {
            vm.prank(SLASHER);
            pool.slash(worker, externalSlash, new address[](0), new uint256[](0));
        }
        uint256 left = pool.stakeOf(worker).active;
        uint256 expected = TaskMath.min(TaskMath.requested(seats, bond, bps), left);

        _rollPast(manager.taskOf(id).revealDeadline);
        manager.tally(id);
        TaskInfo memory t = manager.taskOf(id);
        assertEq(t.slashPot, expected, "penalty == min(ceil(seats * bond * bps / 10,000), stake left)");
        assertEq(pool.stakeOf(worker).active, left - expected, "taken from the member");
        assertEq(pool.stakeOf(worker).locked, 0, "seats released");
        assertEq(uint256(t.state), uint256(TaskState.Refunded), "refunded");
        assertEq(manager.creditOf(REQUESTER), reward, "reward back to the requester");
        assertEq(manager.creditOf(TREASURY), expected, "pot to the treasury");
        assertEq(token.balanceOf(address(manager)), reward + expected, "manager holds the credits");
    }

    function _setSeatBond(uint256 bond) private {
        ISecurityPoolTypes.Parameters memory p = pool.parameters();
        p.seatBond = bond;
        pool.setParameters(p);
    }

    function _stake(address worker, uint256 amount) private {
        token.mint(worker, amount);
        vm.startPrank(worker);
        token.approve(address(pool), amount);
        pool.stake(amount);
        vm.stopPrank();
    }

    function _post(uint256 seats, uint256 quorum, uint256 reward) private returns (uint256) {
        bytes memory input = "particles: 16 bodies, 100 ticks";
        TaskRequest memory r = TaskRequest({
            programId: keccak256("program: particles.wasm"),
            inputHash: keccak256(input),
            inputKind: uint8(InputKind.Inline),
            input: input,
            seats: seats,
            quorum: quorum,
            reward: reward,
            commitBlocks: 5,
            revealBlocks: 5,
            challengeBlocks: 5,
            valueAtRisk: 0,
            noQuorumRule: uint8(NoQuorumRule.Refund)
        });
        token.mint(REQUESTER, reward);
        vm.startPrank(REQUESTER);
        token.approve(address(manager), reward);
        uint256 id = manager.createTask(r);
        vm.stopPrank();
        return id;
    }

    /// @dev Rolls to the block after the seed's target (inside the draw window it serves) and draws.
    function _drawNow(uint256 id) private {
        uint256 target = randomness.targetOf(manager.taskOf(id).requestId);
        if (block.number <= target) vm.roll(target + 1);
        assertTrue(manager.drawCommittee(id), "drawn");
    }

    /// @dev Commits every record: honest, except the records `mask` picks while the honest seats keep quorum.
    function _commitWithWrongMinority(
        uint256 id,
        uint256 quorum,
        uint256 bond,
        uint256 mask
    ) private returns (uint256 honestSeats, uint256 slashes) {
        TaskInfo memory t = manager.taskOf(id);
        honestSeats = t.seats;
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = manager.recordOf(id, 0, i);
            assertEq(uint256(r.status), uint256(RecordStatus.Assigned), "every worker covers its seats");
            bool wrong = ((mask >> i) & 1) == 1 && honestSeats - r.seats >= quorum;
            if (wrong) {
                honestSeats -= r.seats;
                slashes += TaskMath.requested(r.seats, bond, 5_000);
            }
            _commitAs(id, i, r.member, wrong ? keccak256(abi.encode("wrong", i)) : keccak256("result"));
        }
    }

    function _revealAll(uint256 id) private {
        TaskInfo memory t = manager.taskOf(id);
        _rollPast(t.commitDeadline);
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = manager.recordOf(id, 0, i);
            bytes32 result = _results[id][i];
            vm.prank(r.member);
            manager.reveal(id, i, result, keccak256(abi.encode("salt", r.member)), "");
        }
    }

    function _claimAll(uint256 id) private returns (uint256 paid) {
        TaskInfo memory t = manager.taskOf(id);
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = manager.recordOf(id, 0, i);
            if (r.status != RecordStatus.Won) continue;
            vm.prank(r.member);
            paid += manager.claimReward(id, 0, i);
        }
    }

    function _commitAs(uint256 id, uint256 index, address member, bytes32 result) private {
        bytes32 salt = keccak256(abi.encode("salt", member));
        bytes32 c = Commitments.commitment(block.chainid, address(manager), id, 0, member, result, salt);
        _results[id][index] = result;
        vm.prank(member);
        manager.commit(id, index, c);
    }

    function _rollPast(uint256 deadline) private {
        if (block.number <= deadline) vm.roll(deadline + 1);
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}
