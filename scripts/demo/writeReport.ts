/** Writes the run record, and the HTML report with its PNGs when the renderer (`report/render.ts`) is in the checkout. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { DemoReport } from "./report/types.ts";

const RENDERER = path.join(import.meta.dirname, "report/render.ts");

/** `<out>/data.json`; the renderer writes `<out>/index.html` and the PNGs beside it. */
export async function writeReport(report: DemoReport, out: string): Promise<void> {
  const dir = path.resolve(out);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "data.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nrun record: ${path.join(dir, "data.json")}`);
  if (!existsSync(RENDERER)) return;
  const { renderReport } = (await import(RENDERER)) as {
    renderReport(r: DemoReport, outDir: string): Promise<{ html: string; pngs: string[] }>;
  };
  const { html, pngs } = await renderReport(report, dir);
  console.log(`report: ${html} (${pngs.length} images)`);
}
