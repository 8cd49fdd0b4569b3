import { CohortError, type CohortErrorOptions } from "./base.js";

/**
 * A pure computation that the contracts would refuse, raised by the domain twin of a Solidity library before anything
 * is sent. `errorName` and `args` are exactly what a `ContractRevertError` would carry for the same inputs (the
 * Solidity custom error's name, its arguments by parameter name), so callers and tests can treat both alike.
 */
export class DomainRevertError extends CohortError {
  override name = "DomainRevertError";
  readonly errorName: string;
  readonly args: Record<string, bigint>;

  constructor(errorName: string, args: Record<string, bigint>, options: CohortErrorOptions = {}) {
    const reason = `${errorName}(${Object.values(args).join(", ")})`;
    super(`The contracts would revert: ${reason}`, { ...options, meta: { errorName, args, reason, ...options.meta } });
    this.errorName = errorName;
    this.args = args;
  }
}

/** `RewardMathZeroTotalSeats()`: a share was asked of a pot split over zero seats. */
export class RewardMathZeroTotalSeatsError extends DomainRevertError {
  override name = "RewardMathZeroTotalSeatsError";
  constructor() {
    super("RewardMathZeroTotalSeats", {});
  }
}

/** `RewardMathSeatsExceedTotal(seats, totalSeats)`: a payee holds more seats than the pot is split over. */
export class RewardMathSeatsExceedTotalError extends DomainRevertError {
  override name = "RewardMathSeatsExceedTotalError";
  constructor(seats: bigint, totalSeats: bigint) {
    super("RewardMathSeatsExceedTotal", { seats, totalSeats });
  }
}

/** `RewardMathFractionTooLarge(fractionBps, maxBps)`: a fraction above the whole. */
export class RewardMathFractionTooLargeError extends DomainRevertError {
  override name = "RewardMathFractionTooLargeError";
  constructor(fractionBps: bigint, maxBps: bigint) {
    super("RewardMathFractionTooLarge", { fractionBps, maxBps });
  }
}

/** `RewardMathExposureOverflow(seats, seatBond)`: `seats * seatBond` does not fit in 256 bits. */
export class RewardMathExposureOverflowError extends DomainRevertError {
  override name = "RewardMathExposureOverflowError";
  constructor(seats: bigint, seatBond: bigint) {
    super("RewardMathExposureOverflow", { seats, seatBond });
  }
}

/** Solidity's panic codes the domain twins reproduce. */
export const PanicCode = { ArithmeticOverflow: 0x11n, DivisionByZero: 0x12n } as const;

/** `Panic(code)`: checked arithmetic the Solidity code does not guard with a named error (0x11 overflow, 0x12 / 0). */
export class PanicError extends DomainRevertError {
  override name = "PanicError";
  readonly code: bigint;
  constructor(code: bigint) {
    super("Panic", { code });
    this.code = code;
  }
}

/**
 * No committee up to `maxSeats` seats keeps the chance that an adversary with `adversaryShare` of the stake wins a
 * strict-majority quorum at or below `target`. `best` is the lowest chance found (at the largest size searched).
 */
export class CommitteeTargetUnreachableError extends CohortError {
  override name = "CommitteeTargetUnreachableError";

  constructor(
    readonly adversaryShare: number,
    readonly target: number,
    readonly maxSeats: number,
    readonly best: { seats: bigint; quorum: bigint; failure: number },
  ) {
    super(`No committee of at most ${maxSeats} seats keeps a ${adversaryShare} share's win chance <= ${target}`, {
      details:
        adversaryShare >= 0.5
          ? "a share of one half or more carries a strict majority at least a quarter of the time, whatever the size"
          : `the best is ${best.seats} seats (quorum ${best.quorum}) at ${best.failure}; allow more seats or accept more`,
      meta: { adversaryShare, target, maxSeats, best },
    });
  }
}
