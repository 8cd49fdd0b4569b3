import { getBytes, hexlify, isHexString, keccak256, toUtf8Bytes, toUtf8String } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";
import { bytes32Arg } from "../internal/validate.js";
import { InputKind } from "../types.js";

/**
 * A task's input as a requester gives it: the bytes themselves (`inline`, posted in the `TaskCreated` event, the hash
 * computed here), or a URI to them with their hash (`uri`, for inputs too large to post; workers check the hash after
 * fetching). An inline string that is 0x-hex is read as bytes, any other string as UTF-8 text.
 */
export type TaskInput = { inline: Uint8Array | string } | { uri: string; inputHash: string };

/** The `inputKind`, `input` and `inputHash` fields of a `TaskRequest`. */
export interface EncodedTaskInput {
  inputKind: number;
  /** 0x-hex: the inline bytes, or the URI's UTF-8 bytes. */
  input: string;
  inputHash: string;
}

/** A task's input as its `TaskCreated` event carries it, decoded. */
export type DecodedTaskInput = { kind: "inline"; bytes: Uint8Array } | { kind: "uri"; uri: string };

/** The URI schemes the SDK's fetcher serves (runtime/fetch). */
const URI_SCHEMES = /^(data:|file:|https?:\/\/)/;

/** The request fields for an input: the inline bytes and their keccak256, or the URI and the hash given with it. */
export function encodeTaskInput(input: TaskInput): EncodedTaskInput {
  if ("inline" in input) {
    const bytes = inlineBytes(input.inline);
    return { inputKind: InputKind.Inline, input: hexlify(bytes), inputHash: keccak256(bytes) };
  }
  if (typeof input.uri !== "string" || !URI_SCHEMES.test(input.uri)) {
    throw new InvalidArgumentError("input.uri", `unsupported scheme in ${String(input.uri).slice(0, 80)}`, {
      meta: { uri: String(input.uri).slice(0, 200) },
    });
  }
  return {
    inputKind: InputKind.Uri,
    input: hexlify(toUtf8Bytes(input.uri)),
    inputHash: bytes32Arg("input.inputHash", input.inputHash),
  };
}

/** The inverse of `encodeTaskInput` on an event's `inputKind` and `input`. */
export function decodeTaskInput(inputKind: number | bigint, input: string | Uint8Array): DecodedTaskInput {
  const bytes = getBytes(input);
  if (Number(inputKind) === InputKind.Uri) return { kind: "uri", uri: toUtf8String(bytes) };
  if (Number(inputKind) === InputKind.Inline) return { kind: "inline", bytes };
  throw new InvalidArgumentError("inputKind", `expected 0 (inline) or 1 (URI), got ${inputKind}`, {
    meta: { inputKind: String(inputKind) },
  });
}

function inlineBytes(inline: Uint8Array | string): Uint8Array {
  if (inline instanceof Uint8Array) return inline;
  if (typeof inline !== "string") {
    throw new InvalidArgumentError("input.inline", "expected bytes or a string", { meta: { type: typeof inline } });
  }
  if (isHexString(inline, true)) return getBytes(inline);
  // Odd-length hex is a typo far more often than text that happens to look like hex.
  if (isHexString(inline)) {
    throw new InvalidArgumentError("input.inline", `odd-length hex ${inline.slice(0, 80)}`, {
      meta: { length: inline.length },
    });
  }
  return toUtf8Bytes(inline);
}
