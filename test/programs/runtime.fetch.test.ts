import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { keccak256 } from "ethers";

import { InvalidArgumentError } from "../../sdk/src/errors/base.js";
import {
  FetchFailedError,
  FetchTimeoutError,
  FetchTooLargeError,
  ForbiddenImportError,
  HashMismatchError,
  MalformedDataUriError,
  UnsupportedLocationError,
} from "../../sdk/src/errors/program.js";
import { fetchBytes, loadProgram } from "../../sdk/src/runtime/index.js";
import { particlesWasm } from "./helpers/particlesWasm.js";
import { ECHO_RUN, program } from "./helpers/wasmBuilder.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

const BYTES = new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x25, 0x41]);
const HASH = keccak256(BYTES);
const WRONG = keccak256(new Uint8Array([9]));

describe("program runtime: fetchBytes and loadProgram", () => {
  let dir: string;
  let server: Server;
  let base: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cohort-fetch-"));
    await writeFile(path.join(dir, "bytes.bin"), BYTES);
    await writeFile(path.join(dir, "particles.wasm"), particlesWasm());
    server = createServer((req, res) => {
      if (req.url === "/bytes.bin") res.end(BYTES);
      else if (req.url === "/particles.wasm") res.end(particlesWasm());
      else if (req.url === "/declared-big") res.writeHead(200, { "content-length": "1000000" }).end();
      else if (req.url === "/streamed-big") {
        // No content-length: chunked, and longer than the cap.
        res.writeHead(200);
        for (let i = 0; i < 20; i++) res.write(new Uint8Array(1000));
        res.end();
      } else if (req.url === "/slow") setTimeout(() => res.end(BYTES), 5_000).unref();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  describe("locations", () => {
    it("reads a path, a file: URL and an http URL, checking the hash", async () => {
      const file = path.join(dir, "bytes.bin");
      expect(await fetchBytes(file, { expectedHash: HASH })).to.eql(BYTES);
      expect(await fetchBytes(pathToFileURL(file).href, { expectedHash: HASH })).to.eql(BYTES);
      expect(await fetchBytes(`${base}/bytes.bin`, { expectedHash: HASH.toUpperCase().replace("0X", "0x") })).to.eql(
        BYTES,
      );
    });

    it("decodes base64 and percent-encoded data: URIs byte for byte", async () => {
      const base64 = `data:application/octet-stream;base64,${Buffer.from(BYTES).toString("base64")}`;
      expect(await fetchBytes(base64, { expectedHash: HASH })).to.eql(BYTES);
      expect(await fetchBytes("data:,%00%01%02%FE%ff%25A", { expectedHash: HASH })).to.eql(BYTES);
      expect(await fetchBytes("data:text/plain,h%C3%A9 é")).to.eql(new TextEncoder().encode("hé é"));
      expect(await fetchBytes("data:,")).to.eql(new Uint8Array());
    });

    it("refuses malformed data: URIs and unknown schemes", async () => {
      expect(await rejection(fetchBytes("data:;base64,AAA"))).to.be.instanceOf(MalformedDataUriError);
      expect(await rejection(fetchBytes("data:;base64,AA*A"))).to.be.instanceOf(MalformedDataUriError);
      expect(await rejection(fetchBytes("data:,%zz"))).to.be.instanceOf(MalformedDataUriError);
      expect(await rejection(fetchBytes("data:no-comma"))).to.be.instanceOf(MalformedDataUriError);
      const ipfs = await rejection(fetchBytes("ipfs://bafy"));
      expect(ipfs).to.be.instanceOf(UnsupportedLocationError).and.be.instanceOf(InvalidArgumentError);
    });

    it("reports a missing file, an HTTP error status and a refused connection", async () => {
      expect(await rejection(fetchBytes(path.join(dir, "absent")))).to.be.instanceOf(FetchFailedError);
      const notFound = await rejection(fetchBytes(`${base}/absent`));
      expect(notFound).to.be.instanceOf(FetchFailedError).and.include({ status: 404 });
      expect(await rejection(fetchBytes("http://127.0.0.1:1/x"))).to.be.instanceOf(FetchFailedError);
    });

    it("gives up on a slow server after timeoutMs", async () => {
      const error = await rejection(fetchBytes(`${base}/slow`, { timeoutMs: 200 }));
      expect(error).to.be.instanceOf(FetchTimeoutError).and.include({ timeoutMs: 200 });
    });
  });

  describe("checks", () => {
    it("reports a hash mismatch with the expected and actual hashes", async () => {
      for (const location of [path.join(dir, "bytes.bin"), `${base}/bytes.bin`, "data:,%00"]) {
        const error = await rejection(fetchBytes(location, { expectedHash: WRONG }));
        expect(error, location).to.be.instanceOf(HashMismatchError);
        expect((error as HashMismatchError).expected).to.equal(WRONG);
      }
      const error = (await rejection(fetchBytes(`${base}/bytes.bin`, { expectedHash: WRONG }))) as HashMismatchError;
      expect(error.actual).to.equal(HASH);
      expect(await rejection(fetchBytes("data:,", { expectedHash: "0x1234" }))).to.be.instanceOf(InvalidArgumentError);
    });

    it("refuses content over maxBytes, declared or streamed, from every source", async () => {
      const declared = await rejection(fetchBytes(`${base}/declared-big`, { maxBytes: 1000 }));
      expect(declared).to.be.instanceOf(FetchTooLargeError).and.include({ size: 1_000_000 });
      const streamed = await rejection(fetchBytes(`${base}/streamed-big`, { maxBytes: 5000 }));
      expect(streamed).to.be.instanceOf(FetchTooLargeError).and.include({ maxBytes: 5000 });
      const file = await rejection(fetchBytes(path.join(dir, "particles.wasm"), { maxBytes: 100 }));
      expect(file).to.be.instanceOf(FetchTooLargeError).and.include({ size: particlesWasm().length });
      expect(await rejection(fetchBytes("data:,abcdef", { maxBytes: 5 }))).to.be.instanceOf(FetchTooLargeError);
      expect(await fetchBytes("data:,abcde", { maxBytes: 5 })).to.have.length(5);
    });

    it("loads a program by id from a file and over http", async () => {
      const id = keccak256(particlesWasm());
      expect(await loadProgram(path.join(dir, "particles.wasm"), id)).to.eql(particlesWasm());
      expect(await loadProgram(`${base}/particles.wasm`, id)).to.eql(particlesWasm());
      expect(await rejection(loadProgram(`${base}/particles.wasm`, WRONG))).to.be.instanceOf(HashMismatchError);
    });

    it("refuses to load bytes that match their id but break ABI v1", async () => {
      const forbidden = program({
        run: ECHO_RUN,
        extraImports: [{ module: "env", name: "now", kind: "func", type: 0 }],
      });
      const uri = `data:;base64,${Buffer.from(forbidden).toString("base64")}`;
      const error = await rejection(loadProgram(uri, keccak256(forbidden)));
      expect(error).to.be.instanceOf(ForbiddenImportError).and.include({ importName: "now" });
    });
  });
});
