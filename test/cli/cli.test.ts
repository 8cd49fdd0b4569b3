import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";

import { runCli } from "../../sdk/src/cli/run.js";
import { deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { Buffered, closedPort, cliRunner, expectFailure, expectOk, nonceOf, privateKeyOf } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** The program as a whole: help, usage errors, configuration, output channels and exit codes. */
describe("CLI: options, output and exit codes", function () {
  let sys: TaskSystem;
  let cli: ReturnType<typeof cliRunner>;
  let bare: ReturnType<typeof cliRunner>;
  let manager: string;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    manager = await sys.manager.getAddress();
    cli = cliRunner(ethers.provider, ["--task-manager", manager]);
    bare = cliRunner(ethers.provider);
  });

  describe("help", function () {
    it("--help prints the commands, the environment and the exit codes, and exits 0", async function () {
      const run = await cli(["--help"], { json: false });
      expect(run.code).to.equal(0);
      for (const text of ["stake", "task", "result", "rewards", "Exit codes:", "130", "COHORT_PRIVATE_KEY"]) {
        expect(run.stdout).to.contain(text);
      }
    });

    it("--help with --json is one document", async function () {
      const run = await cli(["task", "create", "--help"]);
      expect(run.code).to.equal(0);
      expect(run.doc.ok).to.equal(true);
      expect(run.doc.help).to.contain("--input-uri");
    });
  });

  describe("usage errors exit 2, with one JSON document under --json", function () {
    for (const [title, args, code] of [
      ["an unknown command", ["bogus"], "commander.unknownCommand"],
      ["an unknown option", ["pool", "status", "--bogus"], "commander.unknownOption"],
      ["a missing argument", ["task", "show"], "commander.missingArgument"],
      ["a missing required option", ["task", "challenge", "1"], "commander.missingMandatoryOptionValue"],
      ["a group without its command", ["task"], "commander.help"],
      ["a bad --log-level", ["pool", "status", "--log-level", "loud"], "commander.invalidArgument"],
    ] as const) {
      it(title, async function () {
        const run = await cli([...args]);
        expectFailure(run, 2, "UsageError");
        expect(run.doc.error!.code).to.equal(code);
      });
    }

    it("and a human message on stderr without --json", async function () {
      const run = await cli(["pool", "status", "--bogus"], { json: false });
      expect(run.code).to.equal(2);
      expect(run.stdout).to.equal("");
      expect(run.stderr).to.contain("unknown option '--bogus'");
    });

    it("a key on the command line is refused by name, before anything runs", async function () {
      const run = await cli(["stake", "add", "1", "--private-key", privateKeyOf(5)]);
      expectFailure(run, 2, "UsageError");
      expect(run.doc.error!.message).to.contain("keys are never read from the command line");
      expect(run.stdout).not.to.contain(privateKeyOf(5).slice(2));
    });
  });

  describe("configuration errors exit 2", function () {
    it("an unknown network is ConfigError naming the known ones", async function () {
      const run = await cli(["pool", "status", "--network", "mainnet"]);
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.message).to.contain("localhost, sepolia");
    });

    it("an unknown network from COHORT_NETWORK too", async function () {
      expectFailure(await cli(["pool", "status"], { env: { COHORT_NETWORK: "goerli" } }), 2, "ConfigError");
    });

    it("a named network whose node is another chain is ConfigError", async function () {
      expectFailure(await cli(["pool", "status", "--network", "sepolia"]), 2, "ConfigError");
    });

    it("sepolia without an RPC URL is ConfigError", async function () {
      const run = await cliRunner(undefined)(["pool", "status", "--network", "sepolia"]);
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.details).to.contain("--rpc-url");
    });

    it("bad global options are ConfigError", async function () {
      for (const args of [
        ["--task-manager", "0x1234"],
        ["--confirmations", "0"],
        ["--confirmations", "two"],
        ["--rpc-url", "localhost:8545"],
        ["--rpc-timeout", "5"],
        ["--deployment-id", "../etc"],
      ]) {
        expectFailure(await bare(["pool", "status", ...args]), 2, "ConfigError");
      }
      expectFailure(await bare(["pool", "status"], { env: { COHORT_TASK_MANAGER: "nope" } }), 2, "ConfigError");
    });

    it("a flag wins over its environment variable", async function () {
      const run = await bare(["pool", "status", "--task-manager", manager], { env: { COHORT_TASK_MANAGER: "nope" } });
      expectOk(run);
    });

    it("the task manager from COHORT_TASK_MANAGER", async function () {
      const run = await bare(["pool", "status"], { env: { COHORT_TASK_MANAGER: manager } });
      expectOk(run);
      expect((run.doc.addresses as Record<string, string>).taskManager).to.equal(manager);
    });

    it("no deployment file is DeploymentNotFoundError", async function () {
      const dir = mkdtempSync(join(tmpdir(), "cohort-cli-empty-"));
      const run = await bare(["pool", "status", "--deployments", dir]);
      expectFailure(run, 2, "DeploymentNotFoundError");
      expect(run.doc.error!.path).to.equal(join(dir, "chain-31337", "deployed_addresses.json"));
    });

    it("a malformed COHORT_PRIVATE_KEY is ConfigError, and the message does not echo it", async function () {
      const secret = "0x" + "zz".repeat(32);
      const before = await nonceOf(ethers, 3);
      const run = await cli(["token", "mint", "1"], { env: { COHORT_PRIVATE_KEY: secret } });
      expectFailure(run, 2, "ConfigError");
      expect(run.stdout + run.stderr).not.to.contain("zzzz");
      expect(await nonceOf(ethers, 3)).to.equal(before);
    });

    it("two key sources at once are ConfigError", async function () {
      const run = await cli(["token", "mint", "1", "--keystore", "/nonexistent.json"], { key: 3 });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.sources).to.deep.equal(["env", "keystore"]);
    });
  });

  describe("RPC failures exit 4", function () {
    it("an unreachable node is RpcError", async function () {
      const port = await closedPort();
      const run = await cliRunner(undefined)(["pool", "status", "--rpc-url", `http://127.0.0.1:${port}`]);
      expectFailure(run, 4, "RpcError");
      expect(run.doc.error!.url).to.equal(`http://127.0.0.1:${port}`);
      expect(run.doc.error!.code).to.equal("ECONNREFUSED");
    });

    it("and a write against it sends nothing anywhere", async function () {
      const port = await closedPort();
      const run = await cliRunner(undefined)(["stake", "add", "10", "--rpc-url", `http://127.0.0.1:${port}`], {
        key: 3,
      });
      expectFailure(run, 4, "RpcError");
    });
  });

  describe("output", function () {
    it("--json prints one document with bigints as decimal strings; logs go to stderr as JSON lines", async function () {
      const run = await cli(["pool", "status", "--log-level", "debug"]);
      expectOk(run);
      expect(run.doc.command).to.equal("pool status");
      expect(typeof (run.doc.totals as Record<string, unknown>).active).to.equal("string");
      const lines = run.stderr.trim().split("\n");
      expect(lines.length).to.be.greaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.to.throw();
      expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.include("connected");
    });

    it("logs are human lines on a terminal", async function () {
      const stdout = new Buffered();
      const stderr = Object.assign(new Buffered(), { isTTY: true });
      const code = await runCli(["pool", "status", "--task-manager", manager, "--log-level", "debug"], {
        stdout,
        stderr,
        env: {},
        provider: ethers.provider,
      });
      expect(code).to.equal(0);
      expect(stderr.text).to.match(/^debug connected {2}chainId=/m);
      expect(stdout.text).to.match(/^task manager\s+0x/m);
    });

    it("a write on a terminal shows a spinner on stderr, cleared when done; stdout has the result only", async function () {
      const stdout = new Buffered();
      const stderr = Object.assign(new Buffered(), { isTTY: true });
      const code = await runCli(["token", "mint", "1", "--task-manager", manager, "--json"], {
        stdout,
        stderr,
        env: { COHORT_PRIVATE_KEY: privateKeyOf(3), COHORT_LOG_LEVEL: "warn" },
        provider: ethers.provider,
      });
      expect(code).to.equal(0);
      expect(stderr.text).to.contain(" minting");
      expect(stderr.text.endsWith("\r\u001b[2K")).to.equal(true);
      expect((JSON.parse(stdout.text) as { ok: boolean }).ok).to.equal(true);
    });

    it("a revert prints its decoded name on stderr without --json", async function () {
      const run = await cli(["task", "tally", "99"], { key: 3, json: false });
      expect(run.code).to.equal(3);
      expect(run.stderr).to.contain("error: TaskManager.tally reverted: TaskManagerUnknownTask(99)");
    });
  });

  describe("interruption exits 130", function () {
    it("an aborted run is InterruptedError, still one JSON document", async function () {
      const controller = new AbortController();
      controller.abort();
      const run = await cli(["pool", "status"], { signal: controller.signal });
      expectFailure(run, 130, "InterruptedError");
    });

    it("an abort while waiting for a seed stops the wait and sends nothing", async function () {
      expectOk(await cli(["task", "create", ethers.id("p"), "--input", "x", "--reward", "10"], { key: 4 }));
      const before = await nonceOf(ethers, 3);
      const controller = new AbortController();
      const pending = cli(["task", "draw", "1", "--wait"], { key: 3, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      expectFailure(await pending, 130, "InterruptedError");
      // The wait itself ends too: nothing is drawn once it would have polled again.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await nonceOf(ethers, 3)).to.equal(before);
    });
  });
});
