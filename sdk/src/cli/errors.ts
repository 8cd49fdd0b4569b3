import { CohortError, type CohortErrorOptions } from "../errors/base.js";

/** The command line itself is wrong: an unknown command or option, a missing argument (commander's errors). */
export class UsageError extends CohortError {
  override name = "UsageError";
  /** commander's error code (`commander.unknownOption`, ...). */
  readonly code: string;

  constructor(code: string, shortMessage: string, options: CohortErrorOptions = {}) {
    super(shortMessage, { ...options, meta: { code, ...options.meta } });
    this.code = code;
  }
}

/** The user interrupted the command (SIGINT). A transaction already sent may still be mined. */
export class InterruptedError extends CohortError {
  override name = "InterruptedError";

  constructor() {
    super("Interrupted", {
      details:
        "a transaction sent before the interrupt may still be mined: check with `cohort task show` or a block explorer",
    });
  }
}

/** A write was asked for without a key source. */
export class MissingKeyError extends CohortError {
  override name = "MissingKeyError";

  constructor(command: string) {
    super(`${command} sends a transaction and needs a key`, {
      details:
        "set COHORT_PRIVATE_KEY, or give --keystore <file> (COHORT_KEYSTORE) or --hardhat-keystore <KEY_NAME> " +
        "(COHORT_HARDHAT_KEYSTORE); keys are never read from the command line",
      meta: { command },
    });
  }
}
