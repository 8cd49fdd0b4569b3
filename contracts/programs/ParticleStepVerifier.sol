// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IParticleStepVerifier} from "../interfaces/IParticleStepVerifier.sol";
import {IStepVerifier} from "../interfaces/IStepVerifier.sol";

/// @title ParticleStepVerifier
/// @notice One tick of the particle world, on-chain. See `IParticleStepVerifier`, docs/Programs.md (the rules) and
/// docs/ParticleStepVerifier.md (bounds and gas).
/// @dev The rules are followed in the order the spec fixes, as the WASM program does. Every intermediate value is an
/// integer below 2^45 in magnitude (docs/Programs.md, "Why nothing overflows"), so int256 arithmetic is exact and
/// the two's-complement `add`, `sub`, `mul` and `sdiv` of the collision loop give the signed results the spec means;
/// `sdiv` truncates toward zero, as the spec's division does.
contract ParticleStepVerifier is IParticleStepVerifier {
    // ---------------------------------------------------------------------------------------------------------------
    // Constants (docs/Programs.md, "Bounds")
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The most particles a region may hold for its steps to be checked on-chain (see `maxStepParticles`).
    uint256 public constant MAX_STEP_PARTICLES = 128;

    int256 private constant _VMAX = 65536;
    uint256 private constant _MAX_RADIUS = 4096;
    uint256 private constant _MAX_SIZE = 1 << 20;
    int256 private constant _MAX_ORIGIN = 1 << 28;
    uint256 private constant _MAX_BODIES = 1024;
    uint256 private constant _MAX_TICKS = 100_000;
    uint256 private constant _MAX_TICK = 0xffffffff;
    uint256 private constant _BORDER_WEST = 1;
    uint256 private constant _BORDER_EAST = 2;
    uint256 private constant _BORDER_SOUTH = 4;
    uint256 private constant _BORDER_NORTH = 8;
    bytes4 private constant _MAGIC = "PWS1";
    /// @dev magic, ox, oy, width, height, radius, borders, tick.
    uint256 private constant _HEADER_BYTES = 29;
    uint256 private constant _BODY_BYTES = 16;
    /// @dev One body in memory: x, y, vx, vy as int256 words.
    uint256 private constant _BODY_WORDS = 4;

    bytes32 private immutable _PROGRAM_ID;

    /// @dev A decoded state. `bodies` holds the particles, four words each; the emigrants stay in calldata (they are
    /// copied to the next state, never simulated), from byte `emigrantsAt`.
    struct State {
        int256 ox;
        int256 oy;
        int256 width;
        int256 height;
        int256 radius;
        uint256 borders;
        uint256 tick;
        uint256 n;
        uint256 m;
        uint256 emigrantsAt;
        uint256 end;
        int256[] bodies;
    }

    /// @notice Binds the verifier to the program it reimplements.
    /// @param programId_ keccak256 of the particle program's WASM bytes (`programs/particles/build/particles.wasm`).
    constructor(bytes32 programId_) {
        _PROGRAM_ID = programId_;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // IStepVerifier
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IStepVerifier
    function programId() external view returns (bytes32) {
        return _PROGRAM_ID;
    }

    /// @inheritdoc IStepVerifier
    /// @dev An input asks for at most 100,000 ticks.
    function maxSteps() external pure returns (uint256) {
        return _MAX_TICKS;
    }

    /// @inheritdoc IParticleStepVerifier
    function maxStepParticles() external pure returns (uint256) {
        return _maxStepParticles();
    }

    /// @inheritdoc IStepVerifier
    function initialState(bytes calldata input) external pure returns (bytes32 stateHash, uint256 steps) {
        State memory s = _decode(input);
        uint256 at = s.end;
        _need(input, at, 4);
        steps = _word(input, at) >> 224;
        uint256 trailing = input.length - at - 4;
        require(trailing == 0, ParticleStepVerifierTrailingBytes(trailing, input.length));
        require(steps <= _MAX_TICKS, ParticleStepVerifierTicksOutOfRange(steps));
        require(s.tick + steps <= _MAX_TICK, ParticleStepVerifierTickOverflow(s.tick, steps));
        uint256 bound = _maxStepParticles();
        require(s.n <= bound, ParticleStepVerifierRegionTooLarge(s.n, bound));
        stateHash = keccak256(input[:at]);
    }

    /// @inheritdoc IStepVerifier
    function step(bytes32 preStateHash, bytes calldata state) external pure returns (bytes32 postStateHash) {
        return keccak256(_step(preStateHash, state));
    }

    /// @inheritdoc IStepVerifier
    function stepState(bytes32 preStateHash, bytes calldata state) external pure returns (bytes memory postState) {
        return _step(preStateHash, state);
    }

    function _step(bytes32 preStateHash, bytes calldata data) private pure returns (bytes memory) {
        bytes32 actual = keccak256(data);
        require(actual == preStateHash, StepVerifierPreStateMismatch(preStateHash, actual));
        State memory s = _decode(data);
        uint256 trailing = data.length - s.end;
        require(trailing == 0, ParticleStepVerifierTrailingBytes(trailing, data.length));
        require(s.tick < _MAX_TICK, ParticleStepVerifierTickOverflow(s.tick, 1));
        uint256 bound = _maxStepParticles();
        require(s.n <= bound, ParticleStepVerifierRegionTooLarge(s.n, bound));

        // 1 and 2. Move, then borders: both per particle and independent of the others, so one pass does both.
        int256[] memory left = new int256[](s.n * _BODY_WORDS);
        (uint256 kept, uint256 leaving) = _moveAndBorders(s, left);
        // 3. Collisions between the particles that stayed.
        _collide(s.bodies, kept, s.radius);
        // 4. The clock, written by the encoder.
        return _encode(data, s, kept, left, leaving);
    }

    /// @dev The region bound, `MAX_STEP_PARTICLES`; a benchmark harness (`mocks/`) raises it to measure larger regions.
    function _maxStepParticles() internal pure virtual returns (uint256) {
        return MAX_STEP_PARTICLES;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decoding (docs/Programs.md, "Decoding": fields in stream order, each checked once what it depends on is read)
    // ---------------------------------------------------------------------------------------------------------------

    function _decode(bytes calldata data) private pure returns (State memory s) {
        _need(data, 0, _HEADER_BYTES);
        uint256 w = _word(data, 0);
        bytes4 magic = bytes4(bytes32(w));
        require(magic == _MAGIC, ParticleStepVerifierInvalidMagic(magic));
        s.ox = _i32(w, 4);
        s.oy = _i32(w, 8);
        uint256 width = _u32(w, 12);
        uint256 height = _u32(w, 16);
        uint256 radius = _u32(w, 20);
        s.borders = (w >> 56) & 0xff;
        s.tick = _u32(w, 25);
        require(_abs(s.ox) <= _MAX_ORIGIN, ParticleStepVerifierOriginOutOfRange("x", s.ox));
        require(_abs(s.oy) <= _MAX_ORIGIN, ParticleStepVerifierOriginOutOfRange("y", s.oy));
        require(radius >= 1 && radius <= _MAX_RADIUS, ParticleStepVerifierRadiusOutOfRange(radius));
        require(
            width > 2 * radius && width <= _MAX_SIZE,
            ParticleStepVerifierRegionSizeOutOfRange("width", width, radius)
        );
        require(
            height > 2 * radius && height <= _MAX_SIZE,
            ParticleStepVerifierRegionSizeOutOfRange("height", height, radius)
        );
        require(s.borders & ~uint256(0x0f) == 0, ParticleStepVerifierInvalidBorders(s.borders));
        // All three fit an int256 by far (at most 2^20): the casts are exact.
        s.width = int256(width);
        s.height = int256(height);
        s.radius = int256(radius);

        _need(data, _HEADER_BYTES, 2);
        uint256 n = _word(data, _HEADER_BYTES) >> 240;
        require(n <= _MAX_BODIES, ParticleStepVerifierTooManyParticles(n, 0));
        s.n = n;
        s.bodies = new int256[](n * _BODY_WORDS);
        uint256 at = _HEADER_BYTES + 2;
        // Particles lie inside the region: ox <= x < ox + width, the same for y.
        _readBodies(data, s, at, n, 0);
        at += _BODY_BYTES * n;

        _need(data, at, 2);
        uint256 m = _word(data, at) >> 240;
        require(n + m <= _MAX_BODIES, ParticleStepVerifierTooManyParticles(n, m));
        s.m = m;
        at += 2;
        s.emigrantsAt = at;
        // Emigrants lie where one move from inside can take a particle: up to VMAX beyond the region.
        _readBodies(data, s, at, m, _VMAX);
        s.end = at + _BODY_BYTES * m;
    }

    /// @dev Checks `count` bodies from byte `at` (particles when `margin` is 0, which it also copies to `s.bodies`;
    /// emigrants when it is VMAX) in one assembly pass, then lets the Solidity checks name the first failure, if any:
    /// the first invalid body, or the first one cut short, whichever comes first in the stream.
    function _readBodies(bytes calldata data, State memory s, uint256 at, uint256 count, int256 margin) private pure {
        uint256 whole = (data.length - at) / _BODY_BYTES;
        if (whole > count) whole = count;
        uint256 valid = _scanBodies(data, s, at, whole, margin);
        if (valid < whole) {
            if (margin == 0) _refuseParticle(data, s, valid, at + _BODY_BYTES * valid);
            else _refuseEmigrant(data, s, valid, at + _BODY_BYTES * valid);
            // The scan and the Solidity checks test the same bounds: the call above has reverted.
            assert(false);
        }
        if (valid < count) _need(data, at + _BODY_BYTES * valid, _BODY_BYTES);
    }

    /// @dev The number of leading bodies among `count` (all present in `data`) that are valid; a particle scan also
    /// stores each valid one in `s.bodies`. The bounds are unsigned range tests: `lo <= v < lo + span` exactly when
    /// `v - lo < span` as unsigned words (a value below `lo` wraps around past any span).
    function _scanBodies(
        bytes calldata data,
        State memory s,
        uint256 at,
        uint256 count,
        int256 margin
    ) private pure returns (uint256 valid) {
        int256 lowX = s.ox - margin;
        int256 lowY = s.oy - margin;
        uint256 spanX = uint256(s.width + 2 * margin);
        uint256 spanY = uint256(s.height + 2 * margin);
        int256[] memory bodies = s.bodies;
        bool store = margin == 0;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let src := add(data.offset, at)
            let dst := add(bodies, 0x20)
            for {} lt(valid, count) {
                valid := add(valid, 1)
            } {
                let w := calldataload(src)
                let x := signextend(3, shr(224, w))
                let y := signextend(3, shr(192, w))
                let vx := signextend(3, shr(160, w))
                let vy := signextend(3, shr(128, w))
                // |v| <= VMAX exactly when v + VMAX < 2 VMAX + 1 as unsigned words.
                let ok := and(
                    and(lt(sub(x, lowX), spanX), lt(sub(y, lowY), spanY)),
                    and(lt(add(vx, 65536), 131073), lt(add(vy, 65536), 131073))
                )
                if iszero(ok) {
                    break
                }
                if store {
                    mstore(dst, x)
                    mstore(add(dst, 0x20), y)
                    mstore(add(dst, 0x40), vx)
                    mstore(add(dst, 0x60), vy)
                    dst := add(dst, 0x80)
                }
                src := add(src, 16)
            }
        }
    }

    /// @dev The checks of particle `i` at byte `at`, in the spec's order, reverting with the first that fails.
    function _refuseParticle(bytes calldata data, State memory s, uint256 i, uint256 at) private pure {
        uint256 w = _word(data, at);
        (int256 x, int256 y, int256 vx, int256 vy) = (_i32(w, 0), _i32(w, 4), _i32(w, 8), _i32(w, 12));
        require(
            x >= s.ox && x < s.ox + s.width && y >= s.oy && y < s.oy + s.height,
            ParticleStepVerifierParticleOutOfRegion(i, x, y)
        );
        _checkVelocity("particle", i, vx, vy);
    }

    /// @dev The same for emigrant `i`.
    function _refuseEmigrant(bytes calldata data, State memory s, uint256 i, uint256 at) private pure {
        uint256 w = _word(data, at);
        (int256 x, int256 y) = (_i32(w, 0), _i32(w, 4));
        // One move from inside the region reaches at most VMAX beyond it: anything farther no run could produce.
        require(
            x >= s.ox - _VMAX && x < s.ox + s.width + _VMAX && y >= s.oy - _VMAX && y < s.oy + s.height + _VMAX,
            ParticleStepVerifierEmigrantOutOfRange(i, x, y)
        );
        _checkVelocity("emigrant", i, _i32(w, 8), _i32(w, 12));
    }

    function _checkVelocity(bytes32 list, uint256 i, int256 vx, int256 vy) private pure {
        require(_abs(vx) <= _VMAX && _abs(vy) <= _VMAX, ParticleStepVerifierVelocityOutOfRange(list, i, vx, vy));
    }

    /// @dev Refuses to read `count` bytes at `at` when fewer are left; `at` never passes the end (earlier reads were
    /// checked the same way), so `data.length - at` cannot underflow.
    function _need(bytes calldata data, uint256 at, uint256 count) private pure {
        uint256 have = data.length - at;
        require(have >= count, ParticleStepVerifierTruncatedState(at, count, have));
    }

    /// @dev The 32 bytes of `data` from `at` (zeros past the end of the calldata; callers check lengths first).
    function _word(bytes calldata data, uint256 at) private pure returns (uint256 w) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            w := calldataload(add(data.offset, at))
        }
    }

    /// @dev The big-endian u32 at byte `at` of the word `w`.
    function _u32(uint256 w, uint256 at) private pure returns (uint256) {
        return (w >> (224 - 8 * at)) & 0xffffffff;
    }

    /// @dev The big-endian two's-complement i32 at byte `at` of the word `w`.
    function _i32(uint256 w, uint256 at) private pure returns (int256) {
        return int256(int32(uint32(_u32(w, at))));
    }

    function _abs(int256 v) private pure returns (int256) {
        return v < 0 ? -v : v;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One tick (docs/Programs.md, "One tick")
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Moves every particle, then applies the borders in index order, x axis first: a closed border reflects a
    /// particle that came within `radius` of it, an open one lets go a particle whose centre crossed it (checked
    /// against no further border). Survivors are compacted to the front of `s.bodies` in order (slot `kept <= i`
    /// never clobbers a particle not yet visited); the particles that left are appended to `left` in order.
    function _moveAndBorders(
        State memory s,
        int256[] memory left
    ) private pure returns (uint256 kept, uint256 leaving) {
        int256[8] memory q = _limits(s);
        int256[] memory bodies = s.bodies;
        uint256 n = s.n;
        uint256 borders = s.borders;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            function abs(v) -> a {
                a := v
                if slt(v, 0) {
                    a := sub(0, v)
                }
            }
            // One axis of one particle: returns the position and velocity after the axis's two borders, and whether
            // the particle left. `low` and `high` are the open bits of the axis's low and high border.
            function axis(p, v, b, low, high, lim) -> np, nv, out {
                np := p
                nv := v
                if slt(p, mload(add(lim, 0x40))) {
                    switch and(b, low)
                    case 0 {
                        np := mload(add(lim, 0x40))
                        nv := abs(v)
                    }
                    default {
                        out := slt(p, mload(lim))
                    }
                }
                if and(iszero(out), sgt(np, mload(add(lim, 0x60)))) {
                    switch and(b, high)
                    case 0 {
                        np := mload(add(lim, 0x60))
                        nv := sub(0, abs(v))
                    }
                    default {
                        out := iszero(slt(np, mload(add(lim, 0x20))))
                    }
                }
            }
            let src := add(bodies, 0x20)
            let end := add(src, mul(n, 0x80))
            let dst := src
            let out := add(left, 0x20)
            for {} lt(src, end) {
                src := add(src, 0x80)
            } {
                let vx := mload(add(src, 0x40))
                let vy := mload(add(src, 0x60))
                let x, nvx, gone := axis(add(mload(src), vx), vx, borders, 1, 2, q)
                let y := add(mload(add(src, 0x20)), vy)
                let nvy := vy
                if iszero(gone) {
                    y, nvy, gone := axis(y, vy, borders, 4, 8, add(q, 0x80))
                }
                let to := dst
                switch gone
                case 0 {
                    dst := add(dst, 0x80)
                }
                default {
                    to := out
                    out := add(out, 0x80)
                }
                mstore(to, x)
                mstore(add(to, 0x20), y)
                mstore(add(to, 0x40), nvx)
                mstore(add(to, 0x60), nvy)
            }
            kept := shr(7, sub(dst, add(bodies, 0x20)))
            leaving := shr(7, sub(out, add(left, 0x20)))
        }
    }

    /// @dev Per axis: the origin, one past the far edge, and the nearest and farthest positions a centre may take
    /// beside a closed border (at least `radius` inside it). `_moveAndBorders` reads them from memory to stay within
    /// the stack.
    function _limits(State memory s) private pure returns (int256[8] memory) {
        int256 r = s.radius;
        return
            [
                s.ox,
                s.ox + s.width,
                s.ox + r,
                s.ox + s.width - 1 - r,
                s.oy,
                s.oy + s.height,
                s.oy + r,
                s.oy + s.height - 1 - r
            ];
    }

    /// @dev Pairs (i, j), i < j, in lexicographic order, each seeing the velocities earlier pairs left: an
    /// overlapping (0 < d2 < (2r)^2) and approaching (dot < 0) pair exchanges the velocity component along the line
    /// between the centres, truncated toward zero, then clamps each changed component to [-VMAX, VMAX]. This is the
    /// O(n^2) part of a tick, hence assembly: a pair that does not overlap costs about 60 gas.
    function _collide(int256[] memory bodies, uint256 n, int256 radius) private pure {
        // 1 <= d2 < (2r)^2 exactly when d2 - 1 < (2r)^2 - 1 unsigned: d2 = 0 wraps around to 2^256 - 1.
        uint256 reachLess = uint256(4 * radius * radius - 1);
        // A pair can overlap only if |dx| < 2r, that is dx + 2r - 1 < 4r - 1 unsigned (a negative sum wraps): this one
        // test rejects most pairs of a sparse region before dy and d2 are computed.
        uint256 spanShift = uint256(2 * radius - 1);
        uint256 span = uint256(4 * radius - 1);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            function clamp(v) -> c {
                c := 65536
                if slt(v, 0) {
                    c := sub(0, 65536)
                }
            }
            let end := add(add(bodies, 0x20), mul(n, 0x80))
            for {
                let pi := add(bodies, 0x20)
            } lt(pi, end) {
                pi := add(pi, 0x80)
            } {
                let xi := mload(pi)
                let yi := mload(add(pi, 0x20))
                for {
                    let pj := add(pi, 0x80)
                } lt(pj, end) {
                    pj := add(pj, 0x80)
                } {
                    let dx := sub(mload(pj), xi)
                    if lt(add(dx, spanShift), span) {
                        let dy := sub(mload(add(pj, 0x20)), yi)
                        let d2 := add(mul(dx, dx), mul(dy, dy))
                        if lt(sub(d2, 1), reachLess) {
                            let dot := add(
                                mul(sub(mload(add(pj, 0x40)), mload(add(pi, 0x40))), dx),
                                mul(sub(mload(add(pj, 0x60)), mload(add(pi, 0x60))), dy)
                            )
                            if slt(dot, 0) {
                                // The impulse (jx, jy) reuses dx and dy, which are not needed after it.
                                dx := sdiv(mul(dot, dx), d2)
                                dy := sdiv(mul(dot, dy), d2)
                                // Each changed component is clamped to [-VMAX, VMAX]; one unsigned test finds the rare
                                // component outside (v + VMAX > 2 VMAX), so the common case pays no call.
                                let v := 0
                                v := add(mload(add(pi, 0x40)), dx)
                                if gt(add(v, 65536), 131072) {
                                    v := clamp(v)
                                }
                                mstore(add(pi, 0x40), v)
                                v := add(mload(add(pi, 0x60)), dy)
                                if gt(add(v, 65536), 131072) {
                                    v := clamp(v)
                                }
                                mstore(add(pi, 0x60), v)
                                v := sub(mload(add(pj, 0x40)), dx)
                                if gt(add(v, 65536), 131072) {
                                    v := clamp(v)
                                }
                                mstore(add(pj, 0x40), v)
                                v := sub(mload(add(pj, 0x60)), dy)
                                if gt(add(v, 65536), 131072) {
                                    v := clamp(v)
                                }
                                mstore(add(pj, 0x60), v)
                            }
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Encoding (docs/Programs.md, "State encoding")
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev The next state: the header with the tick advanced, the `kept` particles, then the emigrants (the old ones
    /// copied from calldata, then the `leaving` new ones).
    function _encode(
        bytes calldata data,
        State memory s,
        uint256 kept,
        int256[] memory left,
        uint256 leaving
    ) private pure returns (bytes memory out) {
        uint256 m = s.m;
        uint256 length = _HEADER_BYTES + 2 + _BODY_BYTES * kept + 2 + _BODY_BYTES * (m + leaving);
        // The writes below store whole words, the last one up to 32 bytes past `length`: allocate that slack too.
        out = new bytes(length + 32);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(out, length)
        }
        // Bytes 0-24 (magic to borders) as they were; the tick (bytes 25-28) advanced; the particle count (29-30).
        // The tick is below 2^32 - 1 (checked), so `tick + 1` fills its four bytes without carrying into the borders.
        uint256 head = (_word(data, 0) & ~uint256(0xffffffffffffff)) | ((s.tick + 1) << 24) | (kept << 8);
        _store(out, 0, head);
        uint256 p = _storeBodies(out, _HEADER_BYTES + 2, s.bodies, kept);
        p = _store(out, p, (m + leaving) << 240) - 30;
        uint256 emigrantsAt = s.emigrantsAt;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            calldatacopy(add(add(out, 0x20), p), add(data.offset, emigrantsAt), mul(m, 16))
        }
        _storeBodies(out, p + _BODY_BYTES * m, left, leaving);
    }

    /// @dev Writes `count` bodies of `bodies` from byte `at` of `out`, 16 bytes each (the low 32 bits of x, y, vx and
    /// vy, big-endian: their i32 two's complement); returns the byte after them. Each body is one whole-word store
    /// whose low 16 bytes the next store (or the allocation's slack) takes.
    function _storeBodies(
        bytes memory out,
        uint256 at,
        int256[] memory bodies,
        uint256 count
    ) private pure returns (uint256 next) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let src := add(bodies, 0x20)
            let dst := add(add(out, 0x20), at)
            let m := 0xffffffff
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let w := or(
                    or(shl(224, and(mload(src), m)), shl(192, and(mload(add(src, 0x20)), m))),
                    or(shl(160, and(mload(add(src, 0x40)), m)), shl(128, and(mload(add(src, 0x60)), m)))
                )
                mstore(dst, w)
                src := add(src, 0x80)
                dst := add(dst, 16)
            }
            next := add(at, mul(count, 16))
        }
    }

    /// @dev Stores the word `w` at byte `at` of `out` (within the slack `_encode` allocated); returns `at + 32`.
    function _store(bytes memory out, uint256 at, uint256 w) private pure returns (uint256) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(add(add(out, 0x20), at), w)
        }
        return at + 32;
    }
}
