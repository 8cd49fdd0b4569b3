import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";

import { encodeInput, encodeState, randomState, run as runReference } from "../../sdk/src/domain/particles/index.js";
import { deployTaskSystem } from "../helpers/tasks.js";
import { cliRunner, expectFailure, expectOk } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const PROGRAM = "programs/particles/build/particles.wasm";
const REQUESTER = 4;

/** `cohort result compute`: the task's program on its input, checked as a worker checks them, bytes written out. */
describe("CLI: result compute", function () {
  let cli: ReturnType<typeof cliRunner>;
  let dir: string;
  const state = randomState(7, { particles: 12, radius: 6 });
  const input = encodeInput(state, 15);

  before(async function () {
    const sys = await deployTaskSystem(ethers, networkHelpers);
    cli = cliRunner(ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
    dir = mkdtempSync(join(tmpdir(), "cohort-cli-compute-"));
    const inputFile = join(dir, "input.bin");
    writeFileSync(inputFile, input);
    const created = await cli(
      ["task", "create", "--program", PROGRAM, "--input-file", inputFile, "--reward", "10", "--seats", "3"],
      { key: REQUESTER },
    );
    expectOk(created);
  });

  it("writes the bytes the TypeScript reference computes and prints their hash", async function () {
    const out = join(dir, "result.bin");
    const computed = await cli(["result", "compute", "1", "--program", PROGRAM, "--out", out]);
    expectOk(computed);
    const expected = encodeState(runReference(state, 15));
    expect(readFileSync(out)).to.deep.equal(Buffer.from(expected));
    expect(computed.doc.resultHash).to.equal(ethers.keccak256(expected));
    expect(computed.doc.bytes).to.equal(expected.length);
  });

  it("refuses a program that is not the task's (HashMismatchError, exit 2) and writes nothing", async function () {
    const other = join(dir, "other.wasm");
    const bytes = readFileSync(PROGRAM);
    writeFileSync(other, Buffer.concat([bytes, Buffer.from([0])]));
    const out = join(dir, "never.bin");
    const refused = await cli(["result", "compute", "1", "--program", other, "--out", out]);
    expectFailure(refused, 2, "HashMismatchError");
    expect(() => readFileSync(out)).to.throw();
  });

  it("refuses an unknown task by name (exit 3)", async function () {
    const refused = await cli(["result", "compute", "9", "--program", PROGRAM, "--out", join(dir, "x.bin")]);
    expectFailure(refused, 3, "TaskManagerUnknownTaskError");
  });
});
