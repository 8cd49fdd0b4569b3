/**
 * Fairness: seats won per worker against stake share, for one layer of the ladder or for the whole run. Each worker
 * gets a grey bar (its stake share), a coloured bar (its share of the layer's seats) and a whisker: the band of two
 * binomial standard deviations around the stake share for that many seats, where an unbiased draw lands about 95% of
 * the time.
 */
import { formatShare, tokensAsNumber } from "../format.ts";
import { COLORS, el, legendItem, num, svgDocument, text, tooltip, type Chart } from "../svg.ts";
import type { WorkerRow } from "../types.ts";

const WIDTH = 760;
const HEIGHT = 320;
const LEFT = 56;
const RIGHT = 16;
const TOP = 58;
const BOTTOM = 66;

export interface SeatSeries {
  name: string;
  title: string;
  /** Which seats these are, for the caption ("all rounds of all tasks", "first committees"). */
  scope: string;
  /** Seats per worker, in the order of `workers`. */
  seats: number[];
}

export function seatBars(workers: WorkerRow[], series: SeatSeries): Chart {
  const stakes = workers.map((w) => tokensAsNumber(w.stakeStart));
  const totalStake = stakes.reduce((a, b) => a + b, 0);
  const totalSeats = series.seats.reduce((a, b) => a + b, 0);
  // The same order as the pie (largest stake first), so the two charts read together.
  const order = workers.map((_, i) => i).sort((a, b) => stakes[b]! - stakes[a]!);

  const rows = order.map((i) => {
    const p = totalStake > 0 ? stakes[i]! / totalStake : 0;
    const seats = series.seats[i] ?? 0;
    const share = totalSeats > 0 ? seats / totalSeats : 0;
    const sigma = totalSeats > 0 ? Math.sqrt((p * (1 - p)) / totalSeats) : 0;
    return { worker: workers[i]!, p, seats, share, lo: Math.max(0, p - 2 * sigma), hi: Math.min(1, p + 2 * sigma) };
  });
  const top = Math.max(0.01, ...rows.map((r) => Math.max(r.share, r.hi))) * 1.1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const y = (share: number) => TOP + plotH - (share / top) * plotH;
  const group = plotW / Math.max(1, rows.length);
  const barW = Math.max(2, Math.min(14, group * 0.36));

  let grid = "";
  const step = niceStep(top);
  for (let t = 0; t <= top + 1e-12; t += step) {
    grid +=
      el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(t), y2: y(t), stroke: COLORS.grid }) +
      el("text", { x: LEFT - 6, y: y(t) + 4, "text-anchor": "end", "font-size": 10, fill: COLORS.muted }, text(pct(t)));
  }

  let bars = "";
  let inBand = 0;
  rows.forEach((r, k) => {
    const gx = LEFT + k * group + group / 2;
    if (r.share >= r.lo && r.share <= r.hi) inBand++;
    const seatColor = r.worker.adversarial ? COLORS.adversary : COLORS.seats;
    bars +=
      el(
        "rect",
        {
          class: "bar-stake",
          x: gx - barW - 1,
          y: y(r.p),
          width: barW,
          height: Math.max(0, y(0) - y(r.p)),
          fill: COLORS.stake,
          "data-worker": r.worker.label,
        },
        tooltip(`${r.worker.label}: stake share ${formatShare(r.p)}`),
      ) +
      el(
        "rect",
        {
          class: "bar-seats",
          x: gx + 1,
          y: y(r.share),
          width: barW,
          height: Math.max(0, y(0) - y(r.share)),
          fill: seatColor,
          "data-worker": r.worker.label,
          "data-seats": r.seats,
        },
        tooltip(
          `${r.worker.label}: ${r.seats} of ${totalSeats} seats (${formatShare(r.share)}); ` +
            `expected ${formatShare(r.p)}, 2σ band ${formatShare(r.lo)} to ${formatShare(r.hi)}`,
        ),
      ) +
      whisker(gx - 1 - barW / 2, y(r.lo), y(r.hi)) +
      el(
        "text",
        {
          x: gx,
          y: HEIGHT - BOTTOM + 12,
          "font-size": 10,
          "text-anchor": "end",
          transform: `rotate(-45 ${num(gx)} ${num(HEIGHT - BOTTOM + 12)})`,
          "font-weight": r.worker.adversarial ? "bold" : undefined,
        },
        text(r.worker.label),
      );
  });

  let lx = LEFT;
  let legend = "";
  for (const [color, label] of [
    [COLORS.stake, "stake share"],
    [COLORS.seats, "seat share"],
    [COLORS.adversary, "seat share (adversary)"],
  ] as const) {
    const item = legendItem(lx, 46, color, label);
    legend += item.svg;
    lx += item.width;
  }
  legend += el("line", { x1: lx, x2: lx, y1: 37, y2: 47, stroke: COLORS.band, "stroke-width": 1.5 });
  legend += el("text", { x: lx + 6, y: 46, "font-size": 11, fill: COLORS.muted }, text("2σ band"));

  const axis = el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(0), y2: y(0), stroke: COLORS.ink });
  const seatsNote = `${totalSeats} seats`;
  const body =
    el(
      "text",
      { x: WIDTH - RIGHT, y: 24, "text-anchor": "end", "font-size": 11, fill: COLORS.muted },
      text(seatsNote),
    ) +
    legend +
    grid +
    axis +
    el("g", { class: "bars" }, bars);
  return {
    name: series.name,
    title: series.title,
    caption:
      totalSeats > 0
        ? `Share of the ${totalSeats} seats of ${series.scope} won by each worker (coloured) against its stake share ` +
          `(grey). ${inBand} of ${rows.length} workers fall inside the 2σ binomial band around their stake share.`
        : `No seats were drawn in ${series.scope}.`,
    width: WIDTH,
    height: HEIGHT,
    svg: svgDocument(series.name, WIDTH, HEIGHT, series.title, body),
  };
}

function whisker(x: number, yLo: number, yHi: number): string {
  const cap = 3;
  const stroke = { stroke: COLORS.band, "stroke-width": 1.2 };
  return (
    el("line", { class: "band", x1: x, x2: x, y1: yLo, y2: yHi, ...stroke }) +
    el("line", { x1: x - cap, x2: x + cap, y1: yLo, y2: yLo, ...stroke }) +
    el("line", { x1: x - cap, x2: x + cap, y1: yHi, y2: yHi, ...stroke })
  );
}

/** A grid step of 1, 2 or 5 times a power of ten giving four to eight lines up to `top`. */
function niceStep(top: number): number {
  const raw = top / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

function pct(share: number): string {
  const v = share * 100;
  return `${Math.abs(v - Math.round(v)) < 1e-9 ? Math.round(v) : v.toFixed(1)}%`;
}
