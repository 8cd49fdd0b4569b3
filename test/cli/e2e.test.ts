import { expect } from "chai";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Wallet, id, keccak256 } from "ethers";

import { CLI, ROOT, ensureBuiltCli } from "../agents/helpers/cli.js";
import { deployLocal, startNode, type HardhatNode, type LocalDeployment } from "../agents/helpers/node.js";
import { minimalProgram, privateKeyOf, type TaskDoc } from "./helpers.js";

const run = promisify(execFile);
const UNIT = 10n ** 18n;

const address = (account: number) => new Wallet(privateKeyOf(account)).address;

/** Default accounts of the node: 0 deploys (admin, treasury), 1-3 stake, 4 posts the task. */
const WORKERS = [1, 2, 3];
const REQUESTER = 4;

type Doc = Record<string, unknown> & { ok: boolean; error?: Record<string, unknown> };

/**
 * The built `cohort` binary against a real node: `hardhat node` on a free port, the system deployed with `hardhat
 * ignition deploy` of the local module, then a whole task driven by `node sdk/dist/cli/main.js ... --json` child
 * processes only. Blocks are mined with the node's `hardhat_mine` between steps: that is the harness, not the task.
 */
describe("CLI end to end: a task on a hardhat node through the built binary", function () {
  let node: HardhatNode;
  const deploymentId = `cli-e2e-${process.pid}`;
  let deployment: LocalDeployment | undefined;
  let dir: string;

  before(async function () {
    // The binary under test is the compiled one, compiled first when a source is newer.
    await ensureBuiltCli();
    node = await startNode();
    deployment = await deployLocal(node.url, deploymentId);
    dir = mkdtempSync(path.join(tmpdir(), "cohort-cli-e2e-"));
  });

  after(async function () {
    await node?.stop();
    deployment?.remove();
  });

  /** The environment of a `cohort` child: the node, this run's deployment, the key of default account `key`. */
  function childEnv(key?: number): Record<string, string> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      COHORT_RPC_URL: node.url,
      COHORT_DEPLOYMENT_ID: deploymentId,
      COHORT_LOG_LEVEL: "warn",
    };
    if (key !== undefined) env.COHORT_PRIVATE_KEY = privateKeyOf(key);
    return env;
  }

  /** `cohort <args> --json` as a child process, signing as default account `key` (if any). */
  async function cohort(args: string[], key?: number): Promise<{ code: number; doc: Doc; stderr: string }> {
    const env = childEnv(key);
    let stdout: string, stderr: string, code: number;
    try {
      ({ stdout, stderr } = await run(process.execPath, [CLI, ...args, "--json"], { cwd: ROOT, env }));
      code = 0;
    } catch (error) {
      const failed = error as { stdout: string; stderr: string; code: number };
      ({ stdout, stderr, code } = failed);
    }
    let doc: Doc;
    try {
      doc = JSON.parse(stdout) as Doc;
    } catch {
      throw new Error(`cohort ${args.join(" ")}: stdout is not one JSON document:\n${stdout}\n${stderr}`);
    }
    return { code, doc, stderr };
  }

  async function ok(args: string[], key?: number): Promise<Doc> {
    const result = await cohort(args, key);
    expect(result.code, `cohort ${args.join(" ")}: ${JSON.stringify(result.doc)}\n${result.stderr}`).to.equal(0);
    expect(result.doc.ok).to.equal(true);
    // Logs only: the agents' store loads node:sqlite, whose "experimental" notice the binary keeps off stderr.
    expect(result.stderr, `cohort ${args.join(" ")}`).not.to.include("ExperimentalWarning");
    return result.doc;
  }

  async function latest(): Promise<bigint> {
    return BigInt(await node.rpc<string>("eth_blockNumber"));
  }

  /** Mines until the latest block is `block`: the next transaction lands right after it. */
  async function mineTo(block: bigint): Promise<void> {
    const now = await latest();
    if (block > now) await node.rpc("hardhat_mine", [`0x${(block - now).toString(16)}`]);
  }

  it("funds, stakes, creates, draws, commits, reveals, tallies, finalizes and claims", async function () {
    const status = await ok(["pool", "status"]);
    const book = deployment!.addresses;
    expect((status.addresses as Record<string, string>).taskManager).to.equal(book["CohortLocal#TaskManager"]);
    expect(status.taskCount).to.equal("0");

    // Funding: the test token mints to whoever asks, through the CLI's dev command.
    for (const w of WORKERS) expect((await ok(["token", "mint", "200"], w)).amount).to.equal((200n * UNIT).toString());
    await ok(["token", "mint", "1000"], REQUESTER);

    // Stakes of 100, 60 and 40 tokens; one made inside a draw window waits for `stake sync`.
    const stakes = [100n, 60n, 40n];
    const accounts: string[] = [];
    let deferred = false;
    for (const [i, w] of WORKERS.entries()) {
      const staked = await ok(["stake", "add", String(stakes[i])], w);
      expect(staked.active).to.equal((stakes[i]! * UNIT).toString());
      expect((staked.approval as { events: { name: string }[] }).events[0]!.name).to.equal("Approval");
      accounts.push(staked.account as string);
      deferred ||= staked.weightDeferred === true;
    }
    if (deferred) {
      const window = (await ok(["pool", "status"])).drawWindow as { end: string };
      await mineTo(BigInt(window.end));
      for (const a of accounts) await ok(["stake", "sync", a], 0);
    }
    const pool = await ok(["pool", "status"]);
    expect((pool.totals as Record<string, string>).active).to.equal((200n * UNIT).toString());
    expect((pool.totals as Record<string, string>).weight).to.equal("200");

    // The program is a file; its id is computed and checked by the CLI.
    const wasm = path.join(dir, "program.wasm");
    writeFileSync(wasm, minimalProgram());
    const programId = (await ok(["program", "id", wasm])).programId as string;
    const created = await ok(
      ["task", "create", "--program", wasm, "--input", "e2e input", "--seats", "3", "--reward", "300"],
      REQUESTER,
    );
    expect(created.programId).to.equal(programId);
    const taskId = created.taskId as string;
    expect(taskId).to.equal("1");

    // The draw: mine to the seed's block, then draw; a missed window re-arms the seed for the next one.
    let assigned: { member: string; seats: string }[] = [];
    for (let attempt = 0; attempt < 4 && assigned.length === 0; attempt++) {
      const seed = (await ok(["task", "show", taskId])).seed as { target: string };
      await mineTo(BigInt(seed.target));
      const drawn = await ok(["task", "draw", taskId], 0);
      if (drawn.drawn === true) assigned = drawn.assigned as { member: string; seats: string }[];
    }
    expect(assigned.reduce((s, a) => s + BigInt(a.seats), 0n)).to.equal(3n);
    const keyOf = (member: string) => WORKERS[accounts.indexOf(member)]!;
    const members = [...new Set(assigned.map((a) => a.member))];

    const result = path.join(dir, "result.bin");
    writeFileSync(result, "the answer: 42");
    const resultHash = keccak256(readFileSync(result));
    for (const m of members) {
      const committed = await ok(["result", "commit", taskId, "--result-file", result], keyOf(m));
      expect(committed.resultHash).to.equal(resultHash);
    }
    let task = (await ok(["task", "show", taskId])).task as TaskDoc;
    expect(task.phaseName).to.equal("Committing");
    await mineTo(BigInt(task.commitDeadline));
    for (const m of members) await ok(["result", "reveal", taskId, "--result-file", result, "--publish"], keyOf(m));
    task = (await ok(["task", "show", taskId])).task as TaskDoc;
    expect(task.revealedSeats).to.equal("3");
    await mineTo(BigInt(task.revealDeadline));
    expect((await ok(["task", "tally", taskId], 0)).proposedResult).to.equal(resultHash);

    // Too early to finalize: the decoded reason and exit code 3 from the binary too.
    const early = await cohort(["task", "finalize", taskId], 0);
    expect(early.code).to.equal(3);
    expect(early.doc.error!.errorName).to.equal("TaskManagerWrongPhase");

    task = (await ok(["task", "show", taskId])).task as TaskDoc;
    await mineTo(BigInt(task.challengeDeadline));
    const finalized = await ok(["task", "finalize", taskId], 0);
    expect(finalized.phaseName).to.equal("Finalized");
    const rewardPerSeat = BigInt(finalized.rewardPerSeat as string);
    expect(rewardPerSeat).to.equal(100n * UNIT);

    const shown = await ok(["task", "result", taskId]);
    expect(shown.finalResult).to.equal(resultHash);
    expect(shown.finalResultBytes).to.equal("0x" + Buffer.from("the answer: 42").toString("hex"));

    // Claims: each member gets the reward of its seats; balances end where the arithmetic says.
    for (const m of members) {
      const seats = assigned.filter((a) => a.member === m).reduce((s, a) => s + BigInt(a.seats), 0n);
      const claimed = await ok(["rewards", "claim", taskId], keyOf(m));
      expect(claimed.amount).to.equal((seats * rewardPerSeat).toString());
    }
    for (const [i, a] of accounts.entries()) {
      const seats = assigned.filter((x) => x.member === a).reduce((s, x) => s + BigInt(x.seats), 0n);
      const shownStake = await ok(["stake", "show", a]);
      expect(shownStake.token, `wallet of ${a}`).to.equal(
        ((200n - stakes[i]!) * UNIT + seats * rewardPerSeat).toString(),
      );
      const s = shownStake.stake as Record<string, string>;
      expect(s.active).to.equal((stakes[i]! * UNIT).toString());
      expect(s.locked, "seats released").to.equal("0");
    }
    const requester = await ok(["stake", "show"], REQUESTER);
    expect(requester.token).to.equal((700n * UNIT).toString());
    expect(requester.managerCredit).to.equal("0");
  });

  it("SIGINT while waiting for a seed exits 130 with one JSON document, having sent nothing", async function () {
    const created = await ok(["task", "create", id("p"), "--input", "x", "--reward", "10"], REQUESTER);
    const drawer = WORKERS[0]!;
    const nonce = async () => await node.rpc<string>("eth_getTransactionCount", [address(drawer), "latest"]);
    const before = await nonce();
    // The node mines only on transactions, so the seed stays unready and the draw waits until interrupted.
    const child = spawn(process.execPath, [CLI, "task", "draw", created.taskId as string, "--wait", "--json"], {
      cwd: ROOT,
      env: { ...childEnv(drawer), COHORT_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const waiting = new Promise<void>((resolve) =>
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes("waiting for the seed")) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waiting;
    child.kill("SIGINT");
    expect(await exited, stderr).to.equal(130);
    const doc = JSON.parse(stdout) as Doc;
    expect(doc.ok).to.equal(false);
    expect(doc.error!.name).to.equal("InterruptedError");
    expect(doc.error!.exitCode).to.equal(130);
    expect(await nonce()).to.equal(before);
  });
});
