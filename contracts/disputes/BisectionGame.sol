// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IBisectionGame} from "../interfaces/IBisectionGame.sol";
import {IStepVerifier} from "../interfaces/IStepVerifier.sol";

/// @title BisectionGame
/// @notice Two-party bisection over a program's trace with an on-chain one-step check, chess clocks and a program
/// registry. See `IBisectionGame` for the specification and `docs/BisectionGame.md`.
/// @dev A referee only: no tokens, no callbacks. The external calls it makes are to the step verifier, through
/// `view` functions (STATICCALL), so no call can re-enter and change a game.
contract BisectionGame is IBisectionGame, AccessControl {
    // ---------------------------------------------------------------------------------------------------------------
    // Constants
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The deepest bisection a game allows: a trace has at most 2^40 steps (its indices fit 64 bits).
    uint256 public constant MAX_DEPTH = 40;
    /// @notice The shortest clock, in blocks.
    uint256 public constant MIN_CLOCK_BLOCKS = 1;
    /// @notice The longest clock, in blocks (about two weeks at 12 s, the task manager's longest window).
    uint256 public constant MAX_CLOCK_BLOCKS = 100_000;

    // ---------------------------------------------------------------------------------------------------------------
    // Storage
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev One game in five slots of fixed fields (the turn state a move rewrites shares slot 1) and four hashes.
    struct Stored {
        // slot 0: who referees, whose turn, how it ended
        address arbiter;
        Side turn;
        Side winner;
        Resolution resolution;
        uint8 moves;
        uint32 extensionBlocks;
        // slot 1: the turn state every move rewrites
        uint64 lo;
        uint64 hi;
        uint64 turnStart;
        uint32 defenderClock;
        uint32 challengerClock;
        // slots 2-4
        address defender;
        uint64 steps;
        address challenger;
        IStepVerifier verifier;
        // slots 5-8
        bytes32 loHash;
        bytes32 defenderHiHash;
        bytes32 challengerHiHash;
        bytes32 pending;
    }

    uint256 private _gameCount;
    mapping(uint256 gameId => Stored) private _games;
    mapping(bytes32 programId => IStepVerifier) private _verifiers;
    uint32 private _clockBlocks;
    uint32 private _extensionBlocks;

    /// @notice Sets the admin and the first clock parameters.
    /// @param admin Holds `DEFAULT_ADMIN_ROLE` (meant to be a timelock): sets verifiers and clock parameters only.
    /// @param clockBlocks Each side's time budget for new tasks.
    /// @param extensionBlocks The least time per turn for new tasks.
    constructor(address admin, uint256 clockBlocks, uint256 extensionBlocks) {
        require(admin != address(0), BisectionGameZeroAddress());
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setParameters(clockBlocks, extensionBlocks);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Games
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBisectionGame
    function createGame(GameSetup calldata setup, bytes calldata input) external returns (uint256 gameId) {
        IStepVerifier verifier = setup.verifier;
        require(address(verifier) != address(0) && setup.challenger != address(0), BisectionGameZeroAddress());
        require(setup.defender != setup.challenger, BisectionGameSameParty(setup.challenger));
        require(
            setup.defenderClaim != bytes32(0) &&
                setup.challengerClaim != bytes32(0) &&
                setup.defenderClaim != setup.challengerClaim,
            BisectionGameInvalidClaims(setup.defenderClaim, setup.challengerClaim)
        );
        _checkClocks(setup.clockBlocks, setup.extensionBlocks);
        (bytes32 startHash, uint256 steps) = verifier.initialState(input);
        uint256 maxSteps = verifier.maxSteps();
        if (maxSteps > 1 << MAX_DEPTH) maxSteps = 1 << MAX_DEPTH;
        require(steps <= maxSteps, BisectionGameTraceTooLong(steps, maxSteps));

        gameId = ++_gameCount;
        Stored storage g = _store(gameId, setup, startHash, steps);
        if (steps == 0) {
            // No step to dispute: the trace is its start state, so the right claim is the start state's hash.
            Side winner = setup.defenderClaim == startHash ? Side.Defender : Side.Challenger;
            _resolve(gameId, g, winner, Resolution.NoSteps);
        } else {
            g.turn = Side.Defender;
        }
    }

    /// @dev Writes a new game: the whole trace disputed, the defender's turn from this block on.
    function _store(
        uint256 gameId,
        GameSetup calldata setup,
        bytes32 startHash,
        uint256 steps
    ) private returns (Stored storage g) {
        g = _games[gameId];
        g.arbiter = msg.sender;
        g.extensionBlocks = setup.extensionBlocks;
        // Both fit: steps <= 2^40, the block number far below 2^64; the clocks are uint32 by type.
        g.hi = uint64(steps);
        g.turnStart = uint64(block.number);
        g.defenderClock = setup.clockBlocks;
        g.challengerClock = setup.clockBlocks;
        g.defender = setup.defender;
        g.steps = uint64(steps);
        g.challenger = setup.challenger;
        g.verifier = setup.verifier;
        g.loHash = startHash;
        g.defenderHiHash = setup.defenderClaim;
        g.challengerHiHash = setup.challengerClaim;
        emit GameCreated(
            gameId,
            msg.sender,
            setup.verifier,
            setup.defender,
            setup.challenger,
            startHash,
            steps,
            setup.defenderClaim,
            setup.challengerClaim,
            setup.clockBlocks,
            setup.extensionBlocks
        );
    }

    /// @inheritdoc IBisectionGame
    function assignDefender(uint256 gameId, address defender) external {
        Stored storage g = _running(gameId);
        require(msg.sender == g.arbiter, BisectionGameNotArbiter(gameId, msg.sender, g.arbiter));
        require(g.defender == address(0), BisectionGameDefenderAlreadySet(gameId, g.defender));
        require(defender != address(0), BisectionGameZeroAddress());
        require(defender != g.challenger, BisectionGameSameParty(defender));
        g.defender = defender;
        emit DefenderAssigned(gameId, defender);
    }

    /// @inheritdoc IBisectionGame
    function move(uint256 gameId, bytes32 answer, bytes32 next) external {
        Stored storage g = _running(gameId);
        bytes32 pending = g.pending;
        (uint256 lo, uint256 hi) = (g.lo, g.hi);
        require(pending != bytes32(0) || hi - lo > 1, BisectionGameAtOneStep(gameId, lo, hi));
        Side side = g.turn;
        address mover = side == Side.Defender ? g.defender : g.challenger;
        require(msg.sender == mover, BisectionGameNotYourTurn(gameId, msg.sender, side, mover));
        uint256 clockLeft = _charge(gameId, g, side);

        if (pending == bytes32(0)) {
            // The first move: the defender posts its hash at the first mid.
            _checkShape(gameId, answer != bytes32(0) && next == bytes32(0), 1, answer, next);
            g.pending = answer;
            emit Moved(gameId, side, _countMove(g), bytes32(0), lo, hi, answer, clockLeft);
            return;
        }
        (lo, hi) = _narrow(g, side, answer, pending);
        // A hash is due at the new mid exactly while more than one step is disputed.
        bool more = hi - lo > 1;
        _checkShape(gameId, answer != bytes32(0) && (next != bytes32(0)) == more, more ? 2 : 1, answer, next);
        g.pending = next;
        emit Moved(gameId, side, _countMove(g), answer, lo, hi, next, clockLeft);
    }

    /// @dev Compares the mover's `answer` with the other side's `pending` hash at the mid: equal, both agree up to
    /// the mid (`lo` moves up); different, they disagree there (`hi` moves down, keeping both hashes).
    function _narrow(
        Stored storage g,
        Side side,
        bytes32 answer,
        bytes32 pending
    ) private returns (uint256 lo, uint256 hi) {
        (lo, hi) = (g.lo, g.hi);
        uint256 mid = lo + (hi - lo) / 2;
        (bytes32 defenderHash, bytes32 challengerHash) = side == Side.Defender ? (answer, pending) : (pending, answer);
        // Both fit: mid lies between lo and hi, which fit 64 bits.
        if (defenderHash == challengerHash) {
            lo = mid;
            g.lo = uint64(mid);
            g.loHash = defenderHash;
        } else {
            hi = mid;
            g.hi = uint64(mid);
            g.defenderHiHash = defenderHash;
            g.challengerHiHash = challengerHash;
        }
    }

    /// @dev Counts a move: at most MAX_DEPTH + 1 (the first, then one per halving), so the count fits its byte.
    function _countMove(Stored storage g) private returns (uint256 moves) {
        moves = g.moves + 1;
        g.moves = uint8(moves);
    }

    /// @inheritdoc IBisectionGame
    function prove(uint256 gameId, bytes calldata preState) external returns (Side winner) {
        Stored storage g = _running(gameId);
        uint256 lo = g.lo;
        require(g.pending == bytes32(0) && g.hi - lo == 1, BisectionGameNotAtOneStep(gameId, lo, g.hi));
        (Side side, uint256 deadline) = _deadline(g);
        require(block.number <= deadline, BisectionGameClockExpired(gameId, side, deadline, block.number));
        bytes32 preStateHash = g.loHash;
        bytes32 post = g.verifier.step(preStateHash, preState);
        bytes32 defenderHash = g.defenderHiHash;
        // The defender claimed `defenderHash` after this step: it wins exactly when that is what the step gives.
        winner = post == defenderHash ? Side.Defender : Side.Challenger;
        emit StepProven(gameId, msg.sender, lo, preStateHash, post, defenderHash);
        _resolve(gameId, g, winner, Resolution.OneStep);
    }

    /// @inheritdoc IBisectionGame
    function timeout(uint256 gameId) external returns (Side winner) {
        Stored storage g = _running(gameId);
        (Side side, uint256 deadline) = _deadline(g);
        require(block.number > deadline, BisectionGameClockRunning(gameId, side, deadline, block.number));
        winner = side == Side.Defender ? Side.Challenger : Side.Defender;
        _resolve(gameId, g, winner, Resolution.Timeout);
    }

    /// @dev The game, which must exist and not have ended.
    function _running(uint256 gameId) private view returns (Stored storage g) {
        g = _games[gameId];
        require(g.arbiter != address(0), BisectionGameUnknownGame(gameId));
        require(g.winner == Side.None, BisectionGameAlreadyResolved(gameId, g.winner));
    }

    /// @dev Charges `side` (the mover) for its turn and hands the turn to the other side, whose clock is topped up
    /// to the extension if it holds less. Returns the mover's time left.
    function _charge(uint256 gameId, Stored storage g, Side side) private returns (uint256 left) {
        uint256 start = g.turnStart;
        uint256 clock = side == Side.Defender ? g.defenderClock : g.challengerClock;
        uint256 deadline = start + clock;
        require(block.number <= deadline, BisectionGameClockExpired(gameId, side, deadline, block.number));
        // Both below 2^32: `left <= clock`, and the extension is a uint32.
        left = deadline - block.number;
        uint256 extension = g.extensionBlocks;
        if (side == Side.Defender) {
            g.defenderClock = uint32(left);
            if (g.challengerClock < extension) g.challengerClock = uint32(extension);
            g.turn = Side.Challenger;
        } else {
            g.challengerClock = uint32(left);
            if (g.defenderClock < extension) g.defenderClock = uint32(extension);
            g.turn = Side.Defender;
        }
        g.turnStart = uint64(block.number);
    }

    function _checkShape(uint256 gameId, bool ok, uint256 expected, bytes32 answer, bytes32 next) private pure {
        if (ok) return;
        uint256 given = (answer == bytes32(0) ? 0 : 1) + (next == bytes32(0) ? 0 : 1);
        revert BisectionGameWrongMoveShape(gameId, expected, given);
    }

    function _deadline(Stored storage g) private view returns (Side side, uint256 deadline) {
        side = g.turn;
        deadline = uint256(g.turnStart) + (side == Side.Defender ? g.defenderClock : g.challengerClock);
    }

    function _resolve(uint256 gameId, Stored storage g, Side winner, Resolution resolution) private {
        g.winner = winner;
        g.resolution = resolution;
        g.turn = Side.None;
        emit GameResolved(gameId, winner, resolution, winner == Side.Defender ? g.challenger : g.defender);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Registry and parameters (admin, bounded: rule 10)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBisectionGame
    function setVerifier(bytes32 programId, IStepVerifier verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(verifier) != address(0)) {
            bytes32 reported = verifier.programId();
            require(reported == programId, BisectionGameVerifierMismatch(programId, reported));
            _checkBounds("maxSteps", verifier.maxSteps(), 1, 1 << MAX_DEPTH);
        }
        _verifiers[programId] = verifier;
        emit VerifierSet(programId, verifier);
    }

    /// @inheritdoc IBisectionGame
    function setParameters(uint256 clockBlocks, uint256 extensionBlocks) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParameters(clockBlocks, extensionBlocks);
    }

    function _setParameters(uint256 clockBlocks, uint256 extensionBlocks) private {
        _checkClocks(clockBlocks, extensionBlocks);
        // Both fit: bounded by MAX_CLOCK_BLOCKS.
        _clockBlocks = uint32(clockBlocks);
        _extensionBlocks = uint32(extensionBlocks);
        emit ParametersSet(clockBlocks, extensionBlocks);
    }

    function _checkClocks(uint256 clockBlocks, uint256 extensionBlocks) private pure {
        _checkBounds("clockBlocks", clockBlocks, MIN_CLOCK_BLOCKS, MAX_CLOCK_BLOCKS);
        _checkBounds("extensionBlocks", extensionBlocks, 1, clockBlocks);
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        require(value >= min && value <= max, BisectionGameParameterOutOfBounds(name, value, min, max));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IBisectionGame
    function verifierOf(bytes32 programId) external view returns (IStepVerifier) {
        return _verifiers[programId];
    }

    /// @inheritdoc IBisectionGame
    function parameters() external view returns (uint256 clockBlocks, uint256 extensionBlocks) {
        return (_clockBlocks, _extensionBlocks);
    }

    /// @inheritdoc IBisectionGame
    function gameCount() external view returns (uint256) {
        return _gameCount;
    }

    /// @inheritdoc IBisectionGame
    function gameOf(uint256 gameId) external view returns (Game memory game) {
        Stored storage g = _games[gameId];
        game.arbiter = g.arbiter;
        game.verifier = g.verifier;
        game.defender = g.defender;
        game.challenger = g.challenger;
        game.steps = g.steps;
        game.lo = g.lo;
        game.hi = g.hi;
        game.loHash = g.loHash;
        game.defenderHiHash = g.defenderHiHash;
        game.challengerHiHash = g.challengerHiHash;
        game.pending = g.pending;
        game.turn = g.turn;
        game.turnStart = g.turnStart;
        game.defenderClock = g.defenderClock;
        game.challengerClock = g.challengerClock;
        game.extensionBlocks = g.extensionBlocks;
        game.moves = g.moves;
        game.winner = g.winner;
        game.resolution = g.resolution;
    }

    /// @inheritdoc IBisectionGame
    function deadlineOf(uint256 gameId) external view returns (Side side, uint256 deadline) {
        return _deadline(_running(gameId));
    }

    /// @inheritdoc IBisectionGame
    function maxDuration(uint256 steps, uint256 clockBlocks, uint256 extensionBlocks) external pure returns (uint256) {
        return _maxDuration(steps, clockBlocks, extensionBlocks);
    }

    function _maxDuration(uint256 steps, uint256 clockBlocks, uint256 extensionBlocks) private pure returns (uint256) {
        uint256 depth = steps > 1 ? Math.log2(steps, Math.Rounding.Ceil) : 0;
        return 2 * clockBlocks + (depth + 1) * extensionBlocks + 1;
    }
}
