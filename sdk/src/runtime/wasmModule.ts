import { MalformedProgramError } from "../errors/program.js";

/**
 * Just enough of the WebAssembly binary format (core spec, chapter 5) to check a module against ABI v1: function
 * types, imports (with a memory's limits, which the JS API does not expose), the memory and function sections, and
 * exports. The caller has already run WebAssembly.validate, so a parse failure here means a construct ABI v1 does not
 * know (a GC type, say) rather than a corrupt file.
 */

export interface FuncType {
  params: string[];
  results: string[];
}

export type ImportDesc =
  | { kind: "function"; type: number }
  | { kind: "memory"; flags: number; minimum: number; maximum: number | undefined }
  | { kind: "table" | "global" | "tag" };

export interface WasmImport {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface WasmExport {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
  index: number;
}

export interface WasmModuleInfo {
  types: FuncType[];
  imports: WasmImport[];
  /** Type index of every function the module defines (after the imported ones in the function index space). */
  functions: number[];
  /** Memories the module defines itself. */
  definedMemories: number;
  exports: WasmExport[];
}

const VALUE_TYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };
const REF_TYPES: Record<number, string> = { 0x70: "funcref", 0x6f: "externref" };
const EXPORT_KINDS = ["function", "table", "memory", "global", "tag"] as const;

export function parseModule(bytes: Uint8Array): WasmModuleInfo {
  const r = new Reader(bytes);
  if (r.u32le() !== 0x6d736100 || r.u32le() !== 1) throw new MalformedProgramError("not a WebAssembly 1.0 binary");
  const info: WasmModuleInfo = { types: [], imports: [], functions: [], definedMemories: 0, exports: [] };
  while (!r.done()) {
    const id = r.byte();
    const size = r.uleb();
    const section = new Reader(r.take(size));
    if (id === 1) info.types = section.vec(() => readFuncType(section));
    else if (id === 2) info.imports = section.vec(() => readImport(section));
    else if (id === 3) info.functions = section.vec(() => section.uleb());
    else if (id === 5) info.definedMemories = section.uleb();
    else if (id === 7) info.exports = section.vec(() => readExport(section));
  }
  return info;
}

/** The type of function `index` in the function index space (imports first), if it has a plain function type. */
export function functionType(info: WasmModuleInfo, index: number): FuncType | undefined {
  const imported = info.imports.flatMap((i) => (i.desc.kind === "function" ? [i.desc.type] : []));
  const typeIndex = index < imported.length ? imported[index] : info.functions[index - imported.length];
  return typeIndex === undefined ? undefined : info.types[typeIndex];
}

function readFuncType(r: Reader): FuncType {
  const form = r.byte();
  if (form !== 0x60) throw new MalformedProgramError(`type form 0x${form.toString(16)} is not a plain function type`);
  return { params: r.vec(() => valueType(r)), results: r.vec(() => valueType(r)) };
}

function valueType(r: Reader): string {
  const code = r.byte();
  const name = VALUE_TYPES[code] ?? REF_TYPES[code];
  if (name === undefined) throw new MalformedProgramError(`value type 0x${code.toString(16)} is not supported`);
  return name;
}

function readImport(r: Reader): WasmImport {
  const module = r.name();
  const name = r.name();
  const kind = r.byte();
  switch (kind) {
    case 0x00:
      return { module, name, desc: { kind: "function", type: r.uleb() } };
    case 0x01:
      r.byte(); // element type
      readLimits(r);
      return { module, name, desc: { kind: "table" } };
    case 0x02:
      return { module, name, desc: { kind: "memory", ...readLimits(r) } };
    case 0x03:
      r.byte(); // value type
      r.byte(); // mutability
      return { module, name, desc: { kind: "global" } };
    case 0x04:
      r.byte(); // attribute
      r.uleb(); // type
      return { module, name, desc: { kind: "tag" } };
    default:
      throw new MalformedProgramError(`import ${module}.${name} has unknown kind 0x${kind.toString(16)}`);
  }
}

function readLimits(r: Reader): { flags: number; minimum: number; maximum: number | undefined } {
  const flags = r.byte();
  // Bit 0: a maximum follows; bit 1: shared; bit 2: 64-bit. The 64-bit forms use wider LEBs: refuse, do not guess.
  if (flags & ~0x03) throw new MalformedProgramError(`limits flags 0x${flags.toString(16)} (64-bit) are not supported`);
  const minimum = r.uleb();
  const maximum = flags & 1 ? r.uleb() : undefined;
  return { flags, minimum, maximum };
}

function readExport(r: Reader): WasmExport {
  const name = r.name();
  const kind = EXPORT_KINDS[r.byte()];
  if (kind === undefined) throw new MalformedProgramError(`export ${name} has an unknown kind`);
  return { name, kind, index: r.uleb() };
}

class Reader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new MalformedProgramError("unexpected end of module");
    return b;
  }

  u32le(): number {
    return (this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24)) >>> 0;
  }

  /** An unsigned LEB128 of at most 32 bits (every count, index and 32-bit limit in the format). */
  uleb(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new MalformedProgramError("LEB128 longer than 5 bytes");
  }

  take(count: number): Uint8Array {
    if (this.at + count > this.bytes.length) throw new MalformedProgramError("section runs past the end of the module");
    const slice = this.bytes.subarray(this.at, this.at + count);
    this.at += count;
    return slice;
  }

  name(): string {
    return new TextDecoder("utf-8", { fatal: true }).decode(this.take(this.uleb()));
  }

  vec<T>(item: () => T): T[] {
    const count = this.uleb();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(item());
    return items;
  }
}
