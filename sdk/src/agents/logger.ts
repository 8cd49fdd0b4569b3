import { pino, type Logger } from "pino";

export type { Logger };

/**
 * A JSON-lines logger on stderr for an agent run outside the CLI (the CLI passes its own). Writes are synchronous:
 * an agent killed with SIGKILL must not lose the lines that tell what it did just before.
 */
export function createAgentLogger(level = "info", bindings: Record<string, unknown> = {}): Logger {
  return pino(
    { level, base: bindings, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ fd: 2, sync: true }),
  );
}
