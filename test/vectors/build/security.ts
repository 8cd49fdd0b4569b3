/**
 * `security.json`: binomial tails and committee suggestions, computed exactly. The adversary's share is a fraction
 * `num / den`, so P(Binomial(n, p) >= k) = sum_{i >= k} C(n, i) num^i (den - num)^(n - i) / den^n is a ratio of two
 * integers; it is written with 20 significant digits and its base-10 logarithm, which the SDK's floating-point tails
 * must match to about 1e-12 relative.
 */
import type { Random } from "./random.js";

interface Share {
  num: bigint;
  den: bigint;
}

/** The tail as an exact fraction [numerator, denominator]. */
function exactTail(n: number, k: number, { num, den }: Share): [bigint, bigint] {
  if (k <= 0) return [1n, 1n];
  if (k > n) return [0n, 1n];
  let sum = 0n;
  let choose = 1n;
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    if (i >= k) sum += choose * num ** BigInt(i) * (den - num) ** BigInt(n - i);
  }
  return [sum, den ** BigInt(n)];
}

/** log10 of a positive integer, to about 1e-16: its digit count and its leading 17 digits. */
function log10Of(x: bigint): number {
  const digits = x.toString();
  const lead = Number(`${digits[0]}.${digits.slice(1, 17) || "0"}`);
  return digits.length - 1 + Math.log10(lead);
}

/** `num / den` in scientific notation with `significant` digits, rounded half up. */
function scientific(num: bigint, den: bigint, significant = 20): string {
  if (num === 0n) return "0";
  let exponent = num.toString().length - den.toString().length;
  // Scale so that the quotient has exactly `significant` digits before rounding.
  const scaled = (e: number) =>
    e >= 0
      ? (num * 10n ** BigInt(significant - 1)) / (den * 10n ** BigInt(e))
      : (num * 10n ** BigInt(significant - 1 - e)) / den;
  let q = scaled(exponent);
  if (q < 10n ** BigInt(significant - 1)) q = scaled(--exponent);
  if (q >= 10n ** BigInt(significant)) q = scaled(++exponent);
  const text = q.toString();
  return `${text[0]}.${text.slice(1)}e${exponent}`;
}

const share = (num: number, den: number): Share => ({ num: BigInt(num), den: BigInt(den) });

const SHARES: Share[] = [
  share(1, 1000),
  share(1, 100),
  share(1, 10),
  share(1, 5),
  share(1, 4),
  share(1, 3),
  share(2, 5),
  share(9, 20),
  share(1, 2),
  share(3, 5),
  share(99, 100),
];

export function securityVectors(random: Random) {
  const cases: [number, number, Share][] = [
    [5, 3, share(1, 3)],
    [9, 5, share(1, 2)],
    [79, 79, share(1, 10)],
    [79, 40, share(1, 10)],
    [400, 400, share(1, 10)],
    [1, 1, share(1, 3)],
    [64, 33, share(1, 1000)],
    [129, 65, share(1, 1000)],
    [129, 65, share(1, 3)],
    [300, 151, share(1, 3)],
    [256, 129, share(1, 4)],
    [0, 0, share(1, 2)],
    [10, 0, share(1, 2)],
    [10, 11, share(1, 2)],
    [10, 1, share(1, 1000)],
    [200, 2, share(1, 100)],
  ];
  for (const n of [16, 32, 64, 128, 256]) {
    for (const s of [share(1, 10), share(1, 5), share(1, 4), share(1, 3)]) {
      cases.push([n, Math.floor(n / 2) + 1, s], [n, Math.ceil((2 * n) / 3), s]);
    }
  }
  for (let i = 0; i < 40; i++) {
    const n = random.int(1, 200);
    cases.push([n, random.int(0, n), random.pick(SHARES)]);
  }
  const tails = cases.map(([n, k, s]) => {
    const [num, den] = exactTail(n, k, s);
    return {
      n,
      k,
      p: { num: Number(s.num), den: Number(s.den) },
      tail: scientific(num, den),
      log10Tail: num === 0n ? null : (log10Of(num) - log10Of(den)).toPrecision(17),
    };
  });

  const suggestions = [];
  const targets: [number, bigint][] = [
    [1e-3, 1000n],
    [1e-6, 1_000_000n],
    [1e-9, 1_000_000_000n],
    [1e-12, 1_000_000_000_000n],
  ];
  const suggestionShares = [1000, 100, 10, 5, 4, 3].map((den) => share(1, den)).concat([share(2, 5), share(1, 2)]);
  for (const s of suggestionShares) {
    // The shares that need committees beyond a task's 64 seats are searched further, to reach their answers.
    const maxSeats = s.num * 3n === s.den || s.num * 5n === s.den * 2n ? 400 : 64;
    for (const odd of [false, true]) {
      const found = new Map<number, { seats: number; quorum: number; failure: string; stall: string }>();
      const ties = new Set<number>();
      for (let n = 1; n <= maxSeats && found.size + ties.size < targets.length; n += odd ? 2 : 1) {
        const quorum = Math.floor(n / 2) + 1;
        const [num, den] = exactTail(n, quorum, s);
        for (const [target, inverse] of targets) {
          if (found.has(target) || ties.has(target)) continue;
          // A chance equal to the target (to 1e-9) is a tie that floating point cannot be asked to decide: left out.
          const gap = num * inverse - den;
          if ((gap < 0n ? -gap : gap) * 1_000_000_000n <= den) {
            ties.add(target);
            continue;
          }
          if (gap > 0n) continue;
          const [stallNum, stallDen] = exactTail(n, n - quorum + 1, s);
          found.set(target, { seats: n, quorum, failure: scientific(num, den), stall: scientific(stallNum, stallDen) });
        }
      }
      for (const [target] of targets) {
        if (ties.has(target)) continue;
        suggestions.push({
          adversaryShare: { num: Number(s.num), den: Number(s.den) },
          target,
          maxSeats,
          odd,
          ...(found.get(target) ?? { unreachable: true }),
        });
      }
    }
  }

  return {
    description:
      "Binomial tails P(Binomial(n, p) >= k) for p = num / den, computed exactly (`tail` to 20 significant digits, " +
      "`log10Tail` its base-10 logarithm, null for a zero tail); and the smallest committee (odd sizes only when " +
      "`odd`) of at most `maxSeats` seats whose strict-majority quorum a p-share wins with chance <= target, with " +
      "that chance (`failure`) and the chance it holds enough seats to stall the quorum (`stall`).",
    tails,
    suggestions,
  };
}
