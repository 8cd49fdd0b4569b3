import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { decideWorker, type WorkerView } from "../../sdk/src/worker/duties.js";
import { decideWatchtower, type WatchtowerView } from "../../sdk/src/watchtower/duties.js";
import type { TaskView } from "../../sdk/src/agents/taskView.js";
import { ExitCode, exitCodeOf } from "../../sdk/src/cli/exit-codes.js";
import { StoreLockedError, StoreMismatchError } from "../../sdk/src/errors/agent.js";
import { classifyResponse } from "../../sdk/src/rpc/classify.js";
import { AgentStore } from "../../sdk/src/store/index.js";
import { FeePolicy, raise } from "../../sdk/src/tx/fees.js";
import { classifySendError } from "../../sdk/src/tx/sendErrors.js";
import { Phase, RecordStatus } from "../../sdk/src/types.js";

const GWEI = 1_000_000_000n;
const identity = { chainId: 31337n, manager: `0x${"11".repeat(20)}`, account: `0x${"22".repeat(20)}`, role: "worker" };

function task(overrides: Partial<TaskView> = {}): TaskView {
  return {
    taskId: 7n,
    phase: Phase.Committing,
    round: 0n,
    state: 2,
    requestId: 1n,
    replacementDraws: 0n,
    escalations: 0n,
    maxEscalations: 1n,
    commitDeadline: 120,
    revealDeadline: 140,
    challengeDeadline: 0,
    expiresAt: 10_000,
    proposedResult: `0x${"00".repeat(32)}`,
    challengeBondFloor: 900n,
    ...overrides,
  };
}

function workerView(overrides: Partial<WorkerView> = {}): WorkerView {
  return {
    task: task(),
    nextBlock: 110,
    records: [{ round: 0n, index: 2n, status: RecordStatus.Assigned }],
    result: { kind: "ready" },
    seedTarget: undefined,
    jitter: 0,
    drawJitter: 0,
    duties: { draw: true, replaceNoShows: true, tally: true, finalize: true, expire: true, claim: true },
    ...overrides,
  };
}

describe("agents: units", function () {
  describe("the store", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "cohort-store-"));

    it("refuses a second process (or handle) on the same file", function () {
      const file = path.join(dir, "locked.sqlite");
      const first = AgentStore.open(file, identity);
      try {
        expect(() => AgentStore.open(file, identity)).to.throw(StoreLockedError);
        // The CLI exits 2 for it: found before anything was sent, fixed by another --store path.
        const refusal = (() => {
          try {
            AgentStore.open(file, identity);
          } catch (error) {
            return error;
          }
        })();
        expect(exitCodeOf(refusal)).to.equal(ExitCode.Usage);
      } finally {
        first.close();
      }
      AgentStore.open(file, identity).close(); // free again once the first closes
    });

    it("refuses a store written for another chain, manager or account", function () {
      const file = path.join(dir, "bound.sqlite");
      AgentStore.open(file, identity).close();
      expect(() => AgentStore.open(file, { ...identity, chainId: 1n })).to.throw(StoreMismatchError);
      expect(exitCodeOf(new StoreMismatchError(file, "chain", "31337", "1"))).to.equal(ExitCode.Usage);
      expect(() => AgentStore.open(file, { ...identity, account: `0x${"33".repeat(20)}` })).to.throw(
        StoreMismatchError,
      );
    });

    it("keeps one live transaction per action, and frees the key once it reverted or was abandoned", function () {
      const store = AgentStore.open(path.join(dir, "txs.sqlite"), identity);
      const row = {
        key: "commit:1:0:0",
        label: "commit",
        taskId: 1n,
        nonce: 0,
        to: identity.manager,
        data: "0x",
        value: 0n,
        gasLimit: 1n,
      };
      const attempt = (hash: string, nonce = 0) => ({
        hash,
        nonce,
        raw: "0x",
        maxFee: 1n,
        priorityFee: 1n,
        sentBlock: 1,
      });
      const id = store.txs.insert(row, attempt("0xa"));
      expect(() => store.txs.insert({ ...row, nonce: 1 }, attempt("0xb", 1))).to.throw(/UNIQUE/);
      store.txs.markMined(id, { hash: "0xa", block: 5, status: 0, gasUsed: 21_000n });
      store.txs.markConfirmed(id);
      expect(store.txs.live(row.key)).to.equal(undefined);
      const again = store.txs.insert({ ...row, nonce: 1 }, attempt("0xc", 1));
      expect(store.txs.live(row.key)?.id).to.equal(again);
      store.close();
    });

    it("a reorg below a receipt makes its transaction pending again", function () {
      const store = AgentStore.open(path.join(dir, "rewind.sqlite"), identity);
      const row = {
        key: "k",
        label: "tally",
        taskId: 1n,
        nonce: 0,
        to: identity.manager,
        data: "0x",
        value: 0n,
        gasLimit: 1n,
      };
      const id = store.txs.insert(row, { hash: "0x1", nonce: 0, raw: "0x", maxFee: 1n, priorityFee: 1n, sentBlock: 1 });
      store.txs.markMined(id, { hash: "0x1", block: 50, status: 1, gasUsed: 1n });
      store.txs.markConfirmed(id);
      expect(store.txs.rewind(60)).to.equal(0);
      expect(store.txs.rewind(49)).to.equal(1);
      expect(store.txs.get(id)?.status).to.equal("pending");
      store.close();
    });

    it("keeps the newest 256 checkpoints and rewinds past a fork", function () {
      const store = AgentStore.open(path.join(dir, "cursor.sqlite"), identity);
      for (let b = 1; b <= 300; b++) store.cursor.advance({ block: b, hash: `0x${b.toString(16)}` });
      expect(store.cursor.cursor()).to.deep.equal({ block: 300, hash: "0x12c" });
      expect(store.cursor.checkpointsFrom(1_000, 1_000)).to.have.length(256);
      store.cursor.rewind(250);
      expect(store.cursor.cursor()?.block).to.equal(250);
      store.close();
    });
  });

  describe("fees", function () {
    const head = { number: 100, hash: "0x", baseFeePerGas: 10n * GWEI };
    const policy = new FeePolicy();

    it("offers twice the base fee plus the tip, more within the urgent blocks of a deadline", function () {
      expect(policy.initial(head, undefined)).to.deep.equal({ maxFeePerGas: 21n * GWEI, maxPriorityFeePerGas: GWEI });
      expect(policy.initial(head, 102)).to.deep.equal({ maxFeePerGas: 32n * GWEI, maxPriorityFeePerGas: 2n * GWEI });
    });

    it("bumps both fees by at least 10%: 12.5% normally, 50% near the deadline, 100% in its last block", function () {
      const previous = { maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: 2n * GWEI };
      const calm = policy.bump(previous, head, undefined)!;
      expect(calm.maxFeePerGas).to.equal(raise(previous.maxFeePerGas, 12.5));
      expect(calm.maxPriorityFeePerGas).to.equal(raise(previous.maxPriorityFeePerGas, 12.5));
      expect(policy.bump(previous, head, 103)!.maxPriorityFeePerGas).to.equal(3n * GWEI);
      expect(policy.bump(previous, head, 101)!.maxPriorityFeePerGas).to.equal(4n * GWEI);
      // Under a spike the new offer covers twice the base fee, whatever the percentage gives.
      const spike = policy.bump(previous, { ...head, baseFeePerGas: 500n * GWEI }, undefined)!;
      expect(spike.maxFeePerGas >= 1_000n * GWEI).to.equal(true);
    });

    it("never offers more than its cap, and gives up a bump the cap would make too small", function () {
      const capped = new FeePolicy({ maxFeeCap: 105n * GWEI });
      expect(capped.bump({ maxFeePerGas: 100n * GWEI, maxPriorityFeePerGas: GWEI }, head, undefined)).to.equal(
        undefined,
      );
      expect(new FeePolicy({ bumpPercent: 5 }).bumpPercent).to.equal(10);
    });
  });

  describe("error classification", function () {
    it("tells the queue what a failed broadcast means", function () {
      expect(classifySendError(new Error("Known transaction: 0xabc"))).to.equal("known");
      expect(classifySendError(new Error("already known"))).to.equal("known");
      expect(classifySendError(new Error("Transaction nonce too low. Expected nonce to be at least 5"))).to.equal(
        "nonceTooLow",
      );
      expect(classifySendError(new Error("Replacement transaction underpriced"))).to.equal("underpriced");
      expect(classifySendError(new Error("insufficient funds for gas * price + value"))).to.equal("funds");
      expect(classifySendError(new Error("intrinsic gas too low"))).to.equal("rejected");
    });

    it("retries rate limits and server errors, hands back reverts and log-range limits", function () {
      expect(classifyResponse(429, undefined, "eth_call")?.code).to.equal("RATE_LIMITED");
      expect(classifyResponse(503, "down", "eth_call")?.code).to.equal("SERVER_ERROR");
      const limited = { jsonrpc: "2.0", id: 1, error: { code: -32005, message: "query exceeds max block range 5" } };
      expect(classifyResponse(200, limited, "eth_getLogs")).to.equal(undefined);
      expect(classifyResponse(200, limited, "eth_call")?.code).to.equal("TRANSIENT_RPC_ERROR");
      const revert = { jsonrpc: "2.0", id: 1, error: { code: 3, message: "execution reverted", data: "0x12345678" } };
      expect(classifyResponse(200, revert, "eth_estimateGas")).to.equal(undefined);
    });
  });

  describe("the worker's decisions", function () {
    it("computes, then commits in the commit window; reveals a committed record in the reveal window", function () {
      expect(decideWorker(workerView({ result: { kind: "none" } })).actions).to.deep.equal([{ kind: "compute" }]);
      expect(decideWorker(workerView()).actions).to.deep.equal([{ kind: "commit", round: 0n, index: 2n }]);
      const revealing = workerView({
        task: task({ phase: Phase.Revealing }),
        nextBlock: 125,
        records: [{ round: 0n, index: 2n, status: RecordStatus.Committed }],
      });
      expect(decideWorker(revealing).actions).to.deep.equal([{ kind: "reveal", round: 0n, index: 2n }]);
    });

    it("acts for the block its transaction lands in: reveals as the commit window closes, not a block later", function () {
      const closing = workerView({
        task: task({ phase: Phase.Committing, commitDeadline: 120 }),
        records: [{ round: 0n, index: 2n, status: RecordStatus.Committed }],
      });
      expect(decideWorker({ ...closing, nextBlock: 120 }).actions).to.deep.equal([]);
      expect(decideWorker({ ...closing, nextBlock: 121 }).actions).to.deep.equal([
        { kind: "reveal", round: 0n, index: 2n },
      ]);
    });

    it("claims every won record of a finalized task, then is done with it", function () {
      const finalized = workerView({
        task: task({ phase: Phase.Finalized }),
        records: [
          { round: 0n, index: 1n, status: RecordStatus.Won },
          { round: 1n, index: 0n, status: RecordStatus.Won },
        ],
      });
      expect(decideWorker(finalized).actions).to.have.length(2);
      const claimed = workerView({
        task: task({ phase: Phase.Finalized }),
        records: [{ round: 0n, index: 1n, status: RecordStatus.Claimed }],
      });
      expect(decideWorker(claimed).close).to.equal("finalized");
    });

    it("draws once the seed's block has passed, after its jitter; sleeps until then", function () {
      const seed = workerView({
        task: task({ phase: Phase.AwaitingSeed }),
        records: [],
        seedTarget: 115,
        drawJitter: 1,
      });
      expect(decideWorker({ ...seed, nextBlock: 116 })).to.include({ wake: 116 });
      expect(decideWorker({ ...seed, nextBlock: 116 }).actions).to.deep.equal([]);
      expect(decideWorker({ ...seed, nextBlock: 117 }).actions).to.deep.equal([{ kind: "draw" }]);
    });

    it("on a VRF source: triggers an armed request at once, then from its first block after its jitter; else draws", function () {
      const seed = workerView({ task: task({ phase: Phase.AwaitingSeed }), records: [], jitter: 1, nextBlock: 112 });
      // First block unknown: the trigger is tried now, and its refusal (too early) names the block.
      expect(decideWorker({ ...seed, seedTrigger: { notBefore: undefined } }).actions).to.deep.equal([
        { kind: "trigger" },
      ]);
      const armed = { ...seed, seedTrigger: { notBefore: 120 } };
      expect(decideWorker(armed)).to.deep.include({ actions: [], wake: 120 });
      expect(decideWorker({ ...armed, nextBlock: 120 }).actions).to.deep.equal([]);
      expect(decideWorker({ ...armed, nextBlock: 121 }).actions).to.deep.equal([{ kind: "trigger" }]);
      expect(decideWorker({ ...armed, nextBlock: 140 }).actions).to.deep.equal([{ kind: "trigger" }]);
      // Triggered (or a request whose state is unknown): the draw is tried each block, its simulation says when.
      expect(decideWorker(seed).actions).to.deep.equal([{ kind: "draw" }]);
      // A worker that does not draw does not trigger either; an expired task is not triggered.
      const idle = decideWorker({ ...armed, nextBlock: 121, duties: { ...seed.duties, draw: false } });
      expect(idle.actions).to.deep.equal([]);
      expect(
        decideWorker({ ...armed, task: task({ phase: Phase.AwaitingSeed, expiresAt: 111 }) }).actions,
      ).to.deep.equal([]);
    });

    it("tallies its own round at once and others' later; finalizes only what its bond rides on", function () {
      const tally = workerView({ task: task({ phase: Phase.AwaitingTally }), nextBlock: 141 });
      expect(
        decideWorker({ ...tally, records: [{ round: 0n, index: 2n, status: RecordStatus.Revealed }] }).actions,
      ).to.deep.equal([{ kind: "tally" }]);
      // Anyone else tallies only a few blocks later, so that a round nobody revealed in still moves on.
      expect(decideWorker({ ...tally, records: [] }).actions).to.deep.equal([]);
      expect(decideWorker({ ...tally, records: [], nextBlock: 144 }).actions).to.deep.equal([{ kind: "tally" }]);
      const finalize = workerView({
        task: task({ phase: Phase.AwaitingFinalization, challengeDeadline: 150 }),
        nextBlock: 151,
      });
      expect(
        decideWorker({ ...finalize, records: [{ round: 0n, index: 2n, status: RecordStatus.Revealed }] }).actions,
      ).to.deep.equal([{ kind: "finalize" }]);
    });
  });

  describe("the watchtower's decisions", function () {
    const wrong = `0x${"aa".repeat(32)}`;
    const right = `0x${"bb".repeat(32)}`;
    const view = (overrides: Partial<WatchtowerView> = {}): WatchtowerView => ({
      task: task({ phase: Phase.Challengeable, proposedResult: wrong, challengeDeadline: 160 }),
      nextBlock: 150,
      result: { kind: "ready", resultHash: right },
      verdict: undefined,
      involved: false,
      credit: 0n,
      claimSent: false,
      seedTarget: undefined,
      jitter: 0,
      duties: { draw: true, replaceNoShows: true, tally: true, finalize: true, expire: true },
      ...overrides,
    });

    it("challenges a wrong result with the bond floor, agrees with a right one, is late after the window", function () {
      expect(decideWatchtower(view()).actions).to.deep.equal([{ kind: "challenge", claimedResult: right, bond: 900n }]);
      expect(decideWatchtower(view({ result: { kind: "ready", resultHash: wrong } })).actions).to.deep.equal([
        { kind: "judge", verdict: "agree" },
      ]);
      expect(decideWatchtower(view({ nextBlock: 161 })).actions).to.deep.equal([{ kind: "judge", verdict: "late" }]);
      expect(decideWatchtower(view({ result: { kind: "none" } })).actions).to.deep.equal([{ kind: "compute" }]);
    });

    it("follows a task it challenged: draws the escalation, claims its credit at the end", function () {
      const seed = view({ task: task({ phase: Phase.AwaitingSeed }), involved: true, seedTarget: 150, nextBlock: 151 });
      expect(decideWatchtower(seed).actions).to.deep.equal([{ kind: "draw" }]);
      expect(decideWatchtower({ ...seed, involved: false }).actions).to.deep.equal([]);
      const ended = view({ task: task({ phase: Phase.Finalized }), involved: true, credit: 1_000n });
      expect(decideWatchtower(ended).actions).to.deep.equal([{ kind: "claimCredit" }]);
      expect(decideWatchtower({ ...ended, credit: 0n }).close).to.equal("finalized");
    });

    it("triggers the VRF request of an escalation it follows, from its first block; not one it has no stake in", function () {
      const seed = view({
        task: task({ phase: Phase.AwaitingSeed }),
        involved: true,
        seedTrigger: { notBefore: 155 },
        nextBlock: 151,
      });
      expect(decideWatchtower(seed)).to.deep.include({ actions: [], wake: 154 });
      expect(decideWatchtower({ ...seed, nextBlock: 155 }).actions).to.deep.equal([{ kind: "trigger" }]);
      expect(decideWatchtower({ ...seed, seedTrigger: { notBefore: undefined } }).actions).to.deep.equal([
        { kind: "trigger" },
      ]);
      expect(decideWatchtower({ ...seed, involved: false, nextBlock: 155 }).actions).to.deep.equal([]);
      expect(decideWatchtower({ ...seed, seedTrigger: undefined }).actions).to.deep.equal([{ kind: "draw" }]);
    });

    it("challenges again at the next step when the escalation round's result is wrong too, then can only be late", function () {
      // Round 1 (the first escalation) proposed another wrong result; one escalation is left of two.
      const second = view({
        task: task({
          phase: Phase.Challengeable,
          round: 1n,
          escalations: 1n,
          maxEscalations: 2n,
          proposedResult: wrong,
          challengeDeadline: 160,
        }),
        involved: true,
      });
      expect(decideWatchtower(second).actions).to.deep.equal([{ kind: "challenge", claimedResult: right, bond: 900n }]);
      // The ladder's last step used and no game: a wrong result it cannot challenge is judged late, not retried.
      const top = { ...second, task: { ...second.task, escalations: 2n } };
      expect(decideWatchtower(top).actions).to.deep.equal([{ kind: "judge", verdict: "late" }]);
    });

    it("chooses between a game and an escalation as the game option orders", function () {
      const game = { available: true, fromGame: false, bondFloor: 1_500n, party: false };
      const byGame = [{ kind: "challengeByGame", claimedResult: right, bond: 1_500n }];
      const byCommittee = [{ kind: "challenge", claimedResult: right, bond: 900n }];
      expect(decideWatchtower(view({ game })).actions).to.deep.equal(byGame); // default: prefer
      expect(decideWatchtower(view({ game, gameMode: "prefer" })).actions).to.deep.equal(byGame);
      expect(decideWatchtower(view({ game, gameMode: "escalate-first" })).actions).to.deep.equal(byCommittee);
      expect(decideWatchtower(view({ game, gameMode: "off" })).actions).to.deep.equal(byCommittee);
      // escalate-first with the ladder used up: the game is what is left.
      const spent = task({
        phase: Phase.Challengeable,
        escalations: 1n,
        proposedResult: wrong,
        challengeDeadline: 160,
      });
      expect(decideWatchtower(view({ task: spent, game, gameMode: "escalate-first" })).actions).to.deep.equal(byGame);
      // A result a game produced can only be challenged by a game, whatever the mode.
      const fromGame = { ...game, fromGame: true };
      expect(decideWatchtower(view({ game: fromGame, gameMode: "escalate-first" })).actions).to.deep.equal(byGame);
      expect(decideWatchtower(view({ game: fromGame, gameMode: "off" })).actions).to.deep.equal([
        { kind: "judge", verdict: "late" },
      ]);
      // No trace or verifier for the task: an escalation, even when games are preferred.
      expect(decideWatchtower(view({ game: { ...game, available: false } })).actions).to.deep.equal(byCommittee);
    });

    it("plays its side of a game every block, and only as a party", function () {
      const inGame = view({ task: task({ phase: Phase.InGame }), involved: true });
      const playing = decideWatchtower({
        ...inGame,
        game: { available: true, fromGame: false, bondFloor: 0n, party: true },
      });
      expect(playing.actions).to.deep.equal([{ kind: "playGame" }]);
      expect(playing.wake).to.equal(150);
      const watching = decideWatchtower({
        ...inGame,
        game: { available: true, fromGame: false, bondFloor: 0n, party: false },
      });
      expect(watching.actions).to.deep.equal([]);
      expect(watching.wake).to.equal(151);
    });
  });
});
