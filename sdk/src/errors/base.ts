/**
 * The root of every error the SDK throws (modelled on viem's `BaseError`): a one-line `shortMessage` a caller can show,
 * `details` with what is needed to debug it, the underlying `cause`, and `walk()` to find a cause of a given kind.
 * Callers tell errors apart by class or by `name`, never by message.
 */
export interface CohortErrorOptions {
  details?: string;
  cause?: unknown;
  /** Structured values a CLI prints with `--json` (bigints are turned into decimal strings there). */
  meta?: Record<string, unknown>;
}

export class CohortError extends Error {
  override name = "CohortError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly meta: Record<string, unknown>;

  constructor(shortMessage: string, options: CohortErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.meta = options.meta ?? {};
  }

  /** This error and its causes, outermost first; the first for which `predicate` holds, or the innermost. */
  walk(predicate?: (error: unknown) => boolean): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this error and moves down
    let current: unknown = this;
    for (let depth = 0; depth < 32; depth++) {
      if (predicate?.(current)) return current;
      const next = current instanceof Error ? current.cause : undefined;
      if (next === undefined) return predicate ? undefined : current;
      current = next;
    }
    return predicate ? undefined : current;
  }
}

/** Bad input caught before anything was sent: a malformed id, hash, amount, URI or option. */
export class InvalidArgumentError extends CohortError {
  override name = "InvalidArgumentError";
  readonly argument: string;

  constructor(argument: string, problem: string, options: CohortErrorOptions = {}) {
    super(`Invalid ${argument}: ${problem}`, { ...options, meta: { argument, ...options.meta } });
    this.argument = argument;
  }
}

/** Configuration that fails validation at the edge (zod issues in `details`). */
export class ConfigError extends CohortError {
  override name = "ConfigError";
}
