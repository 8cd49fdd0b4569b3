/**
 * One row of the adversarial simulation: a fresh pool of equally staked workers, a share of which collude (they
 * always reveal the same wrong result hash and never challenge), and many tasks driven to the end in parallel
 * batches, with or without an honest, unstaked watchtower that challenges every wrong proposed result.
 *
 * Speed: automine is off; every step of every task of a batch is sent as one transaction per actor into the same
 * block (the whole batch shares its epochs and draw windows), then one block is mined; when nobody has anything to
 * do, the network jumps to the next deadline or draw window. Members act through impersonated accounts.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, id, keccak256, toUtf8Bytes, AbiCoder, type Contract, type Interface, type Result } from "ethers";

import { eligibleAdversarialShare, escalationLadder, type LadderStep } from "./binomial.js";
import { type Chain, parseLogs, type Mined, type Sent } from "./chain.js";

export const UNIT = 10n ** 18n;

/** Phases of `ITaskManager.phaseOf`. */
export const enum Phase {
  None,
  AwaitingSeed,
  Committing,
  AwaitingReplacement,
  Revealing,
  AwaitingTally,
  Challengeable,
  AwaitingFinalization,
  Finalized,
  Refunded,
}

/** Record statuses of `ITaskManager.recordOf`. */
const enum RecordStatus {
  None,
  Assigned,
  Declined,
  Committed,
}

/** Everything a row needs besides its adversarial share. */
export interface SimOptions {
  /** Salts every address and hash the simulation makes up: runs with the same seed and options are identical. */
  seed: string;
  tasksPerRow: number;
  batchSize: number;
  workers: number;
  seats: number;
  quorum: number;
  maxEscalations: number;
  epochBlocks: bigint;
  windowBlocks: bigint;
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  log: (line: string) => void;
}

export interface RowSpec {
  /** The adversarial share asked for (of workers, hence of stake: all stakes are equal). */
  p: number;
  /** How `p` is printed ("1/3"). */
  label: string;
  watchtower: boolean;
}

/** What one task did. */
export interface TaskOutcome {
  id: bigint;
  /** The round-0 (ladder step 0) proposed result was the wrong hash. */
  wrongProposed: boolean;
  /** The final result is the wrong hash. */
  wrongFinal: boolean;
  /** Challenges accepted (ladder steps reached beyond the first committee). */
  escalations: number;
  /**
   * For each step k >= 1 reached, the adversarial share of the stake eligible for its draw (all workers minus the
   * members of earlier rounds of the task).
   */
  stepShares: number[];
  /** Seats the adversary held in the committee of each step reached (0 for the first committee). */
  adversarialSeats: number[];
  /** Seats filled in the committee of each step reached. */
  filledSeats: number[];
}

export interface RowMeasurement {
  spec: RowSpec;
  /** The adversarial share actually staked (adversarial weight / total weight). */
  share: number;
  adversarialWorkers: number;
  ladder: LadderStep[];
  outcomes: TaskOutcome[];
  /** Tasks that did not end Finalized, with why. */
  failures: string[];
  /** Things the contracts did that the model says cannot happen (declines, no quorum, refunds, exclusion breaches). */
  anomalies: string[];
  declines: number;
  /** Escalation draws that left seats vacant for want of eligible candidates (the replacement draw fills them). */
  shortfalls: number;
  rearms: number;
  transactions: number;
  gas: bigint;
  /** The largest gas used by one transaction of each kind (draws of 79-seat escalation rounds are the heaviest). */
  maxGas: Record<string, number>;
  seconds: number;
}

const GAS = {
  create: 1_000_000n,
  draw: 16_000_000n,
  commit: 300_000n,
  reveal: 400_000n,
  tally: 16_000_000n,
  challenge: 2_000_000n,
  finalize: 16_000_000n,
  replace: 16_000_000n,
  setup: 500_000n,
};

/** Seat bond: tiny next to the stakes, so no seat is ever declined however many tasks run at once. */
const SEAT_BOND = UNIT;
/**
 * One unit of sampling weight. Each worker stakes 100.5 units: its weight is 100 and stays 100 until it has lost
 * half a unit (5,000 tokens, 10,000 wrong seats at half a seat bond each), so slashes never move the shares.
 */
const WEIGHT_UNIT = 10_000n * UNIT;
const STAKE = 100n * WEIGHT_UNIT + WEIGHT_UNIT / 2n;
const REWARD = 9n * UNIT;
const FUNDS = 10n ** 12n * UNIT;
/** Draw attempts (windows) a task may need before it is reported stuck. */
const MAX_DRAW_ATTEMPTS = 6;

interface TaskView {
  state: number;
  seats: number;
  quorum: number;
  round: number;
  escalations: number;
  maxEscalations: number;
  requestId: bigint;
  recordCount: number;
  commitDeadline: bigint;
  revealDeadline: bigint;
  challengeDeadline: bigint;
  expiresAt: bigint;
  proposedResult: string;
  challengeBondFloor: bigint;
}

function taskView(result: Result): TaskView {
  const t = result[0] as Result;
  const n = (name: string) => Number(t.getValue(name) as bigint);
  const b = (name: string) => t.getValue(name) as bigint;
  return {
    state: n("state"),
    seats: n("seats"),
    quorum: n("quorum"),
    round: n("round"),
    escalations: n("escalations"),
    maxEscalations: n("maxEscalations"),
    requestId: b("requestId"),
    recordCount: n("recordCount"),
    commitDeadline: b("commitDeadline"),
    revealDeadline: b("revealDeadline"),
    challengeDeadline: b("challengeDeadline"),
    expiresAt: b("expiresAt"),
    proposedResult: t.getValue("proposedResult") as string,
    challengeBondFloor: b("challengeBondFloor"),
  };
}

interface RecordView {
  index: number;
  member: string;
  seats: number;
  status: number;
}

/** A task being driven. */
interface SimTask {
  id: bigint;
  right: string;
  wrong: string;
  /** Members of every record of each round, by round. */
  members: string[][];
  /** Record count of each round when its committee was last checked against the ladder and the exclusion rule. */
  checked: Map<number, number>;
  /** Escalation rounds whose draw left seats vacant (too few eligible seats among the candidates). */
  shortfallRounds: Set<number>;
  /** Proposed result of each ladder step. */
  proposals: Map<number, string>;
  stepShares: number[];
  adversarialSeats: number[];
  filledSeats: number[];
  escalations: number;
  drawAttempts: number;
  /** The task is not read again before the next block is this one (a deadline or a seed it waits for). */
  wakeAt: bigint;
  final?: string;
  failure?: string;
  outcome?: TaskOutcome;
}

type ActionKind = "draw" | "commit" | "reveal" | "replace" | "tally" | "challenge" | "finalize";

interface Action {
  task: SimTask;
  kind: ActionKind;
  sent: Sent;
  /** For a challenge: the eligible adversarial share of the step it opens. */
  share?: number;
}

/** Deploys a fresh system, stakes the workers, runs `tasksPerRow` tasks and returns what happened. */
export async function runRow(
  ethers: HardhatEthers,
  chain: Chain,
  spec: RowSpec,
  o: SimOptions,
): Promise<RowMeasurement> {
  const started = Date.now();
  const ladder = escalationLadder(o.seats, o.quorum, o.maxEscalations);
  const adversarialWorkers = Math.round(spec.p * o.workers);
  // Every address derives from the seed and the row: another seed or row gives other transactions, hence other
  // block hashes and draws (rows start from the same genesis).
  const rowSalt = `${o.seed}/${spec.p}/${spec.watchtower}`;
  const actor = (name: string) => getAddress(`0x${id(`cohort/simulate/${rowSalt}/${name}`).slice(-40)}`);
  const workers = Array.from({ length: o.workers }, (_, i) => actor(`worker/${i}`));
  const adversarial = new Set(workers.slice(0, adversarialWorkers));
  const keeper = actor("keeper");
  const requester = actor("requester");
  const watchtower = actor("watchtower");

  // --- Contracts (automine on: a handful of transactions through ethers).
  await chain.setAutomine(true);
  const [admin] = await ethers.getSigners();
  // Each of these transactions mines its own block: pin its timestamp first (see `Chain.pinNextTimestamp`).
  const deploy = async (name: string, args: unknown[]): Promise<Contract> => {
    await chain.pinNextTimestamp();
    const c = await ethers.deployContract(name, args);
    await c.waitForDeployment();
    return c as unknown as Contract;
  };
  const call = async (c: Contract, fn: string, args: unknown[]) => {
    await chain.pinNextTimestamp();
    const tx = (await c.getFunction(fn)(...args)) as { wait(): Promise<unknown> };
    await tx.wait();
  };
  const token = await deploy("TestToken", ["Cohort Stake", "CST"]);
  const tokenAddress = await token.getAddress();
  const poolParams = (unbondingPeriod: bigint) => ({
    minStake: WEIGHT_UNIT,
    seatBond: SEAT_BOND,
    unbondingPeriod,
    treasury: admin!.address,
  });
  const pool = await deploy("SecurityPool", [
    tokenAddress,
    admin!.address,
    WEIGHT_UNIT,
    o.epochBlocks,
    o.windowBlocks,
    poolParams(1n),
  ]);
  const poolAddress = await pool.getAddress();
  const randomness = await deploy("BlockhashRandomness", [admin!.address, 1n]);
  const randomnessAddress = await randomness.getAddress();
  const manager = await deploy("TaskManager", [
    poolAddress,
    randomnessAddress,
    admin!.address,
    {
      slashFractionBps: 5_000,
      missedCommitPenaltyBps: 1_000,
      missedRevealPenaltyBps: 2_000,
      maxReplacementDraws: 1,
      maxRedraws: 1,
      maxEscalations: o.maxEscalations,
      bountyBps: 2_000,
      honestShareBps: 5_000,
      challengeBondPerSeat: UNIT / 100n,
      burnRemainder: false,
    },
  ]);
  const managerAddress = await manager.getAddress();
  const mi: Interface = manager.interface;
  await call(pool, "grantRole", [await pool.getFunction("SEAT_MANAGER_ROLE")(), managerAddress]);
  await call(pool, "grantRole", [await pool.getFunction("SLASHER_ROLE")(), managerAddress]);
  await call(randomness, "grantRole", [await randomness.getFunction("CONSUMER_ROLE")(), managerAddress]);
  // The pool must hold stake at least as long as any task can live (createTask refuses otherwise).
  const life = (await manager.getFunction("lifeBound")(o.commitBlocks, o.revealBlocks, o.challengeBlocks, 0)) as bigint;
  await call(pool, "setParameters", [poolParams(life)]);

  // --- Actors and stakes (automine off from here on).
  for (const a of [keeper, requester, watchtower, ...workers]) await chain.impersonate(a);
  await chain.setAutomine(false);
  const ti = token.interface;
  const pi = pool.interface;
  const setup: Sent[] = [];
  const mint = (to: string, amount: bigint) => ti.encodeFunctionData("mint", [to, amount]);
  const approve = (spender: string) => ti.encodeFunctionData("approve", [spender, 2n ** 256n - 1n]);
  for (const w of workers) {
    setup.push(await chain.send(keeper, tokenAddress, mint(w, STAKE), GAS.setup));
    setup.push(await chain.send(w, tokenAddress, approve(poolAddress), GAS.setup));
  }
  for (const a of [requester, watchtower]) {
    setup.push(await chain.send(keeper, tokenAddress, mint(a, FUNDS), GAS.setup));
    setup.push(await chain.send(a, tokenAddress, approve(managerAddress), GAS.setup));
  }
  await expectAllOk(chain, ti, "funding", await chain.mineAndCheck(setup));
  // Stake in the open part of an epoch so that the weights apply at once.
  await mineToOpen(chain, o);
  const stakes: Sent[] = [];
  for (const w of workers)
    stakes.push(await chain.send(w, poolAddress, pi.encodeFunctionData("stake", [STAKE]), GAS.setup));
  await expectAllOk(chain, pi, "staking", await chain.mineAndCheck(stakes));
  const weights = await weightsOf(chain, pool, workers);
  const distinct = new Set(weights.values());
  if (distinct.size !== 1 || distinct.has(0n)) throw new Error(`workers' weights are not equal: ${[...distinct]}`);
  const share = eligibleAdversarialShare(weights, adversarial, new Set())!;

  // --- Tasks, in batches.
  const chainId = BigInt(await chain.request<string>("eth_chainId"));
  const coder = AbiCoder.defaultAbiCoder();
  const saltOf = (taskId: bigint, round: number, member: string) =>
    id(`cohort/simulate/salt/${managerAddress}/${taskId}/${round}/${member}`);
  const commitmentOf = (taskId: bigint, round: number, member: string, result: string) =>
    keccak256(
      coder.encode(
        ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
        [chainId, managerAddress, taskId, round, member, result, saltOf(taskId, round, member)],
      ),
    );
  const view = (fn: string, args: unknown[]) => chain.view(mi, managerAddress, fn, args);
  const resultOf = (t: SimTask, member: string) => (adversarial.has(member) ? t.wrong : t.right);

  const m: RowMeasurement = {
    spec,
    share,
    adversarialWorkers,
    ladder,
    outcomes: [],
    failures: [],
    anomalies: [],
    declines: 0,
    shortfalls: 0,
    rearms: 0,
    transactions: setup.length + stakes.length,
    gas: 0n,
    maxGas: {},
    seconds: 0,
  };
  const anomaly = (t: SimTask, what: string) => {
    const line = `task ${t.id}: ${what}`;
    if (!m.anomalies.includes(line)) m.anomalies.push(line);
  };
  const rowName = `p=${spec.label} ${spec.watchtower ? "with" : "without"} watchtower`;

  for (let first = 0; first < o.tasksPerRow; first += o.batchSize) {
    const batchStarted = Date.now();
    const count = Math.min(o.batchSize, o.tasksPerRow - first);

    // Post the batch in one block of the open part of an epoch: every seed aims at the same draw window.
    await mineToOpen(chain, o);
    const posts: Sent[] = [];
    for (let i = 0; i < count; i++) {
      const input = toUtf8Bytes(`cohort simulate ${managerAddress} task ${first + i}`);
      const request = {
        programId: id("program: cohort-simulate.wasm"),
        inputHash: keccak256(input),
        inputKind: 0,
        input,
        seats: o.seats,
        quorum: o.quorum,
        reward: REWARD,
        commitBlocks: o.commitBlocks,
        revealBlocks: o.revealBlocks,
        challengeBlocks: o.challengeBlocks,
        valueAtRisk: 0n,
        noQuorumRule: 0,
      };
      posts.push(
        await chain.send(requester, managerAddress, mi.encodeFunctionData("createTask", [request]), GAS.create),
      );
    }
    const posted = await chain.mineAndCheck(posts);
    await expectAllOk(chain, mi, "createTask", posted);
    const tasks: SimTask[] = [];
    for (const p of posted) {
      m.transactions++;
      m.gas += p.gasUsed;
      m.maxGas.createTask = Math.max(m.maxGas.createTask ?? 0, Number(p.gasUsed));
      const created = parseLogs(mi, managerAddress, p.logs).find((l) => l.name === "TaskCreated");
      if (!created) throw new Error(`createTask ${p.hash} emitted no TaskCreated`);
      const taskId = created.args.getValue("taskId") as bigint;
      tasks.push({
        id: taskId,
        right: id(`cohort/simulate/result/right/${taskId}`),
        wrong: id(`cohort/simulate/result/wrong/${taskId}`),
        members: [],
        checked: new Map(),
        shortfallRounds: new Set(),
        proposals: new Map(),
        stepShares: [],
        adversarialSeats: [],
        filledSeats: [],
        escalations: 0,
        drawAttempts: 0,
        wakeAt: 0n,
      });
    }

    const active = new Set(tasks);
    const done = (t: SimTask) => active.delete(t);
    const fail = (t: SimTask, why: string) => {
      t.failure = why;
      m.failures.push(`task ${t.id}: ${why}`);
      done(t);
    };

    for (let iteration = 0; active.size > 0; iteration++) {
      if (iteration > 20_000) {
        for (const t of [...active]) fail(t, "the driver gave up after 20,000 blocks with actions");
        break;
      }
      const next = await chain.next();
      const due = [...active].filter((t) => t.wakeAt <= next);
      // Every read comes before the first send: a view of the pending block runs the whole mempool first.
      const read = await Promise.all(
        due.map(async (t) => {
          const [phaseResult, infoResult] = await Promise.all([view("phaseOf", [t.id]), view("taskOf", [t.id])]);
          const phase = Number(phaseResult[0] as bigint) as Phase;
          const info = taskView(infoResult);
          const records =
            phase === Phase.Committing || phase === Phase.Revealing
              ? await recordsOf(chain, mi, managerAddress, t.id, info.round, info.recordCount)
              : [];
          const target =
            phase === Phase.AwaitingSeed
              ? ((await chain.view(randomness.interface, randomnessAddress, "targetOf", [info.requestId]))[0] as bigint)
              : 0n;
          return { t, phase, info, records, target };
        }),
      );
      const actions: Action[] = [];
      const act = async (t: SimTask, kind: ActionKind, from: string, fn: string, args: unknown[], gas: bigint) => {
        const sent = await chain.send(from, managerAddress, mi.encodeFunctionData(fn, args), gas);
        const a: Action = { task: t, kind, sent };
        actions.push(a);
        return a;
      };

      for (const { t, phase, info, records, target } of read) {
        if (info.proposedResult !== ZERO && !t.proposals.has(info.escalations) && phase >= Phase.Challengeable)
          t.proposals.set(info.escalations, info.proposedResult);
        switch (phase) {
          case Phase.AwaitingSeed: {
            if (next > info.expiresAt) {
              fail(t, `still waiting for a committee at block ${next}, past expiresAt ${info.expiresAt}`);
              break;
            }
            if (next <= target) {
              t.wakeAt = target + 1n;
              break;
            }
            if (++t.drawAttempts > MAX_DRAW_ATTEMPTS) {
              fail(t, `no committee for round ${info.round} after ${MAX_DRAW_ATTEMPTS} draw attempts`);
              break;
            }
            // Inside the window the seed serves, this draws; after it, it re-arms the seed for the next window.
            await act(t, "draw", keeper, "drawCommittee", [t.id], GAS.draw);
            break;
          }
          case Phase.Committing: {
            t.members[info.round] = records.map((r) => r.member);
            // Checked after each draw of the round (a replacement draw adds records).
            if (t.checked.get(info.round) !== records.length) {
              t.checked.set(info.round, records.length);
              const filled = checkCommittee(t, info, records, ladder, watchtower, anomaly);
              if (
                filled < info.seats &&
                info.escalations > 0 &&
                !records.some((r) => r.status === RecordStatus.Declined)
              ) {
                // An escalation draw keeps the eligible seats among twice as many drawn; the rare shortfall stays
                // vacant until the round's replacement draw. Allowed, and counted.
                t.shortfallRounds.add(info.round);
                m.shortfalls++;
              }
              t.filledSeats[info.escalations] = filled;
              t.adversarialSeats[info.escalations] = records.reduce(
                (sum, r) => sum + (r.status !== RecordStatus.Declined && adversarial.has(r.member) ? r.seats : 0),
                0,
              );
            }
            t.drawAttempts = 0;
            let any = false;
            for (const r of records) {
              if (r.status !== RecordStatus.Assigned) continue;
              any = true;
              const c = commitmentOf(t.id, info.round, r.member, resultOf(t, r.member));
              await act(t, "commit", r.member, "commit", [t.id, r.index, c], GAS.commit);
            }
            if (!any) t.wakeAt = info.commitDeadline + 1n;
            break;
          }
          case Phase.AwaitingReplacement:
            if (!t.shortfallRounds.has(info.round))
              anomaly(t, `round ${info.round} has vacant seats at its commit deadline (nobody should miss a commit)`);
            await act(t, "replace", keeper, "replaceNoShows", [t.id], GAS.replace);
            break;
          case Phase.Revealing: {
            t.members[info.round] = records.map((r) => r.member);
            let any = false;
            for (const r of records) {
              if (r.status !== RecordStatus.Committed) continue;
              any = true;
              const salt = saltOf(t.id, info.round, r.member);
              await act(
                t,
                "reveal",
                r.member,
                "reveal",
                [t.id, r.index, resultOf(t, r.member), salt, "0x"],
                GAS.reveal,
              );
            }
            if (!any) t.wakeAt = info.revealDeadline + 1n;
            break;
          }
          case Phase.AwaitingTally:
            await act(t, "tally", keeper, "tally", [t.id], GAS.tally);
            break;
          case Phase.Challengeable: {
            const wrong = info.proposedResult !== t.right;
            if (spec.watchtower && wrong && info.escalations < info.maxEscalations) {
              // Step k = escalations + 1 draws from every worker but the members of rounds 0 .. round (the
              // watchtower holds no stake, so excluding it removes nothing).
              const excluded = new Set(t.members.slice(0, info.round + 1).flat());
              const stepShare = eligibleAdversarialShare(weights, adversarial, excluded);
              if (stepShare === null) {
                fail(t, `no eligible stake left for escalation step ${info.escalations + 1}`);
                break;
              }
              const a = await act(
                t,
                "challenge",
                watchtower,
                "challenge",
                [t.id, t.right, info.challengeBondFloor],
                GAS.challenge,
              );
              a.share = stepShare;
            } else {
              t.wakeAt = info.challengeDeadline + 1n;
            }
            break;
          }
          case Phase.AwaitingFinalization:
            await act(t, "finalize", keeper, "finalize", [t.id], GAS.finalize);
            break;
          case Phase.Finalized:
            if (t.final === undefined) t.final = info.proposedResult;
            else if (t.final !== info.proposedResult)
              anomaly(t, `TaskFinalized said ${t.final} but taskOf says ${info.proposedResult}`);
            t.outcome = {
              id: t.id,
              wrongProposed: t.proposals.get(0) === t.wrong,
              wrongFinal: t.final === t.wrong,
              escalations: t.escalations,
              stepShares: t.stepShares,
              adversarialSeats: t.adversarialSeats,
              filledSeats: t.filledSeats,
            };
            m.outcomes.push(t.outcome);
            if (!t.proposals.has(0)) anomaly(t, "finalized without a recorded step-0 proposal");
            if (t.final !== t.right && t.final !== t.wrong) anomaly(t, `final result ${t.final} is neither hash`);
            done(t);
            break;
          case Phase.Refunded:
            fail(t, "refunded (no result), which the model says cannot happen");
            break;
          default:
            fail(t, `unexpected phase ${phase}`);
        }
      }

      if (actions.length > 0) {
        const mined = await chain.mineAndCheck(actions.map((a) => a.sent));
        for (const [i, a] of actions.entries()) {
          const r = mined[i]!;
          m.transactions++;
          m.gas += r.gasUsed;
          m.maxGas[a.kind] = Math.max(m.maxGas[a.kind] ?? 0, Number(r.gasUsed));
          const t = a.task;
          if (!r.ok) {
            if (active.has(t)) fail(t, `${a.kind} reverted: ${await chain.explainRevert(mi, r)}`);
            continue;
          }
          const events = parseLogs(mi, managerAddress, r.logs);
          switch (a.kind) {
            case "draw": {
              const declined = events.filter((e) => e.name === "SeatsDeclined").length;
              if (declined > 0) {
                m.declines += declined;
                anomaly(t, `${declined} SeatsDeclined in a draw`);
              }
              if (!events.some((e) => e.name === "CommitteeDrawn")) m.rearms++;
              break;
            }
            case "tally":
              for (const e of events) {
                if (e.name === "NoQuorum") anomaly(t, `round ${e.args.getValue("round")} had no quorum`);
                if (e.name === "ResultProposed" && !t.proposals.has(t.escalations))
                  t.proposals.set(t.escalations, e.args.getValue("resultHash") as string);
              }
              break;
            case "challenge":
              t.escalations++;
              t.stepShares.push(a.share!);
              break;
            case "finalize": {
              const finalized = events.find((e) => e.name === "TaskFinalized");
              if (finalized) t.final = finalized.args.getValue("resultHash") as string;
              break;
            }
            default:
              break;
          }
        }
        continue;
      }
      const wake = [...active].reduce((min, t) => (t.wakeAt < min ? t.wakeAt : min), MAX_BLOCK);
      if (wake === MAX_BLOCK || wake <= next) {
        // Every task was read and none can act or names a block to wait for: should not happen.
        for (const t of [...active]) fail(t, `stuck at block ${next} with nothing to do`);
        break;
      }
      await chain.mineUntilNext(wake);
    }

    const batch = tasks.flatMap((t) => (t.outcome ? [t.outcome] : []));
    const wrongP = batch.filter((x) => x.wrongProposed).length;
    const wrongF = batch.filter((x) => x.wrongFinal).length;
    const steps = ladder.slice(1).map((_, k) => batch.filter((x) => x.escalations > k).length);
    o.log(
      `  [${rowName}] tasks ${first + 1}-${first + count}: ${((Date.now() - batchStarted) / 1000).toFixed(1)} s, ` +
        `wrong proposed ${wrongP}, wrong final ${wrongF}, escalations reached ${steps.join("/")}` +
        (batch.length < count ? `, ${count - batch.length} FAILED` : ""),
    );
  }

  // Slashes must not have moved the shares the predictions use.
  const after = await weightsOf(chain, pool, workers);
  for (const [w, weight] of weights)
    if (after.get(w) !== weight) m.anomalies.push(`worker ${w}'s weight moved from ${weight} to ${after.get(w)}`);
  m.seconds = (Date.now() - started) / 1000;
  return m;
}

const ZERO = `0x${"0".repeat(64)}`;
const MAX_BLOCK = 2n ** 255n;

/**
 * Checks a round's committee against the ladder and the exclusion rule of escalation rounds; returns the seats
 * filled. A shortfall is not reported here: the caller knows whether it is allowed.
 */
function checkCommittee(
  t: SimTask,
  info: TaskView,
  records: RecordView[],
  ladder: LadderStep[],
  watchtower: string,
  anomaly: (t: SimTask, what: string) => void,
): number {
  const step = ladder[info.escalations];
  if (step && (info.seats !== step.seats || info.quorum !== step.quorum))
    anomaly(
      t,
      `round ${info.round} has ${info.seats} seats / quorum ${info.quorum}, the ladder says ${step.seats}/${step.quorum}`,
    );
  const seats = records.reduce((sum, r) => sum + (r.status === RecordStatus.Declined ? 0 : r.seats), 0);
  if (seats > info.seats || (seats < info.seats && info.escalations === 0))
    anomaly(t, `round ${info.round} filled ${seats} of ${info.seats} seats`);
  if (info.round === 0) return seats;
  const earlier = new Set(t.members.slice(0, info.round).flat());
  for (const r of records) {
    if (earlier.has(r.member)) anomaly(t, `round ${info.round} seats ${r.member}, a member of an earlier round`);
    if (r.member === watchtower) anomaly(t, `round ${info.round} seats the challenger`);
  }
  return seats;
}

async function recordsOf(
  chain: Chain,
  mi: Interface,
  manager: string,
  taskId: bigint,
  round: number,
  count: number,
): Promise<RecordView[]> {
  const out = (await chain.view(mi, manager, "recordsOf", [taskId, round, 0, count]))[0] as Result;
  return [...out].map((r: Result, index) => ({
    index,
    member: r.getValue("member") as string,
    seats: Number(r.getValue("seats") as bigint),
    status: Number(r.getValue("status") as bigint),
  }));
}

async function weightsOf(chain: Chain, pool: Contract, workers: string[]): Promise<Map<string, bigint>> {
  const address = await pool.getAddress();
  const infos = await Promise.all(workers.map((w) => chain.view(pool.interface, address, "stakeOf", [w])));
  return new Map(workers.map((w, i) => [w, (infos[i]![0] as Result).getValue("weight") as bigint]));
}

/** Mines until the next block lies in the open part of an epoch (not inside a draw window). */
async function mineToOpen(chain: Chain, o: SimOptions): Promise<void> {
  const next = await chain.next();
  const windowStart = (next / o.epochBlocks + 1n) * o.epochBlocks - o.windowBlocks;
  if (next >= windowStart) await chain.mineUntilNext(windowStart + o.windowBlocks);
}

async function expectAllOk(chain: Chain, iface: Interface, what: string, mined: Mined[]): Promise<void> {
  const bad = mined.filter((x) => !x.ok);
  if (bad.length === 0) return;
  const why = await chain.explainRevert(iface, bad[0]!);
  throw new Error(`${bad.length} of ${mined.length} ${what} transactions reverted; the first: ${why}`);
}
