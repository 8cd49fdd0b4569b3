import { keccak256 } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";
import {
  ProgramAbiViolationError,
  ProgramAbortError,
  ProgramMemoryError,
  ProgramTimeoutError,
  ProgramTrapError,
  ProgramWorkerError,
} from "../errors/program.js";
import { MAX_PAGES } from "./abi.js";
import { inspectProgram } from "./inspectProgram.js";
import { discardWorker, releaseWorker, takeWorker } from "./workerPool.js";

export interface RunProgramOptions {
  /** Wall-clock limit for the whole run, worker start-up included (default 10 s). */
  timeoutMs?: number;
  /** Maximum size of the program's memory in 64 KiB pages (default 256 = 16 MiB). */
  memoryPages?: number;
}

export interface RunProgramResult {
  output: Uint8Array;
  /** keccak256 of `output`: what a committee member commits to and reveals. */
  resultHash: `0x${string}`;
}

export type RunProgramErrorType =
  | ProgramTimeoutError
  | ProgramMemoryError
  | ProgramAbortError
  | ProgramTrapError
  | ProgramAbiViolationError
  | ProgramWorkerError;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MEMORY_PAGES = 256;

type WorkerResult =
  | { type: "ok"; output: Uint8Array }
  | { type: "abort"; message?: string; file?: string; line: number; column: number }
  | { type: "trap"; message: string }
  | { type: "abi"; reason: string }
  | { type: "memory"; pages: number }
  | { type: "error"; message: string };
type WorkerFailure = Exclude<WorkerResult, { type: "ok" }>;
type WorkerMessage = WorkerResult | { type: "retrying"; first: WorkerFailure };

/**
 * Runs a program (ABI v1) on `input` in a worker thread (from workerPool.ts) with a fresh memory of at most
 * `memoryPages` pages, and returns its output. The program is checked first (inspectProgram's errors); the worker is
 * terminated on timeout.
 * @throws ProgramTimeoutError, ProgramMemoryError, ProgramAbortError (the program refused its input),
 * ProgramTrapError, ProgramAbiViolationError, ProgramWorkerError
 */
export async function runProgram(
  wasm: Uint8Array,
  input: Uint8Array,
  options: RunProgramOptions = {},
): Promise<RunProgramResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryPages = options.memoryPages ?? DEFAULT_MEMORY_PAGES;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError("timeoutMs", `${timeoutMs} is not a positive integer`);
  }
  if (!Number.isInteger(memoryPages) || memoryPages < 1 || memoryPages > MAX_PAGES) {
    throw new InvalidArgumentError("memoryPages", `${memoryPages} is not in [1, ${MAX_PAGES}]`);
  }
  const { memory } = inspectProgram(wasm);
  if (memory.minimum > memoryPages) {
    throw new ProgramMemoryError(memoryPages, `the program's memory starts at ${memory.minimum} pages`);
  }
  // A maximum the module declares binds too (the host's memory may not exceed it), and then leaves no room to retry.
  const ceiling = Math.min(memory.maximum ?? MAX_PAGES, MAX_PAGES);
  const maximumPages = Math.min(memoryPages, ceiling);
  const retryPages = Math.min(2 * maximumPages, ceiling);

  const output = await inWorker(wasm, input, { initialPages: memory.minimum, maximumPages, retryPages }, timeoutMs);
  return { output, resultHash: keccak256(output) as `0x${string}` };
}

function inWorker(
  wasm: Uint8Array,
  input: Uint8Array,
  pages: { initialPages: number; maximumPages: number; retryPages: number },
  timeoutMs: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = takeWorker();
    let settled = false;
    /** Ends the run: the worker goes back to the pool only when it answered (`clean`), else it is terminated. */
    const settle = (clean: boolean, outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (clean) releaseWorker(worker);
      else discardWorker(worker);
      outcome();
    };
    const arm = (onTimeout: () => void) => setTimeout(() => settle(false, onTimeout), timeoutMs);
    let timer = arm(() => reject(new ProgramTimeoutError(timeoutMs)));

    const onMessage = (message: WorkerMessage) => {
      if (message.type === "retrying") {
        // The first run failed; the memory probe gets its own time budget, and if it runs out the first failure stands.
        const firstFailure = toError(message.first, pages.maximumPages);
        clearTimeout(timer);
        timer = arm(() => reject(firstFailure));
        return;
      }
      if (message.type === "ok") settle(true, () => resolve(message.output));
      else settle(true, () => reject(toError(message, pages.maximumPages)));
    };
    const onError = (error: Error & { code?: string }) => {
      settle(false, () =>
        reject(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new ProgramMemoryError(pages.maximumPages, "the worker's JavaScript heap ran out")
            : new ProgramWorkerError(error),
        ),
      );
    };
    const onExit = (code: number) =>
      settle(false, () => reject(new ProgramWorkerError(new Error(`worker exited with ${code}`))));
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ wasm, input, ...pages });
  });
}

function toError(message: WorkerFailure, maximumPages: number): RunProgramErrorType {
  switch (message.type) {
    case "abort":
      return new ProgramAbortError(message.message, message.file, message.line, message.column);
    case "trap":
      return new ProgramTrapError(message.message);
    case "abi":
      return new ProgramAbiViolationError(message.reason);
    case "memory":
      return new ProgramMemoryError(maximumPages, `a rerun with more memory grew to ${message.pages} pages`);
    case "error":
      return new ProgramWorkerError(new Error(message.message));
  }
}
