/** The demo's end-of-run summary: token amounts with their sign, and the tables built from a run record. */
import { expect } from "chai";

import { formatSummary, tokens } from "../../scripts/demo/summary.js";
import { formatShare } from "../../scripts/demo/report/format.js";
import { makeDemoReport } from "./fixtures/report.js";

const UNIT = 10n ** 18n;

describe("demo summary", () => {
  describe("tokens", () => {
    const cases: [bigint, string][] = [
      [0n, "0.00"],
      [85n * UNIT, "85.00"],
      [144875n * 10n ** 16n, "1448.75"],
      [4_999_999_999_999_999n, "0.00"], // just under half a cent rounds down
      [5n * 10n ** 15n, "0.01"], // half a cent rounds up
      [-15n * 10n ** 17n, "-1.50"],
      [-5n * 10n ** 15n, "-0.01"], // half a cent rounds away from zero on the negative side too
      [-4_999_999_999_999_999n, "0.00"], // rounds to zero: no sign
      [-(1234n * UNIT + 99n * 10n ** 16n), "-1234.99"],
    ];
    for (const [value, text] of cases) {
      it(`${value} base units is ${text}`, () => {
        expect(tokens(value)).to.equal(text);
        expect(tokens(value.toString())).to.equal(text);
      });
    }
  });

  describe("formatSummary", () => {
    const report = makeDemoReport();
    const text = formatSummary(report);
    const rows = text.split("\n");
    const rowOf = (label: string) => rows.find((l) => l.startsWith(`| ${label} `));

    it("lists every worker with its stake, share and seats, the adversary marked", () => {
      for (const w of report.workers) {
        const label = w.adversarial ? `${w.label} (!)` : w.label;
        const row = rowOf(label);
        expect(row, label).to.not.equal(undefined);
        const cells = row!.split("|").map((c) => c.trim());
        expect(cells[2]).to.equal(tokens(w.stakeStart));
        expect(cells[3]).to.equal(formatShare(w.stakeShare));
        expect(cells[4]).to.equal(String(w.seats));
        expect(cells[7]).to.equal(tokens(w.slashed));
      }
      expect(report.workers.filter((w) => w.adversarial)).to.have.length(1);
    });

    it("prints a watchtower that lost more than it earned with a minus sign", () => {
      const loser = report.watchtowers.find((w) => BigInt(w.earned) < 0n);
      expect(loser, "the fixture's griefer loses its bonds").to.not.equal(undefined);
      const row = rowOf(loser!.label)!;
      expect(row.trimEnd().endsWith(`| ${tokens(loser!.earned)} |`)).to.equal(true);
      expect(tokens(loser!.earned).startsWith("-")).to.equal(true);
    });

    it("ends its totals row with the slashed amount, the rewards and the gas per task", () => {
      const t = report.totals;
      const total = rows.find((l) => l.startsWith(`| ${t.tasks} `))!;
      const cells = total.split("|").map((c) => c.trim());
      expect(cells.slice(-4, -1)).to.deep.equal([
        tokens(t.slashedAmount),
        tokens(t.rewardsPaid),
        Number(t.gasPerTask).toLocaleString("en-US"),
      ]);
    });
  });
});
