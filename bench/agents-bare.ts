/**
 * The baseline of `npm run bench:agents`: the same transactions the worker agents send (draw, commit, reveal, tally,
 * finalize, claim), sent by one plain ethers script that holds every worker's key, knows every deadline from the
 * receipts it gets, never reads what it can compute, pipelines nonces and sets gas limits itself. It computes each
 * result with the same WASM runtime as the agents. What it reaches is the node's limit for this workload.
 */
import { AbiCoder, Interface, JsonRpcProvider, Wallet, keccak256, type TransactionReceipt } from "ethers";

import { blockhashRandomnessAbi, taskManagerAbi } from "../sdk/src/abi/index.js";
import { runProgram } from "../sdk/src/runtime/runProgram.js";

export interface BareTask {
  taskId: bigint;
  input: Uint8Array;
  /** The block whose hash seeds the first draw. */
  target: number;
}

export interface BareOptions {
  url: string;
  manager: string;
  randomness: string;
  chainId: bigint;
  /** Private keys of the staked workers, by address (lowercase). */
  keys: Map<string, string>;
  /** Sends the permissionless calls. */
  keeperKey: string;
  wasm: Uint8Array;
  tasks: BareTask[];
  pollMs: number;
}

export interface BareReport {
  /** Wall-clock ms when each task's finalize was mined (seen). */
  finalizedAt: Map<bigint, number>;
  rpcCalls: number;
  transactions: number;
}

const GAS = {
  draw: 2_000_000n,
  commit: 200_000n,
  reveal: 300_000n,
  tally: 1_000_000n,
  finalize: 3_000_000n,
  claim: 200_000n,
};

type Stage =
  "draw" | "drawing" | "commit" | "reveal" | "tally" | "tallying" | "finalize" | "finalizing" | "claim" | "done";

interface TaskState extends BareTask {
  stage: Stage;
  records: { member: string; index: bigint }[];
  resultHash: string;
  commitDeadline: number;
  revealDeadline: number;
  challengeDeadline: number;
}

/** Runs every task to its claims; resolves when all are claimed. */
export async function runBare(o: BareOptions): Promise<BareReport> {
  let rpcCalls = 0;
  // ethers polls receipts every 4 s by default, longer than a commit window here: poll as often as the loop does.
  const provider = new JsonRpcProvider(o.url, Number(o.chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: o.pollMs,
  });
  const send = provider.send.bind(provider);
  provider.send = async (method: string, params: unknown[]) => {
    rpcCalls++;
    return await send(method, params);
  };
  // The generated ABIs (the artifacts' own), nothing else of the SDK but the program runtime.
  const iface = new Interface(taskManagerAbi);
  const randomness = new Interface(blockhashRandomnessAbi);
  const wallets = new Map<string, Wallet>();
  const nonces = new Map<string, number>();
  for (const [address, key] of [...o.keys, ["keeper", o.keeperKey] as const]) {
    const wallet = new Wallet(key, provider);
    wallets.set(address, wallet);
    nonces.set(address, await provider.getTransactionCount(wallet.address, "pending"));
  }
  const feeData = await provider.getBlock("latest");
  const maxFeePerGas = (feeData?.baseFeePerGas ?? 1_000_000_000n) * 4n + 2_000_000_000n;
  let transactions = 0;

  /** Signs and sends at the next nonce without waiting; resolves with the receipt. */
  const sendTx = async (who: string, data: string, gasLimit: bigint): Promise<TransactionReceipt> => {
    const wallet = wallets.get(who) as Wallet;
    const nonce = nonces.get(who) as number;
    nonces.set(who, nonce + 1);
    transactions++;
    const tx = await wallet.sendTransaction({
      to: o.manager,
      data,
      nonce,
      gasLimit,
      maxFeePerGas,
      maxPriorityFeePerGas: 2_000_000_000n,
      chainId: o.chainId,
      type: 2,
    });
    try {
      return (await tx.wait()) as TransactionReceipt;
    } catch (error) {
      // Name the call and the contract's reason: the replay at the block before tells it.
      const name = iface.parseTransaction({ data })?.name;
      const block = (error as { receipt?: { blockNumber: number } }).receipt?.blockNumber ?? 1;
      const replay = await provider
        .call({ from: wallet.address, to: o.manager, data, blockTag: block - 1 })
        .then(() => "no revert on replay")
        .catch((e: { data?: string }) => (e.data ? (iface.parseError(e.data)?.name ?? e.data) : String(e)));
      throw new Error(`bare: ${name} from ${wallet.address} reverted: ${replay}`, { cause: error });
    }
  };

  const states: TaskState[] = o.tasks.map((t) => ({
    ...t,
    stage: "draw",
    records: [],
    resultHash: "",
    commitDeadline: 0,
    revealDeadline: 0,
    challengeDeadline: 0,
  }));
  const finalizedAt = new Map<bigint, number>();
  const salt = (t: bigint, index: bigint, member: string) =>
    keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "uint256", "address"], [t, index, member]));

  const onDrawn = async (s: TaskState, receipt: TransactionReceipt) => {
    for (const log of receipt.logs) {
      const parsed = iface.parseLog(log);
      if (parsed?.name === "SeatsAssigned")
        s.records.push({ member: (parsed.args.member as string).toLowerCase(), index: parsed.args.index as bigint });
      if (parsed?.name === "CommitteeDrawn") {
        s.commitDeadline = Number(parsed.args.commitDeadline);
        s.revealDeadline = Number(parsed.args.revealDeadline);
      }
    }
    if (s.records.length === 0) {
      // Re-armed for the next window: read the new target.
      const info = iface.decodeFunctionResult(
        "taskOf",
        await provider.call({ to: o.manager, data: iface.encodeFunctionData("taskOf", [s.taskId]) }),
      );
      const requestId = (info[0] as { requestId: bigint }).requestId;
      const target = randomness.decodeFunctionResult(
        "targetOf",
        await provider.call({ to: o.randomness, data: randomness.encodeFunctionData("targetOf", [requestId]) }),
      );
      s.target = Number(target[0]);
      s.stage = "draw";
      return;
    }
    s.resultHash = keccak256((await runProgram(o.wasm, s.input)).output);
    s.stage = "reveal";
    await Promise.all(
      s.records.map((r) => {
        const commitment = keccak256(
          AbiCoder.defaultAbiCoder().encode(
            ["uint256", "address", "uint256", "uint256", "address", "bytes32", "bytes32"],
            [o.chainId, o.manager, s.taskId, 0n, r.member, s.resultHash, salt(s.taskId, r.index, r.member)],
          ),
        );
        return sendTx(r.member, iface.encodeFunctionData("commit", [s.taskId, r.index, commitment]), GAS.commit);
      }),
    );
  };

  let active = states.length;
  while (active > 0) {
    const next = (await provider.getBlockNumber()) + 1;
    for (const s of states) {
      if (s.stage === "draw" && next > s.target) {
        s.stage = "drawing";
        void sendTx("keeper", iface.encodeFunctionData("drawCommittee", [s.taskId]), GAS.draw).then((r) =>
          onDrawn(s, r),
        );
      } else if (s.stage === "reveal" && next > s.commitDeadline) {
        s.stage = "tally";
        for (const r of s.records) {
          void sendTx(
            r.member,
            iface.encodeFunctionData("reveal", [
              s.taskId,
              r.index,
              s.resultHash,
              salt(s.taskId, r.index, r.member),
              "0x",
            ]),
            GAS.reveal,
          );
        }
      } else if (s.stage === "tally" && next > s.revealDeadline) {
        s.stage = "tallying";
        void sendTx("keeper", iface.encodeFunctionData("tally", [s.taskId]), GAS.tally).then((receipt) => {
          for (const log of receipt.logs) {
            const parsed = iface.parseLog(log);
            if (parsed?.name === "ResultProposed") s.challengeDeadline = Number(parsed.args.challengeDeadline);
          }
          s.stage = "finalize";
        });
      } else if (s.stage === "finalize" && next > s.challengeDeadline) {
        s.stage = "finalizing";
        void sendTx("keeper", iface.encodeFunctionData("finalize", [s.taskId]), GAS.finalize).then(async () => {
          finalizedAt.set(s.taskId, Date.now());
          s.stage = "claim";
          await Promise.all(
            s.records.map((r) =>
              sendTx(r.member, iface.encodeFunctionData("claimReward", [s.taskId, 0n, r.index]), GAS.claim),
            ),
          );
          s.stage = "done";
          active--;
        });
      }
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  provider.destroy();
  return { finalizedAt, rpcCalls, transactions };
}
