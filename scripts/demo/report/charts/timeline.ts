/**
 * Each region's tasks over blocks: one row per region, one mark per task from the block it was created in to the
 * block it was finalized in, coloured by outcome. A dot (committee) or a diamond (bisection game) above a mark says
 * how its dispute was settled. Tasks of one region that overlap in time are stacked in lanes so none hides another.
 */
import { COLORS, el, legendItem, svgDocument, text, tooltip, type Chart } from "../svg.ts";
import type { TaskOutcome, TaskRow, WorldView } from "../types.ts";

const WIDTH = 760;
const LEFT = 64;
const RIGHT = 20;
const TOP = 62;
const LANE = 16;
const ROW_GAP = 8;
const MIN_MARK = 3;

export const OUTCOME_COLORS: Record<TaskOutcome, string> = {
  finalized: COLORS.finalized,
  challenged: COLORS.challenged,
  overturned: COLORS.overturned,
};

interface Row {
  key: string;
  x: number;
  y: number;
  lanes: TaskRow[][];
}

export function taskTimeline(world: WorldView, tasks: TaskRow[]): Chart {
  const rows = regionRows(world, tasks);
  const first = tasks.length > 0 ? Math.min(...tasks.map((t) => t.createdBlock)) : 0;
  const last = tasks.length > 0 ? Math.max(...tasks.map((t) => Math.max(t.finalizedBlock, t.createdBlock))) : 1;
  const span = Math.max(1, last - first);
  const plotW = WIDTH - LEFT - RIGHT;
  const bx = (block: number) => LEFT + ((block - first) / span) * plotW;

  let y = TOP;
  let marks = "";
  let labels = "";
  for (const row of rows) {
    const rowH = Math.max(1, row.lanes.length) * LANE;
    labels += el(
      "text",
      { x: LEFT - 8, y: y + rowH / 2 + 4, "text-anchor": "end", "font-size": 11 },
      text(`(${row.x}, ${row.y})`),
    );
    let inner = el("rect", { x: LEFT, y, width: plotW, height: rowH, fill: "#f6f7f9" });
    row.lanes.forEach((lane, l) => {
      for (const task of lane) inner += taskMark(task, bx, y + l * LANE);
    });
    marks += el("g", { class: "timeline-row", "data-region": row.key, "data-tasks": count(row) }, inner);
    y += rowH + ROW_GAP;
  }
  const axisY = y + 2;
  let axis = el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: axisY, y2: axisY, stroke: COLORS.ink });
  const step = niceBlockStep(span);
  for (let b = Math.ceil(first / step) * step; b <= last; b += step) {
    axis +=
      el("line", { x1: bx(b), x2: bx(b), y1: axisY, y2: axisY + 4, stroke: COLORS.ink }) +
      el("text", { x: bx(b), y: axisY + 16, "text-anchor": "middle", "font-size": 10 }, text(String(b)));
  }
  axis += el(
    "text",
    { x: WIDTH - RIGHT, y: axisY + 30, "text-anchor": "end", "font-size": 10, fill: COLORS.muted },
    text("block"),
  );
  const height = axisY + 40;

  let lx = LEFT;
  let legend = "";
  for (const outcome of ["finalized", "challenged", "overturned"] as const) {
    const n = tasks.filter((t) => t.outcome === outcome).length;
    const item = legendItem(lx, 46, OUTCOME_COLORS[outcome], `${outcome} (${n})`);
    legend += item.svg;
    lx += item.width;
  }
  legend +=
    settledMarker("committee", lx + 5, 42) +
    el("text", { x: lx + 14, y: 46, "font-size": 11, fill: COLORS.muted }, text("settled by a committee"));
  lx += 160;
  legend +=
    settledMarker("game", lx + 5, 42) +
    el("text", { x: lx + 14, y: 46, "font-size": 11, fill: COLORS.muted }, text("settled by a game"));

  const title = "Tasks of every region over time";
  return {
    name: "timeline",
    title,
    caption:
      `One row per region (shard); each mark is one task, from the block it was created in to the block it was ` +
      `finalized in. Green: unchallenged; amber: challenged and the proposed result stood; red: overturned (the ` +
      `proposed result was replaced). A dot or diamond above a mark: settled by an escalation committee or a bisection game.`,
    width: WIDTH,
    height,
    svg: svgDocument("timeline", WIDTH, height, title, legend + labels + el("g", { class: "timeline" }, marks) + axis),
  };
}

function taskMark(task: TaskRow, bx: (block: number) => number, top: number): string {
  const x0 = bx(task.createdBlock);
  const width = Math.max(MIN_MARK, bx(Math.max(task.finalizedBlock, task.createdBlock)) - x0);
  const tip =
    `task ${task.taskId}, region (${task.region.x}, ${task.region.y}), batch ${task.epoch}: ${task.outcome}` +
    (task.settledBy ? ` (settled by ${task.settledBy === "game" ? "a bisection game" : "a committee"})` : "") +
    `; blocks ${task.createdBlock} to ${task.finalizedBlock}; ${task.seats} seats, ${task.challenges} challenges, gas ${task.gasUsed}`;
  let svg = el(
    "rect",
    {
      class: "task",
      x: x0,
      y: top + 3,
      width,
      height: LANE - 5,
      rx: 2,
      fill: OUTCOME_COLORS[task.outcome],
      "data-task": task.taskId,
      "data-outcome": task.outcome,
      "data-settled-by": task.settledBy,
    },
    tooltip(tip),
  );
  if (task.settledBy) svg += settledMarker(task.settledBy, x0 + width / 2, top + 3 + (LANE - 5) / 2);
  return svg;
}

function settledMarker(by: "committee" | "game", cx: number, cy: number): string {
  const common = { class: `settled settled-${by}`, fill: COLORS.ink, stroke: COLORS.background, "stroke-width": 0.8 };
  if (by === "committee") return el("circle", { cx, cy, r: 3, ...common });
  return el("path", { d: `M ${cx} ${cy - 4} L ${cx + 4} ${cy} L ${cx} ${cy + 4} L ${cx - 4} ${cy} Z`, ...common });
}

/** One row per region of the world (in the world's order), then any region that only the tasks name. */
function regionRows(world: WorldView, tasks: TaskRow[]): Row[] {
  const rows = new Map<string, Row>();
  for (const r of world.regions) rows.set(`${r.x},${r.y}`, { key: `${r.x},${r.y}`, x: r.x, y: r.y, lanes: [] });
  const extra = tasks
    .map((t) => t.region)
    .filter((r) => !rows.has(`${r.x},${r.y}`))
    .sort((a, b) => a.y - b.y || a.x - b.x);
  for (const r of extra) rows.set(`${r.x},${r.y}`, { key: `${r.x},${r.y}`, x: r.x, y: r.y, lanes: [] });

  // Earliest first, then greedy lanes: a task goes into the first lane whose last task ended before it began.
  const sorted = [...tasks].sort((a, b) => a.createdBlock - b.createdBlock || a.finalizedBlock - b.finalizedBlock);
  for (const task of sorted) {
    const row = rows.get(`${task.region.x},${task.region.y}`)!;
    const lane = row.lanes.find((l) => l[l.length - 1]!.finalizedBlock < task.createdBlock);
    if (lane) lane.push(task);
    else row.lanes.push([task]);
  }
  return [...rows.values()];
}

function count(row: Row): number {
  return row.lanes.reduce((n, lane) => n + lane.length, 0);
}

function niceBlockStep(span: number): number {
  const raw = span / 8;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  const m = raw / power;
  return Math.max(1, (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power);
}
