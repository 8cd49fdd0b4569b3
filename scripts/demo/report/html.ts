/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no script, no font or image fetched) with the
 * checks, the summary tables and every chart, each chart linking to its PNG in the same folder.
 */
import { formatInteger, formatShare, formatTokens } from "./format.ts";
import { workerLabel } from "./charts/slashing.ts";
import { escapeXml, type Chart } from "./svg.ts";
import type { DemoReport } from "./types.ts";

const e = escapeXml;

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2430; background: #f3f4f6;
  margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; }
.meta { color: #6b7280; margin: 0 0 16px; }
section, figure { background: #fff; border-radius: 8px; padding: 16px; margin: 16px 0; box-shadow: 0 1px 2px #0001; }
figure svg { width: 100%; max-width: 960px; height: auto; display: block; }
figure[data-chart="world"] svg { max-width: 760px; }
section > h2:first-child, section > details:first-child { margin-top: 0; }
figcaption { color: #4b5563; font-size: 14px; margin-top: 8px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { text-align: right; padding: 4px 8px; border-bottom: 1px solid #e5e7eb; white-space: nowrap; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
tr.adversary td { color: #d62839; font-weight: bold; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
ul.checks { list-style: none; padding: 0; margin: 0; }
li.check { padding: 6px 10px; border-radius: 6px; margin: 4px 0; font-weight: bold; }
li.check.pass { background: #e7f6ec; color: #1e6b3e; }
li.check.fail { background: #fdecee; color: #a11d2c; }
.scroll { overflow-x: auto; }
details summary { cursor: pointer; font-weight: bold; }
`;

export function renderHtml(report: DemoReport, charts: Chart[]): string {
  const figure = (name: string) => {
    const chart = charts.find((c) => c.name === name);
    return chart ? figureOf(chart) : "";
  };
  const seatFigures = charts
    .filter((c) => c.name.startsWith("seats"))
    .map(figureOf)
    .join("\n");
  const body = [
    header(report),
    checks(report),
    summary(report),
    `<h2>The pool</h2>`,
    figure("stake"),
    `<h2>Fairness: seats against stake at every layer</h2>`,
    seatFigures,
    workersTable(report),
    `<h2>The world</h2>`,
    figure("world"),
    `<h2>The tasks</h2>`,
    figure("timeline"),
    tasksTable(report),
    `<h2>Slashing</h2>`,
    figure("slashing"),
    slashTable(report),
    watchtowerTable(report),
    setup(report),
  ].join("\n");
  return (
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>Cohort demo report</title>\n<style>${CSS}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

function figureOf(chart: Chart): string {
  return (
    `<figure id="fig-${e(chart.name)}" class="chart" data-chart="${e(chart.name)}">\n${chart.svg}\n` +
    `<figcaption>${e(chart.caption)} <a href="${e(chart.name)}.png">PNG</a></figcaption>\n</figure>`
  );
}

function header(r: DemoReport): string {
  const c = r.config;
  return (
    `<header>\n<h1>Cohort demo: a sharded particle world secured by one pool</h1>\n` +
    `<p class="meta">Network ${e(r.network.name)} (chain ${r.network.chainId}), run ended ${e(r.generatedAt)}, ` +
    `${formatInteger(r.totals.wallClockSeconds)} s. World of ${c.gridX} x ${c.gridY} regions of ` +
    `${c.regionWidth} x ${c.regionHeight}, ${c.particlesPerRegion} particles each, ${c.ticksPerTask} ticks per task, ` +
    `${c.epochs} epochs; ${c.workers} workers, adversary share ${formatShare(c.adversaryShare)}; ${c.seats} seats, ` +
    `quorum ${c.quorum}.</p>\n</header>`
  );
}

function checks(r: DemoReport): string {
  const item = (ok: boolean, label: string) =>
    `<li class="check ${ok ? "pass" : "fail"}" data-check="${ok ? "pass" : "fail"}">${ok ? "✓" : "✗"} ${e(label)}</li>`;
  const detail =
    r.checks.detail.length > 0
      ? `<ul class="detail">${r.checks.detail.map((d) => `<li>${e(d)}</li>`).join("")}</ul>`
      : "";
  return (
    `<section id="checks">\n<h2>Checks</h2>\n<ul class="checks">\n` +
    item(r.checks.allFinalCorrect, "every task finalized with the result a trusted recomputation gives") +
    "\n" +
    item(r.checks.adversarySlashed, "the adversary was slashed") +
    "\n" +
    item(r.checks.accountingExact, "token accounting is exact") +
    `\n</ul>\n${detail}\n</section>`
  );
}

function summary(r: DemoReport): string {
  const t = r.totals;
  const seats = r.workers.reduce((n, w) => n + w.seats, 0);
  const rows: [string, string][] = [
    ["Tasks", formatInteger(t.tasks)],
    ["Finalized unchallenged", formatInteger(t.finalized)],
    ["Challenged, result stood", formatInteger(t.challenged)],
    ["Overturned", formatInteger(t.overturned)],
    ["Seats drawn", formatInteger(seats)],
    ["Challenges", formatInteger(t.challenges)],
    ["Slashes", formatInteger(t.slashes)],
    ["Slashed (tokens)", formatTokens(t.slashedAmount)],
    ["Rewards paid (tokens)", formatTokens(t.rewardsPaid)],
    ["Gas, total", formatInteger(t.gasTotal)],
    ["Gas per task", formatInteger(t.gasPerTask)],
    ["Wall clock (s)", formatInteger(t.wallClockSeconds)],
  ];
  return (
    `<section id="summary">\n<h2>Summary</h2>\n<table class="summary">\n<tbody>\n` +
    rows.map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(v)}</td></tr>`).join("\n") +
    `\n</tbody>\n</table>\n</section>`
  );
}

function workersTable(r: DemoReport): string {
  const totalSeats = r.workers.reduce((n, w) => n + w.seats, 0);
  const rows = r.workers.map((w) => {
    const expected = w.stakeShare * totalSeats;
    const sigma = Math.sqrt(totalSeats * w.stakeShare * (1 - w.stakeShare));
    const z = sigma > 0 ? (w.seats - expected) / sigma : 0;
    return (
      `<tr class="worker${w.adversarial ? " adversary" : ""}">` +
      `<td>${e(w.label)}</td><td class="text"><code>${e(w.address)}</code></td>` +
      `<td>${formatTokens(w.stakeStart)}</td><td>${formatTokens(w.stakeEnd)}</td><td>${formatShare(w.stakeShare)}</td>` +
      `<td>${w.seats}</td><td>${formatShare(w.seatShare)}</td><td>${z >= 0 ? "+" : ""}${z.toFixed(2)}</td>` +
      `<td>${formatTokens(w.rewards)}</td><td>${formatTokens(w.slashed)}</td><td>${w.slashCount}</td></tr>`
    );
  });
  return (
    `<section id="workers">\n<h2>Workers: seats against stake</h2>\n<div class="scroll"><table class="workers">\n` +
    `<thead><tr><th>Worker</th><th class="text">Address</th><th>Stake at start</th><th>Stake at end</th>` +
    `<th>Stake share</th><th>Seats</th><th>Seat share</th><th title="(seats - expected) / binomial sd">z</th>` +
    `<th>Rewards</th><th>Slashed</th><th>Slashes</th></tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table></div>\n` +
    `<p class="meta">z: seats won minus the stake share's expectation, in binomial standard deviations over all ` +
    `${totalSeats} seats; |z| under 2 is what a fair draw gives about 95% of the time.</p>\n</section>`
  );
}

function tasksTable(r: DemoReport): string {
  const rows = r.tasks.map(
    (t) =>
      `<tr class="task-row" data-outcome="${e(t.outcome)}"><td>${e(t.taskId)}</td><td>(${t.region.x}, ${t.region.y})</td>` +
      `<td>${t.epoch}</td><td class="text">${e(t.outcome)}</td><td class="text">${e(t.settledBy ?? "")}</td>` +
      `<td>${t.createdBlock}</td><td>${t.finalizedBlock}</td><td>${t.seats}</td><td>${t.challenges}</td>` +
      `<td>${formatInteger(t.gasUsed)}</td><td>${t.particlesIn}</td><td>${t.particlesOut}</td>` +
      `<td>${t.finalResultHash === t.trustedResultHash ? "✓" : "✗"}</td><td class="text">${e(t.outputFrom ?? "")}</td></tr>`,
  );
  return (
    `<section id="tasks">\n<details>\n<summary>All ${r.tasks.length} tasks</summary>\n<div class="scroll"><table class="tasks">\n` +
    `<thead><tr><th>Task</th><th>Region</th><th>Batch</th><th class="text">Outcome</th><th class="text">Settled by</th>` +
    `<th>Created</th><th>Finalized</th><th>Seats</th><th>Challenges</th><th>Gas</th><th>Particles in</th>` +
    `<th>Particles out</th><th title="final result equals the trusted recomputation">Correct</th>` +
    `<th class="text" title="where the next batch took this task's output from">Output from</th></tr></thead>\n` +
    `<tbody>\n${rows.join("\n")}\n</tbody>\n</table></div>\n</details>\n</section>`
  );
}

function slashTable(r: DemoReport): string {
  const rows = r.slashes.map(
    (s) =>
      `<tr class="slash-row"><td>${e(workerLabel(s.worker, r.workers))}</td><td class="text"><code>${e(s.worker)}</code></td>` +
      `<td>${formatTokens(s.amount)}</td><td class="text">${e(s.reason)}</td><td>${e(s.taskId)}</td><td>${s.block}</td></tr>`,
  );
  const empty = r.slashes.length === 0 ? `<tr><td colspan="6">No slashes.</td></tr>` : "";
  return (
    `<section id="slashes">\n<div class="scroll"><table class="slashes">\n` +
    `<thead><tr><th>Who</th><th class="text">Address</th><th>Amount (tokens)</th><th class="text">Why</th>` +
    `<th>Task</th><th>Block</th></tr></thead>\n<tbody>\n${rows.join("\n")}${empty}\n</tbody>\n</table></div>\n</section>`
  );
}

function watchtowerTable(r: DemoReport): string {
  const rows = r.watchtowers.map(
    (w) =>
      `<tr class="watchtower-row"><td>${e(w.label)}</td><td class="text"><code>${e(w.address)}</code></td>` +
      `<td>${w.challenges}</td><td>${w.won}</td><td>${w.lost}</td><td>${formatTokens(w.earned)}</td></tr>`,
  );
  return (
    `<section id="watchtowers">\n<h2>Watchtowers</h2>\n<div class="scroll"><table class="watchtowers">\n` +
    `<thead><tr><th>Watchtower</th><th class="text">Address</th><th>Challenges</th><th>Won</th><th>Lost</th>` +
    `<th>Earned (tokens)</th></tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table></div>\n</section>`
  );
}

function setup(r: DemoReport): string {
  const entries: [string, string | undefined][] = [
    ["Token", r.addresses.token],
    ["Security pool", r.addresses.pool],
    ["Task manager", r.addresses.taskManager],
    ["Bisection game", r.addresses.bisectionGame],
    ["Step verifier", r.addresses.stepVerifier],
  ];
  const rows = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `<tr><td>${e(k)}</td><td class="text"><code>${e(v)}</code></td></tr>`);
  return (
    `<section id="contracts">\n<h2>Contracts</h2>\n<table class="contracts">\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n` +
    `<p class="meta">Rebuilt from its record (data.json beside it) by <code>node scripts/demo/report/main.ts</code>, ` +
    `run from the repository (docs/Demo-report.md).</p>\n</section>`
  );
}
