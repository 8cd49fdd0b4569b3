import { readFileSync } from "node:fs";

import { webAssembly } from "../../../sdk/src/runtime/webAssembly.js";

/** The committed particle-world binary. */
export const PARTICLES_WASM_PATH = new URL("../../../programs/particles/build/particles.wasm", import.meta.url);
export const particlesWasm = (): Uint8Array => new Uint8Array(readFileSync(PARTICLES_WASM_PATH));

export type InProcessResult = { ok: true; output: Uint8Array } | { ok: false; abort: string };

/**
 * Runs the particle program in this thread, a fresh instance and memory per call: the differential tests run it
 * thousands of times, and a worker per run (what runProgram does, tested on its own) would cost ~40 ms each.
 */
export function inProcessRunner(wasm: Uint8Array = particlesWasm()): (input: Uint8Array) => InProcessResult {
  const module = new webAssembly.Module(wasm);
  return (input) => {
    const memory = new webAssembly.Memory({ initial: 1, maximum: 256 });
    let abort: string | undefined;
    const env = {
      memory,
      abort: (message: number) => {
        const view = new DataView(memory.buffer);
        const length = view.getUint32(message - 4, true);
        abort = new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, message, length));
        throw new Error("aborted");
      },
    };
    const { exports } = new webAssembly.Instance(module, { env });
    const alloc = exports.alloc as (len: number) => number;
    const run = exports.run as (ptr: number, len: number) => number;
    try {
      const ptr = alloc(input.length);
      new Uint8Array(memory.buffer, ptr, input.length).set(input);
      const out = run(ptr, input.length);
      const length = new DataView(memory.buffer).getUint32(out, true);
      return { ok: true, output: new Uint8Array(memory.buffer.slice(out + 4, out + 4 + length)) };
    } catch (error) {
      if (abort !== undefined) return { ok: false, abort };
      throw error;
    }
  };
}

/** "RadiusOutOfRangeError: radius 0" -> "RadiusOutOfRangeError": the program's aborts name the SDK's error. */
export const abortName = (abort: string): string => abort.slice(0, abort.indexOf(":"));
