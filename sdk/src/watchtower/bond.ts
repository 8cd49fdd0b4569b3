/**
 * How the watchtower pays for a bonded call (a challenge or a game challenge), decided from what it reads just
 * before: pure, so that the rules below are tested on values.
 *
 * - The allowance is read against the pending block: it already counts every approval and challenge this key has
 *   queued, and the key's single nonce-ordered queue runs them before anything sent next. So several challenges may
 *   be in flight at once, each spending its bond from the same allowance, without waiting for confirmations.
 * - An approval sets the allowance, it does not add to it. A new one is sent only when the pending allowance is short
 *   and no earlier approval is still unmined: a node whose `pending` state ignores the mempool would otherwise see the
 *   allowance short again and approve again on every look.
 * - The approval grants `approveAmount` when configured (at least the bond), else the whole token balance: the manager
 *   can only take bonds that this key itself puts up in a challenge, and one approval then covers every challenge of a
 *   busy window instead of costing an approval's round trip in front of each.
 */

export type BondPlan =
  | { kind: "send" }
  | { kind: "approve"; amount: bigint }
  | { kind: "wait"; reason: "approval unmined" }
  | { kind: "unfunded"; balance: bigint };

export interface BondView {
  /** The bond the call puts up. */
  bond: bigint;
  /** The manager's allowance from this key at the pending block. */
  pendingAllowance: bigint;
  /** The key's token balance at the pending block. */
  pendingBalance: bigint;
  /** Whether an approval this key sent is not mined yet. */
  approvalUnmined: boolean;
  /** The configured approval, if any. */
  approveAmount?: bigint;
}

export function planBond(v: BondView): BondPlan {
  if (v.pendingBalance < v.bond) return { kind: "unfunded", balance: v.pendingBalance };
  if (v.pendingAllowance >= v.bond) return { kind: "send" };
  if (v.approvalUnmined) return { kind: "wait", reason: "approval unmined" };
  const wanted = v.approveAmount ?? v.pendingBalance;
  return { kind: "approve", amount: wanted > v.bond ? wanted : v.bond };
}
