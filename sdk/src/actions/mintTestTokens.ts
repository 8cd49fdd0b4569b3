import type { CohortClient } from "../client/create.js";
import { addressArg, uintArg } from "../internal/validate.js";
import { writeContract, type WriteResult } from "../internal/write.js";

/** Mints stake tokens on a local or test deployment whose token is the open-mint `TestToken` (never on mainnet). */
export async function mintTestTokens(
  client: CohortClient,
  params: { to: string; amount: bigint },
): Promise<WriteResult> {
  return await writeContract(client, "token", "mint", [
    addressArg("to", params.to),
    uintArg("amount", params.amount, 1n),
  ]);
}
