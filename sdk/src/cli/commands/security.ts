import type { Command } from "commander";

import { MAX_SEATS } from "../../domain/seats.js";
import { committeeFailure, suggestCommittee, wrongFinalAtP } from "../../domain/security.js";
import { InvalidArgumentError } from "../../errors/base.js";
import { table } from "../output.js";
import type { Bind } from "../program.js";

/** The sizes `cohort security committees` tabulates unless told: the range tasks use, odd (no ties). */
const DEFAULT_SEATS = "3,5,9,15,21,33,51,63";
/** Adversary shares from a tenth to just under a half. */
const DEFAULT_SHARES = "0.1,0.2,0.25,1/3,0.4,0.45";

/**
 * `cohort security`: how big a committee must be. Offline: the binomial law of stake-weighted draws with replacement
 * (`domain/security.ts`), the chance that a share of the stake carries a strict-majority quorum.
 */
export function registerSecurity(program: Command, bind: Bind): void {
  const group = program
    .command("security")
    .description("committee sizes against an adversary's share of the stake (offline, no chain)");

  group
    .command("committees")
    .description("the chance that an adversary's share carries a committee's strict-majority quorum, by size")
    .option("--seats <list>", "committee sizes, comma-separated", DEFAULT_SEATS)
    .option("--share <list>", "adversary shares of the stake (decimals or fractions such as 1/3)", DEFAULT_SHARES)
    .option(
      "--ladder <list>",
      "also the chance a wrong result survives a watchtower's challenges up this ladder of sizes (e.g. 9,19,39,79)",
    )
    .action(
      bind(async (_ctx, opts: { seats: string; share: string; ladder?: string }) => {
        const seats = listOf("seats", opts.seats, seatCount);
        const shares = listOf("share", opts.share, shareOf);
        const ladder = opts.ladder === undefined ? undefined : listOf("ladder", opts.ladder, seatCount);
        const rows = seats.map((n) => ({
          seats: n,
          quorum: quorumOf(n),
          failure: shares.map((p) => committeeFailure(n, quorumOf(n), p)),
        }));
        const ladderRow =
          ladder === undefined
            ? undefined
            : shares.map((p) =>
                wrongFinalAtP(
                  ladder.map((n) => ({ seats: n, quorum: quorumOf(n) })),
                  p,
                ),
              );
        return {
          data: { shares, rows, ...(ladder === undefined ? {} : { ladder, wrongFinal: ladderRow }) },
          human: [
            grid([
              ["seats (quorum)", ...shares.map((p) => `p = ${formatShare(p)}`)],
              ...rows.map((r) => [`${r.seats} (${r.quorum})`, ...r.failure.map(formatProbability)]),
              ...(ladderRow === undefined || ladder === undefined
                ? []
                : [[`ladder ${ladder.join("/")}`, ...ladderRow.map(formatProbability)]]),
            ]),
            "",
            "each cell: the chance that a share p of the stake holds a strict majority of the seats (seats are drawn",
            "stake-weighted with replacement, so it is binomial). The ladder row: the chance it also carries every",
            "escalation round a watchtower's challenges open (the same share at every round, exclusion ignored).",
          ].join("\n"),
        };
      }),
    );

  group
    .command("suggest")
    .description("the smallest committee that keeps an adversary's chance of carrying its quorum under a target")
    .requiredOption("--share <p>", "the adversary's share of the stake (decimal or fraction such as 1/3)")
    .requiredOption("--target <p>", "the highest acceptable chance (e.g. 1e-9)")
    .option("--odd", "only odd sizes (no tied rounds)")
    .option("--max-seats <n>", "the largest committee to consider", String(MAX_SEATS))
    .action(
      bind(async (_ctx, opts: { share: string; target: string; odd?: boolean; maxSeats: string }) => {
        const adversaryShare = shareOf("share", opts.share);
        const target = shareOf("target", opts.target);
        const maxSeats = seatCount("max-seats", opts.maxSeats, 100_000);
        const s = suggestCommittee({ adversaryShare, target, maxSeats, odd: opts.odd === true });
        return {
          data: { adversaryShare, target, seats: s.seats, quorum: s.quorum, failure: s.failure, stall: s.stall },
          human: table([
            ["seats", String(s.seats)],
            ["quorum", String(s.quorum)],
            ["chance the adversary carries the quorum", formatProbability(s.failure)],
            ["chance it can stall the round (withhold reveals)", formatProbability(s.stall)],
          ]),
        };
      }),
    );
}

/** Rows of cells as aligned columns: the first left-aligned, the rest right-aligned, a rule under the header. */
function grid([header, ...body]: [string[], ...string[][]]): string {
  const widths = header.map((_, c) => Math.max(...[header, ...body].map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function quorumOf(seats: number): number {
  return Math.floor(seats / 2) + 1;
}

function listOf<T>(name: string, text: string, parse: (name: string, item: string) => T): T[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === "")) {
    throw new InvalidArgumentError(name, `expected a comma-separated list, got "${text}"`, { meta: { text } });
  }
  return items.map((item) => parse(name, item));
}

function seatCount(name: string, text: string, max = 100_000): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new InvalidArgumentError(name, `expected a whole number of seats in [1, ${max}], got "${text}"`, {
      meta: { text, max },
    });
  }
  return n;
}

/** A probability as a decimal (0.25, 1e-9) or a fraction of whole numbers (1/3). */
function shareOf(name: string, text: string): number {
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  const value =
    fraction !== null
      ? Number(fraction[1]) / Number(fraction[2])
      : /^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(text)
        ? Number(text)
        : Number.NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError(name, `expected a probability in [0, 1] (such as 0.25 or 1/3), got "${text}"`, {
      meta: { text },
    });
  }
  return value;
}

function formatShare(p: number): string {
  return Math.abs(p - 1 / 3) < 1e-12 ? "1/3" : String(p);
}

function formatProbability(p: number): string {
  if (p === 0) return "0";
  return p >= 1e-3 ? p.toFixed(4) : p.toExponential(2);
}
