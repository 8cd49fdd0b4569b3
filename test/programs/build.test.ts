import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { inspectProgram } from "../../sdk/src/runtime/index.js";
import { parseModule } from "../../sdk/src/runtime/wasmModule.js";
import { particlesWasm } from "./helpers/particlesWasm.js";

const BUILD_SCRIPT = new URL("../../programs/build.js", import.meta.url);

describe("programs: reproducible build", () => {
  let outDir: string;
  let stdout: string;

  before(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "cohort-programs-"));
    ({ stdout } = await promisify(execFile)(process.execPath, [BUILD_SCRIPT.pathname, "--out-dir", outDir]));
  });

  after(() => rm(outDir, { recursive: true, force: true }));

  it("rebuilds particles.wasm byte for byte as committed", async () => {
    const rebuilt = new Uint8Array(await readFile(path.join(outDir, "particles.wasm")));
    expect(rebuilt.length).to.be.greaterThan(1000);
    expect(Buffer.compare(rebuilt, particlesWasm())).to.equal(0, "rebuild differs: run `npm run build:programs`");
  });

  it("prints the program id, keccak256 of the bytes", () => {
    const line = stdout.split("\n").find((l) => l.startsWith("particles "));
    const [, id, size] = line?.match(/^particles (0x[0-9a-f]{64}) (\d+) bytes /) ?? [];
    expect(id).to.equal(keccak256(particlesWasm()));
    expect(Number(size)).to.equal(particlesWasm().length);
  });

  it("emits no custom sections (no names, no debug info, no source map URL) and follows ABI v1", () => {
    const ids: number[] = [];
    const bytes = particlesWasm();
    // Section headers: id byte, LEB128 size; parseModule has already checked the framing.
    for (let at = 8; at < bytes.length;) {
      ids.push(bytes[at]!);
      let size = 0;
      let shift = 0;
      let b: number;
      at++;
      do {
        b = bytes[at++]!;
        size += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      at += size;
    }
    expect(ids).to.not.include(0);
    expect(parseModule(bytes).imports.map((i) => `${i.module}.${i.name}`)).to.have.members(["env.memory", "env.abort"]);
    expect(inspectProgram(bytes).memory.maximum).to.equal(undefined);
  });
});
