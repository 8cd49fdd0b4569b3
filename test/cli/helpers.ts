import { createServer } from "node:net";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { HDNodeWallet, Mnemonic } from "ethers";
import type { Eip1193Provider, Provider } from "ethers";

import { runCli } from "../../sdk/src/cli/run.js";

/** Hardhat's default accounts (in-process network and `hardhat node`) come from this mnemonic. */
const MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of default account `i` (the CLI takes keys from COHORT_PRIVATE_KEY, never from flags). */
export function privateKeyOf(i: number): string {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), `m/44'/60'/0'/0/${i}`).privateKey;
}

/** An in-memory stream: what a run wrote. */
export class Buffered {
  text = "";
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface CliRun {
  code: number;
  /** The one JSON document on stdout (`--json` runs); parsing fails the test if there is not exactly one. */
  doc: Record<string, unknown> & { ok: boolean; error?: Record<string, unknown> };
  stdout: string;
  stderr: string;
}

/**
 * Runs `cohort <args> --json` in-process against `provider`; `key` is the index of the default account to sign with
 * (none: no key), `env` more environment variables.
 */
export function cliRunner(provider: Provider | Eip1193Provider | undefined, baseArgs: string[] = []) {
  return async function cli(
    args: string[],
    options: { key?: number; env?: Record<string, string>; json?: boolean; signal?: AbortSignal } = {},
  ): Promise<CliRun> {
    const stdout = new Buffered();
    const stderr = new Buffered();
    const env: Record<string, string> = { COHORT_LOG_LEVEL: "warn", ...options.env };
    if (options.key !== undefined) env.COHORT_PRIVATE_KEY = privateKeyOf(options.key);
    const json = options.json ?? true;
    const code = await runCli([...baseArgs, ...args, ...(json ? ["--json"] : [])], {
      stdout,
      stderr,
      env,
      ...(provider === undefined ? {} : { provider }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    let doc: CliRun["doc"] = { ok: false };
    if (json) {
      try {
        doc = JSON.parse(stdout.text) as CliRun["doc"];
      } catch {
        throw new Error(`stdout is not one JSON document:\n${stdout.text}\nstderr:\n${stderr.text}`);
      }
    }
    return { code, doc, stdout: stdout.text, stderr: stderr.text };
  };
}

/** The nonce of default account `i`: unchanged across a run means the run sent nothing. */
export async function nonceOf(ethers: HardhatEthers, i: number): Promise<number> {
  const signers = await ethers.getSigners();
  const signer = signers[i];
  if (signer === undefined) throw new Error(`no account ${i}`);
  return await ethers.provider.getTransactionCount(signer.address);
}

/** A successful run: exit code 0 and `ok: true`. */
export function expectOk(run: CliRun): void {
  expect(run.code, `exit code; stdout: ${run.stdout}\nstderr: ${run.stderr}`).to.equal(0);
  expect(run.doc.ok).to.equal(true);
}

/** A failed run: the error's name, the exit code, and the code in the document too. */
export function expectFailure(run: CliRun, code: number, name: string): void {
  expect(run.doc.ok, run.stdout).to.equal(false);
  expect(run.doc.error?.name, run.stdout).to.equal(name);
  expect(run.code, run.stdout).to.equal(code);
  expect(run.doc.error?.exitCode).to.equal(code);
}

/** The members of `task show`'s `task` the tests read (every value a decimal string or a name). */
export interface TaskDoc {
  phaseName: string;
  seats: string;
  quorum: string;
  committedSeats: string;
  revealedSeats: string;
  commitDeadline: string;
  revealDeadline: string;
  challengeDeadline: string;
}

/**
 * The smallest program that follows ABI v1: it imports env.memory and exports alloc(i32) -> i32 and
 * run(i32, i32) -> i32, both returning `value` (so different values give different program ids).
 */
export function minimalProgram(value = 0): Uint8Array {
  if (value < 0 || value > 63) throw new Error("a one-byte LEB128 constant");
  const section = (id: number, content: number[]) => [id, content.length, ...content];
  const name = (text: string) => [text.length, ...Buffer.from(text)];
  const body = [0x04, 0x00, 0x41, value, 0x0b]; // size, no locals, i32.const value, end
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]),
    ...section(2, [0x01, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01]),
    ...section(3, [0x02, 0x00, 0x01]),
    ...section(7, [0x02, ...name("alloc"), 0x00, 0x00, ...name("run"), 0x00, 0x01]),
    ...section(10, [0x02, ...body, ...body]),
  ]);
}

/** A loopback port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
