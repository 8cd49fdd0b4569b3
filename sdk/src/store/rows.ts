import type { SQLOutputValue } from "node:sqlite";

/** A row as `node:sqlite` returns it. */
export type Row = Record<string, SQLOutputValue>;

/** A column that must be an integer (a block number, an id): SQLite hands back numbers for INTEGER columns. */
export function int(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new TypeError(`column ${column} is ${value === null ? "null" : typeof value}, expected an integer`);
}

export function optInt(row: Row, column: string): number | undefined {
  return row[column] === null || row[column] === undefined ? undefined : int(row, column);
}

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value === "string") return value;
  throw new TypeError(`column ${column} is ${value === null ? "null" : typeof value}, expected text`);
}

export function optText(row: Row, column: string): string | undefined {
  const value = row[column];
  return typeof value === "string" ? value : undefined;
}

export function optBytes(row: Row, column: string): Uint8Array | undefined {
  const value = row[column];
  return value instanceof Uint8Array ? value : undefined;
}

/** `undefined` as SQL NULL, for optional parameters. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}
