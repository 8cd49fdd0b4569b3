import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { network } from "hardhat";

import { UNIT, mineUntilNext } from "../helpers/pool.js";
import { deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { closedPort, cliRunner, expectFailure, expectOk, minimalProgram, nonceOf, type TaskDoc } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** Default accounts by role in `deployTaskSystem`: 3 the outsider, 4 the requester, 5.. the workers. */
const OUTSIDER = 3;
const REQUESTER = 4;

const RESULT = "0x" + "ab".repeat(40);
const RESULT_HASH = ethers.keccak256(RESULT);
const OTHER_HASH = ethers.id("another result");

/** A task driven from creation to claims purely through `cohort` commands, and every command's refusals. */
describe("CLI: task commands", function () {
  let sys: TaskSystem;
  let cli: ReturnType<typeof cliRunner>;
  let accountIndex: Map<string, number>;
  let dir: string;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    cli = cliRunner(ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
    const signers = await ethers.getSigners();
    accountIndex = new Map(signers.map((s, i) => [s.address, i]));
    dir = mkdtempSync(join(tmpdir(), "cohort-cli-task-"));
  });

  /** Expects a failed run with no transaction sent by account `key`, and returns its error member. */
  async function refused(args: string[], key: number | undefined, code: number, name: string) {
    const before = await nonceOf(ethers, key ?? OUTSIDER);
    const run = await cli(args, key === undefined ? {} : { key });
    expectFailure(run, code, name);
    expect(await nonceOf(ethers, key ?? OUTSIDER), "no transaction").to.equal(before);
    return run.doc.error as Record<string, unknown>;
  }

  async function mineToNext(block: bigint) {
    const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
    if (block > next) await mineUntilNext(ethers, networkHelpers, block);
  }

  /** Mines until the seed is readable and draws through the CLI, retrying a missed window as the contract allows. */
  async function draw(taskId: string): Promise<{ member: string; index: string; seats: string }[]> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const shown = await cli(["task", "show", taskId]);
      const seed = shown.doc.seed as { target: string };
      await mineToNext(BigInt(seed.target) + 1n);
      const drawn = await cli(["task", "draw", taskId], { key: OUTSIDER });
      expectOk(drawn);
      if (drawn.doc.drawn === true) return drawn.doc.assigned as { member: string; index: string; seats: string }[];
    }
    throw new Error(`task ${taskId}: no committee`);
  }

  async function task(taskId: string) {
    const shown = await cli(["task", "show", taskId]);
    expectOk(shown);
    return shown.doc.task as TaskDoc;
  }

  const keyOf = (member: string) => {
    const i = accountIndex.get(member);
    if (i === undefined) throw new Error(`${member} is not a default account`);
    return i;
  };

  describe("a full task", function () {
    let members: string[];

    it("task create posts the task and reports its id, input hash and seed", async function () {
      const run = await cli(
        ["task", "create", ethers.id("program"), "--input", "hello", "--seats", "5", "--reward", "1000"],
        { key: REQUESTER },
      );
      expectOk(run);
      expect(run.doc.command).to.equal("task create");
      expect(run.doc.taskId).to.equal("1");
      expect(run.doc.inputHash).to.equal(ethers.keccak256(ethers.toUtf8Bytes("hello")));
      expect(run.doc.inputKind).to.equal("inline");
      expect(run.doc.reward).to.equal((1000n * UNIT).toString());
      expect(run.doc.approval, "the requester had approved already").to.equal(undefined);
      const tx = run.doc.transaction as { hash: string; events: { name: string }[] };
      expect(tx.hash).to.match(/^0x[0-9a-f]{64}$/);
      expect(tx.events.map((e) => e.name)).to.include.members(["TaskCreated", "SeedRequested"]);
      expect((run.doc.seed as { statusName: string }).statusName).to.be.oneOf(["Armed", "Pending"]);
      expect(await sys.manager.taskCount()).to.equal(1n);
    });

    it("task show and task list read it back", async function () {
      const info = await task("1");
      expect(info.phaseName).to.equal("AwaitingSeed");
      expect(info.seats).to.equal("5");
      expect(info.quorum).to.equal("3");
      const list = await cli(["task", "list"]);
      expectOk(list);
      expect(list.doc.taskCount).to.equal("1");
      expect((list.doc.tasks as { taskId: string }[]).map((t) => t.taskId)).to.deep.equal(["1"]);
    });

    it("task draw assigns the committee", async function () {
      const assigned = await draw("1");
      members = [...new Set(assigned.map((a) => a.member))];
      expect(assigned.reduce((sum, a) => sum + BigInt(a.seats), 0n)).to.equal(5n);
      expect((await task("1")).phaseName).to.equal("Committing");
    });

    it("result commit commits for every member, from the result bytes", async function () {
      for (const member of members) {
        const run = await cli(["result", "commit", "1", "--result-hex", RESULT], { key: keyOf(member) });
        expectOk(run);
        expect(run.doc.resultHash).to.equal(RESULT_HASH);
        expect(run.doc.salt, "the derived salt is not printed").to.equal("derived");
        expect(run.doc.commitment).to.match(/^0x[0-9a-f]{64}$/);
      }
      expect((await task("1")).committedSeats).to.equal("5");
    });

    it("result commit by a non-member is NotAssignedError (3), sending nothing", async function () {
      await refused(["result", "commit", "1", "--result-hash", RESULT_HASH], REQUESTER, 3, "NotAssignedError");
    });

    it("result commit after the deadline is TaskManagerWrongPhase (3), named in the message", async function () {
      await mineToNext(BigInt((await task("1")).commitDeadline) + 1n);
      const error = await refused(
        ["result", "commit", "1", "--result-hash", RESULT_HASH],
        keyOf(members[0]!),
        3,
        "ContractRevertError",
      );
      expect(error.errorName).to.equal("TaskManagerWrongPhase");
      expect(error.args).to.deep.equal({ taskId: "1", phase: "4", expected: "2" });
      expect(error.argNames).to.deep.equal({ phase: "Revealing", expected: "Committing" });
      expect(error.message).to.contain("TaskManagerWrongPhase(1, Revealing(4), Committing(2))");
      expect(error.reason).to.equal("TaskManagerWrongPhase(1, 4, 2)");
    });

    it("result reveal with bytes that do not match --result-hash is ResultHashMismatchError (2)", async function () {
      await refused(
        ["result", "reveal", "1", "--result-hex", RESULT, "--result-hash", OTHER_HASH],
        keyOf(members[0]!),
        2,
        "ResultHashMismatchError",
      );
    });

    it("result reveal reveals with the derived salt, publishing the bytes", async function () {
      const file = join(dir, "result.bin");
      writeFileSync(file, ethers.getBytes(RESULT));
      for (const [i, member] of members.entries()) {
        // The first member reveals from the file and the hash together: they agree.
        const args =
          i === 0
            ? ["result", "reveal", "1", "--result-file", file, "--result-hash", RESULT_HASH, "--publish"]
            : ["result", "reveal", "1", "--result-hex", RESULT, "--publish"];
        const run = await cli(args, { key: keyOf(member) });
        expectOk(run);
        expect(run.doc.resultHash).to.equal(RESULT_HASH);
        expect(run.doc.published).to.equal(true);
      }
      expect((await task("1")).revealedSeats).to.equal("5");
    });

    it("task tally proposes the result", async function () {
      await mineToNext(BigInt((await task("1")).revealDeadline) + 1n);
      const run = await cli(["task", "tally", "1"], { key: OUTSIDER });
      expectOk(run);
      expect(run.doc.proposedResult).to.equal(RESULT_HASH);
      expect(run.doc.redraw).to.equal(false);
    });

    it("task result shows the proposed hash and the published bytes", async function () {
      const run = await cli(["task", "result", "1"]);
      expectOk(run);
      expect(run.doc.proposedResult).to.equal(RESULT_HASH);
      expect(run.doc.finalResult).to.equal(undefined);
      const results = run.doc.results as { resultHash: string; seats: string; result: string; members: string[] }[];
      expect(results).to.have.length(1);
      expect(results[0]).to.deep.include({ resultHash: RESULT_HASH, seats: "5", result: RESULT });
      expect(results[0]!.members).to.have.members(members);
      expect(run.doc.reveals).to.have.length(members.length);
    });

    it("task finalize inside the challenge window is TaskManagerWrongPhase (3)", async function () {
      const error = await refused(["task", "finalize", "1"], OUTSIDER, 3, "ContractRevertError");
      expect(error.errorName).to.equal("TaskManagerWrongPhase");
      expect(error.argNames).to.deep.equal({ phase: "Challengeable", expected: "AwaitingFinalization" });
    });

    it("task finalize settles after the window; task result shows the final result", async function () {
      await mineToNext(BigInt((await task("1")).challengeDeadline) + 1n);
      const run = await cli(["task", "finalize", "1"], { key: OUTSIDER });
      expectOk(run);
      expect(run.doc.done).to.equal(true);
      expect(run.doc.phaseName).to.equal("Finalized");
      expect(run.doc.finalResult).to.equal(RESULT_HASH);
      const result = await cli(["task", "result", "1"]);
      expect(result.doc.finalResult).to.equal(RESULT_HASH);
      expect(result.doc.finalResultBytes).to.equal(RESULT);
    });

    it("rewards claim pays every member its share of the reward", async function () {
      let paid = 0n;
      for (const member of members) {
        const before = await sys.token.balanceOf(member);
        const run = await cli(["rewards", "claim", "1"], { key: keyOf(member) });
        expectOk(run);
        const amount = BigInt(run.doc.amount as string);
        expect(amount).to.be.greaterThan(0n);
        expect(await sys.token.balanceOf(member)).to.equal(before + amount);
        paid += amount;
      }
      const rewardPerSeat = (await sys.manager.taskOf(1n)).rewardPerSeat;
      expect(paid).to.equal(rewardPerSeat * 5n);
      // Claimed twice: the records are Claimed now, and the SDK finds no winning record left.
      await refused(["rewards", "claim", "1"], keyOf(members[0]!), 3, "NotAssignedError");
    });

    it("rewards credit with nothing credited is TaskManagerNothingToClaim (3)", async function () {
      const error = await refused(["rewards", "credit"], OUTSIDER, 3, "ContractRevertError");
      expect(error.errorName).to.equal("TaskManagerNothingToClaim");
    });
  });

  describe("a challenge", function () {
    let taskId: string;

    before(async function () {
      const created = await cli(["task", "create", ethers.id("program"), "--input-hex", "0x0102", "--reward", "500"], {
        key: REQUESTER,
      });
      expectOk(created);
      taskId = created.doc.taskId as string;
      const members = [...new Set((await draw(taskId)).map((a) => a.member))];
      for (const m of members)
        expectOk(await cli(["result", "commit", taskId, "--result-hash", RESULT_HASH], { key: keyOf(m) }));
      await mineToNext(BigInt((await task(taskId)).commitDeadline) + 1n);
      for (const m of members)
        expectOk(await cli(["result", "reveal", taskId, "--result-hash", RESULT_HASH], { key: keyOf(m) }));
      await mineToNext(BigInt((await task(taskId)).revealDeadline) + 1n);
      expectOk(await cli(["task", "tally", taskId], { key: OUTSIDER }));
      expectOk(await cli(["token", "mint", "5000"], { key: OUTSIDER }));
    });

    it("task challenge --no-approve without an allowance is ERC20InsufficientAllowance (3), sending nothing", async function () {
      const error = await refused(
        ["task", "challenge", taskId, "--claim", OTHER_HASH, "--no-approve"],
        OUTSIDER,
        3,
        "ContractRevertError",
      );
      expect(error.errorName).to.equal("ERC20InsufficientAllowance");
    });

    it("task challenge with the proposed result itself is TaskManagerClaimNotDifferent (3), approving nothing", async function () {
      const error = await refused(
        ["task", "challenge", taskId, "--claim", RESULT_HASH],
        OUTSIDER,
        3,
        "ContractRevertError",
      );
      expect(error.errorName).to.equal("TaskManagerClaimNotDifferent");
    });

    it("task challenge approves the bond floor exactly and opens step 1", async function () {
      const floor = (await sys.manager.taskOf(BigInt(taskId))).challengeBondFloor;
      const run = await cli(["task", "challenge", taskId, "--claim", OTHER_HASH], { key: OUTSIDER });
      expectOk(run);
      expect(run.doc.step).to.equal("1");
      expect(run.doc.bond).to.equal(floor.toString());
      const approval = run.doc.approval as { events: { name: string; args: { value: string } }[] };
      expect(approval.events[0]!.name).to.equal("Approval");
      expect(approval.events[0]!.args.value).to.equal(floor.toString());
      expect((await task(taskId)).phaseName).to.equal("AwaitingSeed");
    });
  });

  describe("refusals before anything is sent", function () {
    const create = (...more: string[]) => [
      "task",
      "create",
      ethers.id("program"),
      "--input",
      "x",
      "--reward",
      "10",
      ...more,
    ];

    it("an unknown task is TaskManagerUnknownTaskError (3) for reads and writes", async function () {
      const shown = await cli(["task", "show", "99"]);
      expectFailure(shown, 3, "TaskManagerUnknownTaskError");
      expect(shown.doc.error!.errorName).to.equal("TaskManagerUnknownTask");
      for (const args of [
        ["task", "result", "99"],
        ["result", "commit", "99", "--result-hash", RESULT_HASH],
        ["rewards", "claim", "99"],
      ]) {
        await refused(args, OUTSIDER, 3, "TaskManagerUnknownTaskError");
      }
      const drawn = await refused(["task", "draw", "99"], OUTSIDER, 3, "ContractRevertError");
      expect(drawn.errorName).to.equal("TaskManagerUnknownTask");
    });

    it("a malformed task id, hash or hex is InvalidArgumentError (2)", async function () {
      for (const args of [
        ["task", "show", "abc"],
        ["task", "show", "0"],
        ["result", "commit", "1", "--result-hash", "0x1234"],
        ["result", "reveal", "1", "--result-hex", "0xabc"],
        ["task", "challenge", "1", "--claim", "nothex"],
        ["task", "create", "0x12", "--input", "x", "--reward", "1"],
      ]) {
        await refused(args, OUTSIDER, 2, "InvalidArgumentError");
      }
    });

    it("a program file that is not WebAssembly is MalformedProgramError (2)", async function () {
      const file = join(dir, "not.wasm");
      writeFileSync(file, "not a module");
      const error = await refused(
        ["task", "create", "--program", file, "--input", "x", "--reward", "1"],
        OUTSIDER,
        2,
        "MalformedProgramError",
      );
      expect(error.message).to.contain("\\0asm");
    });

    it("a program id that is not the file's is HashMismatchError (2)", async function () {
      const file = join(dir, "minimal.wasm");
      writeFileSync(file, minimalProgram());
      await refused(
        ["task", "create", ethers.id("other"), "--program", file, "--input", "x", "--reward", "1"],
        OUTSIDER,
        2,
        "HashMismatchError",
      );
    });

    it("an input that does not hash to --input-hash is HashMismatchError (2), inline or behind a data: URI", async function () {
      await refused(create("--input-hash", OTHER_HASH), REQUESTER, 2, "HashMismatchError");
      await refused(
        [
          "task",
          "create",
          ethers.id("program"),
          "--input-uri",
          "data:,hello",
          "--input-hash",
          OTHER_HASH,
          "--reward",
          "10",
        ],
        REQUESTER,
        2,
        "HashMismatchError",
      );
    });

    it("an input URI is fetched as workers will: a missing file is 2, a server that does not answer is 4", async function () {
      const uri = (location: string) => [
        "task",
        "create",
        ethers.id("program"),
        "--input-uri",
        location,
        "--input-hash",
        OTHER_HASH,
        "--reward",
        "10",
      ];
      await refused(uri(pathToFileURL(join(dir, "missing.bin")).href), REQUESTER, 2, "FetchFailedError");
      await refused(uri(`http://127.0.0.1:${await closedPort()}/input.bin`), REQUESTER, 4, "FetchFailedError");
      await refused(uri("ftp://example.org/input.bin"), REQUESTER, 2, "InvalidArgumentError");
    });

    it("an input URI that serves its hash is posted as a URI; --no-verify-input skips the fetch", async function () {
      const file = join(dir, "input.bin");
      writeFileSync(file, "stored elsewhere");
      const hash = ethers.keccak256(ethers.toUtf8Bytes("stored elsewhere"));
      const posted = await cli(
        [
          "task",
          "create",
          ethers.id("program"),
          "--input-uri",
          pathToFileURL(file).href,
          "--input-hash",
          hash,
          "--reward",
          "10",
        ],
        { key: REQUESTER },
      );
      expectOk(posted);
      expect(posted.doc).to.deep.include({ inputKind: "uri", inputHash: hash });
      const unchecked = await cli(
        [
          "task",
          "create",
          ethers.id("program"),
          "--input-uri",
          "https://example.invalid/x",
          "--input-hash",
          hash,
          "--reward",
          "10",
          "--no-verify-input",
        ],
        { key: REQUESTER },
      );
      expectOk(unchecked);
    });

    it("bad amounts and counts are InvalidArgumentError (2)", async function () {
      for (const more of [
        ["--reward", "abc"],
        ["--reward", "-1"],
        ["--reward", "0"],
        ["--reward", "1.0000000000000000001"],
        ["--seats", "65"],
        ["--on-no-quorum", "sometimes"],
        ["--commit-blocks", "0"],
      ]) {
        const args = ["task", "create", ethers.id("program"), "--input", "x", "--reward", "10", ...more];
        await refused(args, REQUESTER, 2, "InvalidArgumentError");
      }
      await refused(["task", "create", ethers.id("program"), "--reward", "10"], REQUESTER, 2, "InvalidArgumentError");
      await refused(create("--input-hex", "0x00"), REQUESTER, 2, "InvalidArgumentError");
    });

    it("a bound only the contract knows is its named error (3), and no approval is sent", async function () {
      const error = await refused(create("--seats", "5", "--quorum", "2"), OUTSIDER, 3, "ContractRevertError");
      expect(error.errorName).to.equal("TaskManagerParameterOutOfBounds");
      expect(error.argNames).to.deep.equal({ name: "quorum" });
    });

    it("a reward beyond the balance is ERC20InsufficientBalance (3), found before approving", async function () {
      const error = await refused(create("--reward", "1000000"), OUTSIDER, 3, "ContractRevertError");
      expect(error.errorName).to.equal("ERC20InsufficientBalance");
    });

    it("--no-approve without an allowance is ERC20InsufficientAllowance (3)", async function () {
      const error = await refused(create("--no-approve"), OUTSIDER, 3, "ContractRevertError");
      expect(error.errorName).to.equal("ERC20InsufficientAllowance");
    });

    it("task expire before the expiry and task replace outside its phase are the contract's errors (3)", async function () {
      const notExpired = await refused(["task", "expire", "2"], OUTSIDER, 3, "ContractRevertError");
      expect(notExpired.errorName).to.equal("TaskManagerNotExpired");
      const replaced = await refused(["task", "replace", "1"], OUTSIDER, 3, "ContractRevertError");
      expect(replaced.errorName).to.equal("TaskManagerWrongPhase");
      expect((replaced.argNames as Record<string, string>).phase).to.equal("Finalized");
      const finalized = await refused(["task", "finalize", "99"], OUTSIDER, 3, "ContractRevertError");
      expect(finalized.errorName).to.equal("TaskManagerUnknownTask");
    });

    it("the other commands' malformed options are InvalidArgumentError (2)", async function () {
      for (const args of [
        ["task", "list", "--limit", "0"],
        ["task", "list", "--before", "x"],
        ["task", "result", "1", "--from-block", "-3"],
        ["task", "draw", "1", "--wait", "--wait-timeout", "0"],
        ["task", "challenge", "2", "--claim", OTHER_HASH, "--bond", "lots"],
        ["rewards", "claim", "1", "--round", "0"],
        ["token", "mint", "abc"],
        ["token", "mint", "1", "--to", "0x12"],
        ["result", "commit", "1"],
        ["result", "commit", "1", "--result-hex", "0x01", "--result-file", "x"],
        ["result", "commit", "1", "--result-hash", RESULT_HASH, "--salt", "0x01"],
        ["result", "reveal", "1", "--result-hash", RESULT_HASH, "--publish"],
        ["result", "reveal", "1", "--result-file", join(dir, "missing.bin")],
      ]) {
        await refused(args, OUTSIDER, 2, "InvalidArgumentError");
      }
    });

    it("a write without a key is MissingKeyError (2)", async function () {
      for (const args of [create(), ["task", "tally", "1"], ["result", "commit", "1", "--result-hash", RESULT_HASH]]) {
        await refused(args, undefined, 2, "MissingKeyError");
      }
    });
  });
});
