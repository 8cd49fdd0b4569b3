// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Errors of a step verifier
/// @notice The errors every step verifier shares; a program's own decoding errors live in its verifier's interface.
interface IStepVerifierErrors {
    /// @notice The state given hashes to `actual`, not the agreed pre-state hash `expected`.
    error StepVerifierPreStateMismatch(bytes32 expected, bytes32 actual);
}

/// @title IStepVerifier
/// @notice The on-chain half of a step-verifiable program (DESIGN.md, "Programs"): the program's state encoding and
/// its one-step function, implemented a second time in Solidity and kept bit-for-bit equal to the WASM program by
/// differential tests. The bisection game (`IBisectionGame`) narrows a dispute over a task's trace (the hash of the
/// state after each step, `trace[0]` the input's start state, `trace[steps]` the result) down to one step, then asks
/// the verifier to run that step from the agreed pre-state.
/// @dev A verifier must be deterministic and pure in effect: the same bytes always give the same answer, whoever calls
/// and whenever. Every state an honest run of the program reaches from an input that `initialState` accepts must be
/// accepted by `step` (the honest party must always be able to prove its step), and `step` must revert on bytes that
/// are not a valid state. The result of a task is the encoding of its final state, so `trace[steps]` is the task's
/// result hash.
interface IStepVerifier is IStepVerifierErrors {
    /// @notice The program this verifier steps: keccak256 of its WASM bytes (the program id tasks name).
    /// @return The program id.
    function programId() external view returns (bytes32);

    /// @notice The most steps `initialState` ever returns: it bounds the depth of a bisection over a trace, and with
    /// it how long a game can last (a task's life bound counts it, rule 4).
    /// @return The bound.
    function maxSteps() external view returns (uint256);

    /// @notice The start of the trace of a program input: the hash of the state it starts from and the number of
    /// steps the program runs on it (the trace length).
    /// @dev Reverts, with the program's named error, on an input the program refuses, and on one whose steps this
    /// verifier could not check on-chain (for the particle world, a region with too many particles): a task with such
    /// an input cannot be disputed by a game.
    /// @param input The program input (its keccak256 is the task's input hash).
    /// @return stateHash keccak256 of the start state's canonical encoding (`trace[0]`).
    /// @return steps The number of steps (`trace` has `steps + 1` entries).
    function initialState(bytes calldata input) external view returns (bytes32 stateHash, uint256 steps);

    /// @notice Runs one step from `state`, which must hash to `preStateHash`, and returns the hash of the next state.
    /// @dev Reverts with `StepVerifierPreStateMismatch` when `keccak256(state) != preStateHash`, and with the
    /// program's named error when `state` is not a state the program accepts or cannot be stepped.
    /// @param preStateHash The agreed hash of the state before the step.
    /// @param state The canonical encoding of that state.
    /// @return postStateHash keccak256 of the canonical encoding of the state after the step.
    function step(bytes32 preStateHash, bytes calldata state) external view returns (bytes32 postStateHash);

    /// @notice `step`, returning the encoding of the next state instead of its hash (for off-chain checks).
    /// @param preStateHash The agreed hash of the state before the step.
    /// @param state The canonical encoding of that state.
    /// @return postState The canonical encoding of the state after the step.
    function stepState(bytes32 preStateHash, bytes calldata state) external view returns (bytes memory postState);
}
