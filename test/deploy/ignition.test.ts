import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import { expect } from "chai";
import { network } from "hardhat";

import CohortLocal from "../../ignition/modules/CohortLocal.js";
import CohortLocalExistingToken from "../../ignition/modules/CohortLocalExistingToken.js";
import CohortSepolia from "../../ignition/modules/CohortSepolia.js";
import CohortSepoliaExistingToken from "../../ignition/modules/CohortSepoliaExistingToken.js";
import {
  CohortParameterError,
  LOCAL_DEFAULTS,
  PARTICLE_MAX_STEPS,
  checkCohortParameters,
  commandLineParameters,
  deployCohort,
  gameLifeOf,
  gameMaxDuration,
} from "../../ignition/modules/core.js";
import type { CohortModule, CohortParameterRule } from "../../ignition/modules/core.js";
import { UNIT } from "../helpers/pool.js";
import {
  NoQuorumRule,
  Phase,
  TASK_CONFIG,
  commitAll,
  committee,
  drawWhenReady,
  mineAfter,
  postTask,
  revealAll,
  taskRequest,
} from "../helpers/tasks.js";
import type { TaskSystem } from "../helpers/tasks.js";

const { ethers, ignition, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;

const ROOT = path.resolve(import.meta.dirname, "../..");
const LOCAL_FILE = path.join(ROOT, "ignition/parameters/local.json");
const SEPOLIA_FILE = path.join(ROOT, "ignition/parameters/sepolia.json");

/** A parameter file as Ignition reads it: "123n" strings are bigints. */
function readParameters(file: string): DeploymentParameters {
  return JSON.parse(readFileSync(file, "utf8"), (_key, value: unknown) =>
    typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as DeploymentParameters;
}

const LOCAL = readParameters(LOCAL_FILE).CohortLocal!;
const SEPOLIA = readParameters(SEPOLIA_FILE).CohortSepolia!;

/** `LOCAL` with some values replaced, as a parameter set for `CohortLocal`. */
function localWith(overrides: DeploymentParameters[string]): DeploymentParameters {
  return { CohortLocal: { ...LOCAL, ...overrides } };
}

function expectRefused(module: CohortModule, parameters: DeploymentParameters, rule: CohortParameterRule) {
  let thrown: unknown;
  try {
    checkCohortParameters(module, parameters);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected ${rule}`).to.be.instanceOf(CohortParameterError);
  expect((thrown as CohortParameterError).rule).to.equal(rule);
  return thrown as CohortParameterError;
}

async function typed(deployed: { stakeToken: unknown; pool: unknown; randomness: unknown; manager: unknown }) {
  const at = async (x: unknown) => await (x as { getAddress(): Promise<string> }).getAddress();
  return {
    token: await ethers.getContractAt("TestToken", await at(deployed.stakeToken)),
    pool: await ethers.getContractAt("SecurityPool", await at(deployed.pool)),
    manager: await ethers.getContractAt("TaskManager", await at(deployed.manager)),
    randomnessAddress: await at(deployed.randomness),
  };
}

async function deployLocal() {
  const deployed = await deployCohort(ignition, CohortLocal, { parameters: LOCAL_FILE });
  const system = await typed(deployed);
  const randomness = await ethers.getContractAt("BlockhashRandomness", system.randomnessAddress);
  const [deployer] = await ethers.getSigners();
  return { ...system, randomness, deployer: deployer! };
}

/** Every (role, account) pair ever granted on `contract`, as "role/account" strings, and whether any was revoked. */
async function grantsOf(contract: {
  getAddress(): Promise<string>;
  interface: { getEvent(name: "RoleGranted" | "RoleRevoked"): { topicHash: string } | null };
}) {
  const address = await contract.getAddress();
  const logs = async (name: "RoleGranted" | "RoleRevoked") =>
    await ethers.provider.getLogs({ address, fromBlock: 0, topics: [contract.interface.getEvent(name)!.topicHash] });
  const role = (topic: string) => topic;
  const account = (topic: string) => ethers.getAddress(ethers.dataSlice(topic, 12));
  const granted = (await logs("RoleGranted")).map((l) => `${role(l.topics[1]!)}/${account(l.topics[2]!)}`);
  return { granted: granted.sort(), revoked: (await logs("RoleRevoked")).length };
}

/** Mines until the next transaction lands in the open part of an epoch of `pool`'s layout. */
async function mineToOpenPart(pool: TaskSystem["pool"]) {
  const window = await pool.drawWindow();
  const next = BigInt(await ethers.provider.getBlockNumber()) + 1n;
  if (next >= window.start && next <= window.end) await networkHelpers.mine(window.end + 1n - next);
}

async function stakeWorkers(token: TaskSystem["token"], pool: TaskSystem["pool"], workers: HardhatEthersSigner[]) {
  const stakes = [300n, 200n, 150n, 100n, 80n, 50n].map((s) => s * UNIT);
  for (const [i, w] of workers.entries()) {
    await (await token.mint(w.address, stakes[i]!)).wait();
    await (await token.connect(w).approve(await pool.getAddress(), ethers.MaxUint256)).wait();
    await mineToOpenPart(pool);
    await (await pool.connect(w).stake(stakes[i]!)).wait();
  }
  return stakes;
}

describe("Ignition: CohortLocal", function () {
  it("names its contracts StakeToken, SecurityPool, Randomness, TaskManager in every variant", function () {
    for (const [module, id] of [
      [CohortLocal, "CohortLocal"],
      [CohortLocalExistingToken, "CohortLocal"],
      [CohortSepolia, "CohortSepolia"],
      [CohortSepoliaExistingToken, "CohortSepolia"],
    ] as const) {
      expect(module.id).to.equal(id);
      // deployed_addresses.json holds one key per contract future: these are the SDK's address book keys.
      const contracts = [...module.futures]
        .filter((f) => f.type.startsWith("NAMED_ARTIFACT_CONTRACT"))
        .map((f) => f.id)
        .sort();
      expect(contracts).to.deep.equal([
        `${id}#BisectionGame`,
        `${id}#ParticleStepVerifier`,
        `${id}#Randomness`,
        `${id}#SecurityPool`,
        `${id}#StakeToken`,
        `${id}#TaskManager`,
      ]);
    }
  });

  it("has defaults equal to ignition/parameters/local.json", function () {
    const defaults: Record<string, unknown> = LOCAL_DEFAULTS;
    expect(Object.keys(LOCAL).sort()).to.deep.equal(Object.keys(LOCAL_DEFAULTS).sort());
    // Same values and same types: Ignition's reconciliation tells 20 from 20n, so a rerun without --parameters must
    // see exactly what local.json gave the first run.
    for (const [name, value] of Object.entries(LOCAL)) expect(value, name).to.equal(defaults[name]);
    expect(checkCohortParameters(CohortLocal)).to.deep.equal(checkCohortParameters(CohortLocal, LOCAL_FILE));
  });

  it("deploys every contract, wired to each other", async function () {
    const { token, pool, randomness, manager } = await loadFixture(deployLocal);
    const addresses = await Promise.all([token, pool, randomness, manager].map((c) => c.getAddress()));
    expect(new Set(addresses).size).to.equal(4);
    for (const address of addresses) expect(await ethers.provider.getCode(address)).to.not.equal("0x");
    expect(await token.name()).to.equal(LOCAL.tokenName);
    expect(await token.symbol()).to.equal(LOCAL.tokenSymbol);
    expect(await pool.stakeToken()).to.equal(addresses[0]);
    expect(await manager.pool()).to.equal(addresses[1]);
    expect(await manager.randomness()).to.equal(addresses[2]);
    expect(await manager.paymentToken()).to.equal(addresses[0]);
    // The settlement module the manager creates in its constructor (its first CREATE, nonce 1) is not an Ignition
    // future; docs/Deployment.md derives its address this way to verify it on Etherscan.
    const settlement = ethers.getCreateAddress({ from: addresses[3]!, nonce: 1 });
    expect(await ethers.provider.getCode(settlement)).to.not.equal("0x");
  });

  it("wires the bisection game: set on the manager, the particle verifier registered, clocks as configured", async function () {
    const deployed = await deployCohort(ignition, CohortLocal, { parameters: LOCAL_FILE });
    const { manager, pool, token } = await typed(deployed);
    const gameAddress = await (deployed.bisectionGame as unknown as { getAddress(): Promise<string> }).getAddress();
    const verifierAddress = await (
      deployed.particleVerifier as unknown as { getAddress(): Promise<string> }
    ).getAddress();
    expect(await manager.bisectionGame()).to.equal(gameAddress);
    const game = await ethers.getContractAt("BisectionGame", gameAddress);
    const verifier = await ethers.getContractAt("ParticleStepVerifier", verifierAddress);
    const programId = ethers.keccak256(readFileSync(path.join(ROOT, "programs/particles/build/particles.wasm")));
    expect(LOCAL.particleProgramId).to.equal(programId);
    expect(await game.verifierOf(programId)).to.equal(verifierAddress);
    expect(await verifier.programId()).to.equal(programId);
    expect(await verifier.maxSteps()).to.equal(PARTICLE_MAX_STEPS);
    expect(await game.parameters()).to.deep.equal([
      BigInt(LOCAL.gameClockBlocks as number),
      BigInt(LOCAL.gameExtensionBlocks as number),
    ]);
    const [clock, extension] = [BigInt(LOCAL.gameClockBlocks as number), BigInt(LOCAL.gameExtensionBlocks as number)];
    expect(await game.maxDuration(PARTICLE_MAX_STEPS, clock, extension)).to.equal(
      gameMaxDuration(PARTICLE_MAX_STEPS, clock, extension),
    );
    // A particle task freezes the verifier and the clocks, and its life (games included) fits the unbonding period;
    // the admin holds the game's admin role, and nobody else any.
    const [deployer, , , requester] = await ethers.getSigners();
    await (await token.mint(requester!.address, 1_000_000n * UNIT)).wait();
    await (await token.connect(requester!).approve(await manager.getAddress(), ethers.MaxUint256)).wait();
    const request = taskRequest(ethers, { programId });
    const created = await (await manager.connect(requester!).createTask(request)).wait();
    const taskId = await manager.taskCount();
    const taskGame = await manager.taskGameOf(taskId);
    expect([taskGame.verifier, taskGame.clockBlocks, taskGame.extensionBlocks]).to.deep.equal([
      verifierAddress,
      clock,
      extension,
    ]);
    const life = (await manager.taskOf(taskId)).expiresAt - BigInt(created!.blockNumber);
    const base = await manager.lifeBound(
      request.commitBlocks,
      request.revealBlocks,
      request.challengeBlocks,
      request.noQuorumRule,
    );
    expect(life).to.equal(base + gameLifeOf(PARTICLE_MAX_STEPS, clock, extension, request.challengeBlocks));
    expect(life).to.equal(956n);
    expect(life).to.be.at.most((await pool.parameters()).unbondingPeriod);
    expect(await grantsOf(game)).to.deep.equal({
      granted: [`${await game.DEFAULT_ADMIN_ROLE()}/${deployer!.address}`],
      revoked: 0,
    });
  });

  it("grants the manager its three roles and the deployer only the admin roles", async function () {
    const { pool, randomness, manager, deployer } = await loadFixture(deployLocal);
    const managerAddress = await manager.getAddress();
    const admin = await pool.DEFAULT_ADMIN_ROLE();
    expect(await pool.hasRole(await pool.SEAT_MANAGER_ROLE(), managerAddress)).to.equal(true);
    expect(await pool.hasRole(await pool.SLASHER_ROLE(), managerAddress)).to.equal(true);
    expect(await randomness.hasRole(await randomness.CONSUMER_ROLE(), managerAddress)).to.equal(true);
    // The complete list of grants ever made: nothing else holds a role, and the deployer holds no operational one.
    expect(await grantsOf(pool)).to.deep.equal({
      granted: [
        `${admin}/${deployer.address}`,
        `${await pool.PAUSER_ROLE()}/${deployer.address}`,
        `${await pool.SEAT_MANAGER_ROLE()}/${managerAddress}`,
        `${await pool.SLASHER_ROLE()}/${managerAddress}`,
      ].sort(),
      revoked: 0,
    });
    expect(await grantsOf(randomness)).to.deep.equal({
      granted: [`${admin}/${deployer.address}`, `${await randomness.CONSUMER_ROLE()}/${managerAddress}`].sort(),
      revoked: 0,
    });
    expect(await grantsOf(manager)).to.deep.equal({
      granted: [`${admin}/${deployer.address}`, `${await manager.PAUSER_ROLE()}/${deployer.address}`].sort(),
      revoked: 0,
    });
    // Every role is administered by DEFAULT_ADMIN_ROLE, so no grantee can grant further roles.
    for (const role of [await pool.SEAT_MANAGER_ROLE(), await pool.SLASHER_ROLE(), await pool.PAUSER_ROLE()]) {
      expect(await pool.getRoleAdmin(role)).to.equal(admin);
    }
    expect(await randomness.getRoleAdmin(await randomness.CONSUMER_ROLE())).to.equal(admin);
    expect(await manager.getRoleAdmin(await manager.PAUSER_ROLE())).to.equal(admin);
  });

  it("reads every parameter back through the contracts' views", async function () {
    const { pool, randomness, manager, deployer } = await loadFixture(deployLocal);
    expect(await pool.weightUnit()).to.equal(LOCAL.weightUnit);
    expect(await pool.epochBlocks()).to.equal(BigInt(LOCAL.epochBlocks as number));
    expect(await pool.drawWindowBlocks()).to.equal(BigInt(LOCAL.drawWindowBlocks as number));
    const params = await pool.parameters();
    expect(params.minStake).to.equal(LOCAL.minStake);
    expect(params.seatBond).to.equal(LOCAL.seatBond);
    expect(params.unbondingPeriod).to.equal(BigInt(LOCAL.unbondingPeriod as number));
    expect(params.treasury).to.equal(deployer.address);
    expect(await randomness.lookahead()).to.equal(BigInt(LOCAL.lookahead as number));
    const config = await manager.config();
    for (const name of [
      "slashFractionBps",
      "missedCommitPenaltyBps",
      "missedRevealPenaltyBps",
      "maxReplacementDraws",
      "maxRedraws",
      "maxEscalations",
      "bountyBps",
      "honestShareBps",
      "challengeBondPerSeat",
    ] as const) {
      expect(config[name], name).to.equal(BigInt(LOCAL[name] as number | bigint));
    }
    expect(config.burnRemainder).to.equal(LOCAL.burnRemainder);
  });

  it("admits the default task request: its lifeBound is within the unbonding period", async function () {
    const { pool, manager } = await loadFixture(deployLocal);
    const request = taskRequest(ethers);
    const life = await manager.lifeBound(
      request.commitBlocks,
      request.revealBlocks,
      request.challengeBlocks,
      request.noQuorumRule,
    );
    // 3 rounds of (2 draws of (3 epochs of 20 + 10) + 10) plus 2 challenge windows of 10 (docs/TaskManager.md).
    expect(life).to.equal(470n);
    expect(life).to.be.at.most((await pool.parameters()).unbondingPeriod);
    // The check's bound for the shortest task is the contract's own.
    expect(await manager.lifeBound(1n, 1n, 1n, NoQuorumRule.Redraw)).to.equal(
      checkCohortParameters(CohortLocal, LOCAL_FILE).shortestLifeBound,
    );
  });

  it("runs the default task to Finalized within a few dozen blocks", async function () {
    const deployed = await loadFixture(deployLocal);
    const [admin, treasury, outsider, requester, ...rest] = await ethers.getSigners();
    const workers = rest.slice(0, 6);
    const stakes = await stakeWorkers(deployed.token, deployed.pool, workers);
    await (await deployed.token.mint(requester!.address, 1_000_000n * UNIT)).wait();
    const managerAddress = await deployed.manager.getAddress();
    await (await deployed.token.connect(requester!).approve(managerAddress, ethers.MaxUint256)).wait();
    const sys: TaskSystem = {
      ...deployed,
      admin: admin!,
      treasury: treasury!,
      outsider: outsider!,
      requester: requester!,
      workers,
      config: TASK_CONFIG,
      stakes,
    };
    await mineToOpenPart(deployed.pool);
    const start = BigInt(await ethers.provider.getBlockNumber());
    const taskId = await postTask(sys, ethers);
    await drawWhenReady(sys, ethers, networkHelpers, taskId);
    const records = await committee(sys, taskId);
    const result = ethers.id("result");
    await commitAll(sys, ethers, taskId, records, () => result);
    const info = await deployed.manager.taskOf(taskId);
    await mineAfter(ethers, networkHelpers, info.commitDeadline);
    await revealAll(sys, ethers, taskId, records, () => result);
    await mineAfter(ethers, networkHelpers, info.revealDeadline);
    await (await deployed.manager.tally(taskId)).wait();
    await mineAfter(ethers, networkHelpers, (await deployed.manager.taskOf(taskId)).challengeDeadline);
    await (await deployed.manager.finalize(taskId)).wait();
    expect(await deployed.manager.phaseOf(taskId)).to.equal(Phase.Finalized);
    expect((await deployed.manager.taskOf(taskId)).proposedResult).to.equal(result);
    const blocks = BigInt(await ethers.provider.getBlockNumber()) - start;
    // At most one epoch to the draw window, then the commit, reveal and challenge windows and a block per step.
    expect(blocks).to.be.at.most(BigInt(LOCAL_DEFAULTS.epochBlocks) + 3n * 10n + 20n);
  });

  it("makes another account the admin when that account also sends the deployment", async function () {
    const [, other] = await ethers.getSigners();
    const parameters = localWith({ admin: other!.address, treasury: other!.address });
    const { pool, manager } = await typed(
      await deployCohort(ignition, CohortLocal, { parameters, defaultSender: other!.address }),
    );
    const admin = await pool.DEFAULT_ADMIN_ROLE();
    expect(await pool.hasRole(admin, other!.address)).to.equal(true);
    expect(await manager.hasRole(admin, other!.address)).to.equal(true);
    expect((await pool.parameters()).treasury).to.equal(other!.address);
    expect(await pool.hasRole(await pool.SLASHER_ROLE(), await manager.getAddress())).to.equal(true);
  });

  it("cannot wire the roles when the admin is not the sending account", async function () {
    const [, other] = await ethers.getSigners();
    const thrown = await deployCohort(ignition, CohortLocal, { parameters: localWith({ admin: other!.address }) }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    // The contracts exist by then: Ignition cannot send as a parameter, so `admin` must be the sender of the role
    // grants and of the game's verifier registration, whichever Ignition's batch reaches first.
    expect(thrown?.message).to.contain("AccessControlUnauthorizedAccount");
    expect(thrown?.message).to.match(/CohortLocal#(GrantSeatManagerRole|GrantSlasherRole|SetParticleVerifier)/);
  });

  it("deploys with an existing stake token instead of a TestToken", async function () {
    const existing = await ethers.deployContract("TestToken", ["Existing", "EXT"]);
    const address = await existing.getAddress();
    const parameters = localWith({ stakeToken: address });
    const { pool, token } = await typed(await deployCohort(ignition, CohortLocalExistingToken, { parameters }));
    expect(await token.getAddress()).to.equal(address);
    expect(await pool.stakeToken()).to.equal(address);
    expectRefused(CohortLocalExistingToken, localWith({}), "StakeToken");
  });
});

describe("Ignition: parameter checks", function () {
  it("refuses a lookahead as long as the open part of an epoch, before sending anything", async function () {
    const bad = localWith({ lookahead: 15 }); // epochBlocks 20 - drawWindowBlocks 5
    const error = expectRefused(CohortLocal, bad, "Lookahead");
    expect(error.name).to.equal("CohortParameterError");
    expect(error.message).to.contain("lookahead 15").and.contain("epochBlocks - drawWindowBlocks (20 - 5 = 15)");
    expect(error.values).to.deep.include({ lookahead: 15n, epochBlocks: 20n, drawWindowBlocks: 5n });
    const [deployer] = await ethers.getSigners();
    const nonce = await ethers.provider.getTransactionCount(deployer!.address);
    const block = await ethers.provider.getBlockNumber();
    let thrown: unknown;
    await deployCohort(ignition, CohortLocal, { parameters: bad }).catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(CohortParameterError);
    expect(await ethers.provider.getTransactionCount(deployer!.address)).to.equal(nonce);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("bounds the lookahead by the draw window and by the open part, whichever is shorter", function () {
    expectRefused(CohortLocal, localWith({ lookahead: 0 }), "Lookahead");
    expectRefused(CohortLocal, localWith({ lookahead: 5 }), "Lookahead"); // = drawWindowBlocks
    expect(checkCohortParameters(CohortLocal, localWith({ lookahead: 4 })).lookahead).to.equal(4n);
    // A long window: the open part (20 - 12 = 8) is the shorter bound.
    expectRefused(CohortLocal, localWith({ drawWindowBlocks: 12, lookahead: 8 }), "Lookahead");
    expect(checkCohortParameters(CohortLocal, localWith({ drawWindowBlocks: 12, lookahead: 7 })).lookahead).to.equal(
      7n,
    );
    // Resolved as Ignition resolves: the module's entry, then $global, then the default.
    expectRefused(CohortLocal, { $global: { lookahead: 9 } }, "Lookahead");
    expect(
      checkCohortParameters(CohortLocal, { $global: { lookahead: 9 }, CohortLocal: { lookahead: 2 } }).lookahead,
    ).to.equal(2n);
  });

  it("refuses an invalid epoch layout, a non-integer, and an unbonding period no task fits in", function () {
    expectRefused(CohortLocal, localWith({ drawWindowBlocks: 20 }), "EpochLayout");
    expectRefused(CohortLocal, localWith({ epochBlocks: 300 }), "EpochLayout");
    expectRefused(CohortLocal, localWith({ epochBlocks: "twenty" }), "NotAnInteger");
    // The shortest task under the default config: 3 rounds of (2 draws of (60 + 1) + 1) + 2 = 371 blocks; a particle
    // task adds three games of at most 2 * 30 + 18 * 5 + 1 = 151 blocks, each with its settling block and a 1-block
    // window: 371 + 3 * 153 = 830.
    const checked = checkCohortParameters(CohortLocal, localWith({ unbondingPeriod: 830 }));
    expect([checked.shortestLifeBound, checked.shortestGameLifeBound]).to.deep.equal([371n, 830n]);
    expectRefused(CohortLocal, localWith({ unbondingPeriod: 829 }), "GameLifeBound");
    expectRefused(CohortLocal, localWith({ unbondingPeriod: 370 }), "UnbondingPeriod");
    expectRefused(CohortLocal, localWith({ gameExtensionBlocks: 31 }), "GameClock");
    expectRefused(CohortLocal, localWith({ gameClockBlocks: 100_001, gameExtensionBlocks: 5 }), "GameClock");
    expectRefused(CohortLocal, localWith({ particleProgramId: ethers.ZeroHash }), "ParticleProgramId");
  });

  it("refuses the shipped Sepolia file until its subscription placeholder is replaced", function () {
    const shipped = readParameters(SEPOLIA_FILE);
    const error = expectRefused(CohortSepolia, shipped, "VrfSubscription");
    expect(error.message).to.contain("REPLACE_WITH_YOUR_VRF_SUBSCRIPTION_ID");
    expectRefused(CohortSepolia, {}, "VrfSubscription");
    const real = { CohortSepolia: { ...SEPOLIA, vrfSubscriptionId: 123n } };
    expect(checkCohortParameters(CohortSepolia, real)).to.include({
      vrfTimeoutBlocks: 50n,
      vrfRequestConfirmations: 3n,
    });
  });

  it("refuses a VRF timeout of an epoch or more, and confirmations that outlast the draw window", function () {
    const sepolia = (overrides: DeploymentParameters[string]) => ({
      CohortSepolia: { ...SEPOLIA, vrfSubscriptionId: 1n, ...overrides },
    });
    expectRefused(CohortSepolia, sepolia({ vrfTimeoutBlocks: 100 }), "VrfTimeout");
    expect(checkCohortParameters(CohortSepolia, sepolia({ vrfTimeoutBlocks: 99 })).vrfTimeoutBlocks).to.equal(99n);
    expectRefused(CohortSepolia, sepolia({ vrfRequestConfirmations: 25 }), "VrfConfirmations");
    expectRefused(CohortSepolia, sepolia({ vrfKeyHash: ethers.ZeroHash }), "VrfKeyHash");
    expectRefused(CohortSepolia, sepolia({ vrfCoordinator: "0x1234" }), "VrfCoordinator");
    expectRefused(CohortSepoliaExistingToken, sepolia({}), "StakeToken");
  });

  it("reads the parameters of an `ignition deploy` command line, and of no other command", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-ignition-"));
    try {
      const file = path.join(dir, "p.json");
      writeFileSync(file, JSON.stringify({ CohortLocal: { lookahead: "3n" } }));
      const deploy = ["node", "hardhat", "--network", "localhost", "ignition", "deploy", "ignition/modules/X.ts"];
      expect(commandLineParameters("CohortLocal", [...deploy, "--parameters", file])).to.deep.equal({
        CohortLocal: { lookahead: 3n },
      });
      expect(commandLineParameters("CohortLocal", [...deploy, `--parameters=${file}`])).to.deep.equal({
        CohortLocal: { lookahead: 3n },
      });
      expect(
        commandLineParameters("CohortLocal", [...deploy, "--parameters", '{"CohortLocal":{"lookahead":2}}']),
      ).to.deep.equal({ CohortLocal: { lookahead: 2 } });
      // No --parameters: Ignition's fallback file ignition/<ModuleId>.config.json, which this repository does not ship.
      expect(commandLineParameters("CohortLocal", deploy)).to.deep.equal({});
      expect(commandLineParameters("CohortLocal", ["node", "hardhat", "test", "mocha", "--parameters", file])).to.equal(
        undefined,
      );
      expect(commandLineParameters("CohortLocal", ["node", "hardhat", "ignition", "visualize", "x.ts"])).to.equal(
        undefined,
      );
      writeFileSync(file, '{"CohortSepolia":{"vrfSubscriptionId":77889900112233445566}}');
      expect(() => commandLineParameters("CohortSepolia", [...deploy, "--parameters", file])).to.throw(
        CohortParameterError,
        "vrfSubscriptionId 77889900112233450000",
      );
      writeFileSync(file, "{ CohortLocal: { lookahead: 3 } }"); // JSON5, not JSON
      expect(() => commandLineParameters("CohortLocal", [...deploy, "--parameters", file])).to.throw(
        CohortParameterError,
        "ParametersUnreadable",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops `hardhat ignition deploy` with the named error, and deploys with local.json", async function () {
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-ignition-"));
    const hardhat = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");
    const run = promisify(execFile);
    try {
      const bad = path.join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ CohortLocal: { lookahead: 15 } }));
      // The in-process network: nothing is written to ignition/deployments/. The default build profile reuses the
      // artifacts this test run built (`ignition deploy` would otherwise rebuild everything in the production one).
      const deploy = ["ignition", "deploy", "ignition/modules/CohortLocal.ts", "--parameters"];
      const args = [hardhat, "--build-profile", "default", ...deploy];
      const refused = await run(process.execPath, [...args, bad], { cwd: ROOT }).then(
        () => undefined,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(refused, "the command should fail").to.not.equal(undefined);
      expect(refused!.code).to.not.equal(0);
      const output = refused!.stdout + refused!.stderr;
      // A plugin error: one line, no stack trace, no "unexpected error" banner.
      expect(output).to.contain("Error in community plugin cohort: CohortLocal [Lookahead]: lookahead 15");
      expect(output).to.not.contain("An unexpected error occurred").and.not.contain("Deploying");
      const { stdout } = await run(process.execPath, [...args, LOCAL_FILE], { cwd: ROOT });
      expect(stdout).to.contain("CohortLocal#TaskManager").and.contain("successfully deployed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Ignition: CohortSepolia (against Chainlink's VRF coordinator mock)", function () {
  async function deploySepolia() {
    const coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
    const created = (await (await coordinator.createSubscription()).wait())!.logs
      .map((log) => coordinator.interface.parseLog(log))
      .find((parsed) => parsed?.name === "SubscriptionCreated");
    const subscriptionId = created!.args[0] as bigint;
    await (await coordinator.fundSubscription(subscriptionId, 100n * UNIT)).wait();
    const parameters = {
      CohortSepolia: { ...SEPOLIA, vrfCoordinator: await coordinator.getAddress(), vrfSubscriptionId: subscriptionId },
    };
    const system = await typed(await deployCohort(ignition, CohortSepolia, { parameters }));
    const source = await ethers.getContractAt("VrfRandomness", system.randomnessAddress);
    // The step docs/Deployment.md asks of the subscription owner after the deployment.
    await (await coordinator.addConsumer(subscriptionId, system.randomnessAddress)).wait();
    const [deployer] = await ethers.getSigners();
    return { ...system, source, coordinator, subscriptionId, deployer: deployer! };
  }

  it("deploys VrfRandomness with the Sepolia settings, wired like the local system", async function () {
    const { pool, source, manager, coordinator, subscriptionId, deployer } = await loadFixture(deploySepolia);
    const managerAddress = await manager.getAddress();
    expect(await manager.randomness()).to.equal(await source.getAddress());
    expect(await source.s_vrfCoordinator()).to.equal(await coordinator.getAddress());
    const config = await source.config();
    expect(config.subscriptionId).to.equal(subscriptionId);
    expect(config.keyHash).to.equal(SEPOLIA.vrfKeyHash);
    expect(config.callbackGasLimit).to.equal(BigInt(SEPOLIA.vrfCallbackGasLimit as number));
    expect(config.requestConfirmations).to.equal(BigInt(SEPOLIA.vrfRequestConfirmations as number));
    expect(config.nativePayment).to.equal(SEPOLIA.vrfNativePayment);
    expect(config.timeoutBlocks).to.equal(BigInt(SEPOLIA.vrfTimeoutBlocks as number));
    expect(await pool.epochBlocks()).to.equal(100n);
    expect(await pool.drawWindowBlocks()).to.equal(25n);
    expect((await pool.parameters()).unbondingPeriod).to.equal(10_800n);
    const game = await ethers.getContractAt("BisectionGame", await manager.bisectionGame());
    expect(await game.parameters()).to.deep.equal([300n, 25n]);
    // The admin is the deployer, so VrfRandomness did not propose another owner.
    expect(await source.owner()).to.equal(deployer.address);
    const admin = await source.DEFAULT_ADMIN_ROLE();
    expect(await grantsOf(source)).to.deep.equal({
      granted: [`${admin}/${deployer.address}`, `${await source.CONSUMER_ROLE()}/${managerAddress}`].sort(),
      revoked: 0,
    });
    expect(await pool.hasRole(await pool.SEAT_MANAGER_ROLE(), managerAddress)).to.equal(true);
    expect(await pool.hasRole(await pool.SLASHER_ROLE(), managerAddress)).to.equal(true);
    expect(await coordinator.consumerIsAdded(subscriptionId, await source.getAddress())).to.equal(true);
  });

  it("admits the default request and draws its committee from a VRF answer in the draw window", async function () {
    const s = await loadFixture(deploySepolia);
    const [, , , requester, ...rest] = await ethers.getSigners();
    await stakeWorkers(s.token, s.pool, rest.slice(0, 6));
    await (await s.token.mint(requester!.address, 1_000_000n * UNIT)).wait();
    await (await s.token.connect(requester!).approve(await s.manager.getAddress(), ethers.MaxUint256)).wait();
    await mineToOpenPart(s.pool);
    const request = taskRequest(ethers);
    const life = await s.manager.lifeBound(10n, 10n, 10n, request.noQuorumRule);
    expect(life).to.equal(1_910n); // 3 rounds of (2 draws of (300 + 10) + 10) plus 2 windows of 10
    expect(life).to.be.at.most((await s.pool.parameters()).unbondingPeriod);
    await (await s.manager.connect(requester!).createTask(request)).wait();
    const taskId = await s.manager.taskCount();
    const { requestId } = await s.manager.taskOf(taskId);
    const window = await s.pool.drawWindow();
    const toWindow = window.start - BigInt(await ethers.provider.getBlockNumber()) - 1n;
    if (toWindow > 0n) await networkHelpers.mine(toWindow);
    await (await s.source.trigger(requestId)).wait();
    await networkHelpers.mine(SEPOLIA.vrfRequestConfirmations as number);
    const { vrfRequestId } = await s.source.vrfRequestOf(requestId);
    await (await s.coordinator.fulfillRandomWords(vrfRequestId, await s.source.getAddress())).wait();
    await (await s.manager.drawCommittee(taskId)).wait();
    expect(await s.manager.phaseOf(taskId)).to.equal(Phase.Committing);
    expect(BigInt(await ethers.provider.getBlockNumber())).to.be.at.most(window.end);
  });

  it("deploys with an existing stake token", async function () {
    const existing = await ethers.deployContract("TestToken", ["Existing", "EXT"]);
    const coordinator = await ethers.deployContract("VrfCoordinatorMock", [10n ** 15n, 10n ** 9n, 10n ** 18n]);
    const parameters = {
      CohortSepolia: {
        ...SEPOLIA,
        stakeToken: await existing.getAddress(),
        vrfCoordinator: await coordinator.getAddress(),
        vrfSubscriptionId: 7n,
      },
    };
    const { pool } = await typed(await deployCohort(ignition, CohortSepoliaExistingToken, { parameters }));
    expect(await pool.stakeToken()).to.equal(await existing.getAddress());
  });
});
