/** Reads a run record from disk and checks it against the schema (schema.ts). */
import { readFile } from "node:fs/promises";

import { ReportDataInvalidError, ReportDataMissingError } from "./errors.ts";
import { parseReport } from "./schema.ts";
import type { DemoReport } from "./types.ts";

/**
 * @throws ReportDataMissingError when `file` does not exist
 * @throws ReportDataInvalidError when it is not JSON or not a DemoReport
 */
export async function readRecord(file: string): Promise<DemoReport> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ReportDataMissingError(file);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReportDataInvalidError(file, [`not JSON: ${(error as Error).message}`]);
  }
  return parseReport(value, file);
}
