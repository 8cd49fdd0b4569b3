// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "../interfaces/IStepVerifier.sol";

/// @title HashChainStepVerifier
/// @notice A test program whose states are `abi.encode(seed, i)`: step `i` leads to `abi.encode(seed, i + 1)`. Its
/// traces cost nothing to compute, so game tests and benchmarks can play traces of any length up to `maxSteps`.
/// @dev An input is `abi.encode(seed, steps)`; its trace starts at `abi.encode(seed, 0)`.
contract HashChainStepVerifier is IStepVerifier {
    /// @notice A state or an input was not 64 bytes.
    error HashChainStepVerifierMalformed(uint256 length);

    bytes32 private immutable _PROGRAM_ID;
    uint256 private immutable _MAX_STEPS;

    /// @notice Sets the program id it reports and its longest trace.
    /// @param programId_ The id.
    /// @param maxSteps_ The most steps an input may ask for.
    constructor(bytes32 programId_, uint256 maxSteps_) {
        _PROGRAM_ID = programId_;
        _MAX_STEPS = maxSteps_;
    }

    /// @inheritdoc IStepVerifier
    function programId() external view returns (bytes32) {
        return _PROGRAM_ID;
    }

    /// @inheritdoc IStepVerifier
    function maxSteps() external view returns (uint256) {
        return _MAX_STEPS;
    }

    /// @inheritdoc IStepVerifier
    function initialState(bytes calldata input) external pure returns (bytes32 stateHash, uint256 steps) {
        require(input.length == 64, HashChainStepVerifierMalformed(input.length));
        (bytes32 seed, uint256 count) = abi.decode(input, (bytes32, uint256));
        return (keccak256(abi.encode(seed, uint256(0))), count);
    }

    /// @inheritdoc IStepVerifier
    function step(bytes32 preStateHash, bytes calldata state) external pure returns (bytes32 postStateHash) {
        return keccak256(_next(preStateHash, state));
    }

    /// @inheritdoc IStepVerifier
    function stepState(bytes32 preStateHash, bytes calldata state) external pure returns (bytes memory postState) {
        return _next(preStateHash, state);
    }

    function _next(bytes32 preStateHash, bytes calldata state) private pure returns (bytes memory) {
        bytes32 actual = keccak256(state);
        require(actual == preStateHash, StepVerifierPreStateMismatch(preStateHash, actual));
        require(state.length == 64, HashChainStepVerifierMalformed(state.length));
        (bytes32 seed, uint256 i) = abi.decode(state, (bytes32, uint256));
        return abi.encode(seed, i + 1);
    }
}
