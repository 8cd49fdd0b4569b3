/**
 * The pool as a pie of stake at the start of the run (the weights the draws used): one slice per worker, largest
 * first, the adversary in red and pulled out of the pie.
 */
import { formatShare, formatTokens, tokensAsNumber } from "../format.ts";
import { COLORS, el, seriesColor, svgDocument, text, tooltip, type Chart } from "../svg.ts";
import type { WorkerRow } from "../types.ts";

const WIDTH = 760;
const CX = 200;
const CY = 215;
const R = 150;
/** How far the adversary's slice is pulled out, so it reads at a glance. */
const PULL = 10;

export function stakePie(workers: WorkerRow[]): Chart {
  const stakes = workers.map((w) => tokensAsNumber(w.stakeStart));
  const total = stakes.reduce((a, b) => a + b, 0);
  // Largest first; ties keep the record's order (a stable sort), so the chart is the same for the same record.
  const order = workers.map((_, i) => i).sort((a, b) => stakes[b]! - stakes[a]!);

  let slices = "";
  let legend = "";
  let angle = 0;
  let honest = 0;
  order.forEach((i, rank) => {
    const worker = workers[i]!;
    const share = total > 0 ? stakes[i]! / total : 0;
    const sweep = share * 2 * Math.PI;
    const color = worker.adversarial ? COLORS.adversary : seriesColor(honest++);
    const mid = angle + sweep / 2;
    const pull = worker.adversarial ? PULL : 0;
    const cx = CX + pull * Math.sin(mid);
    const cy = CY - pull * Math.cos(mid);
    const label = `${worker.label}: ${formatTokens(worker.stakeStart)} tokens (${formatShare(share)} of the stake)`;
    slices += el(
      "path",
      {
        class: "slice",
        d: slicePath(cx, cy, R, angle, angle + sweep),
        fill: color,
        stroke: COLORS.background,
        "stroke-width": 1,
        "data-worker": worker.label,
        "data-adversarial": worker.adversarial ? "true" : "false",
      },
      tooltip(label),
    );
    angle += sweep;

    // The legend lists every worker, 20 to a column.
    const column = Math.floor(rank / 20);
    const row = rank % 20;
    const lx = 400 + column * 180;
    const ly = 64 + row * 16;
    legend +=
      el("rect", { x: lx, y: ly - 9, width: 10, height: 10, fill: color, rx: 2 }) +
      el(
        "text",
        { x: lx + 16, y: ly, "font-size": 11, "font-weight": worker.adversarial ? "bold" : undefined },
        text(`${worker.label}  ${formatShare(share)}`),
      );
  });

  const rows = Math.min(20, workers.length);
  const width = Math.max(WIDTH, 400 + Math.ceil(workers.length / 20) * 180);
  const height = Math.max(CY + R + 30, 64 + rows * 16 + 20);
  const adversaryShare = workers.reduce((s, w, i) => s + (w.adversarial && total > 0 ? stakes[i]! / total : 0), 0);
  const note =
    total > 0
      ? `${workers.length} workers, ${formatTokens(String(totalBaseUnits(workers)))} tokens staked`
      : "no stake in the pool";
  const body =
    el("text", { x: 16, y: 44, "font-size": 11, fill: COLORS.muted }, text(note)) +
    el("g", { class: "pie" }, slices) +
    el("g", { class: "legend" }, legend);
  return {
    name: "stake",
    title: "The pool: stake per worker",
    caption:
      `Stake of every worker at the start of the run (the weights every committee draw used), largest first. ` +
      `The adversary (red, pulled out) holds ${formatShare(adversaryShare)} of the stake.`,
    width,
    height,
    svg: svgDocument("stake", width, height, "The pool: stake per worker", body),
  };
}

function totalBaseUnits(workers: WorkerRow[]): bigint {
  return workers.reduce((sum, w) => sum + BigInt(w.stakeStart), 0n);
}

/** A slice from angle a0 to a1 (radians, clockwise from 12 o'clock). A full turn is two half arcs (one arc cannot). */
export function slicePath(cx: number, cy: number, r: number, a0: number, a1: number): string {
  const point = (a: number) => `${round(cx + r * Math.sin(a))} ${round(cy - r * Math.cos(a))}`;
  const sweep = a1 - a0;
  if (sweep >= 2 * Math.PI - 1e-9) {
    return `M ${point(a0)} A ${r} ${r} 0 1 1 ${point(a0 + Math.PI)} A ${r} ${r} 0 1 1 ${point(a0)} Z`;
  }
  const large = sweep > Math.PI ? 1 : 0;
  return `M ${round(cx)} ${round(cy)} L ${point(a0)} A ${r} ${r} 0 ${large} 1 ${point(a1)} Z`;
}

function round(v: number): number {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r;
}
