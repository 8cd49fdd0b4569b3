// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ParticleStepVerifier} from "../programs/ParticleStepVerifier.sol";

/// @title ParticleStepVerifierBenchHarness
/// @notice The particle verifier with the region bound raised to the program's own 1024 bodies, so that the benchmark
/// can measure the one-step check of regions above `MAX_STEP_PARTICLES` (whose worst case does not fit a
/// transaction: never deploy it for a game).
contract ParticleStepVerifierBenchHarness is ParticleStepVerifier {
    /// @notice Binds the harness to the program it reimplements.
    /// @param programId_ keccak256 of the particle program's WASM bytes.
    constructor(bytes32 programId_) ParticleStepVerifier(programId_) {}

    function _maxStepParticles() internal pure override returns (uint256) {
        return 1024;
    }
}
