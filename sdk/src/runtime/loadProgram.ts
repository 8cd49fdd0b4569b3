import { fetchBytes, type FetchBytesOptions } from "./fetchBytes.js";
import { inspectProgram } from "./inspectProgram.js";

export type LoadProgramOptions = Omit<FetchBytesOptions, "expectedHash">;

/**
 * Fetches a program and returns its WASM bytes once they are known to be the program `programId` names (its
 * keccak256) and to follow ABI v1.
 * @throws fetchBytes's errors (HashMismatchError when the bytes are not the program), and inspectProgram's
 * (MalformedProgramError, ForbiddenImportError, MissingImportError, MissingExportError, ExportSignatureError)
 */
export async function loadProgram(
  location: string,
  programId: string,
  options: LoadProgramOptions = {},
): Promise<Uint8Array> {
  const wasm = await fetchBytes(location, { ...options, expectedHash: programId });
  inspectProgram(wasm);
  return wasm;
}
