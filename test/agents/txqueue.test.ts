import path from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";
import { pino } from "pino";

import { createCohortClient, type CohortClient } from "../../sdk/src/client/create.js";
import { ResilientProvider } from "../../sdk/src/rpc/provider.js";
import { AgentStore } from "../../sdk/src/store/index.js";
import { raise, type Head } from "../../sdk/src/tx/fees.js";
import { TxQueue } from "../../sdk/src/tx/queue.js";
import { UNIT } from "../helpers/pool.js";
import { startNode, type HardhatNode } from "./helpers/node.js";
import { deployOnNode, type AgentSystem } from "./helpers/system.js";

const GWEI = 1_000_000_000n;

/**
 * The transaction queue against a node that mines only when the test says so: dropped transactions, base-fee
 * spikes, restarts with transactions in flight, a nonce taken by someone else, and a transaction that can no longer
 * succeed while a later one waits behind it.
 */
describe("agents: the transaction queue", function () {
  let node: HardhatNode;
  let a: AgentSystem;
  let provider: ResilientProvider;
  let client: CohortClient;
  let wallet: Wallet;
  let n = 0;

  /** A fresh queue on its own store (or on `store`, for a restart) for the account the tests use. */
  function queueOn(store: AgentStore, options: { stuckBlocks?: number } = {}) {
    return new TxQueue({
      wallet,
      rpc: provider,
      store: store.txs,
      chainId: client.chainId,
      confirmations: 2,
      errors: client.errors,
      stuckBlocks: options.stuckBlocks ?? 3,
      logger: pino({ level: process.env.AGENT_LOG ?? "silent" }),
    });
  }

  function freshStore() {
    return AgentStore.open(path.join(a.dir, `queue-${++n}.sqlite`), {
      chainId: client.chainId,
      manager: client.addresses.taskManager,
      account: wallet.address,
      role: "worker",
    });
  }

  async function head(): Promise<Head> {
    const block = await node.rpc<{ number: string; hash: string; baseFeePerGas: string }>("eth_getBlockByNumber", [
      "latest",
      false,
    ]);
    return { number: Number(BigInt(block.number)), hash: block.hash, baseFeePerGas: BigInt(block.baseFeePerGas) };
  }

  async function mine(blocks = 1) {
    await node.rpc("hardhat_mine", [`0x${blocks.toString(16)}`]);
  }

  /** A harmless call that always succeeds: an approval of the pool by the queue's account. */
  function approval(key: string, amount: bigint, deadline?: number) {
    return {
      key,
      label: "approve",
      to: client.addresses.stakeToken,
      data: client.token.interface.encodeFunctionData("approve", [client.addresses.securityPool, amount]),
      ...(deadline === undefined ? {} : { deadline }),
    };
  }

  before(async function () {
    node = await startNode();
    a = await deployOnNode(node);
    await node.rpc("evm_setAutomine", [false]);
    provider = await ResilientProvider.connect({ urls: [node.url], timeoutMs: 5_000 });
    wallet = new Wallet(a.keyFor(a.sys.outsider.address), provider);
    client = await createCohortClient({ provider, signer: wallet, taskManager: a.manager });
  });

  // Each test starts from a calm base fee (a spike left by the one before would price everything differently).
  beforeEach(async function () {
    await node.rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${GWEI.toString(16)}`]);
    await mine();
  });

  after(async function () {
    provider?.destroy();
    await node?.stop();
  });

  it("re-sends a transaction that left the mempool (hardhat_dropTransaction), the same signed bytes", async function () {
    const store = freshStore();
    const queue = queueOn(store);
    await queue.init();
    const sent = await queue.submit(approval("drop-me", 1n), await head());
    const [attempt] = store.txs.attempts(sent.id);
    expect(await node.rpc<boolean>("hardhat_dropTransaction", [attempt!.hash])).to.equal(true);
    await mine(); // an empty block: the transaction is gone
    expect(await node.rpc("eth_getTransactionReceipt", [attempt!.hash])).to.equal(null);
    await queue.tick(await head());
    expect(queue.stats.rebroadcasts).to.equal(1);
    await mine();
    await queue.tick(await head());
    await mine();
    await queue.tick(await head());
    const done = store.txs.get(sent.id)!;
    expect(done.status).to.equal("confirmed");
    expect(done.receiptStatus).to.equal(1);
    expect(done.minedHash).to.equal(attempt!.hash);
    expect(store.txs.attempts(sent.id)).to.have.length(1);
    store.close();
  });

  it("replaces a transaction stuck under a base-fee spike with fees at least 10% higher, more near its deadline", async function () {
    const store = freshStore();
    const queue = queueOn(store);
    await queue.init();
    const h = await head();
    const calm = await queue.submit(approval("calm", 2n), h);
    const urgent = await queue.submit(approval("urgent", 3n, h.number + 3), h);
    const [calmFirst] = store.txs.attempts(calm.id);
    const [urgentFirst] = store.txs.attempts(urgent.id);
    // The next block's base fee jumps far over what either offered: neither can be included.
    await node.rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${(100n * GWEI).toString(16)}`]);
    await mine();
    expect(await node.rpc("eth_getTransactionReceipt", [calmFirst!.hash])).to.equal(null);
    const spiked = await head();
    expect(spiked.baseFeePerGas).to.equal(100n * GWEI);
    await queue.tick(spiked);
    const [calmBump] = store.txs.attempts(calm.id);
    const [urgentBump] = store.txs.attempts(urgent.id);
    expect(queue.stats.bumps).to.equal(2);
    // Both fees rise by at least 10% (what nodes require), and the offer covers the new base fee.
    for (const [first, bump] of [
      [calmFirst!, calmBump!],
      [urgentFirst!, urgentBump!],
    ]) {
      expect(bump!.hash).to.not.equal(first!.hash);
      expect(bump!.maxFee >= raise(first!.maxFee, 10)).to.equal(true);
      expect(bump!.priorityFee >= raise(first!.priorityFee, 10)).to.equal(true);
      expect(bump!.maxFee >= spiked.baseFeePerGas * 2n).to.equal(true);
    }
    // Near the deadline the tip rises far more than the ordinary 12.5%.
    expect(calmBump!.priorityFee).to.equal(raise(calmFirst!.priorityFee, 12.5));
    expect(urgentBump!.priorityFee >= raise(urgentFirst!.priorityFee, 50)).to.equal(true);
    await mine();
    await queue.tick(await head());
    await mine();
    await queue.tick(await head());
    for (const [tx, bump] of [
      [calm, calmBump!],
      [urgent, urgentBump!],
    ] as const) {
      const row = store.txs.get(tx.id)!;
      expect(row.status).to.equal("confirmed");
      expect(row.minedHash).to.equal(bump.hash);
    }
    store.close();
  });

  it("bumps again while rising base fees keep it out, each time by at least 10%", async function () {
    const store = freshStore();
    const queue = queueOn(store);
    await queue.init();
    const tx = await queue.submit(approval("climbing", 4n), await head());
    // Each spike lands above the last offer: the transaction stays out until the fees stop climbing.
    for (const [i, base] of [20n * GWEI, 60n * GWEI, 200n * GWEI].entries()) {
      await node.rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${base.toString(16)}`]);
      await mine();
      expect(store.txs.get(tx.id)!.status).to.equal("pending");
      await queue.tick(await head());
      const attempts = store.txs.attempts(tx.id);
      expect(attempts).to.have.length(i + 2);
      const [next, previous] = attempts;
      expect(next!.nonce).to.equal(previous!.nonce);
      expect(next!.maxFee >= raise(previous!.maxFee, 10)).to.equal(true);
      expect(next!.priorityFee >= raise(previous!.priorityFee, 10)).to.equal(true);
      expect(next!.maxFee >= 2n * base).to.equal(true);
    }
    await mine();
    await queue.tick(await head());
    await mine();
    await queue.tick(await head());
    const row = store.txs.get(tx.id)!;
    expect(row.status).to.equal("confirmed");
    expect(row.minedHash).to.equal(store.txs.attempts(tx.id)[0]!.hash);
    store.close();
  });

  it("recovers its nonces after a restart with transactions in flight, and re-signs one whose nonce was taken", async function () {
    const path0 = path.join(a.dir, `queue-restart.sqlite`);
    const open = () =>
      AgentStore.open(path0, {
        chainId: client.chainId,
        manager: client.addresses.taskManager,
        account: wallet.address,
        role: "worker",
      });
    let store = open();
    let queue = queueOn(store);
    await queue.init();
    const first = await queue.submit(approval("r1", 5n), await head());
    // Signed and stored but never broadcast: as if the process died between the two.
    const second = await queue.submit(approval("r2", 6n), await head());
    await node.rpc("hardhat_dropTransaction", [store.txs.attempts(second.id)[0]!.hash]);
    store.close();

    store = open();
    queue = queueOn(store);
    await queue.init();
    const third = await queue.submit(approval("r3", 7n), await head());
    expect([first.nonce, second.nonce, third.nonce]).to.deep.equal([first.nonce, first.nonce + 1, first.nonce + 2]);
    // The same action submitted again is the stored one, not a new transaction.
    expect((await queue.submit(approval("r1", 5n), await head())).id).to.equal(first.id);

    // Meanwhile another process with the same key sends its own transaction at the second one's nonce.
    const outsider = await wallet.signTransaction({
      type: 2,
      chainId: client.chainId,
      nonce: second.nonce,
      to: wallet.address,
      value: 0n,
      gasLimit: 21_000n,
      maxFeePerGas: 50n * GWEI,
      maxPriorityFeePerGas: 5n * GWEI,
    });
    await node.rpc("eth_sendRawTransaction", [outsider]);
    await mine();
    for (let i = 0; i < 4; i++) {
      await queue.tick(await head());
      await mine();
    }
    await queue.tick(await head());
    for (const tx of [first, second, third]) {
      const row = store.txs.get(tx.id)!;
      expect(row.status, tx.key).to.equal("confirmed");
      expect(row.receiptStatus, tx.key).to.equal(1);
    }
    // The second action went out again at a fresh nonce.
    expect(store.txs.get(second.id)!.nonce).to.be.greaterThan(third.nonce);
    store.close();
  });

  it("fills the nonce of a transaction that can no longer succeed with a cancel, so the next one is mined", async function () {
    const store = freshStore();
    const queue = queueOn(store);
    await queue.init();
    // The outsider may pull 10 tokens from the requester; the pull succeeds now but not once the allowance is gone.
    const owner = a.sys.requester;
    await a.sys.token.connect(owner).approve(wallet.address, 10n * UNIT);
    await mine();
    const pull = await queue.submit(
      {
        key: "pull",
        label: "transferFrom",
        to: client.addresses.stakeToken,
        data: client.token.interface.encodeFunctionData("transferFrom", [owner.address, wallet.address, 10n * UNIT]),
      },
      await head(),
    );
    const behind = await queue.submit(approval("behind", 8n), await head());
    await node.rpc("hardhat_dropTransaction", [store.txs.attempts(pull.id)[0]!.hash]);
    await node.rpc("hardhat_dropTransaction", [store.txs.attempts(behind.id)[0]!.hash]);
    await a.sys.token.connect(owner).approve(wallet.address, 0n);
    await mine();
    for (let i = 0; i < 4; i++) {
      await queue.tick(await head());
      await mine();
    }
    expect(store.txs.get(pull.id)!.status).to.equal("abandoned");
    const cancel = store.txs.all().find((t) => t.label === "cancel")!;
    expect(cancel.nonce).to.equal(pull.nonce);
    expect(cancel.status).to.equal("confirmed");
    const row = store.txs.get(behind.id)!;
    expect(row.status).to.equal("confirmed");
    expect(row.receiptStatus).to.equal(1);
    expect(queue.stats.cancels).to.equal(1);
    store.close();
  });
});
