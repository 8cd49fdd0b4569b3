/**
 * `commitments.json`: commitments, result hashes and derived reveal salts. The expected values are computed here from
 * the definitions, not through the SDK: a commitment is keccak256 of seven 32-byte words laid end to end
 * (`Commitments.commitment`'s `abi.encode`), a salt is keccak256 of the member's EIP-191 signature of a fixed text.
 */
import { Wallet, getAddress, keccak256 } from "ethers";

import type { Random } from "./random.js";

const MAX_UINT256 = (1n << 256n) - 1n;

/** One 32-byte ABI word: a uint256, or an address / bytes32 given as hex. */
function word(value: bigint | string): string {
  const hex = typeof value === "bigint" ? value.toString(16) : value.slice(2).toLowerCase();
  if (hex.length > 64) throw new Error(`${value} does not fit one word`);
  return hex.padStart(64, "0");
}

function commitmentOf(v: CommitmentVector): string {
  const words = [v.chainId, v.manager, v.taskId, v.round, v.member, v.resultHash, v.salt].map((x, i) =>
    word(i === 1 || i === 4 || i === 5 || i === 6 ? (x as string) : BigInt(x)),
  );
  return keccak256(`0x${words.join("")}`);
}

interface CommitmentVector {
  name: string;
  chainId: string;
  manager: string;
  taskId: string;
  round: string;
  member: string;
  resultHash: string;
  salt: string;
  commitment?: string;
}

/** The SDK's reveal-salt message, version 1: changing it strands every worker's crash recovery. */
function saltMessage(f: { chainId: bigint; manager: string; taskId: bigint; round: bigint; index: bigint }): string {
  return (
    `Cohort reveal salt v1\nchain ${f.chainId}\nmanager ${f.manager.toLowerCase()}\n` +
    `task ${f.taskId}\nround ${f.round}\nrecord ${f.index}`
  );
}

export async function commitmentVectors(random: Random) {
  const fixed: CommitmentVector[] = [
    {
      // The vector test/Commitments.t.sol hard-codes, produced independently with ethers' AbiCoder.
      name: "Commitments.t.sol fixed vector",
      chainId: "31337",
      manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      taskId: "7",
      round: "2",
      member: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      resultHash: keccak256(new TextEncoder().encode("hello")),
      salt: keccak256(new TextEncoder().encode("cohort salt")),
    },
    {
      name: "all zero",
      chainId: "0",
      manager: getAddress(`0x${"00".repeat(20)}`),
      taskId: "0",
      round: "0",
      member: getAddress(`0x${"00".repeat(20)}`),
      resultHash: `0x${"00".repeat(32)}`,
      salt: `0x${"00".repeat(32)}`,
    },
    {
      name: "all ones",
      chainId: MAX_UINT256.toString(),
      manager: getAddress(`0x${"ff".repeat(20)}`),
      taskId: MAX_UINT256.toString(),
      round: MAX_UINT256.toString(),
      member: getAddress(`0x${"ff".repeat(20)}`),
      resultHash: `0x${"ff".repeat(32)}`,
      salt: `0x${"ff".repeat(32)}`,
    },
    {
      name: "Sepolia chain id, escalation round 3",
      chainId: "11155111",
      manager: getAddress("0x000000000000000000000000000000000000c0de"),
      taskId: "1",
      round: "3",
      member: getAddress("0x1000000000000000000000000000000000000001"),
      resultHash: keccak256("0x"),
      salt: keccak256("0x01"),
    },
  ];
  const randomOnes: CommitmentVector[] = Array.from({ length: 36 }, (_, i) => ({
    name: `random ${i}`,
    chainId: random.pick([1n, 31337n, 11155111n, random.bits(64), random.uint256()]).toString(),
    manager: getAddress(random.hex(20)),
    taskId: random.pick([1n, random.between(1n, 1000n), random.uint256()]).toString(),
    round: random.between(0n, 12n).toString(),
    member: getAddress(random.hex(20)),
    resultHash: random.hex(32),
    salt: random.hex(32),
  }));
  const commitments = [...fixed, ...randomOnes].map((v) => ({ ...v, commitment: commitmentOf(v) }));

  const resultHashes = [
    { name: "empty", result: "0x" },
    { name: "one zero byte", result: "0x00" },
    { name: "utf-8 hello", result: `0x${Buffer.from("hello").toString("hex")}` },
    { name: "32 bytes", result: random.hex(32) },
    { name: "33 bytes", result: random.hex(33) },
    { name: "1 KiB", result: random.hex(1024) },
    ...Array.from({ length: 10 }, (_, i) => ({ name: `random ${i}`, result: random.hex(random.int(1, 200)) })),
  ].map((v) => ({ ...v, resultHash: keccak256(v.result) }));

  // A throwaway key of the vectors' own (never a funded account): the salt depends on it only through its signature.
  const keyPhrase = "cohort test vector key, no funds";
  const wallet = new Wallet(keccak256(new TextEncoder().encode(keyPhrase)));
  const saltFields = [
    { chainId: 31337n, manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3", taskId: 1n, round: 0n, index: 0n },
    { chainId: 31337n, manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3", taskId: 1n, round: 0n, index: 1n },
    { chainId: 31337n, manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3", taskId: 1n, round: 1n, index: 0n },
    { chainId: 31337n, manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3", taskId: 2n, round: 0n, index: 0n },
    { chainId: 11155111n, manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3", taskId: 1n, round: 0n, index: 0n },
    { chainId: 31337n, manager: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", taskId: 1n, round: 0n, index: 0n },
  ];
  const salts = [];
  for (const f of saltFields) {
    const message = saltMessage(f);
    salts.push({
      chainId: f.chainId.toString(),
      manager: f.manager,
      taskId: f.taskId.toString(),
      round: f.round.toString(),
      index: f.index.toString(),
      message,
      salt: keccak256(await wallet.signMessage(message)),
    });
  }

  return {
    description:
      "Commitments.commitment (keccak256 of abi.encode(chainId, manager, taskId, round, member, resultHash, salt)), " +
      "Commitments.resultHashOf (keccak256 of the result bytes), and the SDK's derived reveal salts (keccak256 of " +
      "the member's EIP-191 signature of `message`, RFC 6979 deterministic) by the key keccak256(utf8(signer.keyPhrase)).",
    commitments,
    resultHashes,
    signer: { keyPhrase, address: wallet.address },
    salts,
  };
}
