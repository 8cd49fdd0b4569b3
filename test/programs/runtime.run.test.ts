import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { InvalidArgumentError } from "../../sdk/src/errors/base.js";
import {
  ExportSignatureError,
  ForbiddenImportError,
  MalformedProgramError,
  MissingExportError,
  MissingImportError,
  ProgramAbiViolationError,
  ProgramAbortError,
  ProgramMemoryError,
  ProgramTimeoutError,
  ProgramTrapError,
} from "../../sdk/src/errors/program.js";
import { encodeInput, encodeState, randomState, run } from "../../sdk/src/domain/particles/index.js";
import { inspectProgram, runProgram } from "../../sdk/src/runtime/index.js";
import { idleWorkers } from "../../sdk/src/runtime/workerPool.js";
import { particlesWasm } from "./helpers/particlesWasm.js";
import { asString, ECHO_RUN, GROW_RUN, i32, LOOP_RUN, op, program } from "./helpers/wasmBuilder.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

const input = encodeInput(randomState(2026, { particles: 40 }), 25);

describe("program runtime: runProgram", () => {
  const wasm = particlesWasm();

  describe("determinism", () => {
    it("runs the particle world to the reference output, the same bytes every time", async () => {
      const expected = encodeState(run(randomState(2026, { particles: 40 }), 25));
      const runs = await Promise.all([1, 2, 3].map(() => runProgram(wasm, input)));
      for (const { output, resultHash } of runs) {
        expect(output).to.eql(expected);
        expect(resultHash).to.equal(keccak256(expected));
      }
    });

    it("gives the same bytes in a separate node process", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "cohort-run-"));
      try {
        await writeFile(path.join(dir, "input.bin"), input);
        const script = new URL("./helpers/runOnce.ts", import.meta.url).pathname;
        const wasmPath = new URL("../../programs/particles/build/particles.wasm", import.meta.url).pathname;
        const { stdout } = await promisify(execFile)(process.execPath, [
          "--import",
          "tsx",
          script,
          wasmPath,
          path.join(dir, "input.bin"),
        ]);
        const other = JSON.parse(stdout) as { output: string; resultHash: string };
        const here = await runProgram(wasm, input);
        expect(other.output).to.equal(Buffer.from(here.output).toString("hex"));
        expect(other.resultHash).to.equal(here.resultHash);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("runs a hand-built ABI v1 module (echo)", async () => {
      const { output } = await runProgram(program({ run: ECHO_RUN }), new Uint8Array([1, 2, 3]));
      expect([...output]).to.eql([1, 2, 3]);
    });
  });

  describe("failures while running", () => {
    it("reports the particle program's refusal as ProgramAbortError with its decoded message", async () => {
      const bad = input.slice();
      bad[23] = 0; // radius 0
      const error = await rejection(runProgram(wasm, bad));
      expect(error).to.be.instanceOf(ProgramAbortError);
      expect((error as ProgramAbortError).abortMessage).to.match(/^RadiusOutOfRangeError: radius 0/);
    });

    it("reports an abort whose message pointer is unreadable, without a message", async () => {
      const abortRun = [...i32(0x7ffffff0), ...i32(0), ...i32(7), ...i32(9), op.call, 0, ...i32(0)];
      const error = await rejection(runProgram(program({ run: abortRun }), new Uint8Array()));
      expect(error).to.be.instanceOf(ProgramAbortError);
      expect((error as ProgramAbortError).meta).to.include({ message: undefined, line: 7, column: 9 });
    });

    it("decodes an abort message and file a hand-built module wrote", async () => {
      const abortRun = [...i32(2004), ...i32(2104), ...i32(3), ...i32(4), op.call, 0, ...i32(0)];
      const data = [asString(2004, "out of luck"), asString(2104, "luck.ts")];
      const error = await rejection(runProgram(program({ run: abortRun, data }), new Uint8Array()));
      expect((error as ProgramAbortError).meta).to.include({ message: "out of luck", file: "luck.ts", line: 3 });
    });

    it("stops an infinite loop with ProgramTimeoutError within the limit", async () => {
      const started = Date.now();
      const error = await rejection(runProgram(program({ run: LOOP_RUN }), new Uint8Array(), { timeoutMs: 300 }));
      expect(error).to.be.instanceOf(ProgramTimeoutError);
      expect((error as ProgramTimeoutError).timeoutMs).to.equal(300);
      // Terminated, not left to finish: the promise settles at the limit (the margin is for a loaded CI machine).
      expect(Date.now() - started).to.be.within(290, 5000);
    });

    it("reports memory growth past the limit as ProgramMemoryError", async () => {
      const error = await rejection(runProgram(program({ run: GROW_RUN }), new Uint8Array(), { memoryPages: 8 }));
      expect(error).to.be.instanceOf(ProgramMemoryError);
      expect((error as ProgramMemoryError).memoryPages).to.equal(8);
    });

    it("reports an input larger than the memory allows as ProgramMemoryError", async () => {
      // 2 pages hold the program's 64 KiB of tables but not 100 kB more; the probe with 4 pages does.
      const error = await rejection(runProgram(wasm, new Uint8Array(100_000), { memoryPages: 2 }));
      expect(error).to.be.instanceOf(ProgramMemoryError);
    });

    it("reports a trap as ProgramTrapError, not as memory exhaustion", async () => {
      const error = await rejection(runProgram(program({ run: [op.unreachable] }), new Uint8Array()));
      expect(error).to.be.instanceOf(ProgramTrapError);
      expect((error as ProgramTrapError).trap).to.match(/unreachable/);
    });

    it("reports an output pointer outside the memory as ProgramAbiViolationError", async () => {
      const error = await rejection(runProgram(program({ run: i32(70_000) }), new Uint8Array()));
      expect(error).to.be.instanceOf(ProgramAbiViolationError);
    });

    it("refuses a program whose memory starts above the limit, and bad options", async () => {
      const big = program({
        run: ECHO_RUN,
        imports: [{ module: "env", name: "memory", kind: "memory", min: 20 }],
      });
      expect(await rejection(runProgram(big, new Uint8Array(), { memoryPages: 10 }))).to.be.instanceOf(
        ProgramMemoryError,
      );
      expect(await rejection(runProgram(wasm, input, { memoryPages: 0 }))).to.be.instanceOf(InvalidArgumentError);
      expect(await rejection(runProgram(wasm, input, { timeoutMs: -1 }))).to.be.instanceOf(InvalidArgumentError);
    });
  });

  describe("workers kept between runs", () => {
    it("reuses a worker that answered, and every run still starts from a fresh memory", async () => {
      await runProgram(wasm, input);
      const idle = idleWorkers();
      expect(idle).to.be.greaterThan(0);
      // A run that traps, then one that aborts: both answer, so their worker is kept, and the next run is unaffected.
      await rejection(runProgram(program({ run: [op.unreachable] }), new Uint8Array()));
      await rejection(runProgram(wasm, new Uint8Array([1, 2, 3])));
      expect(idleWorkers()).to.equal(idle);
      const expected = encodeState(run(randomState(2026, { particles: 40 }), 25));
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push((await runProgram(wasm, input)).output);
      for (const output of runs) expect(output).to.eql(expected);
      expect(idleWorkers()).to.equal(idle);
    });

    it("never gives back a worker that timed out: the next run gets another one and succeeds", async () => {
      // Two runs side by side leave at least two workers waiting, so one is still there after the timeout.
      await Promise.all([runProgram(wasm, input), runProgram(wasm, input)]);
      const idle = idleWorkers();
      expect(idle).to.be.greaterThanOrEqual(2);
      const error = await rejection(runProgram(program({ run: LOOP_RUN }), new Uint8Array(), { timeoutMs: 200 }));
      expect(error).to.be.instanceOf(ProgramTimeoutError);
      // The looping worker was taken from the pool and terminated, not returned.
      expect(idleWorkers()).to.equal(idle - 1);
      const expected = keccak256(encodeState(run(randomState(2026, { particles: 40 }), 25)));
      expect((await runProgram(wasm, input)).resultHash).to.equal(expected);
      expect(idleWorkers()).to.equal(idle - 1);
    });
  });

  describe("ABI v1 checks before running", () => {
    it("accepts the particle program", () => {
      expect(inspectProgram(wasm).memory).to.eql({ minimum: 1, maximum: undefined });
    });

    it("refuses bytes that are not WebAssembly, or a truncated module", async () => {
      expect(thrown(() => inspectProgram(new TextEncoder().encode("not wasm")))).to.be.instanceOf(
        MalformedProgramError,
      );
      expect(thrown(() => inspectProgram(wasm.subarray(0, 100)))).to.be.instanceOf(MalformedProgramError);
      expect(await rejection(runProgram(wasm.subarray(0, 100), input))).to.be.instanceOf(MalformedProgramError);
    });

    it("refuses an import beyond env.memory and env.abort, naming it", () => {
      const fdWrite = { module: "wasi_snapshot_preview1", name: "fd_write", kind: "func", type: 1 } as const;
      const error = thrown(() => inspectProgram(program({ run: ECHO_RUN, extraImports: [fdWrite] })));
      expect(error).to.be.instanceOf(ForbiddenImportError);
      expect(error).to.include({ module: "wasi_snapshot_preview1", importName: "fd_write", kind: "function" });

      const seed = { module: "env", name: "seed", kind: "func", type: 0 } as const;
      expect(thrown(() => inspectProgram(program({ run: ECHO_RUN, extraImports: [seed] })))).to.include({
        importName: "seed",
      });
      const global = { module: "env", name: "abort", kind: "global" } as const;
      const wrongKind = program({
        run: ECHO_RUN,
        imports: [{ module: "env", name: "memory", kind: "memory", min: 1 }, global],
      });
      expect(thrown(() => inspectProgram(wrongKind))).to.include({ importName: "abort", kind: "global" });
    });

    it("refuses a module without env.memory, with a memory of its own, or with a shared memory", () => {
      const own = program({ run: ECHO_RUN, imports: [], memories: [1] });
      expect(thrown(() => inspectProgram(own))).to.be.instanceOf(MissingImportError);
      const both = program({ run: ECHO_RUN, memories: [1] });
      expect(thrown(() => inspectProgram(both))).to.be.instanceOf(MalformedProgramError);
      const shared = program({
        run: ECHO_RUN,
        imports: [{ module: "env", name: "memory", kind: "memory", min: 1, max: 2, shared: true }],
      });
      expect(thrown(() => inspectProgram(shared))).to.be.instanceOf(MalformedProgramError);
    });

    it("refuses a module missing run or alloc, or exporting them with the wrong type", () => {
      const noRun = program({ run: ECHO_RUN, exports: [{ name: "alloc", kind: "func", index: 1 }] });
      expect(thrown(() => inspectProgram(noRun)))
        .to.be.instanceOf(MissingExportError)
        .and.include({
          exportName: "run",
        });
      const memoryNamedAlloc = program({
        run: ECHO_RUN,
        exports: [
          { name: "alloc", kind: "memory", index: 0 },
          { name: "run", kind: "func", index: 2 },
        ],
      });
      expect(thrown(() => inspectProgram(memoryNamedAlloc))).to.include({ exportName: "alloc" });
      const unary = program({ run: [...i32(1024)], runType: 0 });
      const error = thrown(() => inspectProgram(unary));
      expect(error).to.be.instanceOf(ExportSignatureError);
      expect(error).to.include({ exportName: "run", expected: "(i32, i32) -> (i32)", actual: "(i32) -> (i32)" });
    });
  });
});
