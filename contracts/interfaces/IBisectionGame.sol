// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "./IStepVerifier.sol";

/// @title Types of the bisection game
/// @notice The enums and structs the game takes and returns.
interface IBisectionGameTypes {
    /// @notice A side of a game. `None` is used where no side applies (no winner yet).
    enum Side {
        None,
        Defender,
        Challenger
    }

    /// @notice How a game ended. `None`: it has not. `NoSteps`: the trace was empty, so the start state is the
    /// answer. `OneStep`: the verifier ran the one disputed step. `Timeout`: the side to move ran out of time.
    enum Resolution {
        None,
        NoSteps,
        OneStep,
        Timeout
    }

    /// @notice What an arbiter sets up a game with.
    /// @param verifier The program's step verifier.
    /// @param defender The defender, or zero to let the arbiter assign one later (`assignDefender`); the defender's
    /// clock runs from creation either way.
    /// @param challenger The challenger (not zero, not the defender).
    /// @param defenderClaim The defender's final state hash (the result it stands for).
    /// @param challengerClaim The challenger's final state hash (non-zero, different from the defender's).
    /// @param clockBlocks Each side's time budget, in blocks, in [`MIN_CLOCK_BLOCKS`, `MAX_CLOCK_BLOCKS`].
    /// @param extensionBlocks The least time a side gets for each turn: a side whose clock holds less when its turn
    /// starts is topped up to it. In [1, `clockBlocks`].
    struct GameSetup {
        IStepVerifier verifier;
        address defender;
        address challenger;
        bytes32 defenderClaim;
        bytes32 challengerClaim;
        uint32 clockBlocks;
        uint32 extensionBlocks;
    }

    /// @notice Everything about a game (the `gameOf` view).
    /// @dev The disputed interval is `[lo, hi]` of the trace (`trace[i]` the state hash after step `i`): both sides
    /// agree on `trace[lo]` (`loHash`) and disagree on `trace[hi]` (`defenderHiHash != challengerHiHash`). While it
    /// spans more than one step, the side to move posts its hash at `mid = lo + (hi - lo) / 2` (or, if the other side
    /// already posted one there, `pending`, answers it: equal hashes move `lo` up to `mid`, different ones move `hi`
    /// down to it, and the mover posts its hash at the new mid). At one step, anyone can have the verifier run it.
    /// @param arbiter Who created the game (and alone may assign its defender).
    /// @param verifier The program's step verifier.
    /// @param defender The defender (zero until assigned).
    /// @param challenger The challenger.
    /// @param steps The trace length.
    /// @param lo The last index both sides agree on.
    /// @param hi The first index they disagree on.
    /// @param loHash The agreed hash at `lo` (at 0, the input's start state).
    /// @param defenderHiHash The defender's hash at `hi` (at first, its claim).
    /// @param challengerHiHash The challenger's hash at `hi`.
    /// @param pending The hash the side not to move posted at the current mid, waiting for the answer (0 if none).
    /// @param turn The side to move (`None` once resolved).
    /// @param turnStart The block its turn started.
    /// @param defenderClock The defender's time left at the start of its current or next turn, in blocks.
    /// @param challengerClock The challenger's, likewise.
    /// @param extensionBlocks The least time a side gets per turn.
    /// @param moves Moves made so far.
    /// @param winner The winner (`None` while the game runs).
    /// @param resolution How it ended.
    struct Game {
        address arbiter;
        IStepVerifier verifier;
        address defender;
        address challenger;
        uint256 steps;
        uint256 lo;
        uint256 hi;
        bytes32 loHash;
        bytes32 defenderHiHash;
        bytes32 challengerHiHash;
        bytes32 pending;
        Side turn;
        uint256 turnStart;
        uint256 defenderClock;
        uint256 challengerClock;
        uint256 extensionBlocks;
        uint256 moves;
        Side winner;
        Resolution resolution;
    }
}

/// @title Errors of the bisection game
/// @notice Every revert, named, with the values needed to debug it (rule 11).
interface IBisectionGameErrors {
    /// @notice An address of zero was given where one is needed.
    error BisectionGameZeroAddress();
    /// @notice The parameter `name` was `value`, outside [`min`, `max`].
    error BisectionGameParameterOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice A verifier for `programId` reports the program `reported`.
    error BisectionGameVerifierMismatch(bytes32 programId, bytes32 reported);
    /// @notice The claims must be non-zero and differ; they were `defenderClaim` and `challengerClaim`.
    error BisectionGameInvalidClaims(bytes32 defenderClaim, bytes32 challengerClaim);
    /// @notice The defender and the challenger must be different parties; both were `party`.
    error BisectionGameSameParty(address party);
    /// @notice The input's trace has `steps` steps, more than its verifier's `maxSteps` (`max`).
    error BisectionGameTraceTooLong(uint256 steps, uint256 max);
    /// @notice No game has id `gameId`.
    error BisectionGameUnknownGame(uint256 gameId);
    /// @notice Only the arbiter `arbiter` of game `gameId` may do this, not `caller`.
    error BisectionGameNotArbiter(uint256 gameId, address caller, address arbiter);
    /// @notice Game `gameId` already has the defender `defender`.
    error BisectionGameDefenderAlreadySet(uint256 gameId, address defender);
    /// @notice Game `gameId` ended; `winner` won.
    error BisectionGameAlreadyResolved(uint256 gameId, IBisectionGameTypes.Side winner);
    /// @notice It is `side`'s turn in game `gameId`, held by `expected` (zero: no defender yet), not `caller`'s.
    error BisectionGameNotYourTurn(uint256 gameId, address caller, IBisectionGameTypes.Side side, address expected);
    /// @notice `side`'s clock in game `gameId` ran out after block `deadline`; now is `current`: only a timeout is
    /// left.
    error BisectionGameClockExpired(uint256 gameId, IBisectionGameTypes.Side side, uint256 deadline, uint256 current);
    /// @notice `side` may still move in game `gameId` until block `deadline`; now is `current`.
    error BisectionGameClockRunning(uint256 gameId, IBisectionGameTypes.Side side, uint256 deadline, uint256 current);
    /// @notice A move of game `gameId` must post `expected` hashes at the indices `gameOf` implies (a zero hash is no
    /// hash); it posted `given`.
    error BisectionGameWrongMoveShape(uint256 gameId, uint256 expected, uint256 given);
    /// @notice Game `gameId` is at one step (`lo`, `hi` = `lo + 1`): no bisection move is left, only the step proof.
    error BisectionGameAtOneStep(uint256 gameId, uint256 lo, uint256 hi);
    /// @notice Game `gameId` still disputes [`lo`, `hi`] (or waits for an answer): the step cannot be proven yet.
    error BisectionGameNotAtOneStep(uint256 gameId, uint256 lo, uint256 hi);
}

/// @title Events of the bisection game
/// @notice One event per state change.
interface IBisectionGameEvents {
    /// @notice Game `gameId` started: the defender moves first.
    /// @param gameId The game.
    /// @param arbiter Who created it.
    /// @param verifier The program's step verifier.
    /// @param defender The defender (zero until assigned).
    /// @param challenger The challenger.
    /// @param startHash The trace's first hash (the input's start state).
    /// @param steps The trace length.
    /// @param defenderClaim The defender's final state hash.
    /// @param challengerClaim The challenger's final state hash.
    /// @param clockBlocks Each side's time budget.
    /// @param extensionBlocks The least time per turn.
    event GameCreated(
        uint256 indexed gameId,
        address indexed arbiter,
        IStepVerifier verifier,
        address defender,
        address indexed challenger,
        bytes32 startHash,
        uint256 steps,
        bytes32 defenderClaim,
        bytes32 challengerClaim,
        uint256 clockBlocks,
        uint256 extensionBlocks
    );

    /// @notice The arbiter assigned game `gameId`'s defender.
    /// @param gameId The game.
    /// @param defender The defender.
    event DefenderAssigned(uint256 indexed gameId, address indexed defender);

    /// @notice `side` moved: it answered the other side's hash at the old mid with `answer` (zero on the first move),
    /// which left the interval [`lo`, `hi`], and posted `posted` at its mid (zero when one step is left).
    /// @param gameId The game.
    /// @param side The mover.
    /// @param move The move's number (1 for the first).
    /// @param answer Its hash at the old mid (or, on the first move, zero: `posted` is its first hash).
    /// @param lo The interval's new low end.
    /// @param hi The interval's new high end.
    /// @param posted Its hash at the new mid, or zero.
    /// @param clockLeft The mover's time left after the move.
    event Moved(
        uint256 indexed gameId,
        IBisectionGameTypes.Side side,
        uint256 move,
        bytes32 answer,
        uint256 lo,
        uint256 hi,
        bytes32 posted,
        uint256 clockLeft
    );

    /// @notice The verifier ran step `lo` -> `lo + 1` of game `gameId` from the agreed `preStateHash`, giving
    /// `postStateHash`; the defender's hash there was `defenderHash`.
    /// @param gameId The game.
    /// @param prover Who submitted the pre-state.
    /// @param lo The step's index.
    /// @param preStateHash The agreed hash before it.
    /// @param postStateHash The verifier's hash after it.
    /// @param defenderHash The defender's hash after it.
    event StepProven(
        uint256 indexed gameId,
        address indexed prover,
        uint256 lo,
        bytes32 preStateHash,
        bytes32 postStateHash,
        bytes32 defenderHash
    );

    /// @notice Game `gameId` ended: `winner` won by `resolution`.
    /// @param gameId The game.
    /// @param winner The winning side.
    /// @param resolution How.
    /// @param loser The losing party (zero for a defender never assigned).
    event GameResolved(
        uint256 indexed gameId,
        IBisectionGameTypes.Side winner,
        IBisectionGameTypes.Resolution resolution,
        address loser
    );

    /// @notice Program `programId`'s step verifier is now `verifier` (zero: none), for tasks created from now on.
    /// @param programId The program.
    /// @param verifier Its verifier.
    event VerifierSet(bytes32 indexed programId, IStepVerifier verifier);

    /// @notice The clock parameters arbiters read for new games changed.
    /// @param clockBlocks Each side's time budget.
    /// @param extensionBlocks The least time per turn.
    event ParametersSet(uint256 clockBlocks, uint256 extensionBlocks);
}

/// @title IBisectionGame
/// @notice Step 3 of the escalation ladder (DESIGN.md): a two-party interactive bisection over a program's trace, the
/// sequence of state hashes one per step, ending in one step the program's on-chain `IStepVerifier` runs. A defender
/// and a challenger stand for different final state hashes of the same input; they bisect the trace until one step
/// is left, then the verifier runs it from the agreed pre-state and the defender wins exactly when its hash after
/// the step is the verifier's. An honest side never loses: it only agrees with true hashes, so the agreed pre-state
/// is true and the other side's hash after it is not. Chess clocks bound the game: each side has `clockBlocks` for
/// all its turns, topped up to `extensionBlocks` at the start of a turn; the side to move that runs out loses, and
/// anyone can call the timeout. A game lasts at most `maxDuration(steps, clockBlocks, extensionBlocks)` blocks.
/// See `docs/BisectionGame.md`.
/// @dev The game is a referee: it holds no tokens. Its arbiter (the contract that created it, the task manager)
/// reads the outcome and moves bonds and slashes. A registry, set by the admin within bounds, maps program ids to
/// their step verifiers, and holds the clock parameters arbiters copy into new tasks (rule 9).
interface IBisectionGame is IBisectionGameTypes, IBisectionGameErrors, IBisectionGameEvents {
    /// @notice Starts a game over the trace of `input` (the verifier's `initialState` gives its start hash and
    /// length); the caller is its arbiter. The defender moves first; its clock runs from now, assigned or not. An
    /// empty trace (no steps) is resolved at once: the defender wins if its claim is the start state's hash.
    /// @dev Requires: non-zero verifier and challenger (`BisectionGameZeroAddress`); defender not the challenger
    /// (`BisectionGameSameParty`); non-zero, different claims (`BisectionGameInvalidClaims`); clock and extension
    /// within bounds (`BisectionGameParameterOutOfBounds`); an input the verifier accepts (its error otherwise) with
    /// at most `maxSteps` steps (`BisectionGameTraceTooLong`). Emits `GameCreated` (and `GameResolved` for no steps).
    /// @param setup The parties, claims, verifier and clocks.
    /// @param input The program input (the arbiter checks it is the disputed task's).
    /// @return gameId The new game's id (ids start at 1).
    function createGame(GameSetup calldata setup, bytes calldata input) external returns (uint256 gameId);

    /// @notice Sets the defender of a game created without one.
    /// @dev Requires: the game exists and runs; the caller is its arbiter (`BisectionGameNotArbiter`); no defender
    /// yet (`BisectionGameDefenderAlreadySet`); a non-zero defender that is not the challenger. Emits
    /// `DefenderAssigned`.
    /// @param gameId The game.
    /// @param defender The defender.
    function assignDefender(uint256 gameId, address defender) external;

    /// @notice A bisection move by the side to move. If the other side posted a hash at the current mid (`pending`),
    /// `answer` is the mover's hash there: equal hashes agree (`lo` moves up to the mid), different ones disagree
    /// (`hi` moves down to it). Then, while more than one step is disputed, `next` is the mover's hash at the new mid.
    /// On the first move (nothing pending) `answer` is the mover's hash at the mid and `next` must be zero.
    /// @dev Requires: the game runs (`BisectionGameAlreadyResolved`); more than one step disputed or an answer due
    /// (`BisectionGameAtOneStep`); the caller is the side to move (`BisectionGameNotYourTurn`); its clock has not run
    /// out (`BisectionGameClockExpired`); non-zero hashes exactly where one is due (`BisectionGameWrongMoveShape`).
    /// Charges the mover the blocks since its turn started, passes the turn, tops the other side's clock up to the
    /// extension. Emits `Moved`.
    /// @param gameId The game.
    /// @param answer The mover's hash at the mid the other side posted at (or its first hash).
    /// @param next The mover's hash at the new mid, or zero when one step is left (and on the first move).
    function move(uint256 gameId, bytes32 answer, bytes32 next) external;

    /// @notice Runs the one disputed step on-chain: the verifier steps `preState` (which must hash to the agreed
    /// `loHash`) and the defender wins if its hash after the step is the verifier's, the challenger otherwise.
    /// Anyone may call it.
    /// @dev Requires: the game runs; one step disputed, no answer due (`BisectionGameNotAtOneStep`); the side to
    /// move's clock has not run out (`BisectionGameClockExpired`: then only the timeout decides); the verifier accepts
    /// `preState` (its errors, `StepVerifierPreStateMismatch` among them). Emits `StepProven`, `GameResolved`.
    /// @param gameId The game.
    /// @param preState The canonical encoding of the agreed state before the step.
    /// @return winner The winning side.
    function prove(uint256 gameId, bytes calldata preState) external returns (Side winner);

    /// @notice Ends a game whose side to move ran out of time: the other side wins. Anyone may call it.
    /// @dev Requires: the game runs; `block.number > turnStart + clock` of the side to move
    /// (`BisectionGameClockRunning`). Emits `GameResolved`.
    /// @param gameId The game.
    /// @return winner The winning side.
    function timeout(uint256 gameId) external returns (Side winner);

    /// @notice Sets (or, with zero, clears) program `programId`'s step verifier. Tasks read it when they are created
    /// and keep what they read.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; a verifier that reports `programId` (`BisectionGameVerifierMismatch`)
    /// and whose `maxSteps` is in [1, 2^`MAX_DEPTH`] (`BisectionGameParameterOutOfBounds`). Emits `VerifierSet`.
    /// @param programId The program.
    /// @param verifier Its verifier, or zero.
    function setVerifier(bytes32 programId, IStepVerifier verifier) external;

    /// @notice Sets the clock parameters arbiters copy into tasks created from now on.
    /// @dev Requires: `DEFAULT_ADMIN_ROLE`; `clockBlocks` in [`MIN_CLOCK_BLOCKS`, `MAX_CLOCK_BLOCKS`],
    /// `extensionBlocks` in [1, `clockBlocks`] (`BisectionGameParameterOutOfBounds`). Emits `ParametersSet`.
    /// @param clockBlocks Each side's time budget.
    /// @param extensionBlocks The least time per turn.
    function setParameters(uint256 clockBlocks, uint256 extensionBlocks) external;

    /// @notice Program `programId`'s step verifier (zero if none).
    /// @param programId The program.
    /// @return The verifier.
    function verifierOf(bytes32 programId) external view returns (IStepVerifier);

    /// @notice The clock parameters for new tasks.
    /// @return clockBlocks Each side's time budget.
    /// @return extensionBlocks The least time per turn.
    function parameters() external view returns (uint256 clockBlocks, uint256 extensionBlocks);

    /// @notice The number of games created so far (the last id).
    /// @return The count.
    function gameCount() external view returns (uint256);

    /// @notice Everything about a game (zeroes for an unknown id).
    /// @param gameId The game.
    /// @return The game.
    function gameOf(uint256 gameId) external view returns (Game memory);

    /// @notice The side to move and the last block it may act in; after it, anyone can call `timeout`.
    /// @dev Reverts with `BisectionGameUnknownGame` or `BisectionGameAlreadyResolved`.
    /// @param gameId The game.
    /// @return side The side to move.
    /// @return deadline Its last block.
    function deadlineOf(uint256 gameId) external view returns (Side side, uint256 deadline);

    /// @notice The longest a game over `steps` steps can run with these clocks, in blocks from its creation to the
    /// block a timeout can end it: `2 * clockBlocks + (ceil(log2(steps)) + 1) * extensionBlocks + 1` (each block is
    /// charged to one side's clock; each of the at most `ceil(log2(steps)) + 1` moves may top one clock up).
    /// @param steps The trace length.
    /// @param clockBlocks Each side's time budget.
    /// @param extensionBlocks The least time per turn.
    /// @return The bound.
    function maxDuration(uint256 steps, uint256 clockBlocks, uint256 extensionBlocks) external pure returns (uint256);
}
