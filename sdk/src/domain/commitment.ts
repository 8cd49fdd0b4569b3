import { AbiCoder, keccak256 } from "ethers";

/** What a commitment binds (rule 7): the chain, the manager, the task, the round, the member, the result and a salt. */
export interface CommitmentFields {
  chainId: bigint;
  manager: string;
  taskId: bigint;
  round: bigint;
  member: string;
  resultHash: string;
  salt: string;
}

const coder = AbiCoder.defaultAbiCoder();

/** `Commitments.commitment`: keccak256 of the ABI encoding of the fields, in that order. */
export function computeCommitment(f: CommitmentFields): string {
  return keccak256(
    coder.encode(
      ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
      [f.chainId, f.manager, f.taskId, f.round, f.member, f.resultHash, f.salt],
    ),
  );
}

/** `Commitments.resultHashOf`: the result hash is keccak256 of the canonical result bytes. */
export function resultHashOf(result: Uint8Array | string): string {
  return keccak256(result);
}
