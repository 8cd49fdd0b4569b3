import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import {
  InputKind,
  InvalidArgumentError,
  computeCommitment,
  decodeTaskInput,
  encodeTaskInput,
  resultHashOf,
} from "../../sdk/src/index.js";

const argumentOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).argument;
  }
  return expect.fail("expected an InvalidArgumentError");
};

/** Task inputs (inline or by URI) and the commitment hashing they feed. */
describe("SDK domain: encodings", function () {
  describe("task inputs", function () {
    it("posts inline text as its UTF-8 bytes, and hashes them", function () {
      expect(encodeTaskInput({ inline: "hello" })).to.deep.equal({
        inputKind: InputKind.Inline,
        input: "0x68656c6c6f",
        inputHash: keccak256(toUtf8Bytes("hello")),
      });
    });

    it("reads even-length hex and byte arrays as bytes, refuses odd-length hex", function () {
      expect(encodeTaskInput({ inline: "0xC0FFEE" }).input).to.equal("0xc0ffee");
      expect(encodeTaskInput({ inline: new Uint8Array([1, 2]) }).inputHash).to.equal(keccak256("0x0102"));
      // An empty input is allowed inline (its hash is keccak256 of nothing).
      expect(encodeTaskInput({ inline: "0x" })).to.deep.equal({
        inputKind: 0,
        input: "0x",
        inputHash: keccak256("0x"),
      });
      expect(argumentOf(() => encodeTaskInput({ inline: "0xabc" }))).to.equal("input.inline");
      // Text that only starts like hex is text.
      expect(encodeTaskInput({ inline: "0xhello" }).input).to.equal("0x307868656c6c6f");
    });

    it("posts a URI's UTF-8 bytes with the hash the requester gives", function () {
      const hash = keccak256("0x01");
      for (const uri of ["https://example.org/in.bin", "http://127.0.0.1/x", "file:///tmp/in", "data:,hi"]) {
        const encoded = encodeTaskInput({ uri, inputHash: hash.toUpperCase().replace("0X", "0x") });
        expect(encoded).to.deep.equal({
          inputKind: InputKind.Uri,
          input: `0x${Buffer.from(uri).toString("hex")}`,
          inputHash: hash,
        });
        expect(decodeTaskInput(encoded.inputKind, encoded.input)).to.deep.equal({ kind: "uri", uri });
      }
      expect(argumentOf(() => encodeTaskInput({ uri: "ipfs://Qm", inputHash: hash }))).to.equal("input.uri");
      expect(argumentOf(() => encodeTaskInput({ uri: "https://x", inputHash: "0x01" }))).to.equal("input.inputHash");
    });

    it("decodes what it encodes, and refuses an unknown kind", function () {
      const encoded = encodeTaskInput({ inline: "particles" });
      const decoded = decodeTaskInput(BigInt(encoded.inputKind), encoded.input);
      expect(decoded.kind).to.equal("inline");
      expect(decoded.kind === "inline" && Buffer.from(decoded.bytes).toString()).to.equal("particles");
      expect(argumentOf(() => decodeTaskInput(2, "0x"))).to.equal("inputKind");
    });
  });

  describe("commitments", function () {
    it("bind every field (rule 7): changing any one changes the commitment", function () {
      const base = {
        chainId: 31337n,
        manager: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        taskId: 7n,
        round: 2n,
        member: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        resultHash: resultHashOf(toUtf8Bytes("hello")),
        salt: keccak256(toUtf8Bytes("cohort salt")),
      };
      // The value test/Commitments.t.sol fixes.
      expect(computeCommitment(base)).to.equal("0x8ed5763d418bb50d814282452d48a4e6d089be895c40e1ac6657df2314f5982f");
      const variants = [
        { chainId: 1n },
        { manager: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" },
        { taskId: 8n },
        { round: 3n },
        { member: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
        { resultHash: resultHashOf("0x") },
        { salt: keccak256("0x02") },
      ];
      const seen = new Set([computeCommitment(base)]);
      for (const v of variants) seen.add(computeCommitment({ ...base, ...v }));
      expect(seen.size).to.equal(variants.length + 1);
    });
  });
});
