import type { Command } from "commander";
import { keccak256 } from "ethers";

import { MalformedProgramError } from "../../errors/program.js";
import { table } from "../output.js";
import { fileArg } from "../parse.js";
import type { Bind } from "../program.js";

/** `cohort program`: a program's id, the value tasks name it by. */
export function registerProgram(program: Command, bind: Bind): void {
  const group = program.command("program").description("WebAssembly programs");

  group
    .command("id")
    .description("the program id of a .wasm file: keccak256 of its bytes (checked to be WebAssembly)")
    .argument("<file>", "the .wasm file")
    .action(
      bind(async (_ctx, file: string) => {
        const { programId, size } = programIdOf(file, "file");
        return {
          data: { file, programId, size },
          human: table([
            ["program id", programId],
            ["size", `${size} bytes`],
          ]),
        };
      }),
    );
}

/** The id of the program in `file`, refusing bytes that are not a valid WebAssembly module. */
export function programIdOf(file: string, argument: string): { programId: string; size: number; bytes: Uint8Array } {
  const bytes = fileArg(argument, file);
  checkWasm(bytes);
  return { programId: keccak256(bytes), size: bytes.length, bytes };
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The engine's validator (TypeScript declares `WebAssembly` only in lib.dom, which this Node project does not load). */
const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;

/** A program's id commits to its bytes, so bytes no engine will run would make a task no worker can do. */
function checkWasm(bytes: Uint8Array): void {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new MalformedProgramError("not WebAssembly: the file does not start with the \\0asm magic");
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new MalformedProgramError("not a WebAssembly 1.0 binary (version field is not 1)");
  }
  if (!wasm.validate(bytes)) throw new MalformedProgramError("not a valid WebAssembly module");
}
