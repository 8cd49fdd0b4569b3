/**
 * The world at the end of the run: every particle of every region's last finalized state, coloured by the region
 * (shard) that holds it, over the grid of region borders. World y grows north, so the picture is flipped to match.
 */
import { COLORS, el, seriesColor, svgDocument, text, tooltip, type Chart } from "../svg.ts";
import type { WorldView } from "../types.ts";

const MAX_SIDE = 720;
const MARGIN = 20;
const TOP = 44;
/** Particles smaller than this on screen would vanish; the true radius is in the caption. */
const MIN_DOT = 1.5;

export function worldView(world: WorldView): Chart {
  const bounds = worldBounds(world);
  const spanX = Math.max(1, bounds.x1 - bounds.x0);
  const spanY = Math.max(1, bounds.y1 - bounds.y0);
  const scale = MAX_SIDE / Math.max(spanX, spanY);
  const width = Math.round(spanX * scale) + 2 * MARGIN;
  const height = Math.round(spanY * scale) + TOP + MARGIN + 16;
  const sx = (x: number) => MARGIN + (x - bounds.x0) * scale;
  const sy = (y: number) => TOP + (bounds.y1 - y) * scale;

  let regions = "";
  world.regions.forEach((r, i) => {
    regions += el(
      "rect",
      {
        class: "region",
        x: sx(r.ox),
        y: sy(r.oy + r.height),
        width: r.width * scale,
        height: r.height * scale,
        fill: seriesColor(i),
        "fill-opacity": 0.06,
        stroke: COLORS.border,
        "stroke-width": 1,
        "stroke-dasharray": "4 3",
        "data-region": `${r.x},${r.y}`,
      },
      tooltip(`region (${r.x}, ${r.y}): [${r.ox}, ${r.ox + r.width}) x [${r.oy}, ${r.oy + r.height})`),
    );
    regions += el(
      "text",
      { x: sx(r.ox) + 4, y: sy(r.oy + r.height) + 12, "font-size": 10, fill: COLORS.muted },
      text(`${r.x},${r.y}`),
    );
  });

  const dot = Math.max(MIN_DOT, world.radius * scale);
  let particles = "";
  for (const p of world.particles) {
    particles += el("circle", {
      class: "particle",
      cx: sx(p.x),
      cy: sy(p.y),
      r: dot,
      fill: seriesColor(p.region),
      "fill-opacity": 0.85,
    });
  }

  const title = "The world at the end";
  const note =
    `${world.particles.length} particles in ${world.regions.length} regions after ${world.ticks} ticks, ` +
    `world ${world.width} x ${world.height}, particle radius ${world.radius}`;
  const body =
    el("text", { x: MARGIN, y: height - 8, "font-size": 11, fill: COLORS.muted }, text(note)) +
    el("g", { class: "regions" }, regions) +
    el("g", { class: "particles" }, particles);
  return {
    name: "world",
    title,
    caption:
      `Every particle of the last finalized state of every region, coloured by the region (shard) holding it; dashed ` +
      `lines are region borders. Each region's states were computed by committees drawn from the one pool.`,
    width,
    height,
    svg: svgDocument("world", width, height, title, body),
  };
}

/** The rectangle the regions cover, or the world's declared size when there are none. */
function worldBounds(world: WorldView): { x0: number; y0: number; x1: number; y1: number } {
  if (world.regions.length === 0) return { x0: 0, y0: 0, x1: world.width, y1: world.height };
  return {
    x0: Math.min(...world.regions.map((r) => r.ox)),
    y0: Math.min(...world.regions.map((r) => r.oy)),
    x1: Math.max(...world.regions.map((r) => r.ox + r.width)),
    y1: Math.max(...world.regions.map((r) => r.oy + r.height)),
  };
}
