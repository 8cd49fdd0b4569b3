import type { CohortClient } from "../client/create.js";
import { addressArg, uintArg } from "../internal/validate.js";
import { readContract } from "../internal/read.js";
import { signerAddress } from "../internal/signer.js";
import { writeContract, type WriteResult } from "../internal/write.js";

export interface ApproveParameters {
  /** Who may spend: the pool (stakes) or the task manager (rewards, bonds), or any address. */
  spender: "pool" | "manager" | string;
  amount: bigint;
}

export type ApproveReturnType = WriteResult;

/** Sets the signer's allowance of the stake token for a spender (`ERC20.approve`). */
export async function approve(client: CohortClient, params: ApproveParameters): Promise<ApproveReturnType> {
  const spender = spenderAddress(client, params.spender);
  return await writeContract(client, "token", "approve", [spender, uintArg("amount", params.amount)]);
}

/** The signer's allowance for a spender (`ERC20.allowance`). */
export async function getAllowance(
  client: CohortClient,
  params: { owner: string; spender: ApproveParameters["spender"] },
) {
  return await readContract<bigint>(client, "token", "allowance", [
    addressArg("owner", params.owner),
    spenderAddress(client, params.spender),
  ]);
}

/** Approves exactly what is missing for `amount` (nothing if the allowance already covers it). */
export async function ensureAllowance(
  client: CohortClient,
  spender: string,
  amount: bigint,
): Promise<WriteResult | undefined> {
  const owner = await signerAddress(client, "approve");
  const current = await getAllowance(client, { owner, spender });
  if (current >= amount) return undefined;
  return await approve(client, { spender, amount });
}

function spenderAddress(client: CohortClient, spender: string): string {
  if (spender === "pool") return client.addresses.securityPool;
  if (spender === "manager") return client.addresses.taskManager;
  return addressArg("spender", spender);
}
