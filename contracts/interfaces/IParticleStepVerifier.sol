// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "./IStepVerifier.sol";

/// @title Errors of the particle-world step verifier
/// @notice One error per decoding failure of docs/Programs.md ("Decoding"), named after the SDK's error for the same
/// failure (`TruncatedStateError` is `ParticleStepVerifierTruncatedState`) and carrying the same values, checked in
/// the same order, so that the verifier, the WASM program and the TypeScript reference refuse every invalid input for
/// the same reason. Then the two refusals of the verifier alone: a region too large to step on-chain, and a tick
/// counter that a step would overflow.
interface IParticleStepVerifierErrors {
    /// @notice `needed` bytes were needed at byte `offset`; only `have` are left.
    error ParticleStepVerifierTruncatedState(uint256 offset, uint256 needed, uint256 have);
    /// @notice The state does not start with "PWS1".
    error ParticleStepVerifierInvalidMagic(bytes4 magic);
    /// @notice The region origin on `axis` ("x" or "y") is `value`, beyond 2^28 in magnitude.
    error ParticleStepVerifierOriginOutOfRange(bytes32 axis, int256 value);
    /// @notice The radius `radius` is outside [1, 4096].
    error ParticleStepVerifierRadiusOutOfRange(uint256 radius);
    /// @notice The region's `side` ("width" or "height") is `size`, outside (2 * `radius`, 2^20].
    error ParticleStepVerifierRegionSizeOutOfRange(bytes32 side, uint256 size, uint256 radius);
    /// @notice The borders byte `borders` has bits other than 0x0f.
    error ParticleStepVerifierInvalidBorders(uint256 borders);
    /// @notice `n` particles and `m` emigrants are more than 1024 bodies (`m` is 0 when `n` alone is).
    error ParticleStepVerifierTooManyParticles(uint256 n, uint256 m);
    /// @notice Particle `index` at (`x`, `y`) is outside the region.
    error ParticleStepVerifierParticleOutOfRegion(uint256 index, int256 x, int256 y);
    /// @notice Emigrant `index` at (`x`, `y`) is farther than VMAX from the region.
    error ParticleStepVerifierEmigrantOutOfRange(uint256 index, int256 x, int256 y);
    /// @notice Body `index` of `list` ("particle" or "emigrant") moves at (`vx`, `vy`), faster than VMAX on an axis.
    error ParticleStepVerifierVelocityOutOfRange(bytes32 list, uint256 index, int256 vx, int256 vy);
    /// @notice `trailing` bytes follow the last field of a `length`-byte string.
    error ParticleStepVerifierTrailingBytes(uint256 trailing, uint256 length);
    /// @notice An input asks for `ticks` ticks, more than 100,000.
    error ParticleStepVerifierTicksOutOfRange(uint256 ticks);
    /// @notice `ticks` more ticks from tick `tick` would overflow the u32 tick counter.
    error ParticleStepVerifierTickOverflow(uint256 tick, uint256 ticks);
    /// @notice The region has `n` particles; one on-chain step checks at most `max` (`MAX_STEP_PARTICLES`).
    error ParticleStepVerifierRegionTooLarge(uint256 n, uint256 max);
}

/// @title IParticleStepVerifier
/// @notice One tick of the 2-D particle world (docs/Programs.md) in Solidity, for the bisection game; see
/// `docs/ParticleStepVerifier.md`. Equal, bit for bit, to the WASM program `programs/particles` and the TypeScript
/// reference `sdk/src/domain/particles`.
/// @dev A tick costs O(n^2) pair checks, so one step is checked on-chain only for regions of at most
/// `MAX_STEP_PARTICLES` particles; tasks that want the game must keep their regions within it (particles only ever
/// leave a region, so an input within the bound keeps every state of its trace within it).
/// `initialState`: the input is a state followed by a big-endian u32 tick count; `stateHash` is keccak256 of the
/// state part and `steps` the tick count. It reverts as the program does on an invalid input (the first failing
/// field, in the order of docs/Programs.md), then with `ParticleStepVerifierRegionTooLarge`.
/// `step` and `stepState`: after the hash check, decode the state with the program's checks
/// (`ParticleStepVerifierTrailingBytes` for bytes after the emigrants), refuse a tick counter at 2^32 - 1
/// (`ParticleStepVerifierTickOverflow(tick, 1)`) and more than `MAX_STEP_PARTICLES` particles, then run one tick:
/// move, borders, collisions, clock.
interface IParticleStepVerifier is IStepVerifier, IParticleStepVerifierErrors {
    /// @notice The most particles a state may hold for the verifier to step it (`MAX_STEP_PARTICLES`, 128): the
    /// worst case, every pair overlapping and colliding, then costs under 5 million gas. Emigrants are bounded only
    /// by the program's own `n + m <= 1024`: they are copied, not simulated.
    /// @return The bound.
    function maxStepParticles() external view returns (uint256);
}
