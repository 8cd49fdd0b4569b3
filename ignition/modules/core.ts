/**
 * The Cohort system as Ignition modules: the stake token, the security pool, a randomness source and the task manager,
 * with every role the manager needs. The deployable modules (`CohortLocal.ts`, `CohortSepolia.ts` and their
 * existing-token variants) are one call of `buildCohortModule` each; this file is not a module itself.
 *
 * Ignition modules are declarative: a parameter's value is only known when the deployment executes, so a module
 * cannot branch on a parameter. The two choices (which token, which randomness source) are therefore made by the file
 * you deploy, not by a parameter. Every variant for one network keeps the same module id and the same future ids, so
 * `ignition/deployments/chain-<id>/deployed_addresses.json` has the same keys whichever variant was deployed:
 * `<ModuleId>#StakeToken`, `<ModuleId>#SecurityPool`, `<ModuleId>#Randomness`, `<ModuleId>#TaskManager`.
 *
 * For the same reason Ignition cannot check relations between parameters (a lookahead against an epoch layout). This
 * file does, in `checkCohortParameters`, before anything is sent: `ignition deploy` runs it when it loads the module
 * (from the `--parameters` it was given), and `deployCohort` runs it for in-process deployments.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, ZeroHash } from "ethers";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";
import { HardhatPluginError } from "hardhat/plugins";
import type { NetworkConnection } from "hardhat/types/network";

/** Which randomness source a variant deploys. */
export type RandomnessKind = "blockhash" | "vrf";
/** Whether a variant deploys a `TestToken` or points at an existing ERC20 (the `stakeToken` parameter). */
export type TokenSource = "test" | "existing";

const TOKEN = 10n ** 18n;

/** `ParticleStepVerifier.maxSteps()`: the longest trace (ticks) a particle task can have. */
export const PARTICLE_MAX_STEPS = 100_000n;
/** `TaskManagerStorage.MAX_GAMES`. */
export const MAX_GAMES = 3n;

/**
 * The particle program's id: keccak256 of the WASM build (`npm run build:programs`), read when the module loads so
 * that a rebuilt program is registered under its own id. Zero if the build is missing: the parameter must be given.
 */
function particleProgramIdOfBuild(): string {
  const wasm = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    "../../programs/particles/build/particles.wasm",
  );
  return existsSync(wasm) ? keccak256(readFileSync(wasm)) : ZeroHash;
}

/**
 * The parameters every variant shares, with the names and the JSON types the parameter files use: token amounts are
 * bigints in 18-decimal units (`"10000000000000000000n"` in a file), block counts and basis points plain numbers.
 * Ignition compares a rerun's arguments with the recorded ones by type as well as value (20 and 20n differ), so the
 * defaults have exactly the types of `ignition/parameters/*.json`: a rerun without `--parameters` reconciles with a
 * run with them. `admin` and `treasury` are not here: their default is the deploying account (`m.getAccount(0)`),
 * which a parameter file cannot express. (Type aliases, not interfaces, so that they can be read by name.)
 */
export type CohortSystemDefaults = {
  /** `TestToken` name and symbol (test-token variants only). */
  tokenName: string;
  tokenSymbol: string;
  /** Stake per unit of sampling weight. */
  weightUnit: bigint;
  epochBlocks: number;
  drawWindowBlocks: number;
  minStake: bigint;
  seatBond: bigint;
  /** Blocks an unstake stays slashable; must cover the manager's `lifeBound` of every task it should accept. */
  unbondingPeriod: number;
  /** The manager's `Config` (`ITaskManagerTypes.Config`). */
  slashFractionBps: number;
  missedCommitPenaltyBps: number;
  missedRevealPenaltyBps: number;
  maxReplacementDraws: number;
  maxRedraws: number;
  maxEscalations: number;
  bountyBps: number;
  honestShareBps: number;
  challengeBondPerSeat: bigint;
  burnRemainder: boolean;
  /** The bisection game's clocks (`BisectionGame` constructor): each side's budget and the least time per turn. */
  gameClockBlocks: number;
  gameExtensionBlocks: number;
  /** The particle-world program registered with its step verifier: keccak256 of its WASM bytes. */
  particleProgramId: string;
};

/** `BlockhashRandomness`'s constructor parameter. */
export type BlockhashDefaults = {
  lookahead: number;
};

/** `VrfRandomness`'s constructor parameters; the subscription has no default, it is the deployer's own. */
export type VrfDefaults = {
  vrfCoordinator: string;
  vrfKeyHash: string;
  vrfCallbackGasLimit: number;
  vrfRequestConfirmations: number;
  vrfNativePayment: boolean;
  vrfTimeoutBlocks: number;
};

/** The manager's rules: the values the tests use (`test/helpers/tasks.ts`, `TASK_CONFIG`). */
const MANAGER_CONFIG = {
  slashFractionBps: 5_000,
  missedCommitPenaltyBps: 1_000,
  missedRevealPenaltyBps: 2_000,
  maxReplacementDraws: 1,
  maxRedraws: 1,
  maxEscalations: 1,
  bountyBps: 2_000,
  honestShareBps: 5_000,
  challengeBondPerSeat: TOKEN,
  burnRemainder: false,
};

/**
 * A local node (`npx hardhat node`, one block per transaction). Epochs of 20 blocks with a 5-block draw window, as in
 * the tests: a task with 10-block windows is final about 50 blocks after it is posted. Games give each side 30
 * blocks with 5 per turn: a game lasts at most `2 * 30 + 18 * 5 + 1 = 151` blocks. The unbonding period covers the
 * life of a particle task (three games included) with windows of up to 84 blocks each (956 blocks for 10-block
 * windows: the manager's `lifeBound` of 470 plus `3 * (151 + 10 + 1)`); tasks of programs without a verifier, up to
 * 149 blocks.
 */
export const LOCAL_DEFAULTS: CohortSystemDefaults & BlockhashDefaults = {
  tokenName: "Cohort Stake",
  tokenSymbol: "CST",
  weightUnit: TOKEN,
  epochBlocks: 20,
  drawWindowBlocks: 5,
  minStake: 10n * TOKEN,
  seatBond: 5n * TOKEN,
  unbondingPeriod: 2_000,
  ...MANAGER_CONFIG,
  gameClockBlocks: 30,
  gameExtensionBlocks: 5,
  particleProgramId: particleProgramIdOfBuild(),
  lookahead: 1,
};

/**
 * Sepolia (12 s blocks). Epochs of 100 blocks (20 minutes) with a 25-block (5-minute) draw window: a VRF answer comes
 * `requestConfirmations` (3) blocks plus the oracle's latency after the trigger at the window's first block, and the
 * draw must follow inside the window. An unanswered request expires after 50 blocks, before the next window opens, so
 * a lost answer costs one window. Games give each side an hour (300 blocks) with five minutes (25) per turn: a game
 * lasts at most `2 * 300 + 18 * 25 + 1 = 1,051` blocks (3.5 hours). A day and a half of unbonding (10,800 blocks)
 * covers a particle task, three games included, with windows of up to 417 blocks (`1,800 + 11 w` of the manager's
 * `lifeBound` plus `3 * (1,051 + w + 1)`), and tasks of programs without a verifier with windows of up to 818.
 */
export const SEPOLIA_DEFAULTS: CohortSystemDefaults & VrfDefaults = {
  tokenName: "Cohort Stake",
  tokenSymbol: "CST",
  weightUnit: TOKEN,
  epochBlocks: 100,
  drawWindowBlocks: 25,
  minStake: 10n * TOKEN,
  seatBond: 5n * TOKEN,
  unbondingPeriod: 10_800,
  ...MANAGER_CONFIG,
  gameClockBlocks: 300,
  gameExtensionBlocks: 25,
  particleProgramId: particleProgramIdOfBuild(),
  /** Chainlink VRF v2.5 on Sepolia: the coordinator and the 500 gwei key hash. */
  vrfCoordinator: "0x9DdfaCa8183c41ad55329BdeeD9F6A8d53168B1B",
  vrfKeyHash: "0x787d74caea10b2b357790d5b5247c2f63d1d91572a9846f780606e4d953677ae",
  vrfCallbackGasLimit: 100_000,
  vrfRequestConfirmations: 3,
  vrfNativePayment: false,
  vrfTimeoutBlocks: 50,
};

/** What one deployable module deploys, and the defaults of its parameters. */
export type CohortVariant =
  | {
      moduleId: string;
      token: TokenSource;
      randomness: "blockhash";
      defaults: CohortSystemDefaults & BlockhashDefaults;
    }
  | { moduleId: string; token: TokenSource; randomness: "vrf"; defaults: CohortSystemDefaults & VrfDefaults };

/** The rules `checkCohortParameters` enforces; `CohortParameterError.rule` names the one that failed. */
export type CohortParameterRule =
  | "ParametersUnreadable"
  | "MissingParameter"
  | "NotAnInteger"
  | "EpochLayout"
  | "Lookahead"
  | "VrfSubscription"
  | "VrfKeyHash"
  | "VrfCoordinator"
  | "VrfConfirmations"
  | "VrfTimeout"
  | "StakeToken"
  | "GameClock"
  | "ParticleProgramId"
  | "UnbondingPeriod"
  | "GameLifeBound";

/**
 * A parameter set refused before deployment; `rule` says which check failed, `values` the numbers it compared. A
 * plugin error, so that the Hardhat CLI prints it as one line ("Error in community plugin cohort: CohortLocal
 * [Lookahead]: ...") instead of as an unexpected crash with a stack trace and a request to report a Hardhat bug.
 */
export class CohortParameterError extends HardhatPluginError {
  override readonly name = "CohortParameterError";
  readonly moduleId: string;
  readonly rule: CohortParameterRule;
  readonly values: Readonly<Record<string, bigint | string>>;

  // Fields assigned by hand, not TypeScript parameter properties: the demo imports the modules under plain node,
  // whose type stripping cannot compile those.
  constructor(
    moduleId: string,
    rule: CohortParameterRule,
    detail: string,
    values: Readonly<Record<string, bigint | string>> = {},
  ) {
    super("cohort", `${moduleId} [${rule}]: ${detail}`);
    this.moduleId = moduleId;
    this.rule = rule;
    this.values = values;
  }
}

/** The values the checks compared, resolved the way Ignition resolves them. */
export interface CheckedCohortParameters {
  epochBlocks: bigint;
  drawWindowBlocks: bigint;
  unbondingPeriod: bigint;
  /** The manager's `lifeBound` of the shortest task it could ever accept (1-block windows, `Redraw`). */
  shortestLifeBound: bigint;
  /**
   * The same for a particle task: `shortestLifeBound` plus what its games add, `MAX_GAMES * (maxDuration + 1 + 1)`
   * with a 1-block challenge window (`gameLifeOf`).
   */
  shortestGameLifeBound: bigint;
  gameClockBlocks: bigint;
  gameExtensionBlocks: bigint;
  lookahead?: bigint;
  vrfRequestConfirmations?: bigint;
  vrfTimeoutBlocks?: bigint;
}

/** `ignition/`, the parent of this file's folder: where Ignition looks for `<ModuleId>.config.json`. */
const IGNITION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The most blocks an epoch may have (`SecurityPool`: `epochBlocks <= 256`). */
const MAX_EPOCH_BLOCKS = 256n;

const variants = new WeakMap<object, CohortVariant>();

/**
 * `TaskManager.lifeBound` (see `docs/TaskManager.md`): three epochs per draw (the seed's window, one missed window,
 * one of slack) plus the commit window, `1 + maxReplacementDraws` draws and a reveal window per round,
 * `1 + maxEscalations (+ maxRedraws for Redraw)` rounds, `1 + maxEscalations` challenge windows.
 */
export function lifeBoundOf(
  epochBlocks: bigint,
  config: { maxReplacementDraws: bigint; maxRedraws: bigint; maxEscalations: bigint },
  windows: { commitBlocks: bigint; revealBlocks: bigint; challengeBlocks: bigint; redraw: boolean },
): bigint {
  const perDraw = 3n * epochBlocks + windows.commitBlocks;
  const perRound = (1n + config.maxReplacementDraws) * perDraw + windows.revealBlocks;
  const steps = 1n + config.maxEscalations;
  const rounds = windows.redraw ? steps + config.maxRedraws : steps;
  return rounds * perRound + steps * windows.challengeBlocks;
}

/** `BisectionGame.maxDuration(steps, clock, extension)`: `2 clock + (ceil(log2 steps) + 1) extension + 1`. */
export function gameMaxDuration(steps: bigint, clockBlocks: bigint, extensionBlocks: bigint): bigint {
  let depth = 0n;
  while (1n << depth < steps) depth++;
  return 2n * clockBlocks + (depth + 1n) * extensionBlocks + 1n;
}

/**
 * What the games of a task of a program with a verifier add to its life (`TaskManager._gameSettings`): per game its
 * longest duration over the verifier's longest trace, the block to settle it, and the challenge window it opens.
 */
export function gameLifeOf(
  maxSteps: bigint,
  clockBlocks: bigint,
  extensionBlocks: bigint,
  challengeBlocks: bigint,
): bigint {
  return MAX_GAMES * (gameMaxDuration(maxSteps, clockBlocks, extensionBlocks) + challengeBlocks + 1n);
}

/**
 * Checks the relations between parameters that no single constructor can see, so that a bad set is refused before
 * the first transaction instead of leaving a half-deployed system or one whose seeds keep missing their windows:
 *
 * - `EpochLayout`: `1 <= drawWindowBlocks < epochBlocks <= 256` (the pool's own rule, checked first so that nothing
 *   is deployed when it fails).
 * - `Lookahead` (blockhash): `1 <= lookahead < drawWindowBlocks` and `lookahead < epochBlocks - drawWindowBlocks`. A
 *   seed's target is `max(windowStart, block + lookahead)` and the draw reads its hash from a later block of the same
 *   window. Below the window length, a request made anywhere in the open part targets a block inside the coming
 *   window; below the open part's length, a re-arm made inside a window targets exactly the next window's first
 *   block. Together no seed misses a window unless nobody calls the draw, which `lifeBound` budgets for.
 * - `VrfConfirmations`: `vrfRequestConfirmations < drawWindowBlocks`: the request is sent at the window's first block
 *   at the earliest and the answer comes no sooner than that many blocks later, still inside the window.
 * - `VrfTimeout`: `vrfTimeoutBlocks < epochBlocks`: a lost answer expires, and can be re-armed, no later than the next
 *   window, so it costs at most the one extra epoch per draw that `lifeBound` budgets (under `epochBlocks -
 *   drawWindowBlocks` it expires before the next window and costs only that window).
 * - `VrfSubscription`, `VrfKeyHash`, `VrfCoordinator`: a real subscription id (the Sepolia file ships a placeholder),
 *   a non-zero key hash, an address.
 * - `StakeToken` (existing-token variants): an address.
 * - `UnbondingPeriod`: at least the `lifeBound` of the shortest possible task; below it the manager accepts no task.
 * - `GameClock`: `1 <= gameExtensionBlocks <= gameClockBlocks <= 100,000` (the game's own bounds).
 * - `ParticleProgramId`: a non-zero bytes32 (the build was found, or the parameter given).
 * - `GameLifeBound`: at least the life of the shortest particle task, its three games included
 *   (`shortestGameLifeBound`); below it the manager accepts no particle task (rule 4).
 *
 * Values resolve as Ignition resolves them: the module's own entry, then `$global`, then the module's default.
 *
 * @throws CohortParameterError naming the rule that failed.
 */
export function checkCohortParameters(
  module: object,
  parameters: DeploymentParameters | string = {},
): CheckedCohortParameters {
  const variant = variants.get(module);
  if (variant === undefined) throw new Error("checkCohortParameters: not a module built by buildCohortModule");
  const id = variant.moduleId;
  const given = typeof parameters === "string" ? readParameterFile(id, parameters) : parameters;
  const defaults: Readonly<Record<string, unknown>> = variant.defaults;
  const raw = (name: string): unknown => given[id]?.[name] ?? given.$global?.[name] ?? defaults[name];
  const int = (name: string): bigint => toInteger(id, name, raw(name));

  const epochBlocks = int("epochBlocks");
  const drawWindowBlocks = int("drawWindowBlocks");
  if (!(drawWindowBlocks >= 1n && drawWindowBlocks < epochBlocks && epochBlocks <= MAX_EPOCH_BLOCKS)) {
    throw new CohortParameterError(
      id,
      "EpochLayout",
      `the pool needs 1 <= drawWindowBlocks < epochBlocks <= ${MAX_EPOCH_BLOCKS}; got drawWindowBlocks ` +
        `${drawWindowBlocks}, epochBlocks ${epochBlocks}`,
      { epochBlocks, drawWindowBlocks },
    );
  }
  const openBlocks = epochBlocks - drawWindowBlocks;
  const checked: CheckedCohortParameters = {
    epochBlocks,
    drawWindowBlocks,
    unbondingPeriod: int("unbondingPeriod"),
    shortestLifeBound: lifeBoundOf(
      epochBlocks,
      {
        maxReplacementDraws: int("maxReplacementDraws"),
        maxRedraws: int("maxRedraws"),
        maxEscalations: int("maxEscalations"),
      },
      { commitBlocks: 1n, revealBlocks: 1n, challengeBlocks: 1n, redraw: true },
    ),
    shortestGameLifeBound: 0n,
    gameClockBlocks: int("gameClockBlocks"),
    gameExtensionBlocks: int("gameExtensionBlocks"),
  };
  const { gameClockBlocks: clock, gameExtensionBlocks: extension } = checked;
  if (!(extension >= 1n && extension <= clock && clock <= 100_000n)) {
    throw new CohortParameterError(
      id,
      "GameClock",
      `the bisection game needs 1 <= gameExtensionBlocks <= gameClockBlocks <= 100000; got gameExtensionBlocks ` +
        `${extension}, gameClockBlocks ${clock}`,
      { gameClockBlocks: clock, gameExtensionBlocks: extension },
    );
  }
  const programId = raw("particleProgramId");
  if (typeof programId !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(programId) || BigInt(programId) === 0n) {
    throw new CohortParameterError(
      id,
      "ParticleProgramId",
      `particleProgramId ${String(programId)} is not a non-zero bytes32: build the programs (npm run build:programs) ` +
        "or give the keccak256 of particles.wasm",
    );
  }
  checked.shortestGameLifeBound = checked.shortestLifeBound + gameLifeOf(PARTICLE_MAX_STEPS, clock, extension, 1n);

  if (variant.randomness === "blockhash") {
    const lookahead = int("lookahead");
    const limit = drawWindowBlocks < openBlocks ? drawWindowBlocks : openBlocks;
    if (lookahead < 1n || lookahead >= limit) {
      throw new CohortParameterError(
        id,
        "Lookahead",
        `lookahead ${lookahead} must be at least 1 and below both drawWindowBlocks (${drawWindowBlocks}) and the ` +
          `open part of an epoch, epochBlocks - drawWindowBlocks (${epochBlocks} - ${drawWindowBlocks} = ` +
          `${openBlocks}); otherwise seeds can keep missing their draw windows`,
        { lookahead, epochBlocks, drawWindowBlocks, limit },
      );
    }
    checked.lookahead = lookahead;
  } else {
    const subscription = raw("vrfSubscriptionId");
    if (subscription === undefined) {
      throw new CohortParameterError(
        id,
        "VrfSubscription",
        "vrfSubscriptionId is missing: create and fund a subscription at vrf.chain.link and set its id",
      );
    }
    if (!isInteger(subscription) || BigInt(subscription) < 1n) {
      throw new CohortParameterError(
        id,
        "VrfSubscription",
        `vrfSubscriptionId ${String(subscription)} is not a subscription id: replace the placeholder with the id of ` +
          "your subscription at vrf.chain.link (a decimal integer, written as a string ending in n)",
        { vrfSubscriptionId: String(subscription) },
      );
    }
    const keyHash = raw("vrfKeyHash");
    if (typeof keyHash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(keyHash) || BigInt(keyHash) === 0n) {
      throw new CohortParameterError(id, "VrfKeyHash", `vrfKeyHash ${String(keyHash)} is not a non-zero bytes32`);
    }
    requireAddress(id, "VrfCoordinator", "vrfCoordinator", raw("vrfCoordinator"));
    const confirmations = int("vrfRequestConfirmations");
    if (confirmations >= drawWindowBlocks) {
      throw new CohortParameterError(
        id,
        "VrfConfirmations",
        `vrfRequestConfirmations ${confirmations} must be below drawWindowBlocks ${drawWindowBlocks}: the answer ` +
          "must arrive inside the window its request was sent in",
        { vrfRequestConfirmations: confirmations, drawWindowBlocks },
      );
    }
    const timeout = int("vrfTimeoutBlocks");
    if (timeout >= epochBlocks) {
      throw new CohortParameterError(
        id,
        "VrfTimeout",
        `vrfTimeoutBlocks ${timeout} must be below epochBlocks ${epochBlocks}: a lost answer must expire, and be ` +
          "re-armed, no later than the next draw window",
        { vrfTimeoutBlocks: timeout, epochBlocks },
      );
    }
    checked.vrfRequestConfirmations = confirmations;
    checked.vrfTimeoutBlocks = timeout;
  }

  if (variant.token === "existing") requireAddress(id, "StakeToken", "stakeToken", raw("stakeToken"));

  if (checked.unbondingPeriod < checked.shortestLifeBound) {
    throw new CohortParameterError(
      id,
      "UnbondingPeriod",
      `unbondingPeriod ${checked.unbondingPeriod} is below ${checked.shortestLifeBound}, the lifeBound of the ` +
        "shortest possible task (1-block windows): the manager would refuse every task",
      { unbondingPeriod: checked.unbondingPeriod, shortestLifeBound: checked.shortestLifeBound },
    );
  }
  if (checked.unbondingPeriod < checked.shortestGameLifeBound) {
    throw new CohortParameterError(
      id,
      "GameLifeBound",
      `unbondingPeriod ${checked.unbondingPeriod} is below ${checked.shortestGameLifeBound}, the life of the shortest ` +
        `particle task with its ${MAX_GAMES} games (clock ${clock}, extension ${extension}): the manager would ` +
        "refuse every particle task",
      { unbondingPeriod: checked.unbondingPeriod, shortestGameLifeBound: checked.shortestGameLifeBound },
    );
  }
  return checked;
}

/**
 * Checks the parameters, then deploys: the in-process counterpart of `ignition deploy` (which checks when it loads the
 * module). `parameters` is an object or the path of a JSON parameter file, as for `ignition.deploy`.
 */
export async function deployCohort(ignition: IgnitionHelper, module: CohortModule, options: CohortDeployOptions = {}) {
  checkCohortParameters(module, options.parameters ?? {});
  return await ignition.deploy(module, options);
}

type IgnitionHelper = NetworkConnection["ignition"];
/** The options of `ignition.deploy` (parameters, defaultSender, deploymentId, ...). */
export type CohortDeployOptions = NonNullable<Parameters<IgnitionHelper["deploy"]>[1]>;

/**
 * Builds one deployable variant. When this process is `hardhat ignition deploy`, it first checks the parameters that
 * command will deploy with (its `--parameters`, or Ignition's fallback `ignition/<ModuleId>.config.json`): Ignition
 * loads the module before it sends anything, so a bad set stops the command with nothing deployed.
 */
export function buildCohortModule(variant: CohortVariant) {
  const module = buildModule(variant.moduleId, (m) => {
    const defaults = variant.defaults;
    const admin = m.getParameter("admin", m.getAccount(0));
    const treasury = m.getParameter("treasury", m.getAccount(0));

    // An existing token is only read through the ERC20 part of TestToken's ABI (`mint` exists only on TestToken).
    const stakeToken =
      variant.token === "test"
        ? m.contract(
            "TestToken",
            [m.getParameter("tokenName", defaults.tokenName), m.getParameter("tokenSymbol", defaults.tokenSymbol)],
            { id: "StakeToken" },
          )
        : m.contractAt("TestToken", m.getParameter<string>("stakeToken"), { id: "StakeToken" });

    const pool = m.contract(
      "SecurityPool",
      [
        stakeToken,
        admin,
        m.getParameter("weightUnit", defaults.weightUnit),
        m.getParameter("epochBlocks", defaults.epochBlocks),
        m.getParameter("drawWindowBlocks", defaults.drawWindowBlocks),
        {
          minStake: m.getParameter("minStake", defaults.minStake),
          seatBond: m.getParameter("seatBond", defaults.seatBond),
          unbondingPeriod: m.getParameter("unbondingPeriod", defaults.unbondingPeriod),
          treasury,
        },
      ],
      { id: "SecurityPool" },
    );

    const randomness =
      variant.randomness === "blockhash"
        ? m.contract("BlockhashRandomness", [admin, m.getParameter("lookahead", variant.defaults.lookahead)], {
            id: "Randomness",
          })
        : m.contract(
            "VrfRandomness",
            [
              admin,
              m.getParameter("vrfCoordinator", variant.defaults.vrfCoordinator),
              {
                // No default: the subscription is the deployer's own, and a wrong one would make every trigger revert.
                subscriptionId: m.getParameter<bigint>("vrfSubscriptionId"),
                keyHash: m.getParameter("vrfKeyHash", variant.defaults.vrfKeyHash),
                callbackGasLimit: m.getParameter("vrfCallbackGasLimit", variant.defaults.vrfCallbackGasLimit),
                requestConfirmations: m.getParameter(
                  "vrfRequestConfirmations",
                  variant.defaults.vrfRequestConfirmations,
                ),
                nativePayment: m.getParameter("vrfNativePayment", variant.defaults.vrfNativePayment),
                timeoutBlocks: m.getParameter("vrfTimeoutBlocks", variant.defaults.vrfTimeoutBlocks),
              },
            ],
            { id: "Randomness" },
          );

    const manager = m.contract(
      "TaskManager",
      [
        pool,
        randomness,
        admin,
        {
          slashFractionBps: m.getParameter("slashFractionBps", defaults.slashFractionBps),
          missedCommitPenaltyBps: m.getParameter("missedCommitPenaltyBps", defaults.missedCommitPenaltyBps),
          missedRevealPenaltyBps: m.getParameter("missedRevealPenaltyBps", defaults.missedRevealPenaltyBps),
          maxReplacementDraws: m.getParameter("maxReplacementDraws", defaults.maxReplacementDraws),
          maxRedraws: m.getParameter("maxRedraws", defaults.maxRedraws),
          maxEscalations: m.getParameter("maxEscalations", defaults.maxEscalations),
          bountyBps: m.getParameter("bountyBps", defaults.bountyBps),
          honestShareBps: m.getParameter("honestShareBps", defaults.honestShareBps),
          challengeBondPerSeat: m.getParameter("challengeBondPerSeat", defaults.challengeBondPerSeat),
          burnRemainder: m.getParameter("burnRemainder", defaults.burnRemainder),
        },
      ],
      { id: "TaskManager" },
    );

    // The manager locks seats and slashes on the pool, and requests seeds from the source (docs/TaskManager.md,
    // "Roles"). Role ids are read from the contracts, not recomputed here. The grants are sent by the deploying
    // account, which must therefore be `admin` (the default; see docs/Deployment.md for handing over to a timelock).
    m.call(pool, "grantRole", [m.staticCall(pool, "SEAT_MANAGER_ROLE", [], 0, { id: "SeatManagerRole" }), manager], {
      id: "GrantSeatManagerRole",
    });
    m.call(pool, "grantRole", [m.staticCall(pool, "SLASHER_ROLE", [], 0, { id: "SlasherRole" }), manager], {
      id: "GrantSlasherRole",
    });
    m.call(
      randomness,
      "grantRole",
      [m.staticCall(randomness, "CONSUMER_ROLE", [], 0, { id: "ConsumerRole" }), manager],
      { id: "GrantConsumerRole" },
    );

    // Ladder step 3: the bisection game and the particle world's one-step verifier, registered for its program.
    // The game is set on the manager once; tasks created from then on freeze the verifier and the clocks (rule 9).
    const bisectionGame = m.contract(
      "BisectionGame",
      [
        admin,
        m.getParameter("gameClockBlocks", defaults.gameClockBlocks),
        m.getParameter("gameExtensionBlocks", defaults.gameExtensionBlocks),
      ],
      { id: "BisectionGame" },
    );
    const particleProgramId = m.getParameter("particleProgramId", defaults.particleProgramId);
    const particleVerifier = m.contract("ParticleStepVerifier", [particleProgramId], { id: "ParticleStepVerifier" });
    const registered = m.call(bisectionGame, "setVerifier", [particleProgramId, particleVerifier], {
      id: "SetParticleVerifier",
    });
    m.call(manager, "setBisectionGame", [bisectionGame], { id: "SetBisectionGame", after: [registered] });

    return { stakeToken, pool, randomness, manager, bisectionGame, particleVerifier };
  });
  variants.set(module, variant);

  const fromCommandLine = commandLineParameters(variant.moduleId, process.argv);
  if (fromCommandLine !== undefined) checkCohortParameters(module, fromCommandLine);
  return module;
}

/** A module built by `buildCohortModule`. */
export type CohortModule = ReturnType<typeof buildCohortModule>;

/**
 * The parameters `hardhat ignition deploy` will read, if `argv` is that command: the `--parameters` file (or inline
 * JSON), else `ignition/<moduleId>.config.json` when it exists (Ignition's own fallback). Undefined for any other
 * command, so that tests and scripts that import a module are unaffected.
 */
export function commandLineParameters(moduleId: string, argv: readonly string[]): DeploymentParameters | undefined {
  const ignitionAt = argv.indexOf("ignition");
  if (ignitionAt < 0 || argv[ignitionAt + 1] !== "deploy") return undefined;
  let value: string | undefined;
  for (const [i, arg] of argv.entries()) {
    if (arg === "--parameters") value = argv[i + 1];
    else if (arg.startsWith("--parameters=")) value = arg.slice("--parameters=".length);
  }
  if (value === undefined) {
    const fallback = path.join(IGNITION_DIR, `${moduleId}.config.json`);
    return existsSync(fallback) ? readParameterFile(moduleId, fallback) : {};
  }
  return value.endsWith(".json") || value.endsWith(".json5")
    ? readParameterFile(moduleId, value)
    : parseParameters(moduleId, value, "--parameters");
}

/**
 * Reads a parameter file as Ignition does, with its bigint convention ("123n" is 123n). Only plain JSON: the
 * repository's files are JSON, and a JSON5 file is refused by name rather than checked half.
 */
function readParameterFile(moduleId: string, file: string): DeploymentParameters {
  let text: string;
  try {
    text = readFileSync(path.resolve(process.cwd(), file), "utf8");
  } catch (e) {
    throw new CohortParameterError(moduleId, "ParametersUnreadable", `cannot read ${file}: ${(e as Error).message}`);
  }
  return parseParameters(moduleId, text, file);
}

function parseParameters(moduleId: string, text: string, source: string): DeploymentParameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (typeof value === "string" && /^\d+n$/.test(value)) return BigInt(value.slice(0, -1));
      // JSON numbers are doubles: a VRF subscription id written as one has already lost digits (Ignition refuses it).
      if (typeof value === "number" && value > Number.MAX_SAFE_INTEGER) {
        throw new CohortParameterError(
          moduleId,
          "NotAnInteger",
          `${key} ${value} in ${source} is above 2^53 - 1 and has lost precision: write it as a string ending in n`,
        );
      }
      return value;
    });
  } catch (e) {
    if (e instanceof CohortParameterError) throw e;
    throw new CohortParameterError(
      moduleId,
      "ParametersUnreadable",
      `${source} is not plain JSON (${(e as Error).message}); the Cohort modules check JSON parameter files only`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CohortParameterError(moduleId, "ParametersUnreadable", `${source} is not a JSON object of modules`);
  }
  return parsed as DeploymentParameters;
}

function isInteger(value: unknown): value is bigint | number | string {
  if (typeof value === "bigint") return true;
  if (typeof value === "number") return Number.isSafeInteger(value);
  return typeof value === "string" && /^\d+$/.test(value);
}

function toInteger(moduleId: string, name: string, value: unknown): bigint {
  if (value === undefined) throw new CohortParameterError(moduleId, "MissingParameter", `${name} is missing`);
  if (!isInteger(value)) {
    throw new CohortParameterError(moduleId, "NotAnInteger", `${name} ${String(value)} is not an integer`, {
      [name]: String(value),
    });
  }
  return BigInt(value);
}

function requireAddress(moduleId: string, rule: CohortParameterRule, name: string, value: unknown): void {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value) || BigInt(value) === 0n) {
    throw new CohortParameterError(moduleId, rule, `${name} ${String(value)} is not a non-zero address`, {
      [name]: String(value),
    });
  }
}
