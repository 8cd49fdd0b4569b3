import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import {
  ConfigError,
  ContractRevertError,
  DeploymentNotFoundError,
  NoSignerError,
  RpcError,
  createCohort,
  createCohortClient,
  readTaskManagerAddress,
  type CohortClientOptions,
} from "../../sdk/src/index.js";
import { readContract } from "../../sdk/src/internal/read.js";
import { deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { clientOf, nameWord } from "./helpers.js";
import { closedPort, startFakeNode, type FakeNode } from "./rpcServer.js";

const { ethers, networkHelpers } = await network.create();

/** What `createCohortClient` throws for these options. */
async function failure(options: CohortClientOptions): Promise<unknown> {
  try {
    await createCohortClient(options);
  } catch (error) {
    return error;
  }
  return expect.fail("the client was built");
}

/** The fields a `ConfigError`'s zod issues name. */
function fieldsOf(error: unknown): string[] {
  expect(error).to.be.instanceOf(ConfigError);
  const issues = (error as ConfigError).meta.issues as { path: (string | number)[]; keys?: string[] }[];
  return [...new Set(issues.flatMap((i) => (i.path.length > 0 ? [i.path.join(".")] : (i.keys ?? []))))];
}

const ZERO_WORD = `0x${"00".repeat(32)}`;
const ADDRESS_WORD = (a: string) => `0x${a.slice(2).toLowerCase().padStart(64, "0")}`;

/** The client: options validated at the edge, addresses from an Ignition address book, RPC failures told apart. */
describe("SDK: the client", function () {
  let sys: TaskSystem;
  let manager: string;
  let dir: string;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    manager = await sys.manager.getAddress();
    dir = mkdtempSync(join(tmpdir(), "cohort-sdk-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("configuration", function () {
    it("a bad option is a ConfigError naming the field", async function () {
      expect(fieldsOf(await failure({ rpcUrl: "not a url" }))).to.deep.equal(["rpcUrl"]);
      expect(fieldsOf(await failure({ rpcUrl: "ftp://127.0.0.1" }))).to.deep.equal(["rpcUrl"]);
      expect(fieldsOf(await failure({ network: "localhost", taskManager: "0x1234" }))).to.deep.equal(["taskManager"]);
      expect(fieldsOf(await failure({ network: "localhost", confirmations: 0 }))).to.deep.equal(["confirmations"]);
      expect(fieldsOf(await failure({ network: "localhost", rpcTimeoutMs: 5 }))).to.deep.equal(["rpcTimeoutMs"]);
      const unknown = fieldsOf(await failure({ network: "localhost", colour: "blue" } as CohortClientOptions));
      expect(unknown).to.deep.equal(["colour"]);
      expect(((await failure({ rpcUrl: "x" })) as ConfigError).details).to.contain("rpcUrl");
    });

    it("a network must be named or reachable by URL", async function () {
      const none = await failure({});
      expect(none).to.be.instanceOf(ConfigError);
      expect((none as ConfigError).details).to.contain("localhost, sepolia");
      const unknown = await failure({ network: "mainnet" });
      expect(unknown).to.be.instanceOf(ConfigError);
      expect((unknown as ConfigError).meta.network).to.equal("mainnet");
      const sepolia = await failure({ network: "sepolia" });
      expect(sepolia).to.be.instanceOf(ConfigError);
      expect((sepolia as ConfigError).shortMessage).to.equal("The sepolia network needs an RPC URL");
    });
  });

  describe("addresses", function () {
    it("come from an Ignition address book: the manager's entry, the rest from the manager", async function () {
      mkdirSync(join(dir, "chain-31337"), { recursive: true });
      writeFileSync(
        join(dir, "chain-31337", "deployed_addresses.json"),
        JSON.stringify({
          "CohortLocal#TestToken": await sys.token.getAddress(),
          "CohortLocal#SecurityPool": await sys.pool.getAddress(),
          "CohortLocal#TaskManager": manager,
        }),
      );
      const client = await createCohortClient({ provider: ethers.provider, deploymentsDir: dir });
      expect(client.chainId).to.equal(31337n);
      expect(client.addresses).to.deep.equal({
        taskManager: manager,
        securityPool: await sys.pool.getAddress(),
        stakeToken: await sys.token.getAddress(),
        randomness: await sys.randomness.getAddress(),
      });
      expect(client.signer).to.equal(undefined);
      expect(client.confirmations).to.equal(1);
      // Another deployment id than chain-<id>.
      mkdirSync(join(dir, "staging"));
      writeFileSync(join(dir, "staging", "deployed_addresses.json"), JSON.stringify({ "Other#TaskManager": manager }));
      expect(readTaskManagerAddress(dir, 31337n, "staging")).to.equal(manager);
    });

    it("a missing or unusable address book is a DeploymentNotFoundError naming the file", async function () {
      const missing = await failure({ provider: ethers.provider, deploymentsDir: join(dir, "nowhere") });
      expect(missing).to.be.instanceOf(DeploymentNotFoundError);
      expect((missing as DeploymentNotFoundError).path).to.equal(
        join(dir, "nowhere", "chain-31337", "deployed_addresses.json"),
      );
      const book = (name: string, content: string) => {
        mkdirSync(join(dir, name), { recursive: true });
        writeFileSync(join(dir, name, "deployed_addresses.json"), content);
        return () => readTaskManagerAddress(dir, 31337n, name);
      };
      expect(book("empty", "{}")).to.throw(DeploymentNotFoundError, 'no "<module>#TaskManager" entry');
      expect(book("two", JSON.stringify({ "A#TaskManager": manager, "B#TaskManager": manager }))).to.throw(
        DeploymentNotFoundError,
        "several task managers",
      );
      expect(book("garbage", "not json")).to.throw(DeploymentNotFoundError, "not an Ignition address book");
      expect(book("bad-address", JSON.stringify({ "A#TaskManager": "0x12" }))).to.throw(DeploymentNotFoundError);
    });

    it("an address without code (a restarted node) is a ConfigError, not a hang or a zero read", async function () {
      const error = await failure({ provider: ethers.provider, taskManager: sys.outsider.address });
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).meta.taskManager).to.equal(sys.outsider.address);
    });
  });

  describe("signers", function () {
    it("reads need none; a write without one is a NoSignerError before anything is sent", async function () {
      const reader = await clientOf(ethers, sys);
      expect((await reader.getPoolStatus()).taskCount).to.equal(0n);
      let error: unknown;
      try {
        await reader.stake({ amount: 1n });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(NoSignerError);
      expect((error as NoSignerError).shortMessage).to.equal(
        "SecurityPool.stake needs a signer: connect the client with a key",
      );
    });

    it("a view that reverts is a decoded ContractRevertError, not an RPC failure", async function () {
      const reader = await clientOf(ethers, sys);
      let error: unknown;
      try {
        await readContract(reader, "manager", "recordsOf", [1n, 0n, 0n, 10_000n]);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ContractRevertError);
      const revert = error as ContractRevertError;
      expect(revert.functionName).to.equal("TaskManager.recordsOf");
      expect(revert.errorName).to.equal("TaskManagerParameterOutOfBounds");
      // MAX_RECORDS_PER_ROUND = 129 seats times (1 + 3 replacement draws).
      expect(revert.args).to.deep.equal({ name: nameWord(ethers, "count"), value: 10_000n, min: 0n, max: 516n });
    });
  });

  describe("RPC failures", function () {
    let node: FakeNode | undefined;

    afterEach(async function () {
      await node?.close();
      node = undefined;
    });

    it("a closed loopback port is an RpcError at once, not a hang", async function () {
      this.timeout(5_000);
      const url = await closedPort();
      const error = await failure({ rpcUrl: url, taskManager: manager });
      expect(error).to.be.instanceOf(RpcError);
      expect((error as RpcError).code).to.equal("ECONNREFUSED");
      expect((error as RpcError).url).to.equal(url);
    });

    it("a node that never answers is an RpcError after the configured timeout", async function () {
      this.timeout(5_000);
      node = await startFakeNode(() => "hang");
      const error = await failure({ rpcUrl: node.url, taskManager: manager, rpcTimeoutMs: 200 });
      expect(error).to.be.instanceOf(RpcError);
      expect((error as RpcError).code).to.equal("TIMEOUT");
    });

    it("a JSON-RPC server error is an RpcError, whichever call it answers", async function () {
      this.timeout(5_000);
      node = await startFakeNode(() => ({ error: { code: -32603, message: "Internal error" } }));
      const first = await failure({ rpcUrl: node.url, taskManager: manager });
      expect(first).to.be.instanceOf(RpcError);
      expect((first as RpcError).code).to.equal("SERVER_ERROR");
      expect((first as RpcError).shortMessage).to.contain("Internal error (-32603)");
      await node.close();

      // The node answers the chain id, then fails the code lookup.
      node = await startFakeNode((method) =>
        method === "eth_chainId" ? { result: "0x7a69" } : { error: { code: -32000, message: "header not found" } },
      );
      const later = await failure({ rpcUrl: node.url, taskManager: manager });
      expect(later).to.be.instanceOf(RpcError);
      expect(later).to.not.be.instanceOf(ContractRevertError);
      // The node's own message and code, not ethers' "could not coalesce error".
      expect((later as RpcError).shortMessage).to.contain("header not found (-32000)");
      expect((later as RpcError).meta.jsonRpcCode).to.equal(-32000);
      await node.close();

      // An HTTP error page instead of JSON.
      node = await startFakeNode(() => ({ status: 502, body: "<html>Bad Gateway</html>" }));
      const page = await failure({ rpcUrl: node.url, taskManager: manager });
      expect(page).to.be.instanceOf(RpcError);
      expect((page as RpcError).code).to.equal("BAD_DATA");
    });

    it("a node that goes away after the client was built fails actions with an RpcError", async function () {
      this.timeout(10_000);
      // Just enough of a node to build a client: a chain id, code at the manager, and addresses for its views.
      node = await startFakeNode((method) => {
        if (method === "eth_chainId") return { result: "0x7a69" };
        if (method === "eth_getCode") return { result: "0x6080" };
        if (method === "eth_call") return { result: ADDRESS_WORD(manager) };
        if (method === "eth_blockNumber") return { result: "0x10" };
        return { result: ZERO_WORD };
      });
      const cohort = await createCohort({ rpcUrl: node.url, taskManager: manager, rpcTimeoutMs: 1_000 });
      expect(cohort.addresses.securityPool).to.equal(manager);
      await node.close();
      node = undefined;
      let error: unknown;
      try {
        await cohort.getStake({ worker: manager });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(RpcError);
      expect((error as RpcError).code).to.equal("ECONNREFUSED");
    });
  });
});
