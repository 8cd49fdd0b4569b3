// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ISecurityPool} from "./interfaces/ISecurityPool.sol";
import {SortitionTree} from "./libraries/SortitionTree.sol";

/// @title SecurityPool
/// @notice The single security pool of Cohort. See `ISecurityPool` for the specification and `docs/SecurityPool.md`.
contract SecurityPool is ISecurityPool, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SortitionTree for SortitionTree.Tree;

    // ---------------------------------------------------------------------------------------------------------------
    // Constants and immutables
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice May lock and unlock seats (the task contract).
    bytes32 public constant SEAT_MANAGER_ROLE = keccak256("SEAT_MANAGER_ROLE");
    /// @notice May slash (the task and dispute contracts).
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @notice May pause and unpause new stakes.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice The most seats one `drawSeats` call returns (bounded work, rule 5).
    uint256 public constant MAX_SEATS_PER_DRAW = 256;
    /// @notice The most payout recipients of one slash.
    uint256 public constant MAX_SLASH_RECIPIENTS = 256;
    /// @notice The longest unbonding period, in blocks (about two years at 12 s).
    uint256 public constant MAX_UNBONDING_PERIOD = 5_256_000;

    IERC20 private immutable _STAKE_TOKEN;
    uint256 private immutable _WEIGHT_UNIT;
    uint256 private immutable _EPOCH_BLOCKS;
    uint256 private immutable _DRAW_WINDOW_BLOCKS;
    /// @dev Active stake is capped so that the sum of all target weights fits the tree's 32-bit total.
    uint256 private immutable _MAX_TOTAL_ACTIVE;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage
    // ---------------------------------------------------------------------------------------------------------------

    struct Worker {
        // Slot 0 holds everything a seat lock or release touches, so a task's lock costs one warm write, not a
        // fresh slot. 112 bits hold 5 * 10^15 tokens of 18 decimals; the total active stake is capped below that.
        uint112 active;
        uint112 locked;
        uint32 seats;
        uint128 unbonding;
        uint64 unbondingEnd;
    }

    Parameters private _params;
    /// @dev Internal only so the bench harness can create staked workers in bulk.
    mapping(address worker => Worker) internal _workers;
    mapping(address account => uint256) private _claimable;
    /// @dev Internal only so the bench harness (`mocks/SecurityPoolBenchHarness.sol`) can fill it in bulk.
    SortitionTree.Tree internal _tree;

    uint256 internal _totalActive;
    uint256 private _totalLocked;
    uint256 private _totalUnbonding;
    uint256 private _totalClaimable;

    // ---------------------------------------------------------------------------------------------------------------
    // Construction
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Fixes the token, the weight unit and the epoch layout for the pool's whole life.
    /// @param token The stake token (plain ERC20; fee-on-transfer tokens are refused at every deposit).
    /// @param admin Holds `DEFAULT_ADMIN_ROLE` and `PAUSER_ROLE` (meant to be a timelock).
    /// @param weightUnit_ Stake per unit of sampling weight; the pool holds at most 2^32 - 1 units of active stake.
    /// @param epochBlocks_ Blocks per epoch, at most 256 so a window's first block hash stays readable throughout.
    /// @param drawWindowBlocks_ Blocks at the end of each epoch during which weights are frozen and draws happen.
    /// @param params The initial parameters.
    constructor(
        IERC20 token,
        address admin,
        uint256 weightUnit_,
        uint256 epochBlocks_,
        uint256 drawWindowBlocks_,
        Parameters memory params
    ) {
        require(address(token) != address(0) && admin != address(0), SecurityPoolZeroAddress());
        require(weightUnit_ != 0, SecurityPoolZeroAmount());
        // Bounded so that the stake cap below, `(2^32 - 1) * weightUnit`, cannot overflow.
        _checkBounds("weightUnit", weightUnit_, 1, type(uint112).max);
        require(
            drawWindowBlocks_ != 0 && drawWindowBlocks_ < epochBlocks_ && epochBlocks_ <= 256,
            SecurityPoolInvalidEpochLayout(epochBlocks_, drawWindowBlocks_)
        );
        _STAKE_TOKEN = token;
        _WEIGHT_UNIT = weightUnit_;
        _EPOCH_BLOCKS = epochBlocks_;
        _DRAW_WINDOW_BLOCKS = drawWindowBlocks_;
        uint256 maxActive = SortitionTree.MAX_TOTAL_WEIGHT * weightUnit_;
        _MAX_TOTAL_ACTIVE = maxActive < type(uint112).max ? maxActive : type(uint112).max;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _setParameters(params);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Staking
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISecurityPool
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        require(amount != 0, SecurityPoolZeroAmount());
        Worker storage w = _workers[msg.sender];
        uint256 active = w.active + amount;
        require(active >= _params.minStake, SecurityPoolBelowMinimumStake(msg.sender, active, _params.minStake));
        uint256 totalActive = _totalActive + amount;
        require(
            totalActive <= _MAX_TOTAL_ACTIVE,
            SecurityPoolStakeTooLarge(msg.sender, totalActive, _MAX_TOTAL_ACTIVE)
        );

        // The transfer comes before the effects because the balance difference is what proves the token charges no
        // fee; `nonReentrant` closes the window a token with transfer hooks would otherwise open.
        uint256 before = _STAKE_TOKEN.balanceOf(address(this));
        _STAKE_TOKEN.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = _STAKE_TOKEN.balanceOf(address(this)) - before;
        require(received == amount, SecurityPoolFeeOnTransferToken(amount, received));

        w.active = SafeCast.toUint112(active);
        _totalActive = totalActive;
        emit Staked(msg.sender, amount, active);
        _updateWeight(msg.sender, active, false);
    }

    /// @inheritdoc ISecurityPool
    function requestUnstake(uint256 amount) external nonReentrant {
        require(amount != 0, SecurityPoolZeroAmount());
        Worker storage w = _workers[msg.sender];
        uint256 active = w.active;
        uint256 free = active - w.locked;
        require(amount <= free, SecurityPoolInsufficientFreeStake(msg.sender, amount, free));
        uint256 remaining = active - amount;
        require(
            remaining == 0 || remaining >= _params.minStake,
            SecurityPoolBelowMinimumStake(msg.sender, remaining, _params.minStake)
        );

        uint256 unbonding = w.unbonding + amount;
        uint256 unbondingEnd = block.number + _params.unbondingPeriod;
        w.active = SafeCast.toUint112(remaining);
        w.unbonding = SafeCast.toUint128(unbonding);
        w.unbondingEnd = SafeCast.toUint64(unbondingEnd);
        _totalActive -= amount;
        _totalUnbonding += amount;
        emit UnstakeRequested(msg.sender, amount, unbonding, unbondingEnd);
        _updateWeight(msg.sender, remaining, true);
    }

    /// @inheritdoc ISecurityPool
    function withdraw() external nonReentrant returns (uint256 amount) {
        Worker storage w = _workers[msg.sender];
        amount = w.unbonding;
        require(amount != 0, SecurityPoolNothingToWithdraw(msg.sender));
        // Slashable through `unbondingEnd` inclusive, withdrawable from the next block: never both in one block.
        require(block.number > w.unbondingEnd, SecurityPoolStillUnbonding(msg.sender, w.unbondingEnd, block.number));
        w.unbonding = 0;
        w.unbondingEnd = 0;
        _totalUnbonding -= amount;
        emit Withdrawn(msg.sender, amount);
        _STAKE_TOKEN.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ISecurityPool
    function syncWeight(address worker) external returns (uint256 weight) {
        DrawWindow memory window = _drawWindow();
        require(!window.frozen, SecurityPoolWeightsFrozen(block.number, window.end));
        weight = _workers[worker].active / _WEIGHT_UNIT;
        _applyWeight(worker, weight);
    }

    /// @inheritdoc ISecurityPool
    function claim() external nonReentrant returns (uint256 amount) {
        amount = _claimable[msg.sender];
        require(amount != 0, SecurityPoolNothingToClaim(msg.sender));
        _claimable[msg.sender] = 0;
        _totalClaimable -= amount;
        emit Claimed(msg.sender, amount);
        _STAKE_TOKEN.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Seats and slashing
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISecurityPool
    function lockSeats(address worker, uint256 seats, uint256 bondPerSeat) external onlyRole(SEAT_MANAGER_ROLE) {
        require(seats != 0, SecurityPoolZeroSeats());
        Worker storage w = _workers[worker];
        uint256 needed = seats * bondPerSeat;
        uint256 free = w.active - w.locked;
        // A worker never holds more seats than its stake covers: every seat's bond is backed by unlocked stake.
        require(needed <= free, SecurityPoolInsufficientStakeForSeats(worker, needed, free));
        _lock(w, worker, seats, bondPerSeat, needed);
    }

    /// @inheritdoc ISecurityPool
    function tryLockSeats(
        address worker,
        uint256 seats,
        uint256 bondPerSeat
    ) external onlyRole(SEAT_MANAGER_ROLE) returns (bool locked) {
        require(seats != 0, SecurityPoolZeroSeats());
        Worker storage w = _workers[worker];
        uint256 needed = seats * bondPerSeat;
        if (needed > w.active - w.locked) return false;
        _lock(w, worker, seats, bondPerSeat, needed);
        return true;
    }

    function _lock(Worker storage w, address worker, uint256 seats, uint256 bondPerSeat, uint256 needed) private {
        uint256 locked = w.locked + needed;
        w.locked = SafeCast.toUint112(locked);
        w.seats = SafeCast.toUint32(w.seats + seats);
        _totalLocked += needed;
        emit SeatsLocked(worker, seats, bondPerSeat, locked);
    }

    /// @inheritdoc ISecurityPool
    function unlockSeats(address worker, uint256 seats, uint256 bondPerSeat) external onlyRole(SEAT_MANAGER_ROLE) {
        require(seats != 0, SecurityPoolZeroSeats());
        Worker storage w = _workers[worker];
        // Saturating on purpose: a slash larger than the worker's unlocked and unbonding stake eats into locks, and
        // the task that later releases its seats must still be able to finish (rule 6). Locks are a constraint, not
        // tokens, so saturating them moves no funds.
        uint256 release = seats * bondPerSeat;
        uint256 locked = w.locked;
        if (release > locked) release = locked;
        uint256 heldSeats = w.seats;
        uint256 releasedSeats = seats > heldSeats ? heldSeats : seats;
        locked -= release;
        w.locked = SafeCast.toUint112(locked);
        w.seats = SafeCast.toUint32(heldSeats - releasedSeats);
        _totalLocked -= release;
        emit SeatsUnlocked(worker, releasedSeats, bondPerSeat, locked);
    }

    /// @inheritdoc ISecurityPool
    function slash(
        address worker,
        uint256 amount,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external onlyRole(SLASHER_ROLE) returns (uint256 slashed) {
        require(amount != 0, SecurityPoolZeroAmount());
        uint256 count = recipients.length;
        require(count == amounts.length, SecurityPoolSlashLengthMismatch(count, amounts.length));
        require(count <= MAX_SLASH_RECIPIENTS, SecurityPoolTooManyRecipients(count, MAX_SLASH_RECIPIENTS));
        uint256 payouts;
        for (uint256 i; i < count; ++i) {
            require(recipients[i] != address(0), SecurityPoolZeroAddress());
            payouts += amounts[i];
        }
        require(payouts <= amount, SecurityPoolPayoutsExceedSlash(payouts, amount));

        uint256 fromUnbonding;
        uint256 active;
        (slashed, fromUnbonding, active) = _take(worker, amount);
        emit WorkerSlashed(worker, msg.sender, amount, slashed, fromUnbonding);

        uint256 left = slashed;
        for (uint256 i; i < count && left != 0; ++i) {
            uint256 pay = amounts[i] < left ? amounts[i] : left;
            left -= pay;
            _credit(worker, recipients[i], pay);
        }
        _credit(worker, _params.treasury, left);
        _updateWeight(worker, active, true);
    }

    /// @dev Removes up to `amount` from the worker: unlocked active stake, then unbonding stake while it is still
    /// slashable (through `unbondingEnd`), then locked stake, whose lock shrinks with it.
    function _take(
        address worker,
        uint256 amount
    ) private returns (uint256 slashed, uint256 fromUnbonding, uint256 active) {
        Worker storage w = _workers[worker];
        active = w.active;
        uint256 locked = w.locked;
        uint256 unbonding = block.number <= w.unbondingEnd ? w.unbonding : 0;

        uint256 fromFree = _min(amount, active - locked);
        fromUnbonding = _min(amount - fromFree, unbonding);
        uint256 fromLocked = _min(amount - fromFree - fromUnbonding, locked);
        slashed = fromFree + fromUnbonding + fromLocked;

        active -= fromFree + fromLocked;
        w.active = SafeCast.toUint112(active);
        w.locked = SafeCast.toUint112(locked - fromLocked);
        w.unbonding = SafeCast.toUint128(w.unbonding - fromUnbonding);
        _totalActive -= fromFree + fromLocked;
        _totalLocked -= fromLocked;
        _totalUnbonding -= fromUnbonding;
    }

    function _credit(address worker, address recipient, uint256 amount) private {
        if (amount == 0) return;
        _claimable[recipient] += amount;
        _totalClaimable += amount;
        emit SlashCredited(worker, recipient, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Draws and weights
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISecurityPool
    function drawSeats(bytes32 seed, uint256 count) external view returns (address[] memory members) {
        DrawWindow memory window = _drawWindow();
        require(window.frozen, SecurityPoolWeightsNotFrozen(block.number, window.start));
        require(count != 0 && count <= MAX_SEATS_PER_DRAW, SecurityPoolTooManySeats(count, MAX_SEATS_PER_DRAW));
        return _tree.drawMany(seed, count);
    }

    /// @dev Rule 2: inside a draw window the tree must not change, so the change is announced and left for
    /// `syncWeight`; outside it the tree follows the stake at once. Unstakes and slashes (`decreaseOnly`) never raise
    /// the tree weight, even when an earlier stake made inside a window is still waiting: raising it could meet a
    /// full tree (other workers' deferred decreases still count in it) and revert, and neither an unstake nor a slash
    /// may be blocked (rules 6 and 10). The waiting increase is applied by `stake` or `syncWeight`.
    function _updateWeight(address worker, uint256 active, bool decreaseOnly) private {
        uint256 target = active / _WEIGHT_UNIT;
        DrawWindow memory window = _drawWindow();
        uint256 current = _tree.weightOf(worker);
        if (window.frozen) {
            if (current != target) emit WeightChangeDeferred(worker, current, target, window.end);
            return;
        }
        if (decreaseOnly && target > current) {
            emit WeightChangeDeferred(worker, current, target, window.end);
            return;
        }
        _applyWeight(worker, target);
    }

    function _applyWeight(address worker, uint256 target) private {
        uint256 current = _tree.weightOf(worker);
        if (current == target) return;
        _tree.set(worker, target);
        emit WeightUpdated(worker, current, target);
    }

    function _drawWindow() private view returns (DrawWindow memory window) {
        uint256 epoch = block.number / _EPOCH_BLOCKS;
        uint256 end = (epoch + 1) * _EPOCH_BLOCKS - 1;
        uint256 start = end + 1 - _DRAW_WINDOW_BLOCKS;
        return DrawWindow({epoch: epoch, start: start, end: end, frozen: block.number >= start});
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Admin
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISecurityPool
    function setParameters(Parameters calldata params) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParameters(params);
    }

    /// @inheritdoc ISecurityPool
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ISecurityPool
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function _setParameters(Parameters memory params) private {
        _checkBounds("minStake", params.minStake, _WEIGHT_UNIT, _MAX_TOTAL_ACTIVE);
        // A larger bond could never be locked: a worker's stake fits 112 bits.
        _checkBounds("seatBond", params.seatBond, 1, type(uint112).max);
        _checkBounds("unbondingPeriod", params.unbondingPeriod, 1, MAX_UNBONDING_PERIOD);
        require(params.treasury != address(0), SecurityPoolZeroAddress());
        _params = params;
        emit ParametersSet(params.minStake, params.seatBond, params.unbondingPeriod, params.treasury);
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        require(value >= min && value <= max, SecurityPoolParameterOutOfBounds(name, value, min, max));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISecurityPool
    function stakeToken() external view returns (address) {
        return address(_STAKE_TOKEN);
    }

    /// @inheritdoc ISecurityPool
    function weightUnit() external view returns (uint256) {
        return _WEIGHT_UNIT;
    }

    /// @inheritdoc ISecurityPool
    function epochBlocks() external view returns (uint256) {
        return _EPOCH_BLOCKS;
    }

    /// @inheritdoc ISecurityPool
    function drawWindowBlocks() external view returns (uint256) {
        return _DRAW_WINDOW_BLOCKS;
    }

    /// @inheritdoc ISecurityPool
    function parameters() external view returns (Parameters memory) {
        return _params;
    }

    /// @inheritdoc ISecurityPool
    function stakeOf(address worker) external view returns (StakeInfo memory) {
        Worker memory w = _workers[worker];
        return
            StakeInfo({
                active: w.active,
                locked: w.locked,
                unbonding: w.unbonding,
                unbondingEnd: w.unbondingEnd,
                seats: w.seats,
                weight: _tree.weightOf(worker),
                targetWeight: w.active / _WEIGHT_UNIT
            });
    }

    /// @inheritdoc ISecurityPool
    function totals() external view returns (PoolTotals memory) {
        return
            PoolTotals({
                active: _totalActive,
                locked: _totalLocked,
                unbonding: _totalUnbonding,
                claimable: _totalClaimable,
                weight: _tree.total(),
                stakers: _tree.size()
            });
    }

    /// @inheritdoc ISecurityPool
    function claimableOf(address account) external view returns (uint256) {
        return _claimable[account];
    }

    /// @inheritdoc ISecurityPool
    function drawWindow() external view returns (DrawWindow memory) {
        return _drawWindow();
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
