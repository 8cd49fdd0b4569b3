import { getBytes, keccak256, toUtf8String } from "ethers";

import { UnknownProgramError } from "../errors/agent.js";
import { HashMismatchError } from "../errors/program.js";
import { fetchBytes } from "../runtime/fetchBytes.js";
import { loadProgram } from "../runtime/loadProgram.js";
import type { StoredTask } from "../store/taskStore.js";
import { InputKind } from "../types.js";

export interface ContentOptions {
  /** programId (lowercase hex) -> path or URI. */
  programs: Record<string, string>;
  fetchTimeoutMs: number;
}

/**
 * The two things a task's result depends on, fetched and checked: its input (inline on the TaskCreated event, or
 * at a URI; keccak256 must be the task's input hash) and its program (at the location configured for its id;
 * keccak256 must be the id, and the module must follow ABI v1). Programs are cached by id: the id is their hash.
 */
export class TaskContent {
  readonly #programs: Map<string, string>;
  readonly #cache = new Map<string, Promise<Uint8Array>>();
  readonly #fetchTimeoutMs: number;

  constructor(options: ContentOptions) {
    this.#programs = new Map(Object.entries(options.programs).map(([id, where]) => [id.toLowerCase(), where]));
    this.#fetchTimeoutMs = options.fetchTimeoutMs;
  }

  /** Whether a location is configured for the program (an agent without one cannot compute the task). */
  knows(programId: string): boolean {
    return this.#programs.has(programId.toLowerCase());
  }

  /**
   * @throws UnknownProgramError, and fetchBytes/loadProgram's errors (HashMismatchError, FetchFailedError, ...).
   */
  async program(programId: string): Promise<Uint8Array> {
    const id = programId.toLowerCase();
    const location = this.#programs.get(id);
    if (location === undefined) throw new UnknownProgramError(programId);
    let pending = this.#cache.get(id);
    if (pending === undefined) {
      pending = loadProgram(location, id, { timeoutMs: this.#fetchTimeoutMs });
      this.#cache.set(id, pending);
      // A failed fetch is not cached: the next task tries again.
      pending.catch(() => this.#cache.delete(id));
    }
    return await pending;
  }

  /** @throws HashMismatchError, and fetchBytes's errors for a URI input. */
  async input(task: StoredTask): Promise<Uint8Array> {
    const raw = getBytes(task.input);
    if (task.inputKind === InputKind.Inline) {
      // The contract checked this at creation; checking again costs nothing and guards against a wrong event decode.
      const actual = keccak256(raw);
      if (actual !== task.inputHash.toLowerCase()) throw new HashMismatchError("inline input", task.inputHash, actual);
      return raw;
    }
    return await fetchBytes(toUtf8String(raw), {
      expectedHash: task.inputHash.toLowerCase(),
      timeoutMs: this.#fetchTimeoutMs,
    });
  }
}
