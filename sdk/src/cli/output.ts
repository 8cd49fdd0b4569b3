import { hexlify } from "ethers";

/** Somewhere to write: `process.stdout`, or a buffer in tests. */
export interface Sink {
  write(chunk: string): unknown;
  /** Set on terminals; decides between pretty and JSON-lines logs, and whether a prompt is possible. */
  isTTY?: boolean;
}

/**
 * A value as JSON can carry it: bigints as decimal strings (JSON numbers lose precision past 2^53), bytes as hex,
 * ethers `Result`s as plain arrays or objects, `undefined` members dropped.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return hexlify(value);
  if (isResult(value)) {
    // A struct's members by name. An array is not one: `toObject` throws for it, or (one element, which ethers
    // names "_") returns `{ _: element }`; an empty Result is an empty array too, as structs have members.
    try {
      const obj = value.length === 0 ? undefined : value.toObject();
      if (obj !== undefined && !("_" in obj)) return toJsonValue(obj);
    } catch {
      // Unnamed or repeated names: an array.
    }
    return Array.from(value.toArray(), toJsonValue);
  }
  if (Array.isArray(value)) return Array.from(value, toJsonValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== "function") out[k] = toJsonValue(v);
    return out;
  }
  return value;
}

function isResult(value: unknown): value is unknown[] & { toObject(): object; toArray(): unknown[] } {
  return (
    Array.isArray(value) &&
    typeof (value as { toObject?: unknown }).toObject === "function" &&
    typeof (value as { toArray?: unknown }).toArray === "function"
  );
}

/** The one JSON document a `--json` run prints. */
export function writeJson(sink: Sink, document: Record<string, unknown>): void {
  sink.write(`${JSON.stringify(toJsonValue(document), null, 2)}\n`);
}

/** Aligned `label  value` lines for human output; rows whose value is undefined are left out. */
export function table(rows: [string, unknown][]): string {
  const shown = rows.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${humanValue(v)}`).join("\n");
}

function humanValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Uint8Array) return hexlify(value);
  return JSON.stringify(toJsonValue(value));
}
