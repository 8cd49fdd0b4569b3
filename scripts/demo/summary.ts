/** The summary printed at the end of a run: the pool, the tasks, the disputes, the money, the checks. */
import { formatShare } from "./report/format.ts";
import type { DemoReport } from "./report/types.ts";

export function formatSummary(r: DemoReport): string {
  const out: string[] = [];
  const t = r.totals;
  out.push("");
  out.push(
    `Cohort demo on "${r.network.name}" (chain ${r.network.chainId}): a ${r.config.gridX} x ${r.config.gridY} world, ` +
      `${r.config.epochs} batches of ${r.config.ticksPerTask} ticks per region, ${r.workers.length} workers, ` +
      `committees of ${r.config.seats} seats (quorum ${r.config.quorum}); ${t.wallClockSeconds.toFixed(0)} s`,
  );
  out.push("");
  out.push(
    table(
      ["worker", "stake", "stake share", "seats", "seat share", "rewards", "slashed", "slashes"],
      r.workers.map((w) => [
        w.adversarial ? `${w.label} (!)` : w.label,
        tokens(w.stakeStart),
        formatShare(w.stakeShare),
        String(w.seats),
        formatShare(w.seatShare),
        tokens(w.rewards),
        tokens(w.slashed),
        String(w.slashCount),
      ]),
    ),
  );
  out.push("");
  out.push(
    table(
      ["watchtower", "challenges", "won", "lost", "earned"],
      r.watchtowers.map((w) => [w.label, String(w.challenges), String(w.won), String(w.lost), tokens(w.earned)]),
    ),
  );
  out.push("");
  const settledBy = r.tasks.filter((x) => x.settledBy === "game").length;
  out.push(
    table(
      [
        "tasks",
        "unchallenged",
        "challenged, stood",
        "overturned",
        "challenges",
        "by game",
        "slashes",
        "slashed",
        "rewards paid",
        "gas per task",
      ],
      [
        [
          String(t.tasks),
          String(t.finalized),
          String(t.challenged),
          String(t.overturned),
          String(t.challenges),
          String(settledBy),
          String(t.slashes),
          tokens(t.slashedAmount),
          tokens(t.rewardsPaid),
          Number(t.gasPerTask).toLocaleString("en-US"),
        ],
      ],
    ),
  );
  out.push("");
  const c = r.checks;
  out.push(`check: every task final with the trusted recomputation's state .. ${c.allFinalCorrect ? "ok" : "FAILED"}`);
  out.push(`check: the adversary slashed ................................. ${c.adversarySlashed ? "ok" : "FAILED"}`);
  out.push(`check: token accounting exact ................................ ${c.accountingExact ? "ok" : "FAILED"}`);
  for (const d of c.detail) out.push(`  ${d}`);
  return out.join("\n");
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/**
 * Base units (18 decimals) as tokens with two decimals, rounded half away from zero. The sign is taken before
 * rounding: bigint division truncates toward zero, so rounding a negative amount directly would go the wrong way,
 * and an amount that rounds to zero prints without a sign.
 */
export function tokens(baseUnits: string | bigint): string {
  const v = BigInt(baseUnits);
  const magnitude = v < 0n ? -v : v;
  // Half a cent is 5 * 10^15 base units, which is 5 * 10^17 once the amount is scaled by 100.
  const cents = (magnitude * 100n + 5n * 10n ** 17n) / 10n ** 18n;
  const sign = v < 0n && cents !== 0n ? "-" : "";
  return `${sign}${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}
