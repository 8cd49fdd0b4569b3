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

/**
 * Which "balance below the bond" errors are worth logging. An unfunded watchtower meets the same shortfall on every
 * look, once a block, until an operator funds it: the first sighting of a task's shortfall is logged, and again only
 * when the balance changes (funds arrived but not enough, or more were spent). Entries go once a task's bond is
 * covered; the oldest go first past `capacity`, so a long-unfunded watchtower holds a bounded map.
 */
export class UnfundedNotices {
  readonly #lastLogged = new Map<bigint, bigint>();

  constructor(readonly capacity = 1024) {}

  /** Whether to log this task's shortfall at `balance`; records it as logged when so. */
  shouldLog(taskId: bigint, balance: bigint): boolean {
    if (this.#lastLogged.get(taskId) === balance) return false;
    this.#lastLogged.delete(taskId);
    this.#lastLogged.set(taskId, balance);
    if (this.#lastLogged.size > this.capacity) {
      const oldest = this.#lastLogged.keys().next().value as bigint;
      this.#lastLogged.delete(oldest);
    }
    return true;
  }

  /** The task's bond is covered: a later shortfall of it is news again. */
  funded(taskId: bigint): void {
    this.#lastLogged.delete(taskId);
  }

  get size(): number {
    return this.#lastLogged.size;
  }
}
