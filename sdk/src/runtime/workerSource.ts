/**
 * The body of the worker that runs programs (ABI v1), as plain JavaScript: `new Worker(code, { eval: true })` runs
 * it as a CommonJS script whether the SDK is loaded from TypeScript sources or from compiled JavaScript, and it needs
 * nothing but the WebAssembly API. A worker serves one run at a time and may serve many in turn (see workerPool.ts):
 * every run compiles the module and instantiates it with a memory of its own, so no run sees another's state, and
 * the program's only imports are `env.memory` and `env.abort`.
 *
 * Each message it receives is a run: { wasm: Uint8Array, input: Uint8Array, initialPages, maximumPages, retryPages }.
 * It answers with one message: { type: "ok", output } | { type: "abort", message, file, line, column } | { type:
 * "trap", message } | { type: "abi", reason } | { type: "memory", pages } | { type: "error", message } (the module
 * did not compile), and may post { type: "retrying", first } (the first run's failure) before it.
 *
 * Memory exhaustion cannot be observed directly: a failed memory.grow just returns -1 and the program then traps or
 * aborts. Programs are deterministic, so on a trap or abort the worker runs the program once more with `retryPages`
 * (twice the limit): if that run's memory grows past `maximumPages`, the first run failed because of the limit.
 */
export const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort } = require("node:worker_threads");
const PAGE = 65536;
const ABORTED = Symbol("aborted");

// An AssemblyScript string: UTF-16LE code units, with its byte length in the u32 just before the pointer.
function readString(memory, pointer) {
  const ptr = pointer >>> 0;
  const bytes = memory.buffer.byteLength;
  if (ptr < 4 || ptr > bytes) return undefined;
  const length = new DataView(memory.buffer).getUint32(ptr - 4, true);
  if (length % 2 !== 0 || length > 8192 || ptr + length > bytes) return undefined;
  return new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, ptr, length));
}

function execute(module, input, initialPages, maximum) {
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum });
  const pages = () => memory.buffer.byteLength / PAGE;
  let aborted;
  const env = {
    memory,
    abort(message, file, line, column) {
      aborted = {
        message: readString(memory, message),
        file: readString(memory, file),
        line: line >>> 0,
        column: column >>> 0,
      };
      throw ABORTED;
    },
  };
  try {
    const { exports } = new WebAssembly.Instance(module, { env });
    const ptr = exports.alloc(input.length) >>> 0;
    if (ptr + input.length > memory.buffer.byteLength) {
      return { type: "abi", reason: "alloc(" + input.length + ") returned " + ptr + ", outside the memory" };
    }
    new Uint8Array(memory.buffer, ptr, input.length).set(input);
    const out = exports.run(ptr, input.length) >>> 0;
    const buffer = memory.buffer; // after run: growth replaced the buffer
    if (out + 4 > buffer.byteLength) return { type: "abi", reason: "run returned " + out + ", outside the memory" };
    const length = new DataView(buffer).getUint32(out, true);
    if (out + 4 + length > buffer.byteLength) {
      return { type: "abi", reason: "run's output of " + length + " bytes at " + out + " runs past the memory" };
    }
    return { type: "ok", output: new Uint8Array(buffer.slice(out + 4, out + 4 + length)), pages: pages() };
  } catch (error) {
    if (error === ABORTED) return { type: "abort", ...aborted, pages: pages() };
    // RangeError: the call stack ran out (deep recursion), which is a trap like any other.
    if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
      return { type: "trap", message: error.message, pages: pages() };
    }
    return { type: "trap", message: String(error && error.message ? error.message : error), pages: pages() };
  }
}

function serve(run) {
  const { wasm, input, initialPages, maximumPages, retryPages } = run;
  let module;
  try {
    module = new WebAssembly.Module(wasm);
  } catch (error) {
    return { type: "error", message: String(error && error.message ? error.message : error) };
  }
  let result = execute(module, input, initialPages, maximumPages);
  if ((result.type === "trap" || result.type === "abort") && retryPages > maximumPages) {
    parentPort.postMessage({ type: "retrying", first: result });
    const again = execute(module, input, initialPages, retryPages);
    if (again.pages > maximumPages) result = { type: "memory", pages: again.pages };
  }
  return result;
}

parentPort.on("message", (run) => {
  const result = serve(run);
  parentPort.postMessage(result, result.type === "ok" ? [result.output.buffer] : []);
});
`;
