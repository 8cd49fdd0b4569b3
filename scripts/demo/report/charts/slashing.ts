/**
 * The slashing: one row per slashed worker, one mark per slash at the block it happened in, its area proportional to
 * the amount and its colour the reason; the worker's total on the right.
 */
import { formatTokens, shortHex, tokensAsNumber } from "../format.ts";
import { COLORS, el, legendItem, seriesColor, svgDocument, text, tooltip, type Chart } from "../svg.ts";
import type { SlashRow, WorkerRow } from "../types.ts";

const WIDTH = 760;
const LEFT = 96;
const RIGHT = 120;
const TOP = 62;
const ROW = 30;
const MAX_R = 12;
const MIN_R = 3;

const REASON_COLORS: Record<string, string> = {
  WrongResult: COLORS.adversary,
  LostGame: "#7b2cbf",
  NoReveal: "#e9a23b",
  NoCommit: "#f4a261",
};

export function reasonColor(reason: string, reasons: string[]): string {
  return REASON_COLORS[reason] ?? seriesColor(reasons.indexOf(reason) + 3);
}

export function workerLabel(address: string, workers: WorkerRow[]): string {
  return workers.find((w) => w.address.toLowerCase() === address.toLowerCase())?.label ?? shortHex(address);
}

export function slashChart(slashes: SlashRow[], workers: WorkerRow[]): Chart {
  const title = "Slashing";
  // Rows in order of each worker's first slash; reasons in order of first appearance: both follow the record.
  const rowOf = new Map<string, number>();
  for (const s of slashes) if (!rowOf.has(s.worker.toLowerCase())) rowOf.set(s.worker.toLowerCase(), rowOf.size);
  const reasons = [...new Set(slashes.map((s) => s.reason))];
  const height = TOP + Math.max(1, rowOf.size) * ROW + 44;

  if (slashes.length === 0) {
    const body = el(
      "text",
      { x: WIDTH / 2, y: TOP + 20, "text-anchor": "middle", fill: COLORS.muted },
      text("No slashes in this run."),
    );
    return {
      name: "slashing",
      title,
      caption: "Nobody was slashed in this run.",
      width: WIDTH,
      height,
      svg: svgDocument("slashing", WIDTH, height, title, body),
    };
  }

  const first = Math.min(...slashes.map((s) => s.block));
  const last = Math.max(...slashes.map((s) => s.block));
  const span = Math.max(1, last - first);
  const plotW = WIDTH - LEFT - RIGHT;
  // A single block would put every mark on the left edge; centre it instead.
  const bx = (block: number) =>
    last === first ? LEFT + plotW / 2 : LEFT + 14 + ((block - first) / span) * (plotW - 28);
  const largest = Math.max(...slashes.map((s) => tokensAsNumber(s.amount)));
  const radius = (amount: string) =>
    largest > 0 ? Math.max(MIN_R, MAX_R * Math.sqrt(tokensAsNumber(amount) / largest)) : MIN_R;

  let rows = "";
  for (const [address, index] of rowOf) {
    const cy = TOP + index * ROW + ROW / 2;
    const mine = slashes.filter((s) => s.worker.toLowerCase() === address);
    const total = mine.reduce((sum, s) => sum + BigInt(s.amount), 0n);
    const label = workerLabel(address, workers);
    const adversarial = workers.some((w) => w.address.toLowerCase() === address && w.adversarial);
    rows +=
      el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: cy, y2: cy, stroke: COLORS.grid }) +
      el(
        "text",
        {
          x: LEFT - 8,
          y: cy + 4,
          "text-anchor": "end",
          "font-size": 11,
          "font-weight": adversarial ? "bold" : undefined,
        },
        text(label),
      ) +
      el(
        "text",
        { x: WIDTH - RIGHT + 8, y: cy + 4, "font-size": 11 },
        text(`${formatTokens(total.toString())} tokens (${mine.length}x)`),
      );
    for (const s of mine) {
      rows += el(
        "circle",
        {
          class: "slash",
          cx: bx(s.block),
          cy,
          r: radius(s.amount),
          fill: reasonColor(s.reason, reasons),
          "fill-opacity": 0.8,
          stroke: COLORS.ink,
          "stroke-width": 0.6,
          "data-worker": label,
          "data-reason": s.reason,
        },
        tooltip(
          `${label} slashed ${formatTokens(s.amount)} tokens for ${s.reason} in task ${s.taskId}, block ${s.block}`,
        ),
      );
    }
  }

  const axisY = TOP + rowOf.size * ROW + 6;
  const axis =
    el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: axisY, y2: axisY, stroke: COLORS.ink }) +
    el("text", { x: LEFT, y: axisY + 16, "font-size": 10 }, text(`block ${first}`)) +
    el("text", { x: WIDTH - RIGHT, y: axisY + 16, "text-anchor": "end", "font-size": 10 }, text(`block ${last}`));
  let lx = LEFT;
  let legend = "";
  for (const reason of reasons) {
    const n = slashes.filter((s) => s.reason === reason).length;
    const item = legendItem(lx, 46, reasonColor(reason, reasons), `${reason} (${n})`);
    legend += item.svg;
    lx += item.width;
  }
  const total = slashes.reduce((sum, s) => sum + BigInt(s.amount), 0n);
  legend += el(
    "text",
    { x: WIDTH - 16, y: 24, "text-anchor": "end", "font-size": 11, fill: COLORS.muted },
    text(`${slashes.length} slashes, ${formatTokens(total.toString())} tokens`),
  );
  return {
    name: "slashing",
    title,
    caption:
      `Every slash of the run: who (row), when (block), how much (area of the mark) and why (colour). The total ` +
      `per worker is on the right.`,
    width: WIDTH,
    height,
    svg: svgDocument("slashing", WIDTH, height, title, legend + el("g", { class: "slashes" }, rows) + axis),
  };
}
