/** Program ABI v1 (docs/Programs.md, "Program ABI v1"): what a program may import and must export. */

export const ABI_VERSION = 1;

/** The one module name a program may import from. */
export const IMPORT_MODULE = "env";
/** A memory, provided by the host with the run's page limit as its maximum. Required. */
export const MEMORY_IMPORT = "memory";
/** AssemblyScript's abort(message, file, line, column): the program's way to refuse its input. Optional. */
export const ABORT_IMPORT = "abort";

/** The exports every program has, with their WebAssembly signatures. */
export const REQUIRED_EXPORTS = {
  /** alloc(len) -> pointer to `len` writable bytes where the host writes the input. */
  alloc: { params: ["i32"], results: ["i32"] },
  /** run(ptr, len) -> pointer to [u32 little-endian length][output bytes]. */
  run: { params: ["i32", "i32"], results: ["i32"] },
} as const;

/** WebAssembly pages are 64 KiB; a 32-bit memory has at most 65536 of them. */
export const PAGE_BYTES = 65536;
export const MAX_PAGES = 65536;
