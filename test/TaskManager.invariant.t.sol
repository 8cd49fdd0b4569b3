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
import {ITaskManagerTypes} from "../contracts/interfaces/ITaskManager.sol";
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
    /// @dev Above the longest task the suites post: windows of at most 12 blocks, 2 replacement draws and 1 redraw
    /// give a life bound of 2 * (3 * (3 * 16 + 12) + 12) + 12 = 396 blocks.
    uint256 internal constant UNBONDING_PERIOD = 400;
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

/// @title TaskManagerHandler
/// @notice The invariant fuzzer's only target: drives requesters, six unevenly staked workers and anyone through
/// valid calls of every task and pool action, moves the chain to the blocks each step needs, and checks each call's
/// exact effect (penalties, splits, credits) against its own arithmetic.
/// @dev Every call that should succeed is made through try/catch; a surprise (a revert, a wrong effect) is recorded
/// as a violation that `invariant_handlerSawNoViolation` reports by name. The handler itself never reverts, so the
/// invariants run with `failOnRevert = true`. Members commit the honest result, one of two wrong results, or stay
/// absent; committed members reveal or stay silent, so every penalty path runs.
contract TaskManagerHandler is Test, ITaskManagerTypes {
    /// @notice What a settling call penalizes: no-shows (`replaceNoShows`), defaulters (`tally`), wrong revealers
    /// (`finalize`).
    enum Settle {
        NoShows,
        Defaulters,
        Wrong
    }

    uint256 private constant ACTORS = 6;
    uint256 private constant REQUESTERS = 2;
    uint256 private constant MAX_TASKS = 10;
    uint256 private constant MAX_TASK_SEATS = 8;
    uint256 private constant MAX_WINDOW = 12;

    TaskManager private immutable _MANAGER;
    SecurityPool private immutable _POOL;
    BlockhashRandomness private immutable _RANDOMNESS;
    TestToken private immutable _TOKEN;
    address private immutable _TREASURY;
    uint256 private immutable _UNIT;
    uint256 private immutable _MIN_STAKE;

    address[ACTORS] private _actors;
    address[REQUESTERS] private _requesters;

    /// @notice Ghost: every token minted (to requesters and workers); the token's supply must equal it.
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

    /// @notice Names the actors and stakes the six workers unevenly (20, 12, 8, 5, 3 and 2 seat bonds' worth).
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
        uint16[ACTORS] memory stakes = [uint16(20), 12, 8, 5, 3, 2];
        for (uint256 i; i < ACTORS; ++i) {
            _actors[i] = address(uint160(0xA0000 + i));
            _stakeFor(_actors[i], stakes[i] * params.seatBond);
        }
        for (uint256 i; i < REQUESTERS; ++i) {
            _requesters[i] = address(uint160(0xB0000 + i));
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
            ++calls["createTask"];
        } catch (bytes memory err) {
            _unexpected("createTask", err);
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
    /// (1 in 8, one of two, so wrong results can also reach quorum) or nothing (1 in 8, absent).
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
            bytes32 result =
                behaviour == 1
                    ? keccak256(abi.encode("wrong", id, behaviourSeed % 2))
                    : keccak256(abi.encode("result", id));
            _commit(id, t.round, i, r, result);
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
    /// proposal, redraw or refund that follows.
    /// @param taskSeed Picks the task.
    function tally(uint256 taskSeed) external {
        uint256 mask = _bit(Phase.Committing) | _bit(Phase.Revealing) | _bit(Phase.AwaitingTally);
        uint256 id = _findTask(taskSeed, mask);
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (block.number <= t.revealDeadline) vm.roll(t.revealDeadline + 1);
        if (_MANAGER.phaseOf(id) != Phase.AwaitingTally) return;
        uint256 penalties = _expectedPenalties(id, t, Settle.Defaulters);
        uint256 requesterCredit = _MANAGER.creditOf(t.requester);
        uint256 treasuryCredit = _MANAGER.creditOf(_TREASURY);
        try _MANAGER.tally(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(a.slashPot, t.slashPot + penalties, "tally: penalties");
            if (a.state == TaskState.Refunded) {
                _check(_MANAGER.creditOf(t.requester), requesterCredit + t.reward, "tally: refund");
                _check(_MANAGER.creditOf(_TREASURY), treasuryCredit + a.slashPot, "tally: pot to the treasury");
            } else if (a.state == TaskState.Proposed) {
                _check(_MANAGER.votesFor(id, a.round, a.proposedResult) >= a.quorum ? 1 : 0, 1, "tally: quorum");
                _check(a.challengeDeadline, block.number + a.challengeBlocks, "tally: challenge deadline");
            } else {
                _check(a.round, t.round + 1, "tally: redraw round");
                _check(a.pendingSeats, a.seats, "tally: redraw seats");
            }
            ++calls["tally"];
        } catch (bytes memory err) {
            _unexpected("tally", err);
        }
    }

    /// @notice Anyone finalizes a proposed task after its challenge window (rolling there if needed); checks the
    /// slashes of wrong members, the reward per seat and the dust.
    /// @param taskSeed Picks the task.
    function finalize(uint256 taskSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Challengeable) | _bit(Phase.AwaitingFinalization));
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        if (block.number <= t.challengeDeadline) vm.roll(t.challengeDeadline + 1);
        uint256 penalties = _expectedPenalties(id, t, Settle.Wrong);
        uint256 treasuryCredit = _MANAGER.creditOf(_TREASURY);
        try _MANAGER.finalize(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(a.slashPot, t.slashPot + penalties, "finalize: slashes");
            uint256 pot = a.reward + a.slashPot;
            uint256 winning = _MANAGER.votesFor(id, a.round, a.proposedResult);
            _check(winning, _seatsWith(id, a.round, RecordStatus.Won), "finalize: winning seats");
            _check(a.rewardPerSeat, pot / winning, "finalize: reward per seat");
            _check(_MANAGER.creditOf(_TREASURY), treasuryCredit + pot - a.rewardPerSeat * winning, "finalize: dust");
            ++calls["finalize"];
        } catch (bytes memory err) {
            _unexpected("finalize", err);
        }
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

    /// @notice Winners of a finalized task claim their rewards (each with probability one half, so some stay
    /// unclaimed).
    /// @param taskSeed Picks the task.
    /// @param claimSeed Picks who claims.
    function claimReward(uint256 taskSeed, uint256 claimSeed) external {
        uint256 id = _findTask(taskSeed, _bit(Phase.Finalized));
        if (id == 0) return;
        TaskInfo memory t = _MANAGER.taskOf(id);
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, t.round, i);
            if (r.status != RecordStatus.Won || uint256(keccak256(abi.encode(claimSeed, i))) % 2 == 1) continue;
            uint256 balance = _TOKEN.balanceOf(r.member);
            vm.prank(r.member);
            try _MANAGER.claimReward(id, t.round, i) returns (uint256 amount) {
                _check(amount, t.rewardPerSeat * r.seats, "claimReward: amount");
                _check(_TOKEN.balanceOf(r.member), balance + amount, "claimReward: tokens received");
                ghostRewardsClaimed += amount;
                ++calls["claimReward"];
            } catch (bytes memory err) {
                _unexpected("claimReward", err);
            }
        }
    }

    /// @notice A requester, the treasury or a worker claims its credit (the next account with one).
    /// @param accountSeed Picks the account.
    function claimCredit(uint256 accountSeed) external {
        uint256 n = ACTORS + REQUESTERS + 1;
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
    /// @return actors_ The six worker addresses.
    function actors() external view returns (address[ACTORS] memory actors_) {
        return _actors;
    }

    /// @notice Every account that can hold tokens or credits besides the pool and the manager.
    /// @return list The workers, the requesters and the treasury.
    function accounts() external view returns (address[] memory list) {
        uint256 n = ACTORS + REQUESTERS + 1;
        list = new address[](n);
        for (uint256 i; i < n; ++i) list[i] = _account(i);
    }

    /// @notice The selectors the fuzzer may call.
    /// @return selectors The action functions of this handler.
    function actionSelectors() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](18);
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

    /// @dev The seats of a draw add up: seats that found a member (new records or added to live ones) plus the seats
    /// of new declined records are the seats the draw was for.
    /// @dev Expires a waiting task past its life bound: the requester gets the reward back, the treasury the pot, and
    /// the members that committed while waiting for replacements are released without penalty.
    function _expire(uint256 id) private {
        TaskInfo memory t = _MANAGER.taskOf(id);
        uint256 requesterCredit = _MANAGER.creditOf(t.requester);
        uint256 treasuryCredit = _MANAGER.creditOf(_TREASURY);
        try _MANAGER.expire(id) {
            TaskInfo memory a = _MANAGER.taskOf(id);
            _check(uint256(a.state), uint256(TaskState.Refunded), "expire: state");
            _check(a.slashPot, t.slashPot, "expire: no penalty");
            _check(_MANAGER.creditOf(t.requester), requesterCredit + t.reward, "expire: refund");
            _check(_MANAGER.creditOf(_TREASURY), treasuryCredit + t.slashPot, "expire: pot to the treasury");
            ++calls["expire"];
        } catch (bytes memory err) {
            _unexpected("expire", err);
        }
    }

    function _checkDraw(uint256 id, TaskInfo memory before) private {
        TaskInfo memory a = _MANAGER.taskOf(id);
        uint256 declined;
        for (uint256 i = before.recordCount; i < a.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, a.round, i);
            if (r.status == RecordStatus.Declined) declined += r.seats;
        }
        _check(a.filledSeats - before.filledSeats + declined, before.pendingSeats, "drawCommittee: seats drawn");
        _check(a.pendingSeats, 0, "drawCommittee: pending");
        _check(a.commitDeadline, block.number + a.commitBlocks, "drawCommittee: commit deadline");
        _check(uint256(a.state), uint256(TaskState.Committing), "drawCommittee: state");
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

    /// @dev The penalties a settling call must collect: per penalized record, `ceil(seats * bond * bps / 10,000)`
    /// capped at what the pool can take from the member. Each member holds at most one live record per round, so no
    /// member is penalized twice in one call.
    function _expectedPenalties(uint256 id, TaskInfo memory t, Settle what) private view returns (uint256 sum) {
        for (uint256 i; i < t.recordCount; ++i) {
            Record memory r = _MANAGER.recordOf(id, t.round, i);
            uint256 bps = _penaltyBps(t, r, what);
            if (bps == type(uint256).max) continue;
            uint256 requested = TaskMath.requested(r.seats, t.seatBond, bps);
            sum += TaskMath.min(requested, TaskMath.available(_POOL.stakeOf(r.member)));
        }
    }

    /// @dev The penalty share a settling call applies to a record, or `type(uint256).max` if it leaves it alone.
    function _penaltyBps(TaskInfo memory t, Record memory r, Settle what) private pure returns (uint256) {
        if (what == Settle.Wrong) {
            bool wrong = r.status == RecordStatus.Revealed && r.sealedHash != t.proposedResult;
            return wrong ? t.config.slashFractionBps : type(uint256).max;
        }
        if (r.status == RecordStatus.Assigned) return t.config.missedCommitPenaltyBps;
        if (r.status == RecordStatus.Committed && what == Settle.Defaulters) return t.config.missedRevealPenaltyBps;
        return type(uint256).max;
    }

    function _seatsWith(uint256 id, uint256 round, RecordStatus status) private view returns (uint256 seats) {
        uint256 count = _MANAGER.taskOf(id).recordCount;
        for (uint256 i; i < count; ++i) {
            Record memory r = _MANAGER.recordOf(id, round, i);
            if (r.status == status) seats += r.seats;
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

    /// @dev Accounts by index: the workers, the requesters, then the treasury.
    function _account(uint256 seed) private view returns (address) {
        uint256 i = seed % (ACTORS + REQUESTERS + 1);
        if (i < ACTORS) return _actors[i];
        if (i < ACTORS + REQUESTERS) return _requesters[i - ACTORS];
        return _TREASURY;
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
/// reveals, replacements, tallies, finalizations, claims, stakes, unstakes, withdrawals and block rolls, driven by
/// `TaskManagerHandler`.
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

    TaskManagerHandler internal handler;

    /// @notice Deploys the system (2 replacement draws, 1 redraw, every penalty above zero) and the handler.
    function setUp() public {
        _deploy(
            Config({
                slashFractionBps: 5_000,
                missedCommitPenaltyBps: 1_000,
                missedRevealPenaltyBps: 2_000,
                maxReplacementDraws: 2,
                maxRedraws: 1,
                maxEscalations: 0,
                bountyBps: 2_000,
                honestShareBps: 5_000,
                challengeBondPerSeat: 1,
                burnRemainder: false
            })
        );
        handler = new TaskManagerHandler(manager, token);
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

    /// @notice (i) Rule 1 for the manager: its balance is exactly escrow, unclaimed rewards and credits; and it is
    /// what came in (rewards and slashes) minus what went out (claims).
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

    /// @notice (iii) Conservation: every token minted is held by a known account, the pool or the manager.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_tokensAreConserved() public view {
        address[] memory accounts = handler.accounts();
        uint256 held = token.balanceOf(address(pool)) + token.balanceOf(address(manager));
        for (uint256 i; i < accounts.length; ++i) held += token.balanceOf(accounts[i]);
        assertEq(token.totalSupply(), handler.ghostMinted(), "supply == minted");
        assertEq(held, handler.ghostMinted(), "sum of holders == minted");
    }

    /// @notice (iv) The manager's sums are the sums over its tasks and accounts: escrow is the reward and pot of each
    /// live task, unclaimed rewards are the unclaimed winning seats of finalized tasks, credits are the accounts'.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_totalsMatchTasks() public view {
        uint256 escrowed;
        uint256 unclaimed;
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) {
            TaskInfo memory t = manager.taskOf(id);
            if (t.state == TaskState.Drawing || t.state == TaskState.Committing || t.state == TaskState.Proposed) {
                escrowed += t.reward + t.slashPot;
            } else if (t.state == TaskState.Finalized) {
                unclaimed += t.rewardPerSeat * _sums(manager.recordsOf(id, t.round, 0, 256)).won;
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
    /// Revealed) over all tasks and rounds: penalties come out of the freed bond, never out of other tasks' locks.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_locksMatchLiveRecords() public view {
        address[6] memory workers = handler.actors();
        uint256[6] memory locked;
        uint256[6] memory seats;
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) {
            TaskInfo memory t = manager.taskOf(id);
            for (uint256 round; round <= t.round; ++round) {
                Record[] memory records = manager.recordsOf(id, round, 0, 256);
                for (uint256 i; i < records.length; ++i) {
                    if (!_live(records[i].status)) continue;
                    assertEq(round, t.round, "a live record in a past round");
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

    /// @notice (vi) Every task is in a consistent state: its counters match its records, ended tasks hold no live
    /// record, a proposed or final result has quorum, and a final split never pays out more than the pot.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_tasksAreConsistent() public view {
        uint256 count = manager.taskCount();
        for (uint256 id = 1; id <= count; ++id) _checkTask(id);
    }

    /// @notice (vii) Every call the handler made had exactly the effect the spec gives it.
    /// hardhat-config: invariant.failOnRevert = true
    function invariant_handlerSawNoViolation() public view {
        assertEq(handler.violations(), 0, handler.firstViolation());
    }

    function _checkTask(uint256 id) private view {
        TaskInfo memory t = manager.taskOf(id);
        Record[] memory records = manager.recordsOf(id, t.round, 0, 256);
        RoundSums memory s = _sums(records);
        assertEq(records.length, t.recordCount, "recordCount");
        assertLe(t.round, t.config.maxRedraws, "round within the redraws");
        assertLe(t.replacementDraws, t.config.maxReplacementDraws, "replacement draws within the cap");
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
        } else {
            assertEq(s.live, 0, "ended: no live record");
            if (t.state == TaskState.Finalized) _checkFinal(id, t);
        }
    }

    function _checkFinal(uint256 id, TaskInfo memory t) private view {
        uint256 winning = manager.votesFor(id, t.round, t.proposedResult);
        uint256 pot = t.reward + t.slashPot;
        assertGe(winning, t.quorum, "final: quorum");
        assertLe(t.rewardPerSeat * winning, pot, "final: rewardPerSeat * winningSeats <= reward + slashPot");
        assertLe(pot - t.rewardPerSeat * winning, winning - 1, "final: dust < winningSeats");
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

    function _workerIndex(address[6] memory workers, address member) private pure returns (uint256 w) {
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

    /// @notice The final split: `rewardPerSeat = floor(pot / winningSeats)`, the winners' claims add up to
    /// `rewardPerSeat * winningSeats <= pot`, the dust (`< winningSeats`) goes to the treasury, and the manager ends
    /// holding exactly the dust. Wrong members (chosen by `wrongMask` while the honest seats keep quorum) are slashed
    /// `ceil(seats * bond * 5,000 / 10,000)` into the pot.
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
        _rollPast(manager.taskOf(id).challengeDeadline);
        manager.finalize(id);

        TaskInfo memory t = manager.taskOf(id);
        uint256 pot = reward + slashes;
        assertEq(t.slashPot, slashes, "slashPot == sum of ceil(seats * bond * bps / 10,000)");
        assertEq(manager.votesFor(id, 0, t.proposedResult), honestSeats, "winning seats");
        assertEq(t.rewardPerSeat, pot / honestSeats, "rewardPerSeat == floor(pot / winningSeats)");
        uint256 dust = pot - t.rewardPerSeat * honestSeats;
        assertLe(dust, honestSeats - 1, "dust < winningSeats");
        assertEq(manager.creditOf(TREASURY), dust, "dust credited to the treasury");

        uint256 paid = _claimAll(id);
        assertEq(paid, t.rewardPerSeat * honestSeats, "claims == rewardPerSeat * winningSeats");
        assertLe(paid, pot, "claims <= pot");
        assertEq(token.balanceOf(address(manager)), dust, "the manager keeps only the dust");
        Totals memory totals = manager.totals();
        assertEq(totals.escrowed + totals.unclaimedRewards, 0, "nothing escrowed or unclaimed");
        assertEq(totals.credits, dust, "credits == dust");
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
