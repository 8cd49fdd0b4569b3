import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const HARDHAT_CLI = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export interface HardhatNode {
  url: string;
  port: number;
  process: ChildProcess;
  /** JSON-RPC straight to the node (test setup: mining, snapshots, drops). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Starts `hardhat node` on a free loopback port as its own process (the Hardhat CLI run by this Node, not through
 * npx, so the pid we hold is the node's) and waits for its "Started HTTP" line.
 */
export async function startNode(): Promise<HardhatNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}:\n${output}`));
    });
  });
  // The node logs every call; nobody reads it, and an unread pipe would block it once full.
  child.stdout.resume();
  child.stderr.resume();
  const url = `http://127.0.0.1:${port}`;
  let id = 0;
  return {
    url,
    port,
    process: child,
    async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      });
      const body = (await response.json()) as { result?: T; error?: { message: string } };
      if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
      return body.result as T;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** The system as `ignition deploy` of the local module left it on a node. */
export interface LocalDeployment {
  id: string;
  /** Every future of the deployment by name, e.g. `CohortLocal#TaskManager`. */
  addresses: Record<string, string>;
  taskManager: string;
  /** Deletes the deployment's journal under ignition/deployments (the node's state is the node's). */
  remove(): void;
}

/**
 * Deploys the local Ignition module to the node at `nodeUrl` under `deploymentId`, as `npm run deploy:local` does but
 * through the `nodeAtUrl` network (the test node's port is not 8545).
 */
export async function deployLocal(nodeUrl: string, deploymentId: string): Promise<LocalDeployment> {
  await promisify(execFile)(
    process.execPath,
    [
      HARDHAT_CLI,
      "ignition",
      "deploy",
      "ignition/modules/CohortLocal.ts",
      "--network",
      "nodeAtUrl",
      "--parameters",
      "ignition/parameters/local.json",
      "--deployment-id",
      deploymentId,
      // The test profile's artifacts: the default (production) profile would rebuild every contract first.
      "--build-profile",
      "default",
    ],
    // Chain 31337 asks no confirmation; the variable covers any other chain id a node might report.
    { cwd: ROOT, env: { ...process.env, COHORT_NODE_URL: nodeUrl, HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true" } },
  );
  const dir = path.join(ROOT, "ignition/deployments", deploymentId);
  const addresses = JSON.parse(readFileSync(path.join(dir, "deployed_addresses.json"), "utf8")) as Record<
    string,
    string
  >;
  return {
    id: deploymentId,
    addresses,
    taskManager: addresses["CohortLocal#TaskManager"]!,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
