import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const FIXTURE = path.join(ROOT, "test/agents/fixtures/agent.ts");

/** One JSON log line of an agent. */
export type LogLine = { msg: string; level: number } & Record<string, unknown>;

export interface AgentProcess {
  process: ChildProcess;
  lines: LogLine[];
  /** Resolves with the first line (already seen or coming) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `test/agents/fixtures/agent.ts` as a child process (through tsx, on the TypeScript sources) with the given
 * config, and collects its JSON log lines from stderr.
 */
export function spawnAgent(
  role: "worker" | "watchtower",
  specFile: string,
  spec: { config: Record<string, unknown>; failpoints?: string[]; logLevel?: string; delayComputeMs?: number },
): AgentProcess {
  writeFileSync(
    specFile,
    JSON.stringify(spec, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  );
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--disable-warning=ExperimentalWarning", FIXTURE, role, specFile],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return track(child);
}

/** Follows a child process whose stderr carries pino JSON lines. */
export function track(child: ChildProcess): AgentProcess {
  const lines: LogLine[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let buffer = "";
  const raw: string[] = [];
  child.stdout?.resume();
  child.stderr?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        raw.push(text);
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    waitFor(match, timeoutMs = 60_000) {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const tail = lines.slice(-15).map((l) => `${l.msg} ${JSON.stringify(l)}`.slice(0, 300));
          reject(
            new Error(
              `no matching log line within ${timeoutMs} ms; last lines:\n${tail.join("\n")}\n${raw.slice(-10).join("\n")}`,
            ),
          );
        }, timeoutMs);
        const exitedFirst = () => {
          clearTimeout(timer);
          reject(
            new Error(
              `the agent exited before a matching line; last: ${JSON.stringify(lines.slice(-5))} ${raw.slice(-10).join("\n")}`,
            ),
          );
        };
        void exited.then(exitedFirst);
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return await exited;
    },
  };
}
