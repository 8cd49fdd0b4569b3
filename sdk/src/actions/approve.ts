import type { CohortClient } from "../client/create.js";
import { ContractRevertError } from "../errors/contract.js";
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

/**
 * Approves exactly the allowance a call needs, and only when nothing but the allowance stands in its way: the call is
 * simulated first, and only a refusal for the allowance (`ERC20InsufficientAllowance`) leads to an approval. Any other
 * refusal (a bound, a window, a minimum stake) is thrown before anything is sent, so a bad call leaves no approval
 * behind; so is a balance below `amount`, which the token would refuse right after the approval.
 */
export async function approveFor(
  client: CohortClient,
  call: { spender: string; amount: bigint; functionName: string; simulate: () => Promise<unknown> },
): Promise<WriteResult | undefined> {
  const owner = await signerAddress(client, call.functionName);
  if ((await getAllowance(client, { owner, spender: call.spender })) >= call.amount) return undefined;
  try {
    await call.simulate();
    return undefined;
  } catch (error) {
    if (!(error instanceof ContractRevertError && error.errorName === "ERC20InsufficientAllowance")) throw error;
  }
  const balance = await readContract<bigint>(client, "token", "balanceOf", [owner]);
  if (balance < call.amount) {
    throw new ContractRevertError(
      {
        errorName: "ERC20InsufficientBalance",
        args: { sender: owner, balance, needed: call.amount },
        functionName: call.functionName,
      },
      { details: "found before approving: the token would refuse the transfer" },
    );
  }
  return await approve(client, { spender: call.spender, amount: call.amount });
}

function spenderAddress(client: CohortClient, spender: string): string {
  if (spender === "pool") return client.addresses.securityPool;
  if (spender === "manager") return client.addresses.taskManager;
  return addressArg("spender", spender);
}
