import type { Cohort } from "../client/decorate.js";
import type { Sink } from "./output.js";

const FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

/** A spinner on stderr while `work` runs, only on a terminal: pipes, files and CI get nothing. */
export async function withSpinner<T>(stderr: Sink, label: string, work: () => Promise<T>): Promise<T> {
  if (stderr.isTTY !== true) return await work();
  let frame = 0;
  const draw = () => void stderr.write(`\r${FRAMES[frame++ % FRAMES.length] ?? "-"} ${label}`);
  draw();
  const timer = setInterval(draw, 80);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    stderr.write("\r\u001b[2K");
  }
}

/** The SDK actions that send transactions, with what the spinner says while one is simulated, sent and mined. */
const WRITES: Record<string, string> = {
  stake: "staking",
  requestUnstake: "unstaking",
  withdraw: "withdrawing",
  syncWeight: "syncing the weight",
  claimPoolBalance: "claiming from the pool",
  mintTestTokens: "minting",
  createTask: "creating the task",
  drawCommittee: "drawing the committee",
  tally: "tallying",
  challenge: "challenging",
  finalize: "finalizing",
  expire: "expiring the task",
  replaceNoShows: "replacing no-shows",
  commit: "committing",
  reveal: "revealing",
  claimReward: "claiming the reward",
  claimCredit: "claiming the credit",
};

/** The client with a spinner around every write action (waiting for a block is the long part of a command). */
export function withWriteSpinners(cohort: Cohort, stderr: Sink, confirmations: number): Cohort {
  if (stderr.isTTY !== true) return cohort;
  const wrapped: Record<string, unknown> = { ...cohort };
  const wait = confirmations === 1 ? "" : ` (${confirmations} confirmations)`;
  for (const [name, label] of Object.entries(WRITES)) {
    const action = (cohort as unknown as Record<string, unknown>)[name];
    if (typeof action !== "function") continue;
    wrapped[name] = (...args: unknown[]) =>
      withSpinner(stderr, `${label}${wait}`, () => (action as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return wrapped as unknown as Cohort;
}
