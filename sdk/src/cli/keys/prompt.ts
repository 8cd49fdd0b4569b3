import { ConfigError } from "../../errors/base.js";
import { InterruptedError } from "../errors.js";
import type { Sink } from "../output.js";

/** A terminal to read from: `process.stdin` in the CLI. Tests give none, so a prompt fails fast instead of hanging. */
export interface Source {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Asks for a secret on the terminal without echoing it: the prompt goes to stderr (stdout is the command's output),
 * the keys are read in raw mode. Without a terminal on both sides it refuses, naming the variable to set instead.
 */
export async function promptSecret(
  io: { stdin: Source | undefined; stderr: Sink },
  question: string,
  variable: string,
): Promise<string> {
  const stdin = io.stdin;
  if (stdin === undefined || stdin.isTTY !== true || io.stderr.isTTY !== true || stdin.setRawMode === undefined) {
    throw new ConfigError(`${question.replace(/:\s*$/, "")}: no terminal to ask on`, {
      details: `set ${variable} (the run is not interactive)`,
      meta: { variable },
    });
  }
  const setRawMode = stdin.setRawMode.bind(stdin);
  io.stderr.write(question);
  return await new Promise<string>((resolve, reject) => {
    let secret = "";
    const done = (error?: Error) => {
      stdin.off("data", onData);
      setRawMode(false);
      stdin.pause();
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n" || char === "\u0004") return done();
        // Ctrl-C in raw mode arrives as a character, not as SIGINT.
        if (char === "\u0003") return done(new InterruptedError());
        if (char === "\u007f" || char === "\b") secret = secret.slice(0, -1);
        else secret += char;
      }
    };
    setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}
