import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { keccak256 } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";
import {
  FetchFailedError,
  FetchTimeoutError,
  FetchTooLargeError,
  HashMismatchError,
  UnsupportedLocationError,
} from "../errors/program.js";
import { decodeDataUri } from "./dataUri.js";

export interface FetchBytesOptions {
  /** keccak256 the bytes must have (a program id, an input hash); checked before the bytes are returned. */
  expectedHash?: string;
  /** Refuse anything larger (default 16 MiB). */
  maxBytes?: number;
  /** Give up after this long (default 30 s; file reads and HTTP requests, body included). */
  timeoutMs?: number;
}

export type FetchBytesErrorType =
  | InvalidArgumentError
  | UnsupportedLocationError
  | FetchFailedError
  | FetchTimeoutError
  | FetchTooLargeError
  | HashMismatchError;

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

const HASH = /^0x[0-9a-fA-F]{64}$/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * The bytes at `location`: a file path, a file: URL, a data: URI (base64 or percent-encoded) or an http(s) URL.
 * @throws UnsupportedLocationError, MalformedDataUriError, FetchFailedError, FetchTimeoutError, FetchTooLargeError,
 * HashMismatchError (`expected`, `actual`), InvalidArgumentError for a malformed option
 */
export async function fetchBytes(location: string, options: FetchBytesOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const { expectedHash } = options;
  if (expectedHash !== undefined && !HASH.test(expectedHash)) {
    throw new InvalidArgumentError("expectedHash", `${expectedHash} is not a 32-byte 0x-prefixed hex string`);
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new InvalidArgumentError("maxBytes", `${maxBytes}`);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new InvalidArgumentError("timeoutMs", `${timeoutMs}`);

  const label = location.length > 80 ? `${location.slice(0, 77)}...` : location;
  const bytes = await read(location, label, maxBytes, timeoutMs);
  if (bytes.length > maxBytes) throw new FetchTooLargeError(label, maxBytes, bytes.length);
  if (expectedHash !== undefined) {
    const actual = keccak256(bytes);
    if (actual !== expectedHash.toLowerCase()) throw new HashMismatchError(label, expectedHash.toLowerCase(), actual);
  }
  return bytes;
}

function read(location: string, label: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> | Uint8Array {
  const scheme = SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return readPath(location, label, maxBytes, timeoutMs);
  if (scheme === "file") return readPath(filePath(location), label, maxBytes, timeoutMs);
  if (scheme === "data") return decodeDataUri(location);
  if (scheme === "http" || scheme === "https") return readHttp(location, label, maxBytes, timeoutMs);
  throw new UnsupportedLocationError(location);
}

function filePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch (error) {
    throw new InvalidArgumentError("location", `${url} is not a local file URL`, { cause: error });
  }
}

async function readPath(path: string, label: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  try {
    // Checked before reading, so a huge file is refused without being loaded.
    const { size } = await stat(path);
    if (size > maxBytes) throw new FetchTooLargeError(label, maxBytes, size);
    return new Uint8Array(await readFile(path, { signal: AbortSignal.timeout(timeoutMs) }));
  } catch (error) {
    throw classify(error, label, timeoutMs);
  }
}

async function readHttp(url: string, label: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchFailedError(label, response.status);
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new FetchTooLargeError(label, maxBytes, declared);
    }
    // The declared length may be absent or wrong: count what actually arrives and stop once it passes the cap.
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      for await (const chunk of response.body) {
        total += chunk.length;
        if (total > maxBytes) throw new FetchTooLargeError(label, maxBytes, undefined);
        chunks.push(chunk);
      }
    }
    return new Uint8Array(Buffer.concat(chunks));
  } catch (error) {
    throw classify(error, label, timeoutMs);
  }
}

function classify(error: unknown, label: string, timeoutMs: number): Error {
  if (error instanceof FetchTooLargeError || error instanceof FetchFailedError) return error;
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new FetchTimeoutError(label, timeoutMs);
  }
  return new FetchFailedError(label, undefined, error);
}
