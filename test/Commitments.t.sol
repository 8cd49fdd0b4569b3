// SPDX-License-Identifier: MIT
// Test names follow `test_<fn>_<case>`, `test_RevertWhen_<cond>` and `testFuzz_<property>`, not mixedCase.
// solhint-disable func-name-mixedcase
pragma solidity 0.8.30;

import {Commitments} from "../contracts/libraries/Commitments.sol";

import {Test} from "./utils/Test.sol";

/// @title CommitmentsTest
/// @notice Unit and fuzz tests of `Commitments`: fixed vectors produced off-chain with ethers, the exact encoding, and
/// that every field is bound.
contract CommitmentsTest is Test {
    uint256 private constant CHAIN_ID = 31_337;
    address private constant MANAGER = 0x5FbDB2315678afecb367f032d93F642f64180aa3;
    uint256 private constant TASK_ID = 7;
    uint256 private constant ROUND = 2;
    address private constant MEMBER = 0x70997970C51812dc3A010C7d01b50e0d17dc79C8;
    /// @dev `ethers.keccak256(ethers.toUtf8Bytes("hello"))`.
    bytes32 private constant RESULT_HASH = 0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8;
    /// @dev `ethers.keccak256(ethers.toUtf8Bytes("cohort salt"))`.
    bytes32 private constant SALT = 0x445c9c3810baef36d40138da8193f42b022adad19e2da4211593718c9017d589;
    /// @dev Produced with ethers v6, independently of Solidity:
    /// `ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint256", "uint256",
    /// "address", "bytes32", "bytes32"], [31337n, MANAGER, 7n, 2n, MEMBER, RESULT_HASH, SALT]))`.
    bytes32 private constant COMMITMENT = 0x8ed5763d418bb50d814282452d48a4e6d089be895c40e1ac6657df2314f5982f;

    /// @notice The seven fields of a commitment, so a fuzz test can change one of them.
    struct Fields {
        uint256 chainId;
        address manager;
        uint256 taskId;
        uint256 round;
        address member;
        bytes32 resultHash;
        bytes32 salt;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fixed vectors
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The commitment matches the vector the SDK's encoding (ethers) produces.
    function test_commitment_MatchesEthersVector() public pure {
        bytes32 got = Commitments.commitment(CHAIN_ID, MANAGER, TASK_ID, ROUND, MEMBER, RESULT_HASH, SALT);
        assertEq(got, COMMITMENT, "commitment");
    }

    /// @notice The result hash is keccak256 of the bytes, matching ethers' `keccak256(toUtf8Bytes("hello"))`.
    function test_resultHashOf_MatchesEthersVector() public pure {
        assertEq(Commitments.resultHashOf(bytes("hello")), RESULT_HASH, "hello");
    }

    /// @notice An empty result hashes to keccak256 of no bytes (`ethers.keccak256("0x")`), not to zero.
    function test_resultHashOf_EmptyResult() public pure {
        assertEq(
            Commitments.resultHashOf(""),
            0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470,
            "empty"
        );
    }

    /// @notice The commitment hashes exactly the seven fields as 32-byte words, in the protocol's order.
    function test_commitment_HashesSevenWordsInOrder() public pure {
        bytes memory words = bytes.concat(
            bytes32(CHAIN_ID),
            bytes32(uint256(uint160(MANAGER))),
            bytes32(TASK_ID),
            bytes32(ROUND),
            bytes32(uint256(uint160(MEMBER))),
            RESULT_HASH,
            SALT
        );
        assertEq(words.length, 7 * 32, "length");
        assertEq(keccak256(words), COMMITMENT, "words");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Fuzz
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice The commitment is the ABI encoding of its fields, for any fields.
    /// @param f The fields.
    function testFuzz_commitmentIsAbiEncoding(Fields memory f) public pure {
        assertEq(
            _commit(f),
            keccak256(abi.encode(f.chainId, f.manager, f.taskId, f.round, f.member, f.resultHash, f.salt)),
            "encoding"
        );
    }

    /// @notice Changing any single field (chain, manager, task, round, member, result, salt) changes the commitment.
    /// @param f The original fields.
    /// @param field Which field changes, bounded to [0, 6] in the order of the encoding.
    /// @param delta What is added to it (modulo its range), bounded to [1, 2^160 - 1] so it is never a no-op.
    function testFuzz_anyFieldChangesCommitment(Fields memory f, uint256 field, uint256 delta) public pure {
        field = bound(field, 0, 6);
        delta = bound(delta, 1, type(uint160).max);
        Fields memory g = Fields(f.chainId, f.manager, f.taskId, f.round, f.member, f.resultHash, f.salt);
        // Adding a non-zero delta modulo the field's range always yields a different value of that field.
        unchecked {
            if (field == 0) g.chainId += delta;
            else if (field == 1) g.manager = address(uint160(f.manager) + uint160(delta));
            else if (field == 2) g.taskId += delta;
            else if (field == 3) g.round += delta;
            else if (field == 4) g.member = address(uint160(f.member) + uint160(delta));
            else if (field == 5) g.resultHash = bytes32(uint256(f.resultHash) + delta);
            else g.salt = bytes32(uint256(f.salt) + delta);
        }
        assertTrue(_commit(f) != _commit(g), "a changed field must change the commitment");
    }

    /// @notice Swapping two fields of the same type (task and round, manager and member) changes the commitment, so
    /// positions are bound, not just values.
    /// @param f The fields; the round is nudged when it equals the task id.
    function testFuzz_swappedFieldsChangeCommitment(Fields memory f) public pure {
        unchecked {
            if (f.taskId == f.round) ++f.round;
        }
        Fields memory g = Fields(f.chainId, f.manager, f.round, f.taskId, f.member, f.resultHash, f.salt);
        assertTrue(_commit(f) != _commit(g), "task and round swapped");
        if (f.manager != f.member) {
            g = Fields(f.chainId, f.member, f.taskId, f.round, f.manager, f.resultHash, f.salt);
            assertTrue(_commit(f) != _commit(g), "manager and member swapped");
        }
    }

    function _commit(Fields memory f) private pure returns (bytes32) {
        return Commitments.commitment(f.chainId, f.manager, f.taskId, f.round, f.member, f.resultHash, f.salt);
    }
}
