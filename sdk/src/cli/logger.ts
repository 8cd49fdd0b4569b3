import { pino, type Logger } from "pino";

import type { Sink } from "./output.js";

export type { Logger };

const LEVEL_NAMES: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/**
 * The run's logger, on stderr so that stdout carries only the command's output. JSON lines (pino's own format) unless
 * stderr is a terminal, where a person reads `info  message  key=value` instead; no pretty-printing dependency.
 */
export function createLogger(stderr: Sink, level: string): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  if (!stderr.isTTY) return pino(options, { write: (line: string) => void stderr.write(line) });
  return pino(options, { write: (line: string) => void stderr.write(prettyLine(line)) });
}

function prettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, msg, ...rest } = record;
  delete rest.time;
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  const name = (LEVEL_NAMES[Number(level)] ?? String(level)).padEnd(5);
  return `${name} ${String(msg ?? "")}${fields ? `  ${fields}` : ""}\n`;
}
