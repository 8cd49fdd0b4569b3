import { expect } from "chai";
import fc from "fast-check";

import { planBond, type BondView } from "../../sdk/src/watchtower/bond.js";

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
});
