// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types of the security pool
/// @notice The structs the pool's views return and its admin sets.
interface ISecurityPoolTypes {
    /// @notice One worker's position in the pool.
    /// @param active Bonded stake: it backs seats, carries sampling weight and is slashable.
    /// @param locked The part of `active` that backs seats of live tasks; it cannot be unstaked.
    /// @param unbonding Stake that left `active` and waits for `unbondingEnd`; still slashable until then.
    /// @param unbondingEnd The last block at which `unbonding` can be slashed; it can be withdrawn from the next one.
    /// @param seats The number of seats the worker currently holds.
    /// @param weight The worker's sampling weight in the sortition tree now.
    /// @param targetWeight The weight its active stake entitles it to (`active / weightUnit`); it differs from
    /// `weight` only while a change made inside a draw window waits for `syncWeight`.
    struct StakeInfo {
        uint256 active;
        uint256 locked;
        uint256 unbonding;
        uint256 unbondingEnd;
        uint256 seats;
        uint256 weight;
        uint256 targetWeight;
    }

    /// @notice Pool-wide sums.
    /// @param active Sum of all workers' active stake.
    /// @param locked Sum of all workers' locked stake.
    /// @param unbonding Sum of all workers' unbonding stake.
    /// @param claimable Sum of all balances waiting to be claimed (slash payouts).
    /// @param weight Total sampling weight in the tree.
    /// @param stakers Number of workers in the tree.
    struct PoolTotals {
        uint256 active;
        uint256 locked;
        uint256 unbonding;
        uint256 claimable;
        uint256 weight;
        uint256 stakers;
    }

    /// @notice The parameters an admin may change, each within fixed bounds.
    /// @param minStake The smallest non-zero active stake a worker may hold, so dust cannot bloat the tree.
    /// @param seatBond The stake one seat locks by default (task contracts freeze it into each task).
    /// @param unbondingPeriod Blocks between an unstake request and the first block it can be withdrawn, minus one.
    /// @param treasury Receives the part of a slash that the slasher did not assign to anyone.
    struct Parameters {
        uint256 minStake;
        uint256 seatBond;
        uint256 unbondingPeriod;
        address treasury;
    }

    /// @notice The draw window of an epoch: the blocks during which sampling weights are frozen.
    /// @param epoch The epoch number (`block.number / epochBlocks`).
    /// @param start The first block of the window.
    /// @param end The last block of the window.
    /// @param frozen Whether the current block is inside this window.
    struct DrawWindow {
        uint256 epoch;
        uint256 start;
        uint256 end;
        bool frozen;
    }
}

/// @title Errors of the security pool
/// @notice Every revert of the pool, named, with the values needed to debug it (rule 11).
interface ISecurityPoolErrors {
    /// @notice An amount of zero was given.
    error SecurityPoolZeroAmount();
    /// @notice An address of zero was given.
    error SecurityPoolZeroAddress();
    /// @notice The operation would leave `worker` with active stake `resulting`, above zero but below `minimum`.
    error SecurityPoolBelowMinimumStake(address worker, uint256 resulting, uint256 minimum);
    /// @notice `worker` asked to unstake `requested`, but only `free` of its active stake is not locked by seats.
    error SecurityPoolInsufficientFreeStake(address worker, uint256 requested, uint256 free);
    /// @notice `worker` has nothing unbonding.
    error SecurityPoolNothingToWithdraw(address worker);
    /// @notice `worker`'s unbonding stake stays slashable until block `unbondingEnd`; the current block is `current`.
    error SecurityPoolStillUnbonding(address worker, uint256 unbondingEnd, uint256 current);
    /// @notice The token moved `received` instead of `expected`: fee-on-transfer tokens are refused.
    error SecurityPoolFeeOnTransferToken(uint256 expected, uint256 received);
    /// @notice The stake would exceed what the pool can account for (`max`, in token units).
    error SecurityPoolStakeTooLarge(address worker, uint256 resulting, uint256 max);
    /// @notice Zero seats were asked for.
    error SecurityPoolZeroSeats();
    /// @notice `worker` cannot back `needed` more stake with seats: only `free` is unlocked.
    error SecurityPoolInsufficientStakeForSeats(address worker, uint256 needed, uint256 free);
    /// @notice `recipients` and `amounts` differ in length.
    error SecurityPoolSlashLengthMismatch(uint256 recipients, uint256 amounts);
    /// @notice More than `max` slash recipients were given.
    error SecurityPoolTooManyRecipients(uint256 count, uint256 max);
    /// @notice The payouts add up to `payouts`, more than the `amount` to slash.
    error SecurityPoolPayoutsExceedSlash(uint256 payouts, uint256 amount);
    /// @notice `account` has nothing to claim.
    error SecurityPoolNothingToClaim(address account);
    /// @notice A draw of `count` seats was asked; the most one call draws is `max`.
    error SecurityPoolTooManySeats(uint256 count, uint256 max);
    /// @notice Draws are only made inside a draw window, when weights are frozen; the next window opens at `start`.
    error SecurityPoolWeightsNotFrozen(uint256 current, uint256 start);
    /// @notice Weights cannot change inside a draw window; this one ends at block `end`.
    error SecurityPoolWeightsFrozen(uint256 current, uint256 end);
    /// @notice The parameter `name` was set to `value`, outside [`min`, `max`].
    error SecurityPoolParameterOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice The epoch layout is invalid: it needs 1 <= drawWindowBlocks < epochBlocks <= 256.
    error SecurityPoolInvalidEpochLayout(uint256 epochBlocks, uint256 drawWindowBlocks);
}

/// @title Events of the security pool
/// @notice One event per state change, emitted right after it.
interface ISecurityPoolEvents {
    /// @notice `worker` added `amount` to its active stake, which is now `active`.
    /// @param worker The staker.
    /// @param amount The tokens received.
    /// @param active The worker's active stake after the deposit.
    event Staked(address indexed worker, uint256 amount, uint256 active);

    /// @notice `worker` moved `amount` from active to unbonding stake.
    /// @param worker The staker.
    /// @param amount The stake that left `active`.
    /// @param unbonding The worker's unbonding stake after the request.
    /// @param unbondingEnd The last block at which the unbonding stake can be slashed.
    event UnstakeRequested(address indexed worker, uint256 amount, uint256 unbonding, uint256 unbondingEnd);

    /// @notice `worker` withdrew `amount` of unbonded stake.
    /// @param worker The staker.
    /// @param amount The tokens sent to the worker.
    event Withdrawn(address indexed worker, uint256 amount);

    /// @notice `seats` seats of `bondPerSeat` each were locked on `worker`'s stake.
    /// @param worker The seat holder.
    /// @param seats The seats added.
    /// @param bondPerSeat The stake each seat locks.
    /// @param locked The worker's locked stake afterwards.
    event SeatsLocked(address indexed worker, uint256 seats, uint256 bondPerSeat, uint256 locked);

    /// @notice `seats` seats of `bondPerSeat` each were released from `worker`'s stake.
    /// @param worker The seat holder.
    /// @param seats The seats released.
    /// @param bondPerSeat The stake each seat had locked.
    /// @param locked The worker's locked stake afterwards.
    event SeatsUnlocked(address indexed worker, uint256 seats, uint256 bondPerSeat, uint256 locked);

    /// @notice `worker` was slashed `slashed` (of `requested`) by `slasher`.
    /// @param worker The slashed worker.
    /// @param slasher The contract that ordered the slash.
    /// @param requested The amount the slasher asked for.
    /// @param slashed The amount taken: `requested`, or all the worker had if that was less.
    /// @param fromUnbonding The part of `slashed` taken from unbonding stake.
    event WorkerSlashed(
        address indexed worker,
        address indexed slasher,
        uint256 requested,
        uint256 slashed,
        uint256 fromUnbonding
    );

    /// @notice `amount` of `worker`'s slashed stake was credited to `recipient`, to be claimed.
    /// @param worker The slashed worker.
    /// @param recipient The account credited (a payout recipient or the treasury).
    /// @param amount The tokens credited.
    event SlashCredited(address indexed worker, address indexed recipient, uint256 amount);

    /// @notice `account` claimed `amount`.
    /// @param account The claimant, which received the tokens.
    /// @param amount The tokens sent.
    event Claimed(address indexed account, uint256 amount);

    /// @notice `worker`'s sampling weight changed from `oldWeight` to `newWeight`.
    /// @param worker The staker.
    /// @param oldWeight The weight before.
    /// @param newWeight The weight after.
    event WeightUpdated(address indexed worker, uint256 oldWeight, uint256 newWeight);

    /// @notice A change of `worker`'s weight arrived inside a draw window and waits for `syncWeight` after it.
    /// @param worker The staker.
    /// @param weight The weight that stays in force during the window.
    /// @param targetWeight The weight that `syncWeight` will apply once the window has ended.
    /// @param windowEnd The last block of the window.
    event WeightChangeDeferred(address indexed worker, uint256 weight, uint256 targetWeight, uint256 windowEnd);

    /// @notice The parameters were changed.
    /// @param minStake The new minimum stake.
    /// @param seatBond The new default seat bond.
    /// @param unbondingPeriod The new unbonding period, in blocks.
    /// @param treasury The new treasury.
    event ParametersSet(uint256 minStake, uint256 seatBond, uint256 unbondingPeriod, address treasury);
}

/// @title ISecurityPool
/// @notice The single security pool: workers stake one ERC20, committees are sampled from it stake-weighted and
/// with replacement, seats lock stake, and task contracts slash it.
/// @dev Rule 2 (no one who can know a draw's seed can change the weights it uses) is kept with epochs of
/// `epochBlocks` blocks whose last `drawWindowBlocks` blocks form a draw window. Weights are frozen inside the
/// window: stake changes made there update balances at once but their weight waits for `syncWeight` after the window.
/// Draws are only possible inside the window, so a seed that becomes known at or after the window's first block
/// (for example the hash of that block) meets weights that were fixed before it existed.
interface ISecurityPool is ISecurityPoolTypes, ISecurityPoolErrors, ISecurityPoolEvents {
    // ---------------------------------------------------------------------------------------------------------------
    // Staking
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Stakes `amount` of the stake token from the caller.
    /// @dev Requires: not paused; `amount > 0`; the resulting active stake is at least `minStake`; the pool received
    /// exactly `amount` (fee-on-transfer tokens are refused). Emits `Staked`, then `WeightUpdated` or
    /// `WeightChangeDeferred`.
    /// @param amount The tokens to move from the caller (approve the pool first).
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of the caller's active stake to unbonding; it stays slashable for `unbondingPeriod`
    /// blocks and can be withdrawn after that. A new request restarts the period for everything unbonding.
    /// @dev Requires: `amount > 0`; `amount` at most the unlocked active stake; the remaining active stake is zero or
    /// at least `minStake`. Works while paused. Emits `UnstakeRequested`, then `WeightUpdated` or
    /// `WeightChangeDeferred`. Never raises the tree weight: if an earlier stake made inside a window still waits, the
    /// weight only goes down here and the rest waits for `syncWeight`, so a full tree can never block an unstake.
    /// @param amount The stake to unbond.
    function requestUnstake(uint256 amount) external;

    /// @notice Sends the caller's whole unbonding stake to it once the unbonding period is over.
    /// @dev Requires: unbonding stake above zero; `block.number > unbondingEnd`. Works while paused. Emits `Withdrawn`.
    /// @return amount The tokens sent.
    function withdraw() external returns (uint256 amount);

    /// @notice Applies `worker`'s pending weight change (one made inside a draw window). Anyone may call it.
    /// @dev Requires: the current block is not inside a draw window. Emits `WeightUpdated` if the weight changed.
    /// @param worker The staker whose weight to bring up to date.
    /// @return weight The worker's weight afterwards.
    function syncWeight(address worker) external returns (uint256 weight);

    /// @notice Sends the caller everything credited to it by slashes.
    /// @dev Requires: a claimable balance above zero. Emits `Claimed`.
    /// @return amount The tokens sent.
    function claim() external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------------------------
    // Seats and slashing (task and dispute contracts)
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Locks `seats * bondPerSeat` of `worker`'s active stake for seats of a live task.
    /// @dev Requires: `SEAT_MANAGER_ROLE`; `seats > 0`; the worker's unlocked active stake covers the bond. Emits
    /// `SeatsLocked`.
    /// @param worker The seat holder.
    /// @param seats The number of seats.
    /// @param bondPerSeat The stake each seat locks (the task's frozen seat bond).
    function lockSeats(address worker, uint256 seats, uint256 bondPerSeat) external;

    /// @notice Locks `seats * bondPerSeat` of `worker`'s active stake if its unlocked stake covers it; otherwise
    /// changes nothing and returns false. Task contracts use it while drawing, so that a worker drawn beyond its
    /// capacity leaves its seats vacant instead of reverting the draw (and the outcome never depends on the gas sent).
    /// @dev Requires: `SEAT_MANAGER_ROLE`; `seats > 0`. Emits `SeatsLocked` when it locks.
    /// @param worker The seat holder.
    /// @param seats The number of seats.
    /// @param bondPerSeat The stake each seat locks.
    /// @return locked Whether the seats were locked.
    function tryLockSeats(address worker, uint256 seats, uint256 bondPerSeat) external returns (bool locked);

    /// @notice Releases `seats` seats of `bondPerSeat` each. If a slash already consumed locked stake, only what is
    /// still locked is released.
    /// @dev Requires: `SEAT_MANAGER_ROLE`; `seats > 0`. Emits `SeatsUnlocked`.
    /// @param worker The seat holder.
    /// @param seats The number of seats.
    /// @param bondPerSeat The stake each seat had locked.
    function unlockSeats(address worker, uint256 seats, uint256 bondPerSeat) external;

    /// @notice Takes up to `amount` from `worker`: first unlocked active stake, then unbonding stake (while it is
    /// still slashable), then locked stake. The taken amount pays `amounts[i]` to `recipients[i]` in order while it
    /// lasts; what remains goes to the treasury. Payouts are credited, to be claimed.
    /// @dev Requires: `SLASHER_ROLE`; `amount > 0`; equal lengths, at most `MAX_SLASH_RECIPIENTS`; no zero recipient;
    /// the payouts add up to at most `amount`. Emits `WorkerSlashed`, `SlashCredited` per credit, then a weight event.
    /// Like `requestUnstake`, it never raises the tree weight, so it cannot be blocked by a full tree.
    /// @param worker The worker to slash.
    /// @param amount The amount to take.
    /// @param recipients Who is paid from it, in order of priority.
    /// @param amounts What each recipient is owed.
    /// @return slashed The amount taken: `amount`, or everything slashable the worker had if that was less.
    function slash(
        address worker,
        uint256 amount,
        address[] calldata recipients,
        uint256[] calldata amounts
    ) external returns (uint256 slashed);

    // ---------------------------------------------------------------------------------------------------------------
    // Draws
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Draws `count` seats stake-weighted and with replacement: seat `j` goes to the worker whose weight
    /// interval holds `uint256(keccak256(abi.encode(seed, j))) % totalWeight`.
    /// @dev Requires: the current block is inside a draw window; `0 < count <= MAX_SEATS_PER_DRAW`; a non-zero total
    /// weight. The result depends only on `seed`, `count` and the frozen weights.
    /// @param seed The draw's seed; the caller must make sure it became known only once the window had started.
    /// @param count The number of seats.
    /// @return members The seat holders, one per seat (a worker may appear several times).
    function drawSeats(bytes32 seed, uint256 count) external view returns (address[] memory members);

    // ---------------------------------------------------------------------------------------------------------------
    // Admin
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Sets the parameters.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; every value within its bounds; a non-zero treasury. Emits `ParametersSet`.
    /// Never moves funds; unbonding periods already running keep their end.
    /// @param params The new parameters.
    function setParameters(Parameters calldata params) external;

    /// @notice Stops new stakes. Unstaking, withdrawing, claiming, seat locks and slashes go on.
    /// @dev Requires: `PAUSER_ROLE`.
    function pause() external;

    /// @notice Lets new stakes in again.
    /// @dev Requires: `PAUSER_ROLE`.
    function unpause() external;

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The stake token, fixed at deployment.
    function stakeToken() external view returns (address);

    /// @notice Stake per unit of sampling weight, fixed at deployment.
    function weightUnit() external view returns (uint256);

    /// @notice Blocks per epoch, fixed at deployment.
    function epochBlocks() external view returns (uint256);

    /// @notice Blocks in each epoch's draw window (its last blocks), fixed at deployment.
    function drawWindowBlocks() external view returns (uint256);

    /// @notice The current parameters.
    function parameters() external view returns (Parameters memory);

    /// @notice `worker`'s position.
    /// @param worker The staker.
    function stakeOf(address worker) external view returns (StakeInfo memory);

    /// @notice Pool-wide sums.
    function totals() external view returns (PoolTotals memory);

    /// @notice What `account` can claim.
    /// @param account The claimant.
    function claimableOf(address account) external view returns (uint256);

    /// @notice The draw window of the current epoch (the one in force, or the next one to open).
    function drawWindow() external view returns (DrawWindow memory);
}
