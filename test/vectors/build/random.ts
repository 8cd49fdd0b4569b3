/**
 * A seeded generator (SplitMix64) so that `generate.ts` writes the same vectors on every machine and every run: the
 * files are checked in, and `test/sdk/vectors.test.ts` regenerates them to prove it.
 */
export class Random {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  /** The next 64 random bits. */
  next64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** A uniform integer in [0, 2^bits). */
  bits(bits: number): bigint {
    let value = 0n;
    for (let have = 0; have < bits; have += 64) value = (value << 64n) | this.next64();
    return BigInt.asUintN(bits, value);
  }

  /** A uniform integer in [min, max] (rejection sampling: no modulo bias). */
  between(min: bigint, max: bigint): bigint {
    const span = max - min + 1n;
    const width = span.toString(2).length;
    for (;;) {
      const candidate = this.bits(width);
      if (candidate < span) return min + candidate;
    }
  }

  /** A uniform integer in [min, max], as a number. */
  int(min: number, max: number): number {
    return Number(this.between(BigInt(min), BigInt(max)));
  }

  /**
   * A uint256 whose bit length is uniform in [0, 256]: small, mid-sized and huge values equally often, which reaches
   * the rounding and overflow edges far more often than uniform 256-bit values would.
   */
  uint256(): bigint {
    const length = this.int(0, 256);
    if (length === 0) return 0n;
    return (1n << BigInt(length - 1)) | this.bits(length - 1);
  }

  /** `count` random bytes, as 0x-hex. */
  hex(count: number): string {
    return `0x${this.bits(8 * count)
      .toString(16)
      .padStart(2 * count, "0")}`;
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}
