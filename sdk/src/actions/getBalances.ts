import type { CohortClient } from "../client/create.js";
import { readContract } from "../internal/read.js";
import { addressArg } from "../internal/validate.js";
import { getStake, type GetStakeReturnType } from "./getStake.js";

export interface GetBalancesReturnType {
  account: string;
  /** Native currency, for gas. */
  ether: bigint;
  /** The stake token held in the wallet. */
  token: bigint;
  stake: GetStakeReturnType;
  /** Claimable in the pool (`claim`): slash payouts. */
  poolClaimable: bigint;
  /** Claimable in the manager (`claimCredit`): refunds, challenge payouts. */
  managerCredit: bigint;
  allowanceToPool: bigint;
  allowanceToManager: bigint;
}

/** Everything an account holds in and around the system. */
export async function getBalances(client: CohortClient, params: { account: string }): Promise<GetBalancesReturnType> {
  const account = addressArg("account", params.account);
  const [ether, token, stake, poolClaimable, managerCredit, allowanceToPool, allowanceToManager] = await Promise.all([
    client.provider.getBalance(account),
    readContract<bigint>(client, "token", "balanceOf", [account]),
    getStake(client, { worker: account }),
    readContract<bigint>(client, "pool", "claimableOf", [account]),
    readContract<bigint>(client, "manager", "creditOf", [account]),
    readContract<bigint>(client, "token", "allowance", [account, client.addresses.securityPool]),
    readContract<bigint>(client, "token", "allowance", [account, client.addresses.taskManager]),
  ]);
  return { account, ether, token, stake, poolClaimable, managerCredit, allowanceToPool, allowanceToManager };
}
