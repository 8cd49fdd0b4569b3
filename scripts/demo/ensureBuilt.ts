/**
 * `npm run demo`'s first step (the `predemo` script): the demo runs under plain node and imports the compiled SDK
 * (`sdk/dist`) and the contracts' artifacts, which a fresh `npm ci` does not have. Builds them when missing, so the
 * demo needs no setup beyond `npm ci`; and recompiles the SDK when a source is newer than its output, so an edited SDK
 * is what runs. Contracts and programs are not checked for staleness: `npm run build` does that (incrementally).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SDK_OUT = path.join(ROOT, "sdk/dist/index.js");
const BUILT = [SDK_OUT, path.join(ROOT, "artifacts/contracts/TaskManager.sol/TaskManager.json")];

function newestTs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function npmRun(script: string, why: string): void {
  console.error(`[demo] ${why}: npm run ${script}`);
  const result = spawnSync("npm", ["run", script, "--silent"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[demo] npm run ${script} failed (exit ${result.status ?? result.signal}); the demo cannot start`);
    process.exit(result.status ?? 1);
  }
}

if (BUILT.some((file) => !existsSync(file))) {
  npmRun("build", "first run: compiling the contracts, the programs and the SDK (about two minutes, once)");
} else if (newestTs(path.join(ROOT, "sdk/src")) > statSync(SDK_OUT).mtimeMs) {
  npmRun("build:sdk", "the SDK's sources are newer than sdk/dist");
}
