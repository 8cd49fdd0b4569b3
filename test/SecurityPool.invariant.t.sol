// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// The handler shares this file: the runner identifies fuzz targets by their artifacts, and Hardhat emits artifacts
// for the contracts of `*.t.sol` files only.
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {SecurityPool} from "../contracts/SecurityPool.sol";
import {ISecurityPoolErrors, ISecurityPoolEvents, ISecurityPoolTypes} from "../contracts/interfaces/ISecurityPool.sol";
import {SortitionTree} from "../contracts/libraries/SortitionTree.sol";
import {TestToken} from "../contracts/mocks/TestToken.sol";

import {Test} from "./utils/Test.sol";

/// @title PoolFixture
/// @notice The pool layout both suites use: a small weight unit, so that a fuzzed stake can reach the tree's 32-bit
/// limit, and 16-block epochs whose last 4 blocks are the draw window, so that rolls cross windows often.
abstract contract PoolFixture is Test, ISecurityPoolTypes {
    uint256 internal constant UNIT = 1000;
    uint256 internal constant MIN_STAKE = 2500;
    uint256 internal constant SEAT_BOND = 1000;
    uint256 internal constant UNBONDING_PERIOD = 20;
    uint256 internal constant EPOCH_BLOCKS = 16;
    uint256 internal constant DRAW_WINDOW_BLOCKS = 4;
    uint256 internal constant MAX_TOTAL_ACTIVE = SortitionTree.MAX_TOTAL_WEIGHT * UNIT;
    address internal constant TREASURY = address(0x7EA5);

    TestToken internal token;
    SecurityPool internal pool;

    function _deployPool() internal {
        token = new TestToken("Cohort Stake", "CST");
        pool = new SecurityPool(
            IERC20(address(token)),
            address(this),
            UNIT,
            EPOCH_BLOCKS,
            DRAW_WINDOW_BLOCKS,
            Parameters({
                minStake: MIN_STAKE,
                seatBond: SEAT_BOND,
                unbondingPeriod: UNBONDING_PERIOD,
                treasury: TREASURY
            })
        );
        vm.label(address(pool), "pool");
        vm.label(TREASURY, "treasury");
    }
}

/// @title SecurityPoolHandler
/// @notice The invariant fuzzer's only target: drives five actors through valid calls of every pool action, keeps
/// ghost totals, and checks each call's exact effect against its own arithmetic.
/// @dev Every call it makes should succeed, except foreseeable cases whose exact revert it predicts (a draw outside a
/// window, a sync inside one, a weight update that would take the tree past 2^32 - 1 while other weights are stale).
/// Pool calls go through try/catch and any surprise, a revert or a wrong effect, is recorded as a violation that
/// `invariant_handlerSawNoViolation` reports by name right after the call that caused it. The handler itself never
/// reverts, so the invariants run with `failOnRevert = true`: a revert outside the try/catch is a bug too.
contract SecurityPoolHandler is Test, ISecurityPoolTypes {
    /// @notice A lock the handler made, so unlocks always release seats of a bond that was really locked.
    struct Lock {
        uint256 seats;
        uint256 bondPerSeat;
    }

    /// @notice A slash and the effect the handler expects of it, computed before the call.
    struct SlashPlan {
        address worker;
        uint256 amount;
        address[] recipients;
        uint256[] amounts;
        StakeInfo before;
        uint256 fromFree;
        uint256 fromUnbonding;
        uint256 fromLocked;
        uint256 newActive;
        uint256[6] credit; // by account: the actors, then the treasury
        uint256[6] claimableBefore;
        bool applied;
        bool reverts;
        bytes expectedError;
    }

    uint256 private constant ACTORS = 5;
    /// @dev The seed whose committee must not change within one draw window (rule 2).
    bytes32 private constant PROBE_SEED = keccak256("rule 2 probe");

    SecurityPool private immutable _POOL;
    TestToken private immutable _TOKEN;
    uint256 private immutable _UNIT;
    uint256 private immutable _MIN_STAKE;
    uint256 private immutable _UNBONDING_PERIOD;
    uint256 private immutable _MAX_TOTAL_ACTIVE;
    address private immutable _TREASURY;

    address[ACTORS] private _actors;

    /// @notice Ghost: every token staked into the pool.
    uint256 public ghostDeposited;
    /// @notice Ghost: every token withdrawn from the pool.
    uint256 public ghostWithdrawn;
    /// @notice Ghost: every token claimed from the pool.
    uint256 public ghostClaimed;
    /// @notice The weight the tree should hold for each actor: what the last applied (not deferred) update set.
    mapping(address actor => uint256) public ghostWeight;
    /// @notice Whether the actor's weight lags its stake since a change inside a draw window, not synced since.
    mapping(address actor => bool) public ghostDeferred;
    mapping(address actor => Lock[]) private _locks;
    /// @dev The committee of `PROBE_SEED` at the first draw seen in an epoch's window, as a hash.
    mapping(uint256 epoch => bytes32) private _windowCommittee;

    /// @notice How many checks failed.
    uint256 public violations;
    /// @notice What the first failed check was.
    string public firstViolation;
    /// @notice Successful calls per action, to see what a campaign covered.
    mapping(bytes32 action => uint256) public calls;

    /// @notice Reads the pool's parameters once and names the five actors.
    /// @param pool_ The pool under test; this handler must hold its seat manager and slasher roles.
    /// @param token_ The pool's stake token (anyone can mint it).
    /// @param maxTotalActive_ The pool's cap on total active stake (2^32 - 1 weight units).
    constructor(SecurityPool pool_, TestToken token_, uint256 maxTotalActive_) {
        _POOL = pool_;
        _TOKEN = token_;
        _UNIT = pool_.weightUnit();
        Parameters memory params = pool_.parameters();
        _MIN_STAKE = params.minStake;
        _UNBONDING_PERIOD = params.unbondingPeriod;
        _TREASURY = params.treasury;
        _MAX_TOTAL_ACTIVE = maxTotalActive_;
        for (uint256 i; i < ACTORS; ++i) {
            _actors[i] = address(uint160(0xA0000 + i));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Actions (the fuzzer's targets)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice An actor stakes a bounded amount (sometimes up to the pool's cap), topped up to the minimum stake.
    /// @param actorSeed Picks the actor.
    /// @param amount The amount, bounded.
    function stake(uint256 actorSeed, uint256 amount) external {
        address a = _actor(actorSeed);
        StakeInfo memory s = _POOL.stakeOf(a);
        uint256 room = _MAX_TOTAL_ACTIVE - _POOL.totals().active;
        if (room == 0) return;
        // Mostly small amounts; one call in eight may go up to the cap and one in sixteen fills it, so that the
        // tree's 32-bit limit is reached.
        if (amount % 16 == 0) amount = room;
        else amount = bound(amount, 1, amount % 8 == 0 ? room : _min(room, 100 * _UNIT));
        if (s.active + amount < _MIN_STAKE) amount = _MIN_STAKE - s.active;
        if (amount > room) return;
        _TOKEN.mint(a, amount);
        vm.prank(a);
        _TOKEN.approve(address(_POOL), amount);

        (bool applied, bool reverts, bytes memory expectedError) = _weightPlan(a, s.active + amount, false);
        vm.prank(a);
        try _POOL.stake(amount) {
            if (reverts) return _violation("stake: tree overflow not refused");
            ghostDeposited += amount;
            _check(_POOL.stakeOf(a).active, s.active + amount, "stake: active");
            _afterWeightPlan(a, s.active + amount, applied);
            ++calls["stake"];
        } catch (bytes memory err) {
            _expectRevert(reverts, err, expectedError, "stake");
        }
    }

    /// @notice An actor unbonds part of its free stake, keeping the rest at zero or at least the minimum.
    /// @param actorSeed Picks the actor.
    /// @param amount The amount, bounded to what is allowed.
    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        address a = _actor(actorSeed);
        StakeInfo memory s = _POOL.stakeOf(a);
        uint256 free = s.active - s.locked;
        if (free == 0) return;
        amount = bound(amount, 1, free);
        uint256 remaining = s.active - amount;
        if (remaining != 0 && remaining < _MIN_STAKE) {
            if (s.locked == 0) amount = s.active;
            else if (s.active > _MIN_STAKE && s.active - _MIN_STAKE <= free) amount = s.active - _MIN_STAKE;
            else return;
            remaining = s.active - amount;
        }

        // An unstake only ever lowers the tree weight: when the actor's weight is stale from a stake made inside a
        // window and the target is still above it, the increase waits (so a full tree can never block an unstake).
        (bool applied, bool reverts, bytes memory expectedError) = _weightPlan(a, remaining, true);
        vm.prank(a);
        try _POOL.requestUnstake(amount) {
            if (reverts) return _violation("requestUnstake: tree overflow not refused");
            StakeInfo memory after_ = _POOL.stakeOf(a);
            _check(after_.active, remaining, "requestUnstake: active");
            _check(after_.unbonding, s.unbonding + amount, "requestUnstake: unbonding");
            _check(after_.unbondingEnd, block.number + _UNBONDING_PERIOD, "requestUnstake: unbondingEnd restarts");
            _afterWeightPlan(a, remaining, applied);
            ++calls["requestUnstake"];
        } catch (bytes memory err) {
            _expectRevert(reverts, err, expectedError, "requestUnstake");
        }
    }

    /// @notice An actor with unbonding stake withdraws it, after rolling to the end of its unbonding period.
    /// @param actorSeed Picks the actor (the next one with unbonding stake, so that the call is rarely wasted).
    function withdraw(uint256 actorSeed) external {
        address a = _actor(actorSeed);
        for (uint256 i; i < ACTORS && _POOL.stakeOf(a).unbonding == 0; ++i) a = _actor((actorSeed % ACTORS) + i + 1);
        StakeInfo memory s = _POOL.stakeOf(a);
        if (s.unbonding == 0) return;
        // Rolling to the first withdrawable block makes withdrawals common enough to matter in short runs.
        if (block.number <= s.unbondingEnd) vm.roll(s.unbondingEnd + 1);
        uint256 balanceBefore = _TOKEN.balanceOf(a);
        vm.prank(a);
        try _POOL.withdraw() returns (uint256 amount) {
            _check(amount, s.unbonding, "withdraw: amount");
            _check(_TOKEN.balanceOf(a), balanceBefore + amount, "withdraw: tokens received");
            _check(_POOL.stakeOf(a).unbonding, 0, "withdraw: unbonding left");
            ghostWithdrawn += amount;
            ++calls["withdraw"];
        } catch (bytes memory err) {
            _expectRevert(false, err, "", "withdraw");
        }
    }

    /// @notice Anyone syncs an actor's weight; inside a draw window the call must revert `SecurityPoolWeightsFrozen`.
    /// @param actorSeed Picks the actor.
    function syncWeight(uint256 actorSeed) external {
        address a = _actor(actorSeed);
        uint256 active = _POOL.stakeOf(a).active;
        (bool applied, bool reverts, bytes memory expectedError) = _weightPlan(a, active, false);
        if (!applied) {
            DrawWindow memory window = _POOL.drawWindow();
            expectedError = abi.encodeWithSelector(
                ISecurityPoolErrors.SecurityPoolWeightsFrozen.selector,
                block.number,
                window.end
            );
            reverts = true;
        }
        try _POOL.syncWeight(a) returns (uint256 weight) {
            if (reverts) return _violation("syncWeight: expected a revert");
            _check(weight, active / _UNIT, "syncWeight: returned weight");
            _afterWeightPlan(a, active, true);
            ++calls["syncWeight"];
        } catch (bytes memory err) {
            _expectRevert(reverts, err, expectedError, "syncWeight");
        }
    }

    /// @notice An actor or the treasury claims its slash credits.
    /// @param accountSeed Picks the account among the actors and the treasury (the next one with credits).
    function claim(uint256 accountSeed) external {
        address account = _account(accountSeed);
        for (uint256 i; i <= ACTORS && _POOL.claimableOf(account) == 0; ++i) {
            account = _account((accountSeed % (ACTORS + 1)) + i + 1);
        }
        uint256 owed = _POOL.claimableOf(account);
        if (owed == 0) return;
        uint256 balanceBefore = _TOKEN.balanceOf(account);
        vm.prank(account);
        try _POOL.claim() returns (uint256 amount) {
            _check(amount, owed, "claim: amount");
            _check(_TOKEN.balanceOf(account), balanceBefore + owed, "claim: tokens received");
            _check(_POOL.claimableOf(account), 0, "claim: balance left");
            ghostClaimed += amount;
            ++calls["claim"];
        } catch (bytes memory err) {
            _expectRevert(false, err, "", "claim");
        }
    }

    /// @notice Locks 1-4 seats of a bond in [0, 3 units] on an actor, as many as its free stake covers.
    /// @param actorSeed Picks the actor.
    /// @param seats The seats, bounded.
    /// @param bondPerSeat The bond per seat, bounded.
    function lockSeats(uint256 actorSeed, uint256 seats, uint256 bondPerSeat) external {
        address a = _actor(actorSeed);
        StakeInfo memory s = _POOL.stakeOf(a);
        seats = bound(seats, 1, 4);
        bondPerSeat = bound(bondPerSeat, 0, 3 * _UNIT);
        uint256 free = s.active - s.locked;
        if (seats * bondPerSeat > free) seats = free / bondPerSeat;
        if (seats == 0) return;
        try _POOL.lockSeats(a, seats, bondPerSeat) {
            StakeInfo memory after_ = _POOL.stakeOf(a);
            _check(after_.locked, s.locked + seats * bondPerSeat, "lockSeats: locked");
            _check(after_.seats, s.seats + seats, "lockSeats: seats");
            _locks[a].push(Lock(seats, bondPerSeat));
            ++calls["lockSeats"];
        } catch (bytes memory err) {
            _expectRevert(false, err, "", "lockSeats");
        }
    }

    /// @notice Releases one of the actor's earlier locks, whole; a slash may have eaten into it (saturating release).
    /// @param actorSeed Picks the actor (the next one with locks).
    /// @param index Picks the lock.
    function unlockSeats(uint256 actorSeed, uint256 index) external {
        address a = _actor(actorSeed);
        for (uint256 i; i < ACTORS && _locks[a].length == 0; ++i) a = _actor((actorSeed % ACTORS) + i + 1);
        Lock[] storage locks = _locks[a];
        if (locks.length == 0) return;
        index %= locks.length;
        Lock memory lock = locks[index];
        StakeInfo memory s = _POOL.stakeOf(a);
        try _POOL.unlockSeats(a, lock.seats, lock.bondPerSeat) {
            StakeInfo memory after_ = _POOL.stakeOf(a);
            _check(after_.locked, s.locked - _min(lock.seats * lock.bondPerSeat, s.locked), "unlockSeats: locked");
            _check(after_.seats, s.seats - _min(lock.seats, s.seats), "unlockSeats: seats");
            locks[index] = locks[locks.length - 1];
            locks.pop();
            ++calls["unlockSeats"];
        } catch (bytes memory err) {
            _expectRevert(false, err, "", "unlockSeats");
        }
    }

    /// @notice Slashes an actor (sometimes more than it has) with 0-4 payouts to random actors or the treasury.
    /// @param actorSeed Picks the worker.
    /// @param amount The amount, bounded to 1.5 times what is slashable, plus a little.
    /// @param recipientSeed Picks the recipients and their payouts.
    function slash(uint256 actorSeed, uint256 amount, uint256 recipientSeed) external {
        SlashPlan memory p = _planSlash(_actor(actorSeed), amount, recipientSeed);
        try _POOL.slash(p.worker, p.amount, p.recipients, p.amounts) returns (uint256 taken) {
            if (p.reverts) return _violation("slash: tree overflow not refused");
            _check(taken, p.fromFree + p.fromUnbonding + p.fromLocked, "slash: min(amount, free + unbonding + locked)");
            StakeInfo memory after_ = _POOL.stakeOf(p.worker);
            _check(after_.active, p.newActive, "slash: active");
            _check(after_.locked, p.before.locked - p.fromLocked, "slash: locked");
            _check(after_.unbonding, p.before.unbonding - p.fromUnbonding, "slash: unbonding");
            for (uint256 i; i <= ACTORS; ++i) {
                _check(_POOL.claimableOf(_account(i)), p.claimableBefore[i] + p.credit[i], "slash: claimable");
            }
            _afterWeightPlan(p.worker, p.newActive, p.applied);
            ++calls["slash"];
        } catch (bytes memory err) {
            _expectRevert(p.reverts, err, p.expectedError, "slash");
        }
    }

    /// @notice Draws seats: outside a window it must revert, inside one every seat holder must carry weight, and a
    /// fixed seed must draw the same committee throughout the window (rule 2).
    /// @param seed The draw's seed.
    /// @param count The seats, bounded to [1, 256].
    function drawSeats(bytes32 seed, uint256 count) external {
        count = bound(count, 1, 256);
        DrawWindow memory window = _POOL.drawWindow();
        // Half the draws outside a window move to its start instead, so both paths are common.
        if (!window.frozen && uint256(seed) % 2 == 0) {
            vm.roll(window.start);
            window = _POOL.drawWindow();
        }
        bytes memory expectedError = _drawError(window);
        try _POOL.drawSeats(seed, count) returns (address[] memory members) {
            if (expectedError.length != 0) return _violation("drawSeats: expected a revert");
            _check(members.length, count, "drawSeats: length");
            _checkSeats(members, window.epoch);
            ++calls["drawSeats"];
        } catch (bytes memory err) {
            _expectRevert(expectedError.length != 0, err, expectedError, "drawSeats");
        }
    }

    /// @notice Moves the chain forward by 1-40 blocks (epochs are 16 blocks, unbonding 20).
    /// @param blocks The blocks to skip, bounded.
    function roll(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 40));
        ++calls["roll"];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The actors, in order.
    /// @return actors_ The five actor addresses.
    function actors() external view returns (address[ACTORS] memory actors_) {
        return _actors;
    }

    /// @notice The selectors the fuzzer may call.
    /// @return selectors The action functions of this handler.
    function actionSelectors() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](11);
        selectors[0] = this.stake.selector;
        selectors[1] = this.requestUnstake.selector;
        selectors[2] = this.withdraw.selector;
        selectors[3] = this.syncWeight.selector;
        selectors[4] = this.claim.selector;
        selectors[5] = this.lockSeats.selector;
        selectors[6] = this.unlockSeats.selector;
        selectors[7] = this.slash.selector;
        selectors[8] = this.drawSeats.selector;
        selectors[9] = this.roll.selector;
        // Staking twice as often keeps enough stake in play for the other actions.
        selectors[10] = this.stake.selector;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    function _actor(uint256 seed) private view returns (address) {
        return _actors[seed % ACTORS];
    }

    /// @dev Accounts that can receive slash credits: the actors, then the treasury (index `ACTORS`).
    function _account(uint256 seed) private view returns (address) {
        uint256 i = seed % (ACTORS + 1);
        return i == ACTORS ? _TREASURY : _actors[i];
    }

    /// @dev The expected effect of a slash, in the spec's order: free stake, slashable unbonding, then locked stake.
    function _planSlash(
        address worker,
        uint256 amount,
        uint256 recipientSeed
    ) private view returns (SlashPlan memory p) {
        p.worker = worker;
        p.before = _POOL.stakeOf(worker);
        uint256 slashableUnbonding = block.number <= p.before.unbondingEnd ? p.before.unbonding : 0;
        uint256 available = p.before.active + slashableUnbonding;
        p.amount = bound(amount, 1, available + available / 2 + 10);
        (p.recipients, p.amounts) = _payouts(recipientSeed, p.amount);
        p.fromFree = _min(p.amount, p.before.active - p.before.locked);
        p.fromUnbonding = _min(p.amount - p.fromFree, slashableUnbonding);
        p.fromLocked = _min(p.amount - p.fromFree - p.fromUnbonding, p.before.locked);
        p.newActive = p.before.active - p.fromFree - p.fromLocked;
        p.credit = _expectedCredits(p.recipients, p.amounts, p.fromFree + p.fromUnbonding + p.fromLocked);
        for (uint256 i; i <= ACTORS; ++i) {
            p.claimableBefore[i] = _POOL.claimableOf(_account(i));
        }
        (p.applied, p.reverts, p.expectedError) = _weightPlan(worker, p.newActive, true);
    }

    /// @dev 0-4 recipients (repeats allowed) with payouts that add up to at most `amount`.
    function _payouts(
        uint256 seed,
        uint256 amount
    ) private view returns (address[] memory recipients, uint256[] memory amounts) {
        uint256 count = seed % 5;
        recipients = new address[](count);
        amounts = new uint256[](count);
        uint256 left = amount;
        for (uint256 i; i < count; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            recipients[i] = _account(r);
            amounts[i] = (r >> 8) % (left + 1);
            left -= amounts[i];
        }
    }

    /// @dev The spec's payout order, written independently: each recipient in turn gets what it is owed while the
    /// slashed amount lasts; the treasury gets what is left.
    function _expectedCredits(
        address[] memory recipients,
        uint256[] memory amounts,
        uint256 slashed
    ) private view returns (uint256[ACTORS + 1] memory credit) {
        uint256 left = slashed;
        for (uint256 i; i < recipients.length; ++i) {
            uint256 pay = _min(amounts[i], left);
            left -= pay;
            credit[_indexOf(recipients[i])] += pay;
        }
        credit[ACTORS] += left;
    }

    function _indexOf(address account) private view returns (uint256) {
        for (uint256 i; i < ACTORS; ++i) {
            if (_actors[i] == account) return i;
        }
        return ACTORS;
    }

    /// @dev The revert a draw must meet now, or nothing: outside a window, or from an empty tree.
    function _drawError(DrawWindow memory window) private view returns (bytes memory) {
        if (!window.frozen) {
            return
                abi.encodeWithSelector(
                    ISecurityPoolErrors.SecurityPoolWeightsNotFrozen.selector,
                    block.number,
                    window.start
                );
        }
        if (_POOL.totals().weight == 0) return abi.encodeWithSelector(SortitionTree.SortitionTreeEmpty.selector);
        return "";
    }

    /// @dev Every seat holder carries weight, and the probe seed's committee is the one first seen in this window.
    function _checkSeats(address[] memory members, uint256 epoch) private {
        for (uint256 j; j < members.length; ++j) {
            if (_POOL.stakeOf(members[j]).weight == 0) return _violation("drawSeats: seat without weight");
        }
        bytes32 committee = keccak256(abi.encode(_POOL.drawSeats(PROBE_SEED, 32)));
        bytes32 first = _windowCommittee[epoch];
        if (first == bytes32(0)) _windowCommittee[epoch] = committee;
        else if (first != committee) _violation("drawSeats: committee changed inside a window");
    }

    /// @dev What a stake change leading to `newActive` should do to `a`'s weight: inside a window nothing (deferred);
    /// outside, apply `newActive / weightUnit`, unless that takes the tree total past 2^32 - 1: then the call must
    /// revert with `expectedError`. Unstakes and slashes (`decreaseOnly`) never raise the weight: a target above the
    /// current weight waits, and a decrease cannot overflow.
    function _weightPlan(
        address a,
        uint256 newActive,
        bool decreaseOnly
    ) private view returns (bool applied, bool reverts, bytes memory expectedError) {
        if (_POOL.drawWindow().frozen) return (false, false, "");
        if (decreaseOnly) return (newActive / _UNIT <= _POOL.stakeOf(a).weight, false, "");
        uint256 newTotal = _POOL.totals().weight - _POOL.stakeOf(a).weight + newActive / _UNIT;
        if (newTotal > SortitionTree.MAX_TOTAL_WEIGHT) {
            expectedError = abi.encodeWithSelector(
                SortitionTree.SortitionTreeTotalWeightOverflow.selector,
                newTotal,
                SortitionTree.MAX_TOTAL_WEIGHT
            );
            return (true, true, expectedError);
        }
        return (true, false, "");
    }

    function _afterWeightPlan(address a, uint256 newActive, bool applied) private {
        uint256 target = newActive / _UNIT;
        if (applied) ghostWeight[a] = target;
        ghostDeferred[a] = ghostWeight[a] != target;
    }

    function _expectRevert(bool expected, bytes memory err, bytes memory expectedError, string memory what) private {
        if (!expected) return _violation(string.concat(what, ": unexpected revert ", Strings.toHexString(_head(err))));
        if (keccak256(err) != keccak256(expectedError)) return _violation(string.concat(what, ": wrong revert"));
        if (bytes4(err) == SortitionTree.SortitionTreeTotalWeightOverflow.selector) ++calls["treeFullRefused"];
    }

    function _head(bytes memory err) private pure returns (uint256 selector) {
        if (err.length >= 4) selector = uint32(bytes4(err));
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

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}

/// @title SecurityPoolInvariantTest
/// @notice Invariants of the pool after arbitrary sequences of stakes, unstakes, withdrawals, syncs, claims, seat
/// locks and unlocks, slashes, draws and block rolls, driven by `SecurityPoolHandler` over five actors.
contract SecurityPoolInvariantTest is PoolFixture {
    /// @notice What forge-std's `StdInvariant` calls a selector target.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    SecurityPoolHandler internal handler;

    /// @notice Deploys the pool and the handler, which gets the seat manager and slasher roles.
    function setUp() public {
        _deployPool();
        handler = new SecurityPoolHandler(pool, token, MAX_TOTAL_ACTIVE);
        pool.grantRole(pool.SEAT_MANAGER_ROLE(), address(handler));
        pool.grantRole(pool.SLASHER_ROLE(), address(handler));
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

    /// @notice (i) Rule 1, nothing is lost: the pool holds exactly what it owes, and exactly what came in minus what
    /// went out.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 128
    function invariant_balanceCoversEverything() public view {
        PoolTotals memory t = pool.totals();
        uint256 balance = token.balanceOf(address(pool));
        assertEq(balance, t.active + t.unbonding + t.claimable, "balance == active + unbonding + claimable");
        assertEq(
            balance,
            handler.ghostDeposited() - handler.ghostWithdrawn() - handler.ghostClaimed(),
            "balance == deposits - withdrawals - claims"
        );
    }

    /// @notice (ii) The pool-wide sums are the sums over the workers (claimable also over the treasury).
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 128
    function invariant_totalsMatchSums() public view {
        address[5] memory actors = handler.actors();
        uint256 active;
        uint256 locked;
        uint256 unbonding;
        uint256 claimable = pool.claimableOf(TREASURY);
        for (uint256 i; i < actors.length; ++i) {
            StakeInfo memory s = pool.stakeOf(actors[i]);
            active += s.active;
            locked += s.locked;
            unbonding += s.unbonding;
            claimable += pool.claimableOf(actors[i]);
        }
        PoolTotals memory t = pool.totals();
        assertEq(t.active, active, "totals.active");
        assertEq(t.locked, locked, "totals.locked");
        assertEq(t.unbonding, unbonding, "totals.unbonding");
        assertEq(t.claimable, claimable, "totals.claimable");
        assertLe(t.active, MAX_TOTAL_ACTIVE, "active within the cap");
    }

    /// @notice (iii) Locks never exceed the stake behind them.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 128
    function invariant_lockedWithinActive() public view {
        address[5] memory actors = handler.actors();
        for (uint256 i; i < actors.length; ++i) {
            StakeInfo memory s = pool.stakeOf(actors[i]);
            assertLe(s.locked, s.active, "locked <= active");
        }
    }

    /// @notice (iv) The tree holds each worker's weight as last applied: `active / weightUnit` unless a change made
    /// inside a draw window is still unsynced; the tree's total and size agree with the workers.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 128
    function invariant_weightsFollowStake() public view {
        address[5] memory actors = handler.actors();
        uint256 weight;
        uint256 stakers;
        for (uint256 i; i < actors.length; ++i) {
            StakeInfo memory s = pool.stakeOf(actors[i]);
            weight += s.weight;
            if (s.weight != 0) ++stakers;
            assertEq(s.weight, handler.ghostWeight(actors[i]), "weight == last applied weight");
            assertEq(s.targetWeight, s.active / UNIT, "targetWeight");
            if (!handler.ghostDeferred(actors[i])) assertEq(s.weight, s.active / UNIT, "synced weight == active/unit");
        }
        PoolTotals memory t = pool.totals();
        assertEq(t.weight, weight, "tree total == sum of weights");
        assertEq(t.stakers, stakers, "tree size == workers with weight");
        assertLe(t.weight, SortitionTree.MAX_TOTAL_WEIGHT, "tree total within 32 bits");
    }

    /// @notice Every call the handler made had exactly the effect (or the revert) it computed on its own.
    /// hardhat-config: invariant.failOnRevert = true
    /// hardhat-config: invariant.runs = 128
    /// hardhat-config: invariant.depth = 128
    function invariant_handlerSawNoViolation() public view {
        assertTrue(handler.violations() == 0, handler.firstViolation());
    }
}

/// @title SecurityPoolSlashFuzzTest
/// @notice Fuzz tests of the slash arithmetic against the spec: what is taken, from where, and who is credited.
contract SecurityPoolSlashFuzzTest is PoolFixture {
    address internal constant WORKER = address(0xB0B);
    address internal constant CHALLENGER = address(0xC1);
    address internal constant MEMBER = address(0xC2);

    /// @notice Deploys the pool; this contract is its seat manager and slasher.
    function setUp() public {
        _deployPool();
        pool.grantRole(pool.SEAT_MANAGER_ROLE(), address(this));
        pool.grantRole(pool.SLASHER_ROLE(), address(this));
    }

    /// @notice slashed == min(amount, free + slashable unbonding + locked), taken in that order; unbonding stake
    /// whose period is over (block > unbondingEnd) is not slashable.
    /// @param staked Stake, bounded to [minStake, 1000 units].
    /// @param unstaked Part of it unbonding, bounded (the rest stays zero or at least minStake).
    /// @param seats Seats locked on what stays active, bounded to what it covers.
    /// @param blocks Blocks rolled before the slash, up to twice the unbonding period.
    /// @param amount The slash, bounded to [1, 2 * staked].
    function testFuzz_slashTakesFreeThenUnbondingThenLocked(
        uint256 staked,
        uint256 unstaked,
        uint256 seats,
        uint256 blocks,
        uint256 amount
    ) public {
        staked = bound(staked, MIN_STAKE, 1_000 * UNIT);
        _stake(WORKER, staked);
        unstaked = bound(unstaked, 0, staked);
        if (staked - unstaked != 0 && staked - unstaked < MIN_STAKE) unstaked = staked - MIN_STAKE;
        if (unstaked != 0) {
            vm.prank(WORKER);
            pool.requestUnstake(unstaked);
        }
        seats = bound(seats, 0, (staked - unstaked) / SEAT_BOND);
        if (seats != 0) pool.lockSeats(WORKER, seats, SEAT_BOND);
        vm.roll(block.number + bound(blocks, 0, 2 * UNBONDING_PERIOD));

        StakeInfo memory s = pool.stakeOf(WORKER);
        uint256 slashableUnbonding = block.number <= s.unbondingEnd ? s.unbonding : 0;
        amount = bound(amount, 1, 2 * staked);
        uint256 fromFree = _min(amount, s.active - s.locked);
        uint256 fromUnbonding = _min(amount - fromFree, slashableUnbonding);
        uint256 fromLocked = _min(amount - fromFree - fromUnbonding, s.locked);
        uint256 expected = _min(amount, (s.active - s.locked) + slashableUnbonding + s.locked);
        assertEq(fromFree + fromUnbonding + fromLocked, expected, "model: parts add up");

        vm.expectEmit(true, true, false, true, address(pool));
        emit ISecurityPoolEvents.WorkerSlashed(WORKER, address(this), amount, expected, fromUnbonding);
        uint256 slashed = pool.slash(WORKER, amount, new address[](0), new uint256[](0));

        assertEq(slashed, expected, "slashed == min(amount, free + slashable unbonding + locked)");
        StakeInfo memory a = pool.stakeOf(WORKER);
        assertEq(a.active, s.active - fromFree - fromLocked, "active: free first, locked last");
        assertEq(a.locked, s.locked - fromLocked, "locked shrinks with what it lost");
        assertEq(a.unbonding, s.unbonding - fromUnbonding, "unbonding: only while slashable");
        assertEq(pool.claimableOf(TREASURY), slashed, "no payouts: all to the treasury");
        assertEq(token.balanceOf(address(pool)), staked, "a slash moves no tokens out");
    }

    /// @notice The credits add up to what was slashed: recipients are paid in order, each what it is owed while the
    /// slashed amount lasts, and the treasury gets the remainder. Recipients may repeat and include the treasury.
    /// @param staked Stake, bounded to [minStake, 1000 units].
    /// @param amount The slash, bounded to [1, 2 * staked].
    /// @param owed What each of the four recipients is owed, bounded so the payouts fit the amount.
    /// @param recipientSeed Picks each recipient among two accounts, the treasury and the worker itself.
    function testFuzz_slashPaysRecipientsInOrderThenTreasury(
        uint256 staked,
        uint256 amount,
        uint256[4] memory owed,
        uint256 recipientSeed
    ) public {
        staked = bound(staked, MIN_STAKE, 1_000 * UNIT);
        _stake(WORKER, staked);
        amount = bound(amount, 1, 2 * staked);
        address[4] memory accounts = [CHALLENGER, MEMBER, TREASURY, WORKER];
        address[] memory recipients = new address[](4);
        uint256[] memory amounts = new uint256[](4);
        uint256 payouts;
        for (uint256 i; i < 4; ++i) {
            recipients[i] = accounts[uint256(keccak256(abi.encode(recipientSeed, i))) % 4];
            amounts[i] = bound(owed[i], 0, amount - payouts);
            payouts += amounts[i];
        }

        uint256 slashed = pool.slash(WORKER, amount, recipients, amounts);
        assertEq(slashed, _min(amount, staked), "slashed");

        // The spec's order, written out: what each account should have been credited.
        uint256[4] memory expected;
        uint256 left = slashed;
        for (uint256 i; i < 4; ++i) {
            uint256 pay = _min(amounts[i], left);
            left -= pay;
            expected[_indexIn(accounts, recipients[i])] += pay;
        }
        expected[2] += left; // the treasury
        uint256 credited;
        for (uint256 i; i < 4; ++i) {
            assertEq(pool.claimableOf(accounts[i]), expected[i], "credit");
            credited += pool.claimableOf(accounts[i]);
        }
        assertEq(credited, slashed, "credits add up to slashed");
        assertEq(pool.totals().claimable, slashed, "totals.claimable");
    }

    /// @notice Payouts above the amount are refused with the sums in the error, and nothing changes.
    /// @param amount The slash, bounded to [1, 100 units].
    /// @param excess How much the payouts exceed it, bounded to [1, 100 units].
    function testFuzz_RevertWhen_PayoutsExceedAmount(uint256 amount, uint256 excess) public {
        _stake(WORKER, 10 * UNIT);
        amount = bound(amount, 1, 100 * UNIT);
        excess = bound(excess, 1, 100 * UNIT);
        address[] memory recipients = new address[](2);
        uint256[] memory amounts = new uint256[](2);
        (recipients[0], recipients[1]) = (CHALLENGER, MEMBER);
        (amounts[0], amounts[1]) = (amount, excess);
        vm.expectRevert(
            abi.encodeWithSelector(ISecurityPoolErrors.SecurityPoolPayoutsExceedSlash.selector, amount + excess, amount)
        );
        pool.slash(WORKER, amount, recipients, amounts);
        assertEq(pool.stakeOf(WORKER).active, 10 * UNIT, "unchanged");
    }

    /// @notice A weight left stale by an unstake inside a draw window still counts in the tree, so another worker's
    /// weight increase that would take the tree past 2^32 - 1 reverts until the stale weight is synced (anyone can).
    /// Its unstakes and slashes are never blocked: they only lower the tree weight, and the waiting increase stays
    /// deferred. Only happens with the pool's active stake near its cap.
    function test_requestUnstake_NeverBlockedByAStaleWeight() public {
        uint256 max = SortitionTree.MAX_TOTAL_WEIGHT;
        _stake(WORKER, (max - 10) * UNIT);
        vm.roll(EPOCH_BLOCKS - DRAW_WINDOW_BLOCKS); // the window's first block
        vm.prank(WORKER);
        pool.requestUnstake((max - 10) * UNIT); // weight stays max - 10 until synced
        _stake(MEMBER, 100 * UNIT); // weight stays 0 until synced
        vm.roll(EPOCH_BLOCKS); // the next epoch, outside any window

        bytes memory full = abi.encodeWithSelector(
            SortitionTree.SortitionTreeTotalWeightOverflow.selector,
            max + 90,
            max
        );
        vm.expectRevert(full);
        pool.syncWeight(MEMBER);
        vm.prank(MEMBER);
        pool.requestUnstake(10 * UNIT);
        pool.slash(MEMBER, UNIT, new address[](0), new uint256[](0));
        assertEq(pool.stakeOf(MEMBER).active, 89 * UNIT, "unstake and slash went through");
        assertEq(pool.stakeOf(MEMBER).weight, 0, "the waiting increase stays deferred");

        pool.syncWeight(WORKER);
        pool.syncWeight(MEMBER);
        assertEq(pool.totals().weight, 89, "tree total once the stale weight is gone");
    }

    function _stake(address worker, uint256 amount) private {
        token.mint(worker, amount);
        vm.startPrank(worker);
        token.approve(address(pool), amount);
        pool.stake(amount);
        vm.stopPrank();
    }

    function _indexIn(address[4] memory accounts, address account) private pure returns (uint256 i) {
        while (accounts[i] != account) ++i;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
