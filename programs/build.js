/**
 * Builds every program (programs/<name>/assembly/index.ts) to programs/<name>/build/<name>.wasm and prints each
 * program's id, keccak256 of the WASM bytes (docs/Programs.md, "Program ids").
 *
 *   node programs/build.js [--out-dir DIR]    # with --out-dir, writes DIR/<name>.wasm instead
 *
 * A program's id must not depend on the machine that built it, so the compiler version is pinned (checked here, not
 * just in package.json), the flags are fixed for every program (ABI v1 lives in them), and nothing machine-specific
 * reaches the binary: no debug info, no source map, and the compiler sees the source by a path relative to the
 * program's directory (that path is what `abort` reports as the file name).
 */
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import asc from "assemblyscript/asc";
import { keccak256 } from "ethers";

const ASC_VERSION = "0.28.20";

/** ABI v1: the stub runtime (no GC, nothing but `env.memory` and `env.abort` imported), release optimisation. */
const ABI_V1_FLAGS = [
  "--runtime",
  "stub",
  "--importMemory",
  "--noExportMemory",
  "--optimizeLevel",
  "3",
  "--shrinkLevel",
  "0",
  "--noColors",
];

const ENTRY = "assembly/index.ts";
const programsDir = path.dirname(fileURLToPath(import.meta.url));

function checkCompilerVersion() {
  const require = createRequire(import.meta.url);
  const { version } = require("assemblyscript/package.json");
  if (version !== ASC_VERSION) {
    throw new Error(`assemblyscript ${version} is installed; program ids are defined with ${ASC_VERSION} (npm ci)`);
  }
}

async function listPrograms() {
  const names = [];
  for (const entry of await readdir(programsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const found = await stat(path.join(programsDir, entry.name, ENTRY)).catch(() => undefined);
    if (found?.isFile()) names.push(entry.name);
  }
  return names.sort();
}

/** Compiles one program in memory and returns its bytes. */
async function compile(name) {
  let binary;
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main(
    [ENTRY, "--baseDir", path.join(programsDir, name), "--outFile", "out.wasm", ...ABI_V1_FLAGS],
    {
      stderr,
      writeFile: (file, contents) => {
        if (file === "out.wasm") binary = contents;
      },
    },
  );
  if (error) throw new Error(`asc failed for ${name}: ${error.message}\n${stderr.toString()}`);
  if (!(binary instanceof Uint8Array)) throw new Error(`asc produced no binary for ${name}`);
  return binary;
}

async function main() {
  const { values } = parseArgs({ options: { "out-dir": { type: "string" } } });
  checkCompilerVersion();
  const names = await listPrograms();
  if (names.length === 0) throw new Error(`no programs under ${programsDir}`);
  for (const name of names) {
    const wasm = await compile(name);
    const outDir = values["out-dir"] ? path.resolve(values["out-dir"]) : path.join(programsDir, name, "build");
    const outFile = path.join(outDir, `${name}.wasm`);
    await mkdir(outDir, { recursive: true });
    await writeFile(outFile, wasm);
    console.log(`${name} ${keccak256(wasm)} ${wasm.length} bytes ${path.relative(process.cwd(), outFile)}`);
  }
}

await main();
