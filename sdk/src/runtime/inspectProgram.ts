import {
  ExportSignatureError,
  ForbiddenImportError,
  MalformedProgramError,
  MissingExportError,
  MissingImportError,
} from "../errors/program.js";
import { ABORT_IMPORT, IMPORT_MODULE, MEMORY_IMPORT, REQUIRED_EXPORTS } from "./abi.js";
import { webAssembly } from "./webAssembly.js";
import { functionType, parseModule, type FuncType } from "./wasmModule.js";

export interface ProgramShape {
  /** The pages the module asks its imported memory to start with, and the maximum it declares, if any. */
  memory: { minimum: number; maximum: number | undefined };
}

/**
 * Checks WASM bytes against ABI v1 before anything runs: a valid module that imports exactly env.memory (a plain
 * 32-bit, unshared memory) and optionally env.abort (a function), defines no memory of its own, and exports alloc and
 * run with their signatures.
 * @throws MalformedProgramError, ForbiddenImportError, MissingImportError, MissingExportError, ExportSignatureError
 */
export function inspectProgram(bytes: Uint8Array): ProgramShape {
  if (!webAssembly.validate(bytes))
    throw new MalformedProgramError(`not a valid WebAssembly module (${compileError(bytes)})`);
  const info = parseModule(bytes);

  let memory: ProgramShape["memory"] | undefined;
  let abortSeen = false;
  for (const { module, name, desc } of info.imports) {
    if (module === IMPORT_MODULE && name === MEMORY_IMPORT && desc.kind === "memory" && memory === undefined) {
      // A shared memory would let another agent change it mid-run; a 64-bit one is beyond this ABI.
      if (desc.flags & 0x02) throw new MalformedProgramError("env.memory is a shared memory");
      memory = { minimum: desc.minimum, maximum: desc.maximum };
    } else if (module === IMPORT_MODULE && name === ABORT_IMPORT && desc.kind === "function" && !abortSeen) {
      abortSeen = true;
    } else {
      throw new ForbiddenImportError(module, name, desc.kind);
    }
  }
  if (memory === undefined) throw new MissingImportError(IMPORT_MODULE, MEMORY_IMPORT);
  // With multi-memory a module could define a second memory that no host limit bounds.
  if (info.definedMemories > 0) throw new MalformedProgramError("the module defines a memory of its own");

  for (const [name, expected] of Object.entries(REQUIRED_EXPORTS)) {
    const exported = info.exports.find((e) => e.name === name);
    if (exported?.kind !== "function") throw new MissingExportError(name);
    const actual = functionType(info, exported.index);
    if (actual === undefined || !sameType(actual, expected)) {
      throw new ExportSignatureError(name, describe(expected), actual ? describe(actual) : "unknown");
    }
  }
  return { memory };
}

function sameType(
  a: FuncType,
  b: { readonly params: readonly string[]; readonly results: readonly string[] },
): boolean {
  return a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

function describe(t: { readonly params: readonly string[]; readonly results: readonly string[] }): string {
  return `(${t.params.join(", ")}) -> (${t.results.join(", ")})`;
}

/** The engine's reason for refusing the bytes, for the error's message. */
function compileError(bytes: Uint8Array): string {
  try {
    new webAssembly.Module(bytes);
    return "rejected by WebAssembly.validate";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
