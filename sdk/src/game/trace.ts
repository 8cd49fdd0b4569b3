import { keccak256 } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";
import { decodeInput } from "../domain/particles/input.js";
import { encodeState } from "../domain/particles/encodeState.js";
import { newTickCounts, step } from "../domain/particles/phases.js";
import { cloneState } from "../domain/particles/tick.js";
import type { ParticleState } from "../domain/particles/types.js";

/**
 * A program's trace for one input (docs/BisectionGame.md): `hashAt(i)` is keccak256 of the canonical state after `i`
 * steps (`hashAt(0)` the input's start state, `hashAt(steps)` the result hash), and `stateAt(i)` that state's bytes,
 * which a one-step proof sends when `i` is the agreed index.
 */
export interface Trace {
  readonly steps: number;
  hashAt(index: number): string;
  stateAt(index: number): Uint8Array;
}

export interface ParticleTraceOptions {
  /** Keep every `checkpointEvery`-th state (default 256): `stateAt` re-runs at most that many ticks from one. */
  checkpointEvery?: number;
}

/**
 * The particle world's trace for a program input (a state, then a u32 tick count): every tick run once with the
 * TypeScript reference, its hash kept; states kept at checkpoints, so memory stays at one state per checkpoint.
 * @throws the decoder's ParticleStateError for an input the program refuses.
 */
export function particleTrace(input: Uint8Array, options: ParticleTraceOptions = {}): Trace {
  const every = options.checkpointEvery ?? 256;
  if (!Number.isInteger(every) || every < 1) throw new InvalidArgumentError("checkpointEvery", `${every} is not >= 1`);
  const { state, ticks } = decodeInput(input);
  const hashes: string[] = [];
  const checkpoints: ParticleState[] = [];
  const counts = newTickCounts();
  const current = cloneState(state);
  for (let i = 0; ; i++) {
    if (i % every === 0) checkpoints.push(cloneState(current));
    hashes.push(keccak256(encodeState(current)));
    if (i === ticks) break;
    step(current, counts);
  }
  return {
    steps: ticks,
    hashAt: (index) => hashes[checkIndex(index, ticks)] as string,
    stateAt: (index) => {
      const at = checkIndex(index, ticks);
      const s = cloneState(checkpoints[Math.floor(at / every)] as ParticleState);
      for (let i = at - (at % every); i < at; i++) step(s, counts);
      return encodeState(s);
    },
  };
}

function checkIndex(index: number, steps: number): number {
  if (!Number.isInteger(index) || index < 0 || index > steps) {
    throw new InvalidArgumentError("index", `${index} is not a trace index in [0, ${steps}]`);
  }
  return index;
}
