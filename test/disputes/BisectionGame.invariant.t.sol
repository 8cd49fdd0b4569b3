// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// The handler shares this file: the runner identifies fuzz targets by their artifacts, and Hardhat emits artifacts
// for the contracts of `*.t.sol` files only.
// solhint-disable func-name-mixedcase, one-contract-per-file
pragma solidity 0.8.30;

import {BisectionGame} from "../../contracts/disputes/BisectionGame.sol";
import {IBisectionGameTypes} from "../../contracts/interfaces/IBisectionGame.sol";
import {IStepVerifier} from "../../contracts/interfaces/IStepVerifier.sol";
import {HashChainStepVerifier} from "../../contracts/mocks/HashChainStepVerifier.sol";

import {Test} from "../utils/Test.sol";

/// @title GameFixture
/// @notice A game contract and a hash-chain program: state `i` of seed `s` is `abi.encode(s, i)`, so the true trace
/// is cheap to compute in Solidity and any trace length can be played.
abstract contract GameFixture is Test, IBisectionGameTypes {
    address internal constant DEFENDER = address(0xDEF);
    address internal constant CHALLENGER = address(0xC4A1);

    BisectionGame internal game;
    HashChainStepVerifier internal verifier;

    function _deploy() internal {
        game = new BisectionGame(address(this), 50, 10);
        verifier = new HashChainStepVerifier(keccak256("hash chain"), 1 << 40);
    }

    function _truth(bytes32 seed, uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode(seed, i));
    }

    function _fake(bytes32 seed, uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode(seed, i, "lie"));
    }
}

/// @title BisectionGameHandler
/// @notice The fuzzer's only target: runs games one after another between an honest side, which always acts on its
/// turn before time passes, and a liar that plays a lying trace, random hashes, echoes of the honest side's hashes,
/// or stalls. It checks every step against the honest side's trace and records any surprise as a violation.
contract BisectionGameHandler is GameFixture {
    /// @notice The game being played (0 before the first).
    uint256 public gameId;
    /// @notice Its input's seed.
    bytes32 public seed;
    /// @notice The honest side.
    Side public honest;
    /// @notice The first index the liar lies at.
    uint256 public divergence;
    /// @notice The block the game started in.
    uint256 public startBlock;
    /// @notice The game's `maxDuration`.
    uint256 public durationBound;
    /// @notice Games started.
    uint256 public games;
    /// @notice Games the honest side won.
    uint256 public honestWins;
    /// @notice The first violation seen, if any.
    string public violation;

    constructor(BisectionGame game_, HashChainStepVerifier verifier_) {
        game = game_;
        verifier = verifier_;
    }

    /// @notice The actions the fuzzer may call.
    /// @return selectors Their selectors.
    function actionSelectors() external pure returns (bytes4[] memory selectors) {
        selectors = new bytes4[](4);
        selectors[0] = this.newGame.selector;
        selectors[1] = this.liarActs.selector;
        selectors[2] = this.roll.selector;
        selectors[3] = this.anyoneTimesOut.selector;
    }

    /// @notice Starts a game if none runs: `steps` in [1, 2^20], the liar on a fuzzed side, its lies from a fuzzed
    /// index on (its final claim is always a lie, so the claims differ), fuzzed clocks.
    /// @param seed_ The program input's seed.
    /// @param steps The trace length.
    /// @param liarDefends Whether the liar is the defender.
    /// @param at Where its lies start.
    /// @param clock The clock.
    /// @param extension The extension.
    function newGame(
        bytes32 seed_,
        uint256 steps,
        bool liarDefends,
        uint256 at,
        uint256 clock,
        uint256 extension
    ) external {
        if (gameId != 0 && game.gameOf(gameId).winner == Side.None) return;
        steps = bound(steps, 1, 1 << 20);
        clock = bound(clock, 1, 200);
        extension = bound(extension, 1, clock);
        seed = seed_;
        divergence = bound(at, 1, steps);
        honest = liarDefends ? Side.Challenger : Side.Defender;
        (bytes32 d, bytes32 c) = liarDefends
            ? (_fake(seed_, steps), _truth(seed_, steps))
            : (_truth(seed_, steps), _fake(seed_, steps));
        GameSetup memory setup = GameSetup({
            verifier: IStepVerifier(address(verifier)),
            defender: DEFENDER,
            challenger: CHALLENGER,
            defenderClaim: d,
            challengerClaim: c,
            clockBlocks: uint32(clock),
            extensionBlocks: uint32(extension)
        });
        gameId = game.createGame(setup, abi.encode(seed_, steps));
        startBlock = block.number;
        durationBound = game.maxDuration(steps, clock, extension);
        ++games;
    }

    /// @notice The liar's turn, if it is, in the current block: `mode` 0 plays its lying trace, 1 posts random
    /// hashes, 2 echoes the honest side's pending hash (agreeing with it) and posts a random one, 3 tries to prove the
    /// last step (which shows it wrong), 4 stalls.
    /// @param mode What the liar does.
    /// @param r1 A random hash.
    /// @param r2 Another.
    function liarActs(uint8 mode, bytes32 r1, bytes32 r2) external {
        if (!_running()) return;
        Game memory g = game.gameOf(gameId);
        Side liar = honest == Side.Defender ? Side.Challenger : Side.Defender;
        mode = mode % 5;
        (, uint256 deadline) = game.deadlineOf(gameId);
        if (block.number > deadline) return;
        if (mode == 3 && g.pending == bytes32(0) && g.hi - g.lo == 1) {
            if (!_try(abi.encodeCall(game.prove, (gameId, abi.encode(seed, g.lo))))) _violate("a proof reverted");
        } else if (mode != 4 && g.turn == liar && (g.pending != bytes32(0) || g.hi - g.lo > 1)) {
            (bytes32 answer, bytes32 next) = _liarMove(g, mode, r1, r2);
            vm.prank(liar == Side.Defender ? DEFENDER : CHALLENGER);
            if (!_try(abi.encodeCall(game.move, (gameId, answer, next)))) _violate("a well-shaped move reverted");
        }
        _check();
    }

    /// @notice Time passes, then the honest side acts. It needs at least one block to react to anything, and takes
    /// up to `blocks`, but never more than its own clock allows: it is slow, yet live. So it can lose only if a turn
    /// of its started with no time to react, which the extension rules out.
    /// @param blocks How many blocks, at most.
    function roll(uint8 blocks) external {
        uint256 n = (uint256(blocks) % 64) + 1;
        if (_running()) {
            Game memory g = game.gameOf(gameId);
            (Side side, uint256 deadline) = game.deadlineOf(gameId);
            bool honestDue = side == honest || (g.pending == bytes32(0) && g.hi - g.lo == 1);
            if (honestDue && block.number <= deadline) {
                if (deadline == block.number) _violate("a turn of the honest side left it no block to react");
                else if (n > deadline - block.number) n = deadline - block.number;
            }
        }
        vm.roll(block.number + n);
        _honestActs();
    }

    /// @notice A bystander calls the timeout: it must succeed exactly when the side to move ran out of time.
    function anyoneTimesOut() external {
        if (!_running()) return;
        (, uint256 deadline) = game.deadlineOf(gameId);
        bool ok = _try(abi.encodeCall(game.timeout, (gameId)));
        if (ok != (block.number > deadline)) _violate("a timeout succeeded exactly when it should not");
        _check();
    }

    // --- the honest side ---

    function _honestActs() private {
        if (!_running()) return;
        Game memory g = game.gameOf(gameId);
        (Side side, uint256 deadline) = game.deadlineOf(gameId);
        if (block.number > deadline) {
            if (side == honest) _violate("the honest side ran out of time");
            else _call(abi.encodeCall(game.timeout, (gameId)), "the honest timeout reverted");
        } else if (g.pending == bytes32(0) && g.hi - g.lo == 1) {
            _call(abi.encodeCall(game.prove, (gameId, abi.encode(seed, g.lo))), "the proof reverted");
        } else if (side == honest) {
            (bytes32 answer, bytes32 next) = _plan(g, _truth(seed, _mid(g.lo, g.hi)), false);
            vm.prank(honest == Side.Defender ? DEFENDER : CHALLENGER);
            _call(abi.encodeCall(game.move, (gameId, answer, next)), "an honest move reverted");
        }
        if (!_running() && game.gameOf(gameId).winner == honest) ++honestWins;
        _check();
    }

    function _call(bytes memory data, string memory failure) private {
        if (!_try(data)) _violate(failure);
    }

    /// @dev The move whose answer is `answer`: the next hash is the true one (or a lie when `lying` and past the
    /// divergence), at the new mid, if one is due.
    function _plan(Game memory g, bytes32 answer, bool lying) private view returns (bytes32, bytes32) {
        if (g.pending == bytes32(0)) return (answer, bytes32(0));
        (uint256 lo, uint256 hi) = answer == g.pending ? (_mid(g.lo, g.hi), g.hi) : (g.lo, _mid(g.lo, g.hi));
        if (hi - lo <= 1) return (answer, bytes32(0));
        uint256 at = _mid(lo, hi);
        return (answer, lying && at >= divergence ? _fake(seed, at) : _truth(seed, at));
    }

    function _liarMove(Game memory g, uint8 mode, bytes32 r1, bytes32 r2) private view returns (bytes32, bytes32) {
        uint256 mid = _mid(g.lo, g.hi);
        bytes32 answer =
            mode == 0
                ? (mid >= divergence ? _fake(seed, mid) : _truth(seed, mid))
                : mode == 2 && g.pending != bytes32(0)
                    ? g.pending
                    : _nonZero(r1);
        (bytes32 a, bytes32 next) = _plan(g, answer, true);
        // Random modes post a random next hash where one is due.
        if (mode != 0 && next != bytes32(0)) next = _nonZero(r2);
        return (a, next);
    }

    // --- checks ---

    /// @dev The interval is consistent with the honest side's trace: the agreed hash is true, the honest side's hash
    /// at `hi` is true and the other side's differs; the interval never grows; the side to move's deadline lies
    /// within the game's bound; a resolved game was won by the honest side.
    function _check() private {
        if (gameId == 0) return;
        Game memory g = game.gameOf(gameId);
        if (g.winner != Side.None) {
            if (g.winner != honest) _violate("the honest side lost");
            return;
        }
        if (g.lo >= g.hi) _violate("empty interval");
        if (g.loHash != _truth(seed, g.lo)) _violate("agreed on a false hash");
        _checkHi(g);
        (, uint256 deadline) = game.deadlineOf(gameId);
        if (deadline >= startBlock + durationBound) _violate("a deadline past the game's bound");
    }

    function _checkHi(Game memory g) private {
        (bytes32 honestHi, bytes32 otherHi) = honest == Side.Defender
            ? (g.defenderHiHash, g.challengerHiHash)
            : (g.challengerHiHash, g.defenderHiHash);
        if (honestHi != _truth(seed, g.hi)) _violate("the honest side's hash at hi is false");
        if (honestHi == otherHi) _violate("the sides agree at hi");
    }

    /// @dev Calls the game, reporting whether the call succeeded (a revert is a finding, not a handler failure).
    function _try(bytes memory data) private returns (bool ok) {
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ) = address(game).call(data);
    }

    function _running() private view returns (bool) {
        return gameId != 0 && game.gameOf(gameId).winner == Side.None;
    }

    function _mid(uint256 lo, uint256 hi) private pure returns (uint256) {
        return lo + (hi - lo) / 2;
    }

    function _nonZero(bytes32 h) private pure returns (bytes32) {
        return h == bytes32(0) ? bytes32(uint256(1)) : h;
    }

    function _violate(string memory what) private {
        if (bytes(violation).length == 0) violation = what;
    }
}

/// @title BisectionGameInvariantTest
/// @notice The game's state machine under arbitrary interleavings of liar moves (of every kind), block rolls and
/// bystander timeouts, against an honest side that acts on time.
contract BisectionGameInvariantTest is GameFixture {
    /// @notice What forge-std's `StdInvariant` calls a selector target.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    BisectionGameHandler internal handler;

    /// @notice Deploys the game, the program and the handler.
    function setUp() public {
        _deploy();
        handler = new BisectionGameHandler(game, verifier);
    }

    /// @notice The fuzzer calls only the handler.
    /// @return targets The handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice ... and only its actions.
    /// @return targets The handler's action selectors.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: handler.actionSelectors()});
    }

    /// @notice An honest side that acts on time never loses, the interval stays consistent with its trace, and the
    /// timeout is callable exactly after the side to move's deadline, which never passes the game's bound.
    /// hardhat-config: invariant.runs = 96
    /// hardhat-config: invariant.depth = 96
    function invariant_honestSideNeverLoses() public view {
        assertEq(bytes(handler.violation()).length, 0, handler.violation());
    }
}

/// @title BisectionGameFuzzTest
/// @notice Whole games in one call: whatever the trace length, the liar's side and where its lies start, the honest
/// side wins at the step where the lies start, in at most ceil(log2 T) + 1 moves.
contract BisectionGameFuzzTest is GameFixture {
    /// @notice Deploys the game and the program.
    function setUp() public {
        _deploy();
    }

    /// @notice The honest side wins at exactly the first lying step.
    /// @param seed The input's seed.
    /// @param steps The trace length.
    /// @param at Where the lies start.
    /// @param liarDefends Whether the liar is the defender.
    function testFuzz_honestWinsAtTheFirstLie(bytes32 seed, uint256 steps, uint256 at, bool liarDefends) public {
        steps = bound(steps, 1, 1 << 30);
        at = bound(at, 1, steps);
        Side honest = liarDefends ? Side.Challenger : Side.Defender;
        (bytes32 d, bytes32 c) = liarDefends
            ? (_fake(seed, steps), _truth(seed, steps))
            : (_truth(seed, steps), _fake(seed, steps));
        uint256 id = game.createGame(
            GameSetup(IStepVerifier(address(verifier)), DEFENDER, CHALLENGER, d, c, 50, 10),
            abi.encode(seed, steps)
        );
        uint256 moves;
        while (_moveOnce(id, seed, at, honest)) ++moves;
        Game memory end = game.gameOf(id);
        assertEq(end.hi, at, "the step disputed is the first lie");
        assertEq(uint256(game.prove(id, abi.encode(seed, end.lo))), uint256(honest), "the honest side wins");
        uint256 depth;
        while ((uint256(1) << depth) < steps) ++depth;
        assertLe(moves, steps == 1 ? 0 : depth + 1, "moves <= ceil(log2 T) + 1");
    }

    /// @dev One move by the side to move (the liar lies from `at` on); false when one step is left.
    function _moveOnce(uint256 id, bytes32 seed, uint256 at, Side honest) private returns (bool) {
        Game memory g = game.gameOf(id);
        if (g.pending == bytes32(0) && g.hi - g.lo == 1) return false;
        bool lying = g.turn != honest;
        uint256 mid = g.lo + (g.hi - g.lo) / 2;
        bytes32 answer = _hashAt(seed, mid, lying, at);
        bytes32 next;
        if (g.pending != bytes32(0)) {
            (uint256 lo, uint256 hi) = answer == g.pending ? (mid, uint256(g.hi)) : (uint256(g.lo), mid);
            if (hi - lo > 1) next = _hashAt(seed, lo + (hi - lo) / 2, lying, at);
        }
        vm.prank(g.turn == Side.Defender ? DEFENDER : CHALLENGER);
        game.move(id, answer, next);
        return true;
    }

    function _hashAt(bytes32 seed, uint256 i, bool lying, uint256 at) private pure returns (bytes32) {
        return lying && i >= at ? _fake(seed, i) : _truth(seed, i);
    }
}
