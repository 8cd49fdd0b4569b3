/**
 * The adversarial simulation (`npm run simulate`): many tasks on the in-process network with a pool where a share p
 * of the stake colludes (its members always reveal the same wrong result hash and never challenge), with and without
 * one honest watchtower (an unstaked account that challenges every wrong proposed result, claiming the right one,
 * with the least bond, and challenges again whenever an escalation round proposes a wrong result). Honest members
 * always reveal the right hash; every member commits and reveals in time. It measures how often the first proposal
 * and the final result are wrong, compares both with the binomial predictions, writes bench/results/adversary.json
 * and exits with code 1 if a row disagrees, a task did not finish, or the contracts did something the model rules
 * out (a declined seat, a round without quorum, a refund, an escalation committee with an earlier member).
 *
 * Predictions: round 0 draws `seats` seats from the whole pool, so P(wrong proposed) = P(Bin(seats, p) >= quorum).
 * Without the watchtower nobody challenges: the final result is the proposed one. With it, a wrong result is final
 * only if every step of the ladder (9, 19, 39, 79 seats by default) proposes it: P0 * c1 * c2 * c3, where c_k is the
 * mean, over the tasks that reached step k, of P(Bin(s_k, p_k) >= q_k), p_k being that task's adversarial share of
 * the stake still eligible for step k (earlier rounds' members are excluded); if no task reached step k, p_k = p.
 *
 * Environment: SIM_TASKS (tasks per row, default 400), SIM_BATCH (tasks run in parallel, default 50), SIM_P (shares,
 * default "0.1,0.25,1/3,0.45"), SIM_WATCHTOWER ("both", "on" or "off"), SIM_WORKERS (default 180), SIM_SEATS
 * (default 9, quorum a bare majority), SIM_MAX_ESCALATIONS (default 3), SIM_SEED (default "1": the chain's
 * block hashes, hence every committee, follow from it, so a run is reproducible), SIM_OUT (default
 * bench/results/adversary.json).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import { agrees, escalationLadder, falseAlarm, stepCaptured, wrongFinalAtP } from "./simulate/binomial.js";
import { Chain } from "./simulate/chain.js";
import { type RowMeasurement, type RowSpec, type SimOptions, runRow } from "./simulate/row.js";

const started = Date.now();
const log = (line: string) => console.error(line);

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

/** "0.1,0.25,1/3" -> shares with their printed labels. */
function sharesEnv(raw: string): { p: number; label: string }[] {
  return raw.split(",").map((part) => {
    const label = part.trim();
    const [num, den] = label.split("/");
    const p = den === undefined ? Number(num) : Number(num) / Number(den);
    if (!(p >= 0 && p <= 1)) throw new Error(`SIM_P: "${label}" is not a share in [0, 1]`);
    return { p, label };
  });
}

const tasksPerRow = intEnv("SIM_TASKS", 400, 1);
const seats = intEnv("SIM_SEATS", 9, 1);
const options: SimOptions = {
  seed: process.env.SIM_SEED ?? "1",
  tasksPerRow,
  batchSize: intEnv("SIM_BATCH", 50, 1),
  workers: intEnv("SIM_WORKERS", 180, 1),
  seats,
  quorum: Math.floor(seats / 2) + 1,
  maxEscalations: intEnv("SIM_MAX_ESCALATIONS", 3, 0),
  // Epochs of 32 blocks whose last 8 are the draw window; windows long enough for a batch's one-block steps.
  epochBlocks: 32n,
  windowBlocks: 8n,
  commitBlocks: 8n,
  revealBlocks: 8n,
  challengeBlocks: 4n,
  log,
};
const shares = sharesEnv(process.env.SIM_P ?? "0.1,0.25,1/3,0.45");
const towerMode = process.env.SIM_WATCHTOWER ?? "both";
if (!["both", "on", "off"].includes(towerMode)) throw new Error(`SIM_WATCHTOWER must be both, on or off`);
const towers = towerMode === "both" ? [false, true] : [towerMode === "on"];
const out = path.resolve(process.env.SIM_OUT ?? "bench/results/adversary.json");
const ladder = escalationLadder(options.seats, options.quorum, options.maxEscalations);

/**
 * A fresh in-process network (one per row, so that memory and per-block costs do not grow from row to row): zero
 * base fee (the simulation's transactions pay 1 wei per gas), a block gas limit far above a batch's draws,
 * first-in first-out blocks, and a fixed start date (every block is then pinned one second after the last, so
 * block hashes, the seeds, follow from the inputs alone).
 */
async function freshNetwork() {
  return await network.create({
    override: {
      blockGasLimit: 10_000_000_000n,
      initialBaseFeePerGas: 0n,
      initialDate: new Date("2025-01-01T00:00:00Z"),
      mining: { auto: true, interval: 0, mempool: { order: "fifo" } },
    },
  });
}

log(
  `Adversarial simulation (seed "${options.seed}"): ${tasksPerRow} tasks per row, batches of ${options.batchSize}, ${options.workers} equal ` +
    `stakers; ladder ${ladder.map((s) => s.seats).join("/")} seats, quorums ${ladder.map((s) => s.quorum).join("/")}`,
);

interface Row {
  p: number;
  label: string;
  seats: number;
  tasks: number;
  watchtower: boolean;
  wrongProposed: number;
  wrongFinal: number;
  predictedWrongProposed: number;
  predictedWrongFinal: number;
  predictedWrongFinalAtP: number;
  agree: boolean;
  agreeProposed: boolean;
  agreeFinal: boolean;
  /**
   * The chance that this row disagrees although the model is right (both tests at their predictions, exact under
   * the binomial model): a disagreement is evidence only when this is small.
   */
  falseAlarm: number;
  workers: number;
  adversarialWorkers: number;
  share: number;
  /** Tasks that reached escalation step k (k = 1 .. maxEscalations). */
  escalations: number[];
  /** Mean eligible adversarial share p_k over the tasks that reached step k (null: none did). */
  stepShares: (number | null)[];
  /** c_k: mean P(Bin(s_k, p_k) >= q_k) over the tasks that reached step k (p_k = p if none did). */
  stepCaptured: number[];
  /**
   * Share of the seats the adversary held, step by step, over the tasks that reached the step (step 0 first; its
   * expectation is p, then the mean p_k): a direct check that draws follow the (eligible) stake.
   */
  adversarialSeatShare: (number | null)[];
  /**
   * Per step, (adversarial seats - expected) / SD over the tasks that reached it, the expectation being filled seats
   * times the task's eligible adversarial share (p at step 0), each seat an independent draw: about N(0, 1) when
   * the draws follow the eligible stake.
   */
  seatShareZ: (number | null)[];
  failures: string[];
  anomalies: string[];
  /** SeatsDeclined events (must be 0). */
  declines: number;
  /** Escalation draws short of eligible seats (filled by the round's replacement draw). */
  shortfalls: number;
  /** Draw calls that re-armed the seed instead of drawing. */
  rearms: number;
  transactions: number;
  gasPerTask: number;
  /** The largest gas used by one transaction of each kind. */
  maxGas: Record<string, number>;
  seconds: number;
}

function summarize(m: RowMeasurement): Row {
  const n = m.outcomes.length;
  const rate = (f: (o: RowMeasurement["outcomes"][number]) => boolean) =>
    n === 0 ? Number.NaN : m.outcomes.filter(f).length / n;
  const p = m.share;
  const predictedWrongProposed = stepCaptured(ladder[0]!, p);
  const escalations = ladder.slice(1).map((_, k) => m.outcomes.filter((o) => o.escalations > k).length);
  const stepShares: (number | null)[] = [];
  const captured: number[] = [];
  let predictedWrongFinal = predictedWrongProposed;
  if (m.spec.watchtower) {
    for (let k = 1; k < ladder.length; k++) {
      const reached = m.outcomes.filter((o) => o.escalations >= k);
      const shareAt = reached.map((o) => o.stepShares[k - 1]!);
      stepShares.push(reached.length === 0 ? null : shareAt.reduce((a, b) => a + b, 0) / reached.length);
      // No task got here: fall back to the undiminished share (conservative: the exclusion of a wrong round's
      // members removes mostly adversarial stake).
      const c =
        reached.length === 0
          ? stepCaptured(ladder[k]!, p)
          : shareAt.reduce((acc, s) => acc + stepCaptured(ladder[k]!, s), 0) / reached.length;
      captured.push(c);
      predictedWrongFinal *= c;
    }
  }
  const adversarialSeatShare = ladder.map((step, k) => {
    const reached = m.outcomes.filter((o) => o.escalations >= k);
    if (reached.length === 0) return null;
    return reached.reduce((sum, o) => sum + (o.adversarialSeats[k] ?? 0), 0) / (reached.length * step.seats);
  });
  const seatShareZ = ladder.map((_, k) => {
    const reached = m.outcomes.filter((o) => o.escalations >= k);
    if (reached.length === 0) return null;
    let observed = 0;
    let expected = 0;
    let variance = 0;
    for (const o of reached) {
      const q = k === 0 ? p : o.stepShares[k - 1]!;
      const seatsFilled = o.filledSeats[k] ?? 0;
      observed += o.adversarialSeats[k] ?? 0;
      expected += seatsFilled * q;
      variance += seatsFilled * q * (1 - q);
    }
    return variance === 0 ? null : (observed - expected) / Math.sqrt(variance);
  });
  const wrongProposed = rate((o) => o.wrongProposed);
  const wrongFinal = rate((o) => o.wrongFinal);
  const agreeProposed = n > 0 && agrees(wrongProposed, predictedWrongProposed, n);
  const agreeFinal = n > 0 && agrees(wrongFinal, predictedWrongFinal, n);
  return {
    p: m.spec.p,
    label: m.spec.label,
    seats: options.seats,
    tasks: n,
    watchtower: m.spec.watchtower,
    wrongProposed,
    wrongFinal,
    predictedWrongProposed,
    predictedWrongFinal,
    predictedWrongFinalAtP: wrongFinalAtP(ladder, p),
    agree: agreeProposed && agreeFinal,
    agreeProposed,
    agreeFinal,
    falseAlarm:
      n === 0
        ? 1
        : m.spec.watchtower
          ? 1 - (1 - falseAlarm(predictedWrongProposed, n)) * (1 - falseAlarm(predictedWrongFinal, n))
          : falseAlarm(predictedWrongProposed, n),
    workers: options.workers,
    adversarialWorkers: m.adversarialWorkers,
    share: m.share,
    escalations,
    stepShares,
    stepCaptured: captured,
    adversarialSeatShare,
    seatShareZ,
    failures: m.failures,
    anomalies: m.anomalies,
    declines: m.declines,
    shortfalls: m.shortfalls,
    rearms: m.rearms,
    transactions: m.transactions,
    gasPerTask: n === 0 ? 0 : Number(m.gas / BigInt(n)),
    maxGas: m.maxGas,
    seconds: m.seconds,
  };
}

const rows: Row[] = [];
for (const { p, label } of shares) {
  for (const watchtower of towers) {
    const spec: RowSpec = { p, label, watchtower };
    log(`Row p=${label} ${watchtower ? "with" : "without"} watchtower: deploying and staking...`);
    const connection = await freshNetwork();
    const row = summarize(await runRow(connection.ethers, new Chain(connection.provider), spec, options));
    await connection.close();
    rows.push(row);
    log(
      `  done in ${row.seconds.toFixed(1)} s: wrong proposed ${fmt(row.wrongProposed)} (predicted ` +
        `${fmt(row.predictedWrongProposed)}), wrong final ${fmt(row.wrongFinal)} (predicted ` +
        `${fmt(row.predictedWrongFinal)})` +
        (row.agree ? "" : `  <-- DISAGREES (an exact model fails this row with probability ${fmt(row.falseAlarm)})`),
    );
    log(
      `  adversarial seat share by step: ${row.adversarialSeatShare.map((x) => (x === null ? "-" : x.toFixed(3))).join(", ")}` +
        ` (stake share ${row.share.toFixed(3)}; eligible share by step ${row.stepShares.map((x) => (x === null ? "-" : x.toFixed(3))).join(", ") || "-"}; ` +
        `z by step ${row.seatShareZ.map((x) => (x === null ? "-" : x.toFixed(2))).join(", ")})`,
    );
    for (const line of [...row.failures, ...row.anomalies].slice(0, 20)) log(`  ! ${line}`);
  }
}

function fmt(x: number): string {
  if (Number.isNaN(x)) return "-";
  if (x === 0) return "0";
  return x >= 1e-3 ? x.toFixed(4) : x.toExponential(2);
}

const table = [
  [
    "p",
    "watchtower",
    "tasks",
    "wrongProposed",
    "predicted",
    "wrongFinal",
    "predicted",
    "predictedAtP",
    "escalations",
    "agree",
    "gas/task",
    "seconds",
  ],
  ...rows.map((r) => [
    r.label,
    r.watchtower ? "yes" : "no",
    String(r.tasks),
    fmt(r.wrongProposed),
    fmt(r.predictedWrongProposed),
    fmt(r.wrongFinal),
    fmt(r.predictedWrongFinal),
    fmt(r.predictedWrongFinalAtP),
    r.watchtower ? r.escalations.join("/") : "-",
    r.agree ? "yes" : "NO",
    r.gasPerTask.toLocaleString("en-US"),
    r.seconds.toFixed(0),
  ]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((line) => line[c]!.length)));
console.log(
  `\nAdversarial simulation: ladder ${ladder.map((s) => s.seats).join("/")} seats (quorums ` +
    `${ladder.map((s) => s.quorum).join("/")}), ${options.workers} equal stakers\n`,
);
for (const [i, line] of table.entries()) {
  console.log(line.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}

// The figure the defaults are chosen by: a wrong final result needs every step at the full share p.
const atThird = wrongFinalAtP(ladder, 1 / 3);
console.log(
  `\nWrong final result with a watchtower, every step at the full share p (predictedWrongFinalAtP): ` +
    [0.1, 0.25, 1 / 3, 0.4, 0.45, 0.5]
      .map((p) => `p=${p === 1 / 3 ? "1/3" : p}: ${fmt(wrongFinalAtP(ladder, p))}`)
      .join(", "),
);
console.log(`At p = 1/3: ${atThird.toExponential(3)} (target <= 1e-6: ${atThird <= 1e-6 ? "met" : "NOT MET"})`);
console.log(
  `Agreement: |measured - predicted| <= 3 SE + 0.5 / tasks, SE = sqrt(pred (1 - pred) / tasks), for both rates.`,
);

await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(rows, null, 2)}\n`);
console.log(
  `\nWrote ${path.relative(process.cwd(), out)} (${rows.length} rows) in ${((Date.now() - started) / 1000).toFixed(0)} s.`,
);

const problems = [
  ...rows
    .filter((r) => !r.agree)
    .map((r) => `p=${r.label}, watchtower ${r.watchtower}: measurement disagrees with prediction`),
  ...rows.filter((r) => r.failures.length > 0).map((r) => `p=${r.label}: ${r.failures.length} task(s) did not finish`),
  ...rows.filter((r) => r.anomalies.length > 0).map((r) => `p=${r.label}: ${r.anomalies.length} anomal(ies)`),
];
if (options.seats === 9 && options.maxEscalations === 3 && atThird > 1e-6)
  problems.push(`the default ladder lets a 1/3 adversary win with ${atThird} > 1e-6`);
// Not a failure by itself (the agreement test is), but a draw that does not follow the eligible stake shows here.
for (const r of rows)
  for (const [k, z] of r.seatShareZ.entries())
    if (z !== null && Math.abs(z) > 4)
      console.error(
        `WARN: p=${r.label}, watchtower ${r.watchtower}: adversarial seats at step ${k} are ${z.toFixed(1)} SD off`,
      );
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL: ${p}`);
  process.exitCode = 1;
}
