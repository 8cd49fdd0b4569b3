import { expect } from "chai";
import fc from "fast-check";

import { planBond, UnfundedNotices, type BondView } from "../../sdk/src/watchtower/bond.js";

const UNIT = 10n ** 18n;

/**
 * How the watchtower pays for a challenge. The end-to-end test once lost a wrong result to this path: every challenge
 * waited for the previous one's confirmations and approved exactly its own bond, so one wrong result of a busy batch
 * was challenged only after its window had closed, and stood.
 */
describe("agents: the watchtower's bond plan", function () {
  const view = (overrides: Partial<BondView> = {}): BondView => ({
    bond: 7n * UNIT,
    pendingAllowance: 0n,
    pendingBalance: 100n * UNIT,
    approvalUnmined: false,
    ...overrides,
  });

  it("sends at once when the pending allowance covers the bond, whatever else is in flight", function () {
    expect(planBond(view({ pendingAllowance: 7n * UNIT }))).to.deep.equal({ kind: "send" });
    // An approval still unmined does not hold back a challenge the allowance already covers.
    expect(planBond(view({ pendingAllowance: 50n * UNIT, approvalUnmined: true }))).to.deep.equal({ kind: "send" });
  });

  it("approves the whole balance by default, or the configured amount, never less than the bond", function () {
    expect(planBond(view({ pendingAllowance: 6n * UNIT }))).to.deep.equal({ kind: "approve", amount: 100n * UNIT });
    expect(planBond(view({ approveAmount: 30n * UNIT }))).to.deep.equal({ kind: "approve", amount: 30n * UNIT });
    expect(planBond(view({ approveAmount: 1n }))).to.deep.equal({ kind: "approve", amount: 7n * UNIT });
  });

  it("sends no second approval while one is unmined (an approval sets the allowance, it does not add)", function () {
    expect(planBond(view({ approvalUnmined: true }))).to.deep.equal({ kind: "wait", reason: "approval unmined" });
  });

  it("names a balance below the bond instead of approving what cannot be paid", function () {
    expect(planBond(view({ pendingBalance: 6n * UNIT, pendingAllowance: 10n * UNIT }))).to.deep.equal({
      kind: "unfunded",
      balance: 6n * UNIT,
    });
  });

  it("property: sends only what is covered and funded, and any approval covers the bond", function () {
    const amount = fc.bigInt({ min: 0n, max: 1000n * UNIT });
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        fc.boolean(),
        fc.option(amount, { nil: undefined }),
        (bond, pendingAllowance, pendingBalance, approvalUnmined, approveAmount) => {
          const plan = planBond({ bond, pendingAllowance, pendingBalance, approvalUnmined, approveAmount });
          const funded = pendingBalance >= bond;
          expect(plan.kind === "unfunded").to.equal(!funded);
          expect(plan.kind === "send").to.equal(funded && pendingAllowance >= bond);
          expect(plan.kind === "wait").to.equal(funded && pendingAllowance < bond && approvalUnmined);
          if (plan.kind === "approve") {
            expect(approvalUnmined).to.equal(false);
            expect(plan.amount >= bond).to.equal(true);
            const wanted = approveAmount ?? pendingBalance;
            expect(plan.amount).to.equal(wanted > bond ? wanted : bond);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  describe("unfunded notices", function () {
    it("logs a task's shortfall once, again when the balance changes, and again after it was funded", function () {
      const notices = new UnfundedNotices();
      expect(notices.shouldLog(1n, 5n)).to.equal(true);
      expect(notices.shouldLog(1n, 5n)).to.equal(false);
      expect(notices.shouldLog(1n, 5n)).to.equal(false);
      // Another task's shortfall is its own news.
      expect(notices.shouldLog(2n, 5n)).to.equal(true);
      // Some funds arrived, still short: news.
      expect(notices.shouldLog(1n, 6n)).to.equal(true);
      expect(notices.shouldLog(1n, 6n)).to.equal(false);
      notices.funded(1n);
      expect(notices.shouldLog(1n, 6n)).to.equal(true);
      expect(notices.size).to.equal(2);
    });

    it("holds at most its capacity, dropping the oldest", function () {
      const notices = new UnfundedNotices(3);
      for (const id of [1n, 2n, 3n, 4n]) expect(notices.shouldLog(id, 0n)).to.equal(true);
      expect(notices.size).to.equal(3);
      // Task 1 went first: its shortfall is logged again; task 4's is still known.
      expect(notices.shouldLog(4n, 0n)).to.equal(false);
      expect(notices.shouldLog(1n, 0n)).to.equal(true);
    });

    it("property: over any sequence, logs exactly when the (task, balance) differs from the last logged one", function () {
      const step = fc.record({
        task: fc.bigInt({ min: 0n, max: 4n }),
        balance: fc.bigInt({ min: 0n, max: 3n }),
        funded: fc.boolean(),
      });
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
          const notices = new UnfundedNotices();
          const model = new Map<bigint, bigint>();
          for (const s of steps) {
            if (s.funded) {
              notices.funded(s.task);
              model.delete(s.task);
              continue;
            }
            const expected = model.get(s.task) !== s.balance;
            if (expected) model.set(s.task, s.balance);
            expect(notices.shouldLog(s.task, s.balance)).to.equal(expected);
          }
          expect(notices.size).to.equal(model.size);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
