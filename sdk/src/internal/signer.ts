import type { Signer } from "ethers";

import type { CohortClient } from "../client/create.js";
import { NoSignerError } from "../errors/contract.js";

/** The client's signer, or a `NoSignerError` naming the action that needed one. */
export function requireSigner(client: CohortClient, action: string): Signer {
  if (client.signer === undefined) throw new NoSignerError(action);
  return client.signer;
}

/** The signer's address, or a `NoSignerError` naming the action that needed one. */
export async function signerAddress(client: CohortClient, action: string): Promise<string> {
  return await requireSigner(client, action).getAddress();
}
