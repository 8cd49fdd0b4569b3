import { expect } from "chai";
import { network } from "hardhat";

import { mineUntilNext } from "../helpers/pool.js";
import { deployTaskSystem, deployVrfTaskSystem, type VrfTaskSystem } from "../helpers/tasks.js";
import { cliRunner, expectFailure, expectOk, nonceOf } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** Default accounts by role in `deployTaskSystem`: 3 the outsider, 4 the requester. */
const OUTSIDER = 3;
const REQUESTER = 4;

/** `cohort task trigger` on a Chainlink VRF deployment (the coordinator mock; the test answers as the oracle). */
describe("CLI: task trigger", function () {
  let sys: VrfTaskSystem;
  let cli: ReturnType<typeof cliRunner>;

  async function refused(args: string[], code: number, name: string) {
    const before = await nonceOf(ethers, OUTSIDER);
    const run = await cli(args, { key: OUTSIDER });
    expectFailure(run, code, name);
    expect(await nonceOf(ethers, OUTSIDER), "no transaction").to.equal(before);
    return run.doc.error as Record<string, unknown>;
  }

  before(async function () {
    sys = await deployVrfTaskSystem(ethers, networkHelpers);
    cli = cliRunner(ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
  });

  it("refuses a trigger before the draw window by name, sends one at its first block, refuses a second; then draws", async function () {
    const created = await cli(
      ["task", "create", ethers.id("program"), "--input", "hello", "--seats", "3", "--reward", "100"],
      { key: REQUESTER },
    );
    expectOk(created);
    const seedRequested = (
      created.doc.transaction as { events: { name: string; args: Record<string, string> }[] }
    ).events.find((e) => e.name === "SeedRequested")!;
    const requestId = seedRequested.args.requestId!;
    const notBefore = BigInt(seedRequested.args.notBefore!);
    expect((created.doc.seed as { statusName: string }).statusName).to.equal("Armed");

    const early = await refused(["task", "trigger", "1"], 3, "ContractRevertError");
    expect(early.errorName).to.equal("VrfRandomnessTriggerTooEarly");
    expect((early.args as Record<string, string>).notBefore).to.equal(notBefore.toString());

    await mineUntilNext(ethers, networkHelpers, notBefore);
    const sent = await cli(["task", "trigger", "1"], { key: OUTSIDER });
    expectOk(sent);
    expect(sent.doc).to.deep.include({ taskId: "1", requestId, triggered: true });
    const tx = sent.doc.transaction as {
      blockNumber: string;
      events: { name: string; args: Record<string, string> }[];
    };
    expect(BigInt(tx.blockNumber)).to.equal(notBefore);
    const vrfSent = tx.events.find((e) => e.name === "VrfRequestSent")!;
    expect(vrfSent.args.vrfRequestId).to.equal(sent.doc.vrfRequestId);
    expect(vrfSent.args.caller).to.equal(sys.outsider.address);

    const again = await refused(["task", "trigger", "1"], 3, "ContractRevertError");
    expect(again.errorName).to.equal("VrfRandomnessAlreadyTriggered");
    const shown = await cli(["task", "show", "1"]);
    expect((shown.doc.seed as { statusName: string }).statusName).to.equal("Pending");

    await (await sys.coordinator.fulfillRandomWords(BigInt(vrfSent.args.vrfRequestId!), sys.randomness)).wait();
    const drawn = await cli(["task", "draw", "1"], { key: OUTSIDER });
    expectOk(drawn);
    expect(drawn.doc.drawn).to.equal(true);
    const seats = (drawn.doc.assigned as { seats: string }[]).reduce((sum, a) => sum + BigInt(a.seats), 0n);
    expect(seats).to.equal(3n);
  });

  it("a malformed id is InvalidArgumentError (2) and an unknown task TaskManagerUnknownTaskError (3), sending nothing", async function () {
    await refused(["task", "trigger", "abc"], 2, "InvalidArgumentError");
    await refused(["task", "trigger", "99"], 3, "TaskManagerUnknownTaskError");
  });
});

describe("CLI: task trigger on a blockhash deployment", function () {
  it("says there is nothing to trigger and sends nothing", async function () {
    const local = await network.create();
    const sys = await deployTaskSystem(local.ethers, local.networkHelpers);
    const cli = cliRunner(local.ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
    expectOk(
      await cli(["task", "create", local.ethers.id("program"), "--input", "hello", "--seats", "3", "--reward", "100"], {
        key: REQUESTER,
      }),
    );
    const before = await nonceOf(local.ethers, OUTSIDER);
    const run = await cli(["task", "trigger", "1"], { key: OUTSIDER });
    expectOk(run);
    const target = await sys.randomness.targetOf((await sys.manager.taskOf(1n)).requestId);
    expect(run.doc).to.deep.include({ taskId: "1", triggered: false, target: target.toString() });
    expect(await nonceOf(local.ethers, OUTSIDER)).to.equal(before);
  });
});
