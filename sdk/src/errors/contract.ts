import { CohortError, type CohortErrorOptions } from "./base.js";

/**
 * A call the contracts refused: the decoded custom error (`TaskManagerCommitWindowClosed`, ...) with its arguments by
 * name. Raised by the pre-flight simulation before anything is sent, or from a mined transaction that reverted.
 */
export class ContractRevertError extends CohortError {
  override name = "ContractRevertError";
  /** The custom error's name, `Error` for a string reason, `Panic` for a panic, `UnknownRevert` if undecodable. */
  readonly errorName: string;
  /** Its arguments by parameter name (positional keys `0`, `1`, ... where the ABI names none). */
  readonly args: Record<string, unknown>;
  /** `Name(arg, ...)`: what a person reads. */
  readonly reason: string;
  /** The raw revert data. */
  readonly data: string | undefined;
  /** The function that was called (`TaskManager.commit`). */
  readonly functionName: string | undefined;
  /** Set when the revert came from a mined transaction rather than the pre-flight simulation. */
  readonly transactionHash: string | undefined;

  constructor(
    init: {
      errorName: string;
      args: Record<string, unknown>;
      data?: string;
      functionName?: string;
      transactionHash?: string;
    },
    options: CohortErrorOptions = {},
  ) {
    const reason = `${init.errorName}(${Object.values(init.args).map(formatValue).join(", ")})`;
    super(`${init.functionName ?? "The call"} reverted: ${reason}`, {
      ...options,
      meta: { errorName: init.errorName, args: init.args, reason, functionName: init.functionName, ...options.meta },
    });
    this.errorName = init.errorName;
    this.args = init.args;
    this.reason = reason;
    this.data = init.data;
    this.functionName = init.functionName;
    this.transactionHash = init.transactionHash;
  }
}

/** A transaction that could not be sent or mined for reasons other than a revert (funds, nonce, fees, replaced). */
export class TransactionError extends CohortError {
  override name = "TransactionError";
  readonly code: string;

  constructor(code: string, shortMessage: string, options: CohortErrorOptions = {}) {
    super(shortMessage, { ...options, meta: { code, ...options.meta } });
    this.code = code;
  }
}

/** A write was asked of a client built without a signer. */
export class NoSignerError extends CohortError {
  override name = "NoSignerError";
  constructor(action: string) {
    super(`${action} needs a signer: connect the client with a key`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  return JSON.stringify(value);
}
