import { keccak256 } from "ethers";
import type { Signer } from "ethers";

/**
 * The reveal salt of one seat record, derived from the member's own signature of a fixed message, so that a worker
 * that crashed between commit and reveal recovers it from its key alone (ECDSA signatures in ethers and in Hardhat's
 * node are deterministic, RFC 6979). Nobody without the key can compute it, which is all a salt needs.
 */
export async function deriveSalt(
  signer: Signer,
  f: { chainId: bigint; manager: string; taskId: bigint; round: bigint; index: bigint },
): Promise<string> {
  const message =
    `Cohort reveal salt v1\nchain ${f.chainId}\nmanager ${f.manager.toLowerCase()}\n` +
    `task ${f.taskId}\nround ${f.round}\nrecord ${f.index}`;
  return keccak256(await signer.signMessage(message));
}
