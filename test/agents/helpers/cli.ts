import { execFile, spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { track, type AgentProcess } from "./agentProcess.js";

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const CLI = path.join(ROOT, "sdk/dist/cli/main.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/**
 * The built `cohort` binary, compiled first when a source is newer (type errors elsewhere in the SDK do not stop
 * tsc from emitting, so only a missing or still stale binary fails).
 */
export async function ensureBuiltCli(): Promise<void> {
  if (!existsSync(CLI) || newestSource(path.join(ROOT, "sdk/src")) > statSync(CLI).mtimeMs) {
    await run(process.execPath, [TSC, "-p", "sdk/tsconfig.json"], { cwd: ROOT }).catch(() => undefined);
  }
  if (!existsSync(CLI)) throw new Error("sdk/dist/cli/main.js is missing: npm run build:sdk");
  if (newestSource(path.join(ROOT, "sdk/src")) > statSync(CLI).mtimeMs) {
    throw new Error("sdk/dist/cli/main.js is older than sdk/src after compiling: npm run build:sdk");
  }
}

/**
 * `cohort <args>` as a long-running child process (an agent), its stderr log lines collected (and copied to
 * `logFile`, if given, for a look after a failure).
 */
export function spawnCohort(args: string[], env: Record<string, string>, logFile?: string): AgentProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (logFile !== undefined) child.stderr?.pipe(createWriteStream(logFile));
  const tracked = track(child);
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  return Object.assign(tracked, { stdout: () => stdout });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}
