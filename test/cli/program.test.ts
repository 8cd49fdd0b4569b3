import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256 } from "ethers";

import { cliRunner, expectFailure, expectOk, minimalProgram } from "./helpers.js";

/** The smallest valid module: the magic and version 1, no sections. */
const EMPTY_MODULE = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** `cohort program id` needs no chain: it hashes a file after checking that it is WebAssembly. */
describe("CLI: program id", function () {
  const cli = cliRunner(undefined);
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "cohort-cli-program-"));
  });

  function file(name: string, bytes: Uint8Array | string): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it("is keccak256 of the module's bytes, for a module that follows ABI v1", async function () {
    const program = minimalProgram();
    const path = file("minimal.wasm", program);
    const run = await cli(["program", "id", path]);
    expectOk(run);
    expect(run.doc.programId).to.equal(keccak256(program));
    expect(run.doc.size).to.equal(program.length);
    expect(run.doc.abi).to.equal("v1");
    expect(run.doc.memory).to.deep.equal({ minimum: 1 });
    const human = await cli(["program", "id", path], { json: false });
    expect(human.stdout).to.contain(keccak256(program));
  });

  it("a valid module that breaks ABI v1 is the runtime's named error (2), unless --no-abi-check", async function () {
    const path = file("empty.wasm", EMPTY_MODULE);
    const run = await cli(["program", "id", path]);
    expectFailure(run, 2, "MissingImportError");
    expect(run.doc.error!.message).to.contain("env.memory");
    const unchecked = await cli(["program", "id", path, "--no-abi-check"]);
    expectOk(unchecked);
    expect(unchecked.doc.programId).to.equal(keccak256(EMPTY_MODULE));
    expect(unchecked.doc.abi).to.equal(undefined);
  });

  for (const [title, bytes, reason] of [
    ["text", "(module)", "magic"],
    ["the magic with another version", Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]), "version"],
    ["a truncated section", Uint8Array.from([...EMPTY_MODULE, 0x01, 0x05, 0x01]), "valid"],
    ["an empty file", new Uint8Array(), "magic"],
  ] as const) {
    it(`refuses ${title} with MalformedProgramError (2)`, async function () {
      const run = await cli(["program", "id", file(`${title.replace(/\W/g, "_")}.wasm`, bytes), "--no-abi-check"]);
      expectFailure(run, 2, "MalformedProgramError");
      expect(String(run.doc.error!.reason)).to.contain(reason);
    });
  }

  it("a missing file is InvalidArgumentError (2)", async function () {
    const run = await cli(["program", "id", join(dir, "missing.wasm")]);
    expectFailure(run, 2, "InvalidArgumentError");
    expect(run.doc.error!.message).to.contain("no file");
  });
});
