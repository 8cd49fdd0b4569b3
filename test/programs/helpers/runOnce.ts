/**
 * Runs a program once in this process and prints the output as hex: the cross-process determinism test starts it
 * with `node --import tsx test/programs/helpers/runOnce.ts <wasm file> <input file>`.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { runProgram } from "../../../sdk/src/runtime/index.js";

// Hardhat's mocha loads every file under test/, this one included: do nothing unless started as a script.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [wasmPath, inputPath] = process.argv.slice(2);
  if (!wasmPath || !inputPath) throw new Error("usage: runOnce.ts <wasm file> <input file>");
  const { output, resultHash } = await runProgram(readFileSync(wasmPath), readFileSync(inputPath));
  process.stdout.write(JSON.stringify({ output: Buffer.from(output).toString("hex"), resultHash }));
}
