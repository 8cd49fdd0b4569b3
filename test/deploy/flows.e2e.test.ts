import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { JsonRpcProvider, keccak256 } from "ethers";

import { Phase, createCohort, type Cohort } from "../../sdk/src/index.js";
import { computeResult } from "../../scripts/flows/compute.js";
import { deployLocal, startNode, type HardhatNode, type LocalDeployment } from "../agents/helpers/node.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");
const PROGRAM = path.join(ROOT, "programs/particles/build/particles.wasm");
const CLI = path.join(ROOT, "sdk/dist/cli/main.js");
/** The node's well-known development account 1 (README). */
const DEV_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/**
 * The README's flows on a real node, exactly as a user runs them: `hardhat node`, `ignition deploy` of the local
 * module, then each script of `scripts/flows/` with `hardhat run --network`. Every drawn member of the first round
 * lies (WRONG=all), so the wrong result is proposed for sure; the challenge script catches it, the
 * escalation round (drawn without the liars) posts the right one, and the liars are slashed at finalization.
 */
describe("scripts/flows on a hardhat node: stake, post, join, post results, challenge, finalize", function () {
  let node: HardhatNode;
  let reader: Cohort;
  const deploymentId = `flows-e2e-${process.pid}`;
  let taskManager: string;
  let deployment: LocalDeployment | undefined;

  before(async function () {
    node = await startNode();
    deployment = await deployLocal(node.url, deploymentId);
    taskManager = deployment.taskManager;
    reader = await createCohort({ provider: new JsonRpcProvider(node.url), taskManager });
  });

  after(async function () {
    await node?.stop();
    deployment?.remove();
  });

  async function hardhat(args: string[], env: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run(process.execPath, [HARDHAT, ...args], {
      cwd: ROOT,
      env: { ...process.env, COHORT_NODE_URL: node.url, COHORT_TASK_MANAGER: taskManager ?? "", ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }
  const flow = (script: string, env: Record<string, string> = {}) =>
    hardhat(["run", `scripts/flows/${script}.ts`, "--network", "nodeAtUrl"], env);

  it("runs every flow and ends with the right result, the liars slashed and the challenger paid", async function () {
    // The scripts' defaults, as the README runs them: 17 workers, 300 down to 30 tokens.
    const staked = await flow("fund-and-stake");
    expect(staked).to.match(/pool: 17 stakers, 1950 tokens active, weight 1950/);

    const posted = await flow("post-task", { PARTICLES: "16", TICKS: "20" });
    expect(posted).to.match(/task 1: 16 particles/);
    const taskId = 1n;
    const { resultHash } = await computeResult(reader, taskId, PROGRAM);

    expect(await flow("join")).to.match(/task 1: seats drawn/);
    const firstRound = await reader.getRecords({ taskId });
    const liars = firstRound.records.map((r) => r.member);
    const before = await Promise.all(liars.map((worker) => reader.getStake({ worker })));

    const lied = await flow("post-results", { WRONG: "all" });
    expect(lied, lied).to.match(/Challengeable, proposed 0x[0-9a-f]{64} \(WRONG\)/);
    expect((await reader.getTask({ taskId })).proposedResult).to.not.equal(resultHash);

    const challenged = await flow("challenge");
    expect(challenged, challenged).to.include(`with ${resultHash}`);
    const bond = (await reader.getChallenge({ taskId, step: 1n })).bond;

    const honest = await flow("post-results");
    expect(honest, honest).to.include(`proposed ${resultHash} (correct)`);
    // No escalation is left after step 1 in the local parameters (maxEscalations 1): the result is final at once.
    const second = await reader.getRecords({ taskId });
    expect(second.round).to.be.greaterThan(0n);
    for (const r of second.records) expect(liars).to.not.include(r.member);

    const settled = await flow("finalize-and-claim");
    expect(settled, settled).to.match(/task 1: Finalized/);
    const task = await reader.getTask({ taskId });
    expect(task.phase).to.equal(Phase.Finalized);
    expect(task.proposedResult).to.equal(resultHash);
    const challenge = await reader.getChallenge({ taskId, step: 1n });
    expect(challenge.outcomeName).to.equal("Won");
    expect(challenge.payout).to.be.greaterThan(bond);
    expect(settled, settled).to.include(`account 11: reward 0, credit ${challenge.payout}`);
    const after = await Promise.all(liars.map((worker) => reader.getStake({ worker })));
    after.forEach((s, i) => expect(s.active, `liar ${liars[i]} slashed`).to.be.lessThan(before[i]!.active));

    // The README's CLI commands after the flows, on the same node (the README's `COHORT_NETWORK=localhost` is this
    // node's URL here, the node runs on a free port).
    const out = path.join(mkdtempSync(path.join(tmpdir(), "cohort-flows-")), "result.bin");
    const readme: string[][] = [
      ["pool", "status"],
      ["task", "list"],
      ["task", "show", "1", "--json"],
      ["task", "result", "1"],
      ["program", "id", "programs/particles/build/particles.wasm"],
      ["result", "compute", "1", "--program", "programs/particles/build/particles.wasm", "--out", out],
    ];
    for (const args of readme) await cohort(args);
    expect(keccak256(readFileSync(out))).to.equal(resultHash);
    const shown = await cohort(["stake", "show", "--json"], { COHORT_PRIVATE_KEY: DEV_KEY_1 });
    expect(JSON.parse(shown)).to.include({ ok: true });
  });

  async function cohort(args: string[], env: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", COHORT_RPC_URL: node.url, COHORT_TASK_MANAGER: taskManager, ...env },
    });
    return stdout;
  }
});
