/**
 * The demo's report: from one run record (types.ts), `<outDir>/index.html` and one PNG per chart beside it. The same
 * record always gives the same files: nothing here reads the clock, the locale or the machine beyond the font file.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { seatBars, type SeatSeries } from "./charts/bars.ts";
import { stakePie } from "./charts/pie.ts";
import { slashChart } from "./charts/slashing.ts";
import { taskTimeline } from "./charts/timeline.ts";
import { worldView } from "./charts/world.ts";
import { renderHtml } from "./html.ts";
import { createRasterizer } from "./png.ts";
import { parseReport } from "./schema.ts";
import type { Chart } from "./svg.ts";
import type { DemoReport } from "./types.ts";

export interface RenderedReport {
  /** Path of index.html. */
  html: string;
  /** Paths of the PNGs, in the page's order. */
  pngs: string[];
}

/**
 * Writes the report of `report` into `outDir` (created if missing).
 * @throws ReportDataInvalidError when `report` is not a valid record (checked as a file read from disk would be)
 * @throws ReportFontMissingError, ReportTextNotRenderedError when the PNGs could not show text
 */
export async function renderReport(report: DemoReport, outDir: string): Promise<RenderedReport> {
  const record = parseReport(report, "the run record given to renderReport");
  // Fonts first: a machine without them fails before writing anything, not halfway through.
  const rasterizer = createRasterizer();
  const charts = buildCharts(record);
  await mkdir(outDir, { recursive: true });
  const pngs: string[] = [];
  for (const chart of charts) {
    const file = path.join(outDir, `${chart.name}.png`);
    await writeFile(file, rasterizer.toPng(chart.svg));
    pngs.push(file);
  }
  const html = path.join(outDir, "index.html");
  await writeFile(html, renderHtml(record, charts));
  await removeStaleCharts(outDir, new Set(charts.map((c) => `${c.name}.png`)));
  return { html, pngs };
}

/** The file names the report's charts take (`seats-<layer>.png` for every layer a run may have). */
const CHART_PNG = /^(stake|seats(-[a-z0-9-]+)?|world|timeline|slashing)\.png$/;

/**
 * Deletes chart PNGs an earlier run left that this one did not draw (a run with more ladder layers leaves
 * `seats-escalation-2.png`): the folder then shows one run only. Other files are not touched.
 */
async function removeStaleCharts(outDir: string, drawn: Set<string>): Promise<void> {
  for (const name of await readdir(outDir)) {
    if (CHART_PNG.test(name) && !drawn.has(name)) await rm(path.join(outDir, name), { force: true });
  }
}

/** Every chart of the report, in the page's order. */
export function buildCharts(report: DemoReport): Chart[] {
  const overall: SeatSeries = {
    name: "seats",
    title: "Seats against stake: all rounds",
    scope: "all rounds of all tasks",
    seats: report.workers.map((w) => w.seats),
  };
  const names = new Set(["seats"]);
  const layers = report.seatsByLayer.map((layer) => {
    const name = uniqueName(`seats-${slug(layer.layer)}`, names);
    return seatBars(report.workers, {
      name,
      title: `Seats against stake: ${layer.layer}`,
      scope: `the ${layer.layer} layer`,
      // Addresses may differ in case between the layer's keys and the worker rows.
      seats: report.workers.map((w) => seatsOf(layer.seats, w.address)),
    });
  });
  return [
    stakePie(report.workers),
    seatBars(report.workers, overall),
    ...layers,
    worldView(report.world),
    taskTimeline(report.world, report.tasks),
    slashChart(report.slashes, report.workers),
  ];
}

function seatsOf(seats: Record<string, number>, address: string): number {
  const lower = address.toLowerCase();
  let n = 0;
  for (const [key, value] of Object.entries(seats)) if (key.toLowerCase() === lower) n += value;
  return n;
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "layer"
  );
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}
