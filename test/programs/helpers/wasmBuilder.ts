/**
 * A tiny assembler for the WebAssembly binary format, enough to build the malformed, forbidden and misbehaving
 * modules the runtime tests need without a toolchain.
 */

export type ValType = "i32" | "i64";
export type FuncType = [params: ValType[], results: ValType[]];

export type Import =
  | { module: string; name: string; kind: "func"; type: number }
  | { module: string; name: string; kind: "memory"; min: number; max?: number; shared?: boolean }
  | { module: string; name: string; kind: "global" };

export interface ModuleSpec {
  types: FuncType[];
  imports?: Import[];
  /** Type index of each defined function; `code` holds their bodies (instructions without the final `end`). */
  functions?: number[];
  code?: number[][];
  /** Defined memories (minimum pages). */
  memories?: number[];
  exports?: { name: string; kind: "func" | "memory"; index: number }[];
  /** Active data segments in memory 0. */
  data?: { offset: number; bytes: number[] }[];
}

/** Opcodes used by the test modules. */
export const op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  drop: 0x1a,
  localGet: 0x20,
  i32Store: 0x36,
  memoryGrow: 0x40,
  i32Const: 0x41,
  i32Eq: 0x46,
  void: 0x40,
} as const;

export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** i32.const `value` */
export function i32(value: number): number[] {
  return [op.i32Const, ...sleb(value)];
}

export function buildModule(spec: ModuleSpec): Uint8Array {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, items: number[][]) => {
    const body = [...uleb(items.length), ...items.flat()];
    bytes.push(id, ...uleb(body.length), ...body);
  };
  const valType = (t: ValType) => (t === "i32" ? 0x7f : 0x7e);
  const name = (s: string) => {
    const utf8 = [...new TextEncoder().encode(s)];
    return [...uleb(utf8.length), ...utf8];
  };

  section(
    1,
    spec.types.map(([params, results]) => [
      0x60,
      ...uleb(params.length),
      ...params.map(valType),
      ...uleb(results.length),
      ...results.map(valType),
    ]),
  );
  if (spec.imports) {
    section(
      2,
      spec.imports.map((imp) => {
        const head = [...name(imp.module), ...name(imp.name)];
        if (imp.kind === "func") return [...head, 0x00, ...uleb(imp.type)];
        if (imp.kind === "global") return [...head, 0x03, 0x7f, 0x00];
        const flags = (imp.max === undefined ? 0 : 1) | (imp.shared ? 2 : 0);
        return [...head, 0x02, flags, ...uleb(imp.min), ...(imp.max === undefined ? [] : uleb(imp.max))];
      }),
    );
  }
  if (spec.functions)
    section(
      3,
      spec.functions.map((t) => uleb(t)),
    );
  if (spec.memories)
    section(
      5,
      spec.memories.map((min) => [0x00, ...uleb(min)]),
    );
  if (spec.exports) {
    section(
      7,
      spec.exports.map((e) => [...name(e.name), e.kind === "func" ? 0x00 : 0x02, ...uleb(e.index)]),
    );
  }
  if (spec.code) {
    section(
      10,
      spec.code.map((body) => {
        const full = [0x00, ...body, op.end]; // no locals
        return [...uleb(full.length), ...full];
      }),
    );
  }
  if (spec.data) {
    section(
      11,
      spec.data.map((d) => [0x00, ...i32(d.offset), op.end, ...uleb(d.bytes.length), ...d.bytes]),
    );
  }
  return new Uint8Array(bytes);
}

// ─── ABI v1 test programs ────────────────────────────────────────────────────────────────────────────────────────

const ALLOC = 0; // type (i32) -> i32
const RUN = 1; // type (i32, i32) -> i32
const ABORT = 2; // type (i32, i32, i32, i32) -> ()
const TYPES: FuncType[] = [
  [["i32"], ["i32"]],
  [["i32", "i32"], ["i32"]],
  [["i32", "i32", "i32", "i32"], []],
];

/** Where alloc puts the input: after a 4-byte slot at 1024 that run uses for the output's length prefix. */
export const INPUT_AT = 1028;

export interface ProgramSpec {
  /** run's body (params: local 0 = ptr, local 1 = len); must leave an i32 pointer on the stack. */
  run: number[];
  /** Replaces the standard imports (env.memory with 1 page, env.abort). */
  imports?: Import[];
  extraImports?: Import[];
  exports?: ModuleSpec["exports"];
  data?: ModuleSpec["data"];
  memories?: number[];
  runType?: number;
}

/** A module following ABI v1 except where `spec` says otherwise; `call 0` calls env.abort. */
export function program(spec: ProgramSpec): Uint8Array {
  const imports = spec.imports ?? [
    { module: "env", name: "abort", kind: "func", type: ABORT },
    { module: "env", name: "memory", kind: "memory", min: 1 },
  ];
  const allImports = [...imports, ...(spec.extraImports ?? [])];
  const importedFuncs = allImports.filter((i) => i.kind === "func").length;
  return buildModule({
    types: TYPES,
    imports: allImports,
    functions: [ALLOC, spec.runType ?? RUN],
    code: [i32(INPUT_AT), spec.run],
    memories: spec.memories,
    exports: spec.exports ?? [
      { name: "alloc", kind: "func", index: importedFuncs },
      { name: "run", kind: "func", index: importedFuncs + 1 },
    ],
    data: spec.data,
  });
}

/** run = echo: writes len at 1024 and returns 1024, so the output is the input. */
export const ECHO_RUN = [...i32(1024), op.localGet, 1, op.i32Store, 2, 0, ...i32(1024)];

/** run = loop forever. */
export const LOOP_RUN = [op.loop, op.void, op.br, 0, op.end, ...i32(0)];

/** run = grow memory a page at a time; trap (unreachable) when growth fails, as AssemblyScript's allocator does. */
export const GROW_RUN = [
  op.loop,
  op.void,
  ...i32(1),
  op.memoryGrow,
  0x00,
  ...i32(-1),
  op.i32Eq,
  op.if,
  op.void,
  op.unreachable,
  op.end,
  op.br,
  0,
  op.end,
  ...i32(0),
];

/** An AssemblyScript string in memory: [u32 LE byte length][UTF-16LE], placed so that `pointer` is its first char. */
export function asString(pointer: number, text: string): { offset: number; bytes: number[] } {
  const units = [...text].flatMap((c) => {
    const code = c.charCodeAt(0);
    return [code & 0xff, code >> 8];
  });
  const n = units.length;
  return { offset: pointer - 4, bytes: [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24, ...units] };
}
