/**
 * Rebuilds the demo's report from a run record, without running the demo again:
 *   node scripts/demo/report/main.ts [--data demo-report/data.json] [--out demo-report]
 * Exit codes: 0 written, 2 bad input (usage, a missing or invalid record, no font for the PNGs), 1 anything else.
 */
import { Command, CommanderError } from "commander";

import { ReportError } from "./errors.ts";
import { readRecord } from "./read.ts";
import { renderReport } from "./render.ts";

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("node scripts/demo/report/main.ts")
    .description("Rebuild the demo report (index.html and PNGs) from a run record")
    .option("--data <file>", "the run record the demo wrote", "demo-report/data.json")
    .option("--out <dir>", "where to write index.html and the PNGs", "demo-report")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const options = program.opts<{ data: string; out: string }>();
  try {
    const record = await readRecord(options.data);
    const written = await renderReport(record, options.out);
    console.log(`wrote ${written.html}`);
    for (const png of written.pngs) console.log(`wrote ${png}`);
    return 0;
  } catch (error) {
    if (error instanceof ReportError) {
      console.error(`${error.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);
