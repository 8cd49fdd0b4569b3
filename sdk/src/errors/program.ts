import { CohortError, InvalidArgumentError } from "./base.js";

// ─── Fetching ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The location is neither a path nor a file:, data:, http: or https: URI. */
export class UnsupportedLocationError extends InvalidArgumentError {
  override name = "UnsupportedLocationError";

  constructor(readonly location: string) {
    super("location", `unsupported scheme in ${location.slice(0, 80)}`, { meta: { location: location.slice(0, 200) } });
  }
}

/** A data: URI that does not parse (no comma, or a base64 payload with characters outside the alphabet). */
export class MalformedDataUriError extends InvalidArgumentError {
  override name = "MalformedDataUriError";

  constructor(readonly reason: string) {
    super("location", `malformed data: URI (${reason})`, { meta: { reason } });
  }
}

/** The bytes could not be read: a missing file, a refused connection, an HTTP status other than 2xx. */
export class FetchFailedError extends CohortError {
  override name = "FetchFailedError";

  constructor(
    readonly location: string,
    readonly status: number | undefined,
    cause?: unknown,
  ) {
    super(`Could not fetch ${location}${status === undefined ? "" : ` (HTTP ${status})`}`, {
      cause,
      details: cause instanceof Error ? cause.message : undefined,
      meta: { location, status },
    });
  }
}

/** The fetch did not complete within `timeoutMs`. */
export class FetchTimeoutError extends CohortError {
  override name = "FetchTimeoutError";

  constructor(
    readonly location: string,
    readonly timeoutMs: number,
  ) {
    super(`Fetching ${location} took longer than ${timeoutMs} ms`, { meta: { location, timeoutMs } });
  }
}

/** The content is larger than `maxBytes` (`size` is known when the source declared it or when it was read whole). */
export class FetchTooLargeError extends CohortError {
  override name = "FetchTooLargeError";

  constructor(
    readonly location: string,
    readonly maxBytes: number,
    readonly size: number | undefined,
  ) {
    super(`${location} is larger than ${maxBytes} bytes${size === undefined ? "" : ` (${size})`}`, {
      meta: { location, maxBytes, size },
    });
  }
}

/** keccak256 of the fetched bytes is not the hash the caller expected (a program id or an input hash). */
export class HashMismatchError extends CohortError {
  override name = "HashMismatchError";

  constructor(
    readonly location: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`keccak256 of ${location} is ${actual}, expected ${expected}`, { meta: { location, expected, actual } });
  }
}

// ─── Program ABI v1 (checked before anything runs) ───────────────────────────────────────────────────────────────

/** Not a valid WebAssembly module, or one ABI v1 cannot host (a memory64 or shared memory, say). */
export class MalformedProgramError extends CohortError {
  override name = "MalformedProgramError";

  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`Malformed program: ${reason}`, { cause, meta: { reason } });
  }
}

/** The module imports something beyond `env.memory` and `env.abort`, or one of those with the wrong kind. */
export class ForbiddenImportError extends CohortError {
  override name = "ForbiddenImportError";

  constructor(
    readonly module: string,
    readonly importName: string,
    readonly kind: string,
  ) {
    super(`Program imports ${kind} ${module}.${importName}; ABI v1 allows only env.memory and env.abort`, {
      meta: { module, name: importName, kind },
    });
  }
}

/** The module does not import `env.memory` (a module-defined memory would escape the host's limit). */
export class MissingImportError extends CohortError {
  override name = "MissingImportError";

  constructor(
    readonly module: string,
    readonly importName: string,
  ) {
    super(`Program does not import ${module}.${importName}`, { meta: { module, name: importName } });
  }
}

/** `alloc` or `run` is not exported as a function. */
export class MissingExportError extends CohortError {
  override name = "MissingExportError";

  constructor(readonly exportName: string) {
    super(`Program does not export the function ${exportName}`, { meta: { name: exportName } });
  }
}

/** `alloc` or `run` is exported with a signature other than ABI v1's. */
export class ExportSignatureError extends CohortError {
  override name = "ExportSignatureError";

  constructor(
    readonly exportName: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Program export ${exportName} has type ${actual}, expected ${expected}`, {
      meta: { name: exportName, expected, actual },
    });
  }
}

// ─── Running ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The run did not finish within `timeoutMs`; its worker was terminated. */
export class ProgramTimeoutError extends CohortError {
  override name = "ProgramTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`Program did not finish within ${timeoutMs} ms`, { meta: { timeoutMs } });
  }
}

/** The program needed more memory than `memoryPages` (64 KiB each), or its worker ran out of heap. */
export class ProgramMemoryError extends CohortError {
  override name = "ProgramMemoryError";

  constructor(
    readonly memoryPages: number,
    details: string,
  ) {
    super(`Program ran out of memory (limit ${memoryPages} pages)`, { details, meta: { memoryPages } });
  }
}

/** The program called `abort`: ABI v1's way to refuse invalid input. `message` is the decoded string, if readable. */
export class ProgramAbortError extends CohortError {
  override name = "ProgramAbortError";

  constructor(
    readonly abortMessage: string | undefined,
    readonly file: string | undefined,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Program aborted${abortMessage === undefined ? "" : `: ${abortMessage}`}`, {
      details: file === undefined ? undefined : `at ${file}:${line}:${column}`,
      meta: { message: abortMessage, file, line, column },
    });
  }
}

/** The program trapped (unreachable, out-of-bounds access, division by zero, stack exhaustion). */
export class ProgramTrapError extends CohortError {
  override name = "ProgramTrapError";

  constructor(readonly trap: string) {
    super(`Program trapped: ${trap}`, { meta: { trap } });
  }
}

/** The program broke ABI v1 while running: `alloc` or `run` returned a pointer outside its memory. */
export class ProgramAbiViolationError extends CohortError {
  override name = "ProgramAbiViolationError";

  constructor(readonly reason: string) {
    super(`Program broke ABI v1: ${reason}`, { meta: { reason } });
  }
}

/** The worker thread that hosts a run failed for a reason of its own (not the program's): its error is the cause. */
export class ProgramWorkerError extends CohortError {
  override name = "ProgramWorkerError";

  constructor(cause: Error) {
    super("The program's worker thread failed", { cause, details: cause.message });
  }
}
