import { keccak256, toUtf8Bytes } from "ethers";

import { InvalidArgumentError } from "../../errors/base.js";
import { HashMismatchError } from "../../errors/program.js";
import { fetchBytes } from "../../runtime/fetchBytes.js";
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
 * `--input-uri` with `--input-hash`. A given `--input-hash` must match inline bytes; the bytes behind a URI are
 * fetched (with the runtime's `fetchBytes`, as workers will) and checked against it too unless `--no-verify-input`,
 * so a typo in either, or an input nobody can fetch, is caught before the task is paid for.
 */
export async function taskInputOf(opts: InputOptions): Promise<TaskInput> {
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
    if (opts.verifyInput) await fetchBytes(uri, { expectedHash: expected });
    return { kind: "uri", uri, inputHash: expected, verified: opts.verifyInput };
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

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
