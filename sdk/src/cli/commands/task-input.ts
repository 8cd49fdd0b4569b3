import { fileURLToPath } from "node:url";

import { keccak256, toUtf8Bytes } from "ethers";

import { InvalidArgumentError } from "../../errors/base.js";
import { HashMismatchError } from "../../errors/program.js";
import { bytes32Arg, fileArg, hexArg } from "../parse.js";

export interface InputOptions {
  input?: string;
  inputFile?: string;
  inputHex?: string;
  inputUri?: string;
  inputHash?: string;
  verifyInput: boolean;
}

export type TaskInput =
  | { kind: "inline"; bytes: Uint8Array; inputHash: string; source: string }
  | { kind: "uri"; uri: string; inputHash: string; verified: boolean };

/** The most bytes an inline input may have (`TaskManager.MAX_INPUT_BYTES`). */
const MAX_INPUT_BYTES = 16_384;

/**
 * The task's input from exactly one of `--input`, `--input-file`, `--input-hex` (inline: posted in the event) or
 * `--input-uri` with `--input-hash`. A given `--input-hash` must match inline bytes; a `file:` or `data:` URI is read
 * and checked against it too (unless `--no-verify-input`), so a typo in either is caught before the task is paid for.
 */
export function taskInputOf(opts: InputOptions): TaskInput {
  const given = (["input", "inputFile", "inputHex", "inputUri"] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new InvalidArgumentError(
      "input",
      given.length === 0
        ? "give one of --input <text>, --input-file <file>, --input-hex <hex>, --input-uri <uri> with --input-hash"
        : `give only one of ${given.map(flagOf).join(", ")}`,
    );
  }
  const expected = opts.inputHash === undefined ? undefined : bytes32Arg("input-hash", opts.inputHash);
  if (opts.inputUri !== undefined) {
    if (expected === undefined) throw new InvalidArgumentError("input-hash", "--input-uri needs --input-hash");
    const uri = opts.inputUri;
    if (!/^(data:|file:|https?:\/\/)/.test(uri)) {
      throw new InvalidArgumentError("input-uri", `expected a data:, file:, http: or https: URI, got "${uri}"`);
    }
    const local = opts.verifyInput ? localBytes(uri) : undefined;
    if (local !== undefined && keccak256(local) !== expected)
      throw new HashMismatchError(uri, expected, keccak256(local));
    return { kind: "uri", uri, inputHash: expected, verified: local !== undefined };
  }
  const [bytes, source] =
    opts.inputFile !== undefined
      ? [fileArg("input-file", opts.inputFile), opts.inputFile]
      : opts.inputHex !== undefined
        ? [hexArg("input-hex", opts.inputHex), "--input-hex"]
        : [toUtf8Bytes(opts.input ?? ""), "--input"];
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InvalidArgumentError(
      "input",
      `${bytes.length} bytes inline exceed ${MAX_INPUT_BYTES}: store the input elsewhere and give --input-uri`,
      { meta: { size: bytes.length, max: MAX_INPUT_BYTES } },
    );
  }
  const inputHash = keccak256(bytes);
  if (expected !== undefined && inputHash !== expected) throw new HashMismatchError(source, expected, inputHash);
  return { kind: "inline", bytes, inputHash, source };
}

/** The bytes behind a `file:` or `data:` URI, which can be checked here; undefined for http(s). */
function localBytes(uri: string): Uint8Array | undefined {
  if (uri.startsWith("file:")) {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      throw new InvalidArgumentError("input-uri", `malformed file: URI "${uri}"`);
    }
    return fileArg("input-uri", path);
  }
  if (uri.startsWith("data:")) {
    const comma = uri.indexOf(",");
    if (comma < 0) throw new InvalidArgumentError("input-uri", "malformed data: URI (no comma)");
    const header = uri.slice(5, comma);
    const payload = uri.slice(comma + 1);
    if (header.endsWith(";base64")) {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) {
        throw new InvalidArgumentError("input-uri", "malformed data: URI (not base64)");
      }
      return new Uint8Array(Buffer.from(payload, "base64"));
    }
    return toUtf8Bytes(decodeURIComponent(payload));
  }
  return undefined;
}

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
