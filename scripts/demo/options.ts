/**
 * The demo's command line (commander), validated here and nowhere else: a bad value stops the demo with a
 * `DemoOptionError` naming the option and the value, before anything is deployed.
 */
import { Command, CommanderError } from "commander";

import { MAX_REGION_PARTICLES } from "./world.ts";

export interface DemoOptions {
  /** A network of hardhat.config.ts; undefined: the in-process network. */
  network: string | undefined;
  gridX: number;
  gridY: number;
  epochs: number;
  workers: number;
  adversaryShare: number;
  out: string;
  seed: number;
  particlesPerRegion: number;
  ticks: number;
  seats: number;
  quorum: number;
  blockMs: number;
  pollMs: number;
  /** Deploy the bisection game and the particle verifier (when the deployment has not). */
  game: boolean;
  /** Progress as plain lines even on a terminal. */
  plain: boolean;
}

export class DemoOptionError extends Error {
  override readonly name = "DemoOptionError";
  readonly option: string;
  readonly value: string;
  readonly expected: string;
  /** `message` replaces the default text (commander's own complaint about the command line). */
  constructor(option: string, value: string, expected: string, message?: string) {
    super(message ?? `--${option} ${JSON.stringify(value)}: expected ${expected}`);
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

const MAX_GRID = 8;

export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const program = new Command("npm run demo --")
    .description(
      "A sharded particle world secured by one staking pool: deploys Cohort, stakes a pool of workers (one of them " +
        "adversarial), runs their agents and a watchtower, and advances every region task by task.",
    )
    .option("--network <name>", "a network of hardhat.config.ts (default: the in-process network)")
    .option("--grid <X>x<Y>", "regions across and down", "4x4")
    .option("--epochs <n>", "batches of ticks per region (each one task)", "3")
    .option("--workers <n>", "workers in the pool, the adversary included", "20")
    .option("--adversary-share <f>", "the adversary's share of the stake, in (0, 0.5)", "0.2")
    .option("--out <dir>", "where the run record and the report go", "demo-report")
    .option("--seed <n>", "seed of the initial world", "1")
    .option("--particles <n>", "particles per region at the start", "14")
    .option("--ticks <n>", "ticks per task", "32")
    .option("--seats <n>", "seats of a first committee", "3")
    .option("--quorum <n>", "seats a result needs (default: a strict majority)")
    .option("--block-ms <n>", "milliseconds per block (interval mining)", "500")
    .option("--poll-ms <n>", "the agents' pause between rounds", "250")
    .option("--no-game", "the agents play no bisection game (committee escalation only)")
    .option("--plain", "progress as plain lines, even on a terminal")
    .exitOverride()
    // Commander's complaints become a DemoOptionError, printed once by the entry point.
    .configureOutput({ writeErr: () => undefined });
  try {
    program.parse(argv as string[], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError && (e.code === "commander.helpDisplayed" || e.code === "commander.version")) {
      process.exit(0);
    }
    if (e instanceof CommanderError) {
      const text = e.message.replace(/^error: /, "");
      throw new DemoOptionError(e.code, argv.join(" "), "", `${text} (npm run demo -- --help lists the options)`);
    }
    throw e;
  }
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const grid = /^([1-9][0-9]*)x([1-9][0-9]*)$/.exec(String(o.grid));
  if (!grid || Number(grid[1]) > MAX_GRID || Number(grid[2]) > MAX_GRID) {
    throw new DemoOptionError("grid", String(o.grid), `<X>x<Y> with 1 <= X, Y <= ${MAX_GRID}, such as 4x4`);
  }
  const int = (name: string, min: number, max: number): number => {
    const raw = String(o[camel(name)]);
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      throw new DemoOptionError(name, raw, `an integer in [${min}, ${max}]`);
    }
    return value;
  };
  const share = Number(o.adversaryShare);
  if (!/^0?\.[0-9]+$/.test(String(o.adversaryShare)) || !(share > 0 && share < 0.5)) {
    throw new DemoOptionError("adversary-share", String(o.adversaryShare), "a fraction strictly between 0 and 0.5");
  }
  const seats = int("seats", 1, 15);
  const quorum = o.quorum === undefined ? Math.floor(seats / 2) + 1 : int("quorum", Math.floor(seats / 2) + 1, seats);
  const network = o.network === undefined ? undefined : String(o.network);
  if (network !== undefined && !/^[A-Za-z][A-Za-z0-9_-]*$/.test(network)) {
    throw new DemoOptionError("network", network, "the name of a network in hardhat.config.ts, such as localhost");
  }
  return {
    network,
    gridX: Number(grid[1]),
    gridY: Number(grid[2]),
    epochs: int("epochs", 1, 50),
    // Fewer than ten leaves escalation rounds (seven seats, earlier members excluded) short of members.
    workers: int("workers", 10, 200),
    adversaryShare: share,
    out: String(o.out),
    seed: int("seed", 0, 2 ** 31 - 1),
    particlesPerRegion: int("particles", 1, Math.floor(MAX_REGION_PARTICLES / 4)),
    ticks: int("ticks", 1, 1_000),
    seats,
    quorum,
    blockMs: int("block-ms", 50, 10_000),
    pollMs: int("poll-ms", 10, 10_000),
    game: o.game !== false,
    plain: o.plain === true,
  };
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
