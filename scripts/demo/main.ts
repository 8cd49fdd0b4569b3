/**
 * `npm run demo`: the question Cohort answers, end to end. A 2-D particle world cut into a grid of regions, each
 * region a shard whose every batch of ticks is a task; every task's committee is sampled from one staking pool of
 * workers, one of whom is an adversary holding a fifth of the stake and lying whenever it sits. The pool's agents and
 * a watchtower run in this process through the SDK; wrong results that reach quorum are challenged and overturned,
 * the adversary is slashed, and every final state is checked against a trusted recomputation of the whole world.
 *
 * Runs under plain node (`node scripts/demo/main.ts [options]`, type stripping): `hardhat run` does not pass options
 * on to a script. `--network localhost` runs against `npx hardhat node`; the default is the in-process network,
 * served to the agents on a loopback port.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { keccak256 } from "ethers";
import { network } from "hardhat";

import { startAgents } from "./agents.ts";
import { accountingOf } from "./accounting.ts";
import { runChecks } from "./checks.ts";
import { ROOT, deploySystem } from "./deploy.ts";
import { runEpochs, waitForClaims } from "./epochs.ts";
import { EventCollector } from "./events.ts";
import { gasByTask } from "./gas.ts";
import { DemoOptionError, parseDemoOptions, type DemoOptions } from "./options.ts";
import { UNIT, demoWallet, fundGas, planPool, stakePool } from "./pool.ts";
import { Progress } from "./progress.ts";
import { buildRecord, hashOf } from "./record.ts";
import { startRpcBridge } from "./rpcBridge.ts";
import { formatSummary } from "./summary.ts";
import { writeReport } from "./writeReport.ts";
import { initialWorld, recomputeWorld, regionsOf, type WorldShape } from "./world.ts";

/** Region geometry: 2,048 units square, discs of radius 24 moving up to 40 units a tick (a region in ~50 ticks). */
const REGION_SIZE = 2_048;
const RADIUS = 24;
const MAX_SPEED = 40;
const REWARD_PER_SEAT = 10n * UNIT;
const WATCHTOWER_FUNDS = 2_000n * UNIT;
/** Windows in blocks: long enough for 21 agents on two cores to compute, commit and reveal; short enough to watch. */
const WINDOWS = { commit: 12, reveal: 12, challenge: 12 };
const BURN_ADDRESS = "0x000000000000000000000000000000000000dEaD";
const PROGRAM_PATH = path.join(ROOT, "programs/particles/build/particles.wasm");

async function main(o: DemoOptions): Promise<number> {
  const startedAt = Date.now();
  const progress = new Progress(o.plain);
  const conn = await network.create(o.network === undefined ? undefined : { network: o.network });
  const { ethers } = conn;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const [admin, treasury] = await ethers.getSigners();
  if (admin === undefined || treasury === undefined) throw new Error("the network has fewer than two accounts");

  const work = mkdtempSync(path.join(tmpdir(), "cohort-demo-"));
  const programPath = path.join(work, "particles.wasm");
  // A copy: its id is its hash, whatever is rebuilt in the checkout while the demo runs.
  copyFileSync(PROGRAM_PATH, programPath);
  const programBytes = new Uint8Array(readFileSync(programPath));
  const programId = keccak256(programBytes);

  progress.line(`network "${conn.networkName}" (chain ${chainId}); deploying Cohort...`);
  const d = await deploySystem(conn, admin, treasury.address, programId, o.game);
  progress.line(
    `deployed: token ${d.addresses.token}, pool ${d.addresses.pool}, task manager ${d.addresses.taskManager}` +
      (d.addresses.bisectionGame === undefined
        ? " (the agents play no bisection game)"
        : `, bisection game ${d.addresses.bisectionGame} with the particle step verifier`),
  );

  const members = planPool(o.workers, o.adversaryShare);
  const watchtower = demoWallet("watchtower");
  await fundGas(admin, [...members.map((m) => m.wallet.address), watchtower.address]);
  let minted = await stakePool(ethers, d, admin, members);
  const adversary = members.find((m) => m.adversarial)!;
  const totalStake = members.reduce((a, m) => a + m.stake, 0n);
  progress.line(
    `pool: ${members.length} workers staked ${totalStake / UNIT} CST; the adversary holds ${adversary.stake / UNIT} ` +
      `(${((Number(adversary.stake) / Number(totalStake)) * 100).toFixed(1)}%)`,
  );

  const shape: WorldShape = {
    gridX: o.gridX,
    gridY: o.gridY,
    regionWidth: REGION_SIZE,
    regionHeight: REGION_SIZE,
    radius: RADIUS,
  };
  const regions = regionsOf(shape);
  const start = initialWorld({ ...shape, particlesPerRegion: o.particlesPerRegion, maxSpeed: MAX_SPEED, seed: o.seed });
  const trustedRun = recomputeWorld(shape, start, o.epochs, o.ticks);
  const trusted = trustedRun.outputs.map((batch) => batch.map(hashOf));

  const taskCount = BigInt(o.epochs * regions.length);
  const budget = taskCount * BigInt(o.seats) * REWARD_PER_SEAT;
  await (await d.token.connect(admin).mint(admin.address, budget)).wait();
  await (await d.token.connect(admin).approve(d.addresses.taskManager, budget)).wait();
  await (await d.token.connect(admin).mint(watchtower.address, WATCHTOWER_FUNDS)).wait();
  minted += budget + WATCHTOWER_FUNDS;
  const watchtowerStart = await d.token.balanceOf(watchtower.address);

  const inProcess = conn.networkConfig.type === "edr-simulated";
  const bridge = inProcess ? await startRpcBridge(conn.provider) : undefined;
  const rpcUrl = bridge?.url ?? (await urlOf(conn.networkConfig));
  // Blocks on a clock, transactions waiting in the mempool for them, so that block-based windows pass as on a chain.
  await ethers.provider.send("evm_setAutomine", [false]);
  await ethers.provider.send("evm_setIntervalMining", [o.blockMs]);

  const agents = await startAgents(
    {
      rpcUrl,
      taskManager: d.addresses.taskManager,
      fromBlock: d.block,
      programs: { [programId]: programPath },
      pollMs: o.pollMs,
      dir: path.join(work, "stores"),
      logFile: path.join(path.resolve(o.out), "agents.log"),
      games: o.game,
    },
    members,
    watchtower.privateKey,
    WATCHTOWER_FUNDS,
  );
  progress.line(`agents: ${members.length} workers and a watchtower running (RPC ${rpcUrl})`);

  const labels = new Map<string, string>([
    ...members.map((m) => [m.wallet.address.toLowerCase(), m.label] as [string, string]),
    [watchtower.address.toLowerCase(), "watchtower"],
  ]);
  const events = new EventCollector(
    ethers.provider,
    [
      { source: "manager", contract: d.manager },
      ...(d.game === undefined ? [] : [{ source: "game" as const, contract: d.game }]),
    ],
    d.block,
  );
  let failure: Error | undefined;
  let run: Awaited<ReturnType<typeof runEpochs>> | undefined;
  try {
    run = await runEpochs(
      {
        shape,
        regions,
        epochs: o.epochs,
        ticks: o.ticks,
        seats: o.seats,
        quorum: o.quorum,
        rewardPerSeat: REWARD_PER_SEAT,
        windows: WINDOWS,
        blockMs: o.blockMs,
        program: { id: programId, bytes: programBytes },
        trusted,
        labelOf: (a) => labels.get(a.toLowerCase()) ?? a,
      },
      d,
      admin,
      events,
      progress,
      start,
      trustedRun.outputs,
    );
    await waitForClaims(
      d,
      run.tasks.map((t) => t.taskId),
      o.blockMs,
    );
  } catch (e) {
    failure = e as Error;
  }
  progress.done();
  await agents.stop();
  await ethers.provider.send("evm_setIntervalMining", [0]);
  await ethers.provider.send("evm_setAutomine", [true]);
  await bridge?.close();
  if (run === undefined) throw failure;

  const latest = await ethers.provider.getBlockNumber();
  await events.scan(latest);
  const stakeEnd = new Map<string, bigint>();
  for (const m of members) {
    const s = await d.pool.stakeOf(m.wallet.address);
    stakeEnd.set(m.wallet.address.toLowerCase(), s.active + s.unbonding);
  }
  const adversarySlashed = events
    .named("MemberPenalized")
    .filter((e) => (e.args.member as string).toLowerCase() === adversary.wallet.address.toLowerCase())
    .reduce((a, e) => a + (e.args.slashed as bigint), 0n);

  const checks = runChecks(
    run.tasks.map((t) => ({
      taskId: t.taskId,
      finalResultHash: t.finalResultHash,
      trustedResultHash: trusted[t.epoch]![t.region.index]!,
      outputFrom: t.outputFrom,
    })),
    Number(taskCount),
    {
      stakeStart: adversary.stake,
      stakeEnd: stakeEnd.get(adversary.wallet.address.toLowerCase()) ?? 0n,
      slashed: adversarySlashed,
      seats: events
        .named("SeatsAssigned")
        .filter((e) => (e.args.member as string).toLowerCase() === adversary.wallet.address.toLowerCase()).length,
    },
    await accountingOf(d, minted, [
      ...members.map((m) => m.wallet.address),
      watchtower.address,
      admin.address,
      treasury.address,
      d.addresses.pool,
      d.addresses.taskManager,
      ...(d.addresses.bisectionGame === undefined ? [] : [d.addresses.bisectionGame]),
      BURN_ADDRESS,
    ]),
  );
  if (failure !== undefined) checks.detail.push(`the run stopped early: ${failure.message}`);

  const gas = await gasByTask(
    ethers.provider,
    d.block + 1,
    latest,
    { address: d.addresses.taskManager, iface: d.manager.interface },
    d.game === undefined ? undefined : { address: d.addresses.bisectionGame!, iface: d.game.interface },
    events,
  );
  const report = buildRecord({
    network: { name: conn.networkName, chainId },
    config: {
      gridX: o.gridX,
      gridY: o.gridY,
      regionWidth: REGION_SIZE,
      regionHeight: REGION_SIZE,
      radius: RADIUS,
      particlesPerRegion: o.particlesPerRegion,
      ticksPerTask: o.ticks,
      epochs: o.epochs,
      workers: o.workers,
      adversaryShare: o.adversaryShare,
      seats: o.seats,
      quorum: o.quorum,
    },
    addresses: d.addresses,
    members,
    stakeEnd,
    watchtower: {
      address: watchtower.address,
      earned:
        (await d.token.balanceOf(watchtower.address)) +
        (await d.manager.creditOf(watchtower.address)) -
        watchtowerStart,
    },
    tasks: run.tasks,
    trusted,
    events,
    gas,
    shape,
    regions,
    end: run.end,
    checks,
    wallClockSeconds: (Date.now() - startedAt) / 1000,
  });
  await writeReport(report, o.out);
  console.log(formatSummary(report));
  rmSync(work, { recursive: true, force: true });
  return checks.allFinalCorrect && checks.adversarySlashed && checks.accountingExact && failure === undefined ? 0 : 1;
}

async function urlOf(config: unknown): Promise<string> {
  const url = (config as { url?: unknown }).url;
  if (typeof url === "string") return url;
  if (url !== null && typeof url === "object" && "get" in url) return await (url as { get(): Promise<string> }).get();
  throw new Error("the network has no URL the agents could use");
}

let options: DemoOptions;
try {
  options = parseDemoOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof DemoOptionError)) throw e;
  console.error(`error: ${e.name}: ${e.message}`);
  process.exit(2);
}
try {
  process.exit(await main(options));
} catch (e) {
  console.error(e);
  process.exit(1);
}
