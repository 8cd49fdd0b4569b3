/**
 * The world advanced on chain, batch by batch: every region's batch is one task posted by the requester, and the
 * pool's agents do the rest (draw, commit, reveal, challenge, escalate, finalize). A batch waits for every region's
 * task of the batch before it: a region's next input is its own finalized state plus its neighbours' emigrants.
 * The states come from the chain (the result bytes revealed with the final result hash); the trusted recomputation
 * is only compared with, never used, unless the chain finalized a wrong state and there are no bytes to go on.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getBytes, keccak256 } from "ethers";

import { particles as world, runProgram } from "../../sdk/dist/index.js";
import type { Deployment } from "./deploy.ts";
import type { ChainEvent, EventCollector } from "./events.ts";
import type { Progress } from "./progress.ts";
import { mergeWorld, type RegionRef, type WorldShape } from "./world.ts";

/** `ITaskManagerTypes.Phase`. */
const PHASE_FINALIZED = 8n;
const PHASE_REFUNDED = 9n;

export interface EpochSettings {
  shape: WorldShape;
  regions: RegionRef[];
  epochs: number;
  ticks: number;
  seats: number;
  quorum: number;
  rewardPerSeat: bigint;
  windows: { commit: number; reveal: number; challenge: number };
  blockMs: number;
  program: { id: string; bytes: Uint8Array };
  /** `trusted[e][r]`: the result hash region r's task of batch e must finalize with. */
  trusted: string[][];
  labelOf(address: string): string;
}

export interface PostedTask {
  taskId: bigint;
  region: RegionRef;
  epoch: number;
  input: Uint8Array;
  createdBlock: number;
  finalizedBlock: number;
  finalResultHash: string;
  output: world.ParticleState;
  /** Where the output's bytes came from. */
  outputFrom: "reveal" | "recomputed" | "trusted";
}

/** A task ended without a final result (refunded or expired): the world cannot go on from it. */
export class DemoTaskFailedError extends Error {
  override readonly name = "DemoTaskFailedError";
  readonly taskId: bigint;
  readonly reason: string;
  constructor(taskId: bigint, reason: string) {
    super(`task ${taskId}: ${reason}`);
    this.taskId = taskId;
    this.reason = reason;
  }
}

export async function runEpochs(
  s: EpochSettings,
  d: Deployment,
  requester: HardhatEthersSigner,
  events: EventCollector,
  progress: Progress,
  start: world.ParticleState[],
  trustedOutputs: world.ParticleState[][],
): Promise<{ tasks: PostedTask[]; end: world.ParticleState[] }> {
  const provider = requester.provider!;
  const tasks: PostedTask[] = [];
  const total = s.epochs * s.regions.length;
  const counts = { challenges: 0, slashes: 0 };
  let states = start;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    const inputs = states.map((st) => world.encodeInput(st, s.ticks));
    const posted = await postBatch(s, d, requester, inputs);
    progress.line(
      `batch ${epoch + 1}/${s.epochs}: ${posted.length} tasks posted (tasks ${posted[0]?.taskId}..` +
        `${posted.at(-1)?.taskId}), ${s.seats} seats each, quorum ${s.quorum}`,
    );
    const byId = new Map(posted.map((p, r) => [p.taskId, r]));
    const open = new Set(posted.map((p) => p.taskId));
    while (open.size > 0) {
      await new Promise((r) => setTimeout(r, Math.max(250, s.blockMs)));
      const block = await provider.getBlockNumber();
      for (const e of await events.scan(block)) describe(e, s, epoch, byId, progress, counts);
      for (const id of [...open]) {
        // The phase at the scanned block, not at the latest: a task finalized in a block mined since would leave
        // the loop without its TaskFinalized event in the collector (its finalized block would read as 0).
        const phase = await d.manager.phaseOf(id, { blockTag: block });
        if (phase === PHASE_FINALIZED) open.delete(id);
        else if (phase === PHASE_REFUNDED) throw new DemoTaskFailedError(id, "refunded (no quorum after a redraw)");
        else if (BigInt(block) > (await d.manager.taskOf(id)).expiresAt) throw new DemoTaskFailedError(id, "expired");
      }
      progress.update({
        finalized: tasks.length + posted.length - open.size,
        total,
        epoch,
        epochs: s.epochs,
        block,
        ...counts,
      });
    }
    const outputs: world.ParticleState[] = [];
    for (const [r, p] of posted.entries()) {
      const finalResultHash = (await d.manager.taskOf(p.taskId)).proposedResult;
      const finalizedBlock = events.named("TaskFinalized").find((e) => e.args.taskId === p.taskId)?.block ?? 0;
      const { output, from } = await outputOf(
        s,
        events,
        p.taskId,
        finalResultHash,
        inputs[r]!,
        trustedOutputs[epoch]![r]!,
      );
      outputs.push(output);
      tasks.push({ ...p, epoch, finalizedBlock, finalResultHash, output, outputFrom: from });
    }
    states = mergeWorld(s.shape, outputs);
  }
  return { tasks, end: states };
}

type Posted = Pick<PostedTask, "taskId" | "region" | "input" | "createdBlock">;

/** Posts one task per region, all from the requester in one go (consecutive nonces), and waits for them. */
async function postBatch(
  s: EpochSettings,
  d: Deployment,
  requester: HardhatEthersSigner,
  inputs: Uint8Array[],
): Promise<Posted[]> {
  const nonce = await requester.getNonce("pending");
  const sent = await Promise.all(
    inputs.map((input, r) =>
      d.manager.connect(requester).createTask(
        {
          programId: s.program.id,
          inputHash: keccak256(input),
          inputKind: 0,
          input,
          seats: BigInt(s.seats),
          quorum: BigInt(s.quorum),
          reward: BigInt(s.seats) * s.rewardPerSeat,
          commitBlocks: BigInt(s.windows.commit),
          revealBlocks: BigInt(s.windows.reveal),
          challengeBlocks: BigInt(s.windows.challenge),
          valueAtRisk: 0n,
          noQuorumRule: 0,
        },
        { nonce: nonce + r },
      ),
    ),
  );
  const out: Posted[] = [];
  for (const [r, tx] of sent.entries()) {
    const receipt = await tx.wait();
    if (receipt === null) throw new Error(`createTask ${tx.hash} has no receipt`);
    const created = receipt.logs
      .map((l) => d.manager.interface.parseLog(l))
      .find((parsed) => parsed?.name === "TaskCreated");
    if (!created) throw new Error(`createTask ${tx.hash} emitted no TaskCreated`);
    out.push({
      taskId: created.args.taskId as bigint,
      region: s.regions[r]!,
      input: inputs[r]!,
      createdBlock: receipt.blockNumber,
    });
  }
  return out;
}

/**
 * The state a finalized result hash stands for: the bytes some member revealed with it (checked against the hash),
 * else the program run on the task's input (the result of a game has no reveal behind it; the hash checks the run).
 * Only if neither matches, the chain finalized a state nobody can show, and the world goes on from the trusted one
 * (the checks report it).
 */
async function outputOf(
  s: EpochSettings,
  events: EventCollector,
  taskId: bigint,
  hash: string,
  input: Uint8Array,
  trusted: world.ParticleState,
): Promise<{ output: world.ParticleState; from: PostedTask["outputFrom"] }> {
  for (const e of events.named("Revealed")) {
    if (e.args.taskId !== taskId || e.args.resultHash !== hash) continue;
    const bytes = getBytes(e.args.result as string);
    if (bytes.length > 0 && keccak256(bytes) === hash) return { output: world.decodeState(bytes), from: "reveal" };
  }
  const run = await runProgram(s.program.bytes, input);
  if (keccak256(run.output) === hash) return { output: world.decodeState(run.output), from: "recomputed" };
  return { output: world.cloneState(trusted), from: "trusted" };
}

/** A progress line for the events worth seeing. */
function describe(
  e: ChainEvent,
  s: EpochSettings,
  epoch: number,
  byId: Map<bigint, number>,
  progress: Progress,
  counts: { challenges: number; slashes: number },
): void {
  const taskId = e.args.taskId as bigint | undefined;
  const r = taskId === undefined ? undefined : byId.get(taskId);
  if (r === undefined) return;
  const region = s.regions[r]!;
  const where = `task ${taskId} (region ${region.x},${region.y}, batch ${epoch + 1})`;
  const trusted = s.trusted[epoch]![r]!;
  switch (e.name) {
    case "ResultProposed": {
      const hash = e.args.resultHash as string;
      if (hash !== trusted) {
        progress.line(`${where}: a WRONG result reached quorum in round ${e.args.round} (${short(hash)})`);
      } else if ((e.args.round as bigint) > 0n) {
        progress.line(`${where}: escalation round ${e.args.round} proposed the correct result`);
      }
      break;
    }
    case "Challenged":
      counts.challenges++;
      progress.line(
        `${where}: ${s.labelOf(e.args.challenger as string)} challenged with a bond of ` +
          `${tokens(e.args.bond as bigint)}; escalation round of ${e.args.seats} seats`,
      );
      break;
    case "GameChallenged":
      counts.challenges++;
      progress.line(`${where}: ${s.labelOf(e.args.challenger as string)} opened bisection game ${e.args.gameId}`);
      break;
    case "MemberPenalized":
      if ((e.args.slashed as bigint) > 0n) {
        counts.slashes++;
        progress.line(
          `${where}: ${s.labelOf(e.args.member as string)} slashed ${tokens(e.args.slashed as bigint)} ` +
            `(${REASONS[Number(e.args.reason)] ?? e.args.reason})`,
        );
      }
      break;
    case "TaskFinalized": {
      const hash = e.args.resultHash as string;
      if (hash !== trusted) progress.line(`${where}: FINALIZED A WRONG RESULT ${short(hash)}`);
      break;
    }
  }
}

/** Blocks the demo waits, after the last task is final, for the agents to claim their rewards. */
const CLAIM_WAIT_BLOCKS = 30;

/** Waits (a bounded number of blocks) until no record of any task is still `Won`: the agents have claimed. */
export async function waitForClaims(d: Deployment, taskIds: bigint[], blockMs: number) {
  const WON = 9n;
  const provider = d.manager.runner!.provider!;
  const until = (await provider.getBlockNumber()) + CLAIM_WAIT_BLOCKS;
  while ((await provider.getBlockNumber()) < until) {
    let pending = 0;
    for (const id of taskIds) {
      const info = await d.manager.taskOf(id);
      for (let round = 0n; round <= info.round; round++) {
        const records = await d.manager.recordsOf(id, round, 0n, 64n);
        pending += records.filter((r) => r.status === WON).length;
      }
    }
    if (pending === 0) return;
    await new Promise((r) => setTimeout(r, blockMs));
  }
}

export const REASONS = ["MissedCommit", "MissedReveal", "WrongResult", "LostGame"];

function short(hash: string): string {
  return `${hash.slice(0, 10)}...`;
}

function tokens(amount: bigint): string {
  const whole = amount / 10n ** 18n;
  const cents = (amount % 10n ** 18n) / 10n ** 16n;
  return `${whole}.${String(cents).padStart(2, "0")} CST`;
}
