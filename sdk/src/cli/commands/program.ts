import type { Command } from "commander";
import { keccak256 } from "ethers";

import { MalformedProgramError } from "../../errors/program.js";
import { inspectProgram } from "../../runtime/inspectProgram.js";
import { webAssembly } from "../../runtime/webAssembly.js";
import { table } from "../output.js";
import { fileArg } from "../parse.js";
import type { Bind } from "../program.js";

/** `cohort program`: a program's id, the value tasks name it by. */
export function registerProgram(program: Command, bind: Bind): void {
  const group = program.command("program").description("WebAssembly programs");

  group
    .command("id")
    .description("the program id of a .wasm file: keccak256 of its bytes (checked to be WebAssembly, ABI v1)")
    .argument("<file>", "the .wasm file")
    .option("--no-abi-check", "only check that it is WebAssembly, not that it follows the program ABI v1")
    .action(
      bind(async (_ctx, file: string, opts: { abiCheck: boolean }) => {
        const { programId, size, memory } = programIdOf(file, "file", opts.abiCheck);
        return {
          data: { file, programId, size, abi: memory === undefined ? undefined : "v1", memory },
          human: table([
            ["program id", programId],
            ["size", `${size} bytes`],
            ["ABI", memory === undefined ? "not checked" : `v1 (memory: ${memory.minimum} pages at start)`],
          ]),
        };
      }),
    );
}

/**
 * The id of the program in `file`. A program id commits to the bytes, so bytes no engine runs (or, with
 * `abiCheck`, that break ABI v1) would make a task no worker can do: they are refused with the runtime's named
 * errors (MalformedProgramError, MissingImportError, ForbiddenImportError, MissingExportError, ExportSignatureError).
 */
export function programIdOf(
  file: string,
  argument: string,
  abiCheck: boolean,
): { programId: string; size: number; memory: { minimum: number; maximum: number | undefined } | undefined } {
  const bytes = fileArg(argument, file);
  checkHeader(bytes);
  let memory: { minimum: number; maximum: number | undefined } | undefined;
  if (abiCheck) memory = inspectProgram(bytes).memory;
  else if (!webAssembly.validate(bytes)) throw new MalformedProgramError("not a valid WebAssembly module");
  return { programId: keccak256(bytes), size: bytes.length, memory };
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The first eight bytes, checked first for a plainer message than the engine's for the commonest mistakes. */
function checkHeader(bytes: Uint8Array): void {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new MalformedProgramError("not WebAssembly: the file does not start with the \\0asm magic");
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new MalformedProgramError("not a WebAssembly 1.0 binary (version field is not 1)");
  }
}
