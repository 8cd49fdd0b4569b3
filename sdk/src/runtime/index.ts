/** Fetching, checking and running programs (docs/Programs.md). */
export { ABI_VERSION, MAX_PAGES, PAGE_BYTES, REQUIRED_EXPORTS } from "./abi.js";
export {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  fetchBytes,
  type FetchBytesErrorType,
  type FetchBytesOptions,
} from "./fetchBytes.js";
export { inspectProgram, type ProgramShape } from "./inspectProgram.js";
export { loadProgram, type LoadProgramOptions } from "./loadProgram.js";
export {
  DEFAULT_MEMORY_PAGES,
  DEFAULT_TIMEOUT_MS,
  runProgram,
  type RunProgramErrorType,
  type RunProgramOptions,
  type RunProgramResult,
} from "./runProgram.js";
