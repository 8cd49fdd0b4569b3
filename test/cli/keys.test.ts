import { expect } from "chai";
import { EventEmitter } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, encryptKeystoreJsonSync } from "ethers";
import { network } from "hardhat";

import { loadKeystoreEncryption } from "../../sdk/src/cli/keys/hardhat-keystore.js";
import { runCli } from "../../sdk/src/cli/run.js";
import { deployTaskSystem, type TaskSystem } from "../helpers/tasks.js";
import { Buffered, cliRunner, expectFailure, expectOk } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** A fresh account, funded for gas by the in-process network's first account. */
async function fundedWallet(): Promise<Wallet> {
  const wallet = Wallet.createRandom();
  const [funder] = await ethers.getSigners();
  await (await funder!.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") })).wait();
  return new Wallet(wallet.privateKey);
}

/** A terminal's stdin that types `text` once the prompt has switched it to raw mode. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  raw = false;
  constructor(private readonly text: string) {
    super();
  }
  setRawMode(mode: boolean) {
    this.raw = mode;
    if (mode) setImmediate(() => this.emit("data", Buffer.from(this.text)));
    return this;
  }
  resume() {
    return this;
  }
  pause() {
    return this;
  }
}

/** The three key sources: COHORT_PRIVATE_KEY, an encrypted JSON keystore, the Hardhat keystore. */
describe("CLI: key sources", function () {
  let sys: TaskSystem;
  let cli: ReturnType<typeof cliRunner>;
  let dir: string;

  before(async function () {
    sys = await deployTaskSystem(ethers, networkHelpers);
    cli = cliRunner(ethers.provider, ["--task-manager", await sys.manager.getAddress()]);
    dir = mkdtempSync(join(tmpdir(), "cohort-cli-keys-"));
  });

  it("COHORT_PRIVATE_KEY signs (with or without 0x)", async function () {
    const wallet = await fundedWallet();
    const run = await cli(["token", "mint", "1"], { env: { COHORT_PRIVATE_KEY: wallet.privateKey.slice(2) } });
    expectOk(run);
    expect(run.doc.to).to.equal(wallet.address);
  });

  describe("an encrypted JSON keystore", function () {
    let wallet: Wallet;
    let file: string;

    before(async function () {
      wallet = await fundedWallet();
      file = join(dir, "key.json");
      // A light scrypt cost: the test checks the format, not the hardness.
      const json = encryptKeystoreJsonSync(
        { address: wallet.address, privateKey: wallet.privateKey },
        "correct horse",
        { scrypt: { N: 1 << 10 } },
      );
      writeFileSync(file, json);
    });

    it("signs with the password from COHORT_KEYSTORE_PASSWORD", async function () {
      const run = await cli(["token", "mint", "2", "--keystore", file], {
        env: { COHORT_KEYSTORE_PASSWORD: "correct horse" },
      });
      expectOk(run);
      expect(run.doc.to).to.equal(wallet.address);
      expect(await sys.token.balanceOf(wallet.address)).to.equal(2n * 10n ** 18n);
    });

    it("COHORT_KEYSTORE names the file too", async function () {
      const run = await cli(["token", "mint", "1"], {
        env: { COHORT_KEYSTORE: file, COHORT_KEYSTORE_PASSWORD: "correct horse" },
      });
      expectOk(run);
      expect(run.doc.to).to.equal(wallet.address);
    });

    it("gives its address to read-only commands without the password", async function () {
      const run = await cli(["stake", "show", "--keystore", file]);
      expectOk(run);
      expect(run.doc.account).to.equal(wallet.address);
    });

    it("asks for the password on a terminal, without echoing it", async function () {
      const stdout = new Buffered();
      const stderr = Object.assign(new Buffered(), { isTTY: true });
      const stdin = new FakeTerminal("correct horse\r");
      const code = await runCli(
        ["token", "mint", "1", "--keystore", file, "--task-manager", await sys.manager.getAddress(), "--json"],
        { stdout, stderr, stdin, env: { COHORT_LOG_LEVEL: "warn" }, provider: ethers.provider },
      );
      expect(code, stdout.text).to.equal(0);
      expect(stderr.text).to.contain(`Password for ${file}: `);
      expect(stderr.text).not.to.contain("correct horse");
      expect(stdin.raw, "raw mode is switched off again").to.equal(false);
    });

    it("without a password and no terminal is ConfigError naming COHORT_KEYSTORE_PASSWORD", async function () {
      const run = await cli(["token", "mint", "1", "--keystore", file]);
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.details).to.contain("COHORT_KEYSTORE_PASSWORD");
    });

    it("a wrong password is ConfigError", async function () {
      const run = await cli(["token", "mint", "1", "--keystore", file], { env: { COHORT_KEYSTORE_PASSWORD: "wrong" } });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.message).to.contain("Wrong password");
    });

    it("a missing file or one that is no keystore is ConfigError", async function () {
      const env = { COHORT_KEYSTORE_PASSWORD: "x" };
      expectFailure(await cli(["token", "mint", "1", "--keystore", join(dir, "none.json")], { env }), 2, "ConfigError");
      const junk = join(dir, "junk.json");
      writeFileSync(junk, "{}");
      expectFailure(await cli(["token", "mint", "1", "--keystore", junk], { env }), 2, "ConfigError");
    });
  });

  describe("the Hardhat keystore", function () {
    let wallet: Wallet;
    let file: string;
    const password = "hardhat-password";

    before(async function () {
      wallet = await fundedWallet();
      file = join(dir, "keystore.json");
      // The keystore is written with the plugin's own primitives, as `npx hardhat keystore set` writes it.
      const encryption = await loadKeystoreEncryption();
      const { masterKey, salt } = encryption.createMasterKey({ password });
      let keystore = encryption.createEmptyEncryptedKeystore({ masterKey, salt });
      keystore = encryption.addSecretToKeystore({
        masterKey,
        encryptedKeystore: keystore,
        key: "SEPOLIA_PRIVATE_KEY",
        value: wallet.privateKey,
      });
      keystore = encryption.addSecretToKeystore({
        masterKey,
        encryptedKeystore: keystore,
        key: "SEPOLIA_RPC_URL",
        value: "x",
      });
      writeFileSync(file, JSON.stringify(keystore, null, 2));
    });

    const env = (extra: Record<string, string> = {}) => ({ COHORT_HARDHAT_KEYSTORE_FILE: file, ...extra });

    it("signs with --hardhat-keystore <KEY_NAME> and COHORT_HARDHAT_KEYSTORE_PASSWORD", async function () {
      const run = await cli(["token", "mint", "3", "--hardhat-keystore", "SEPOLIA_PRIVATE_KEY"], {
        env: env({ COHORT_HARDHAT_KEYSTORE_PASSWORD: password }),
      });
      expectOk(run);
      expect(run.doc.to).to.equal(wallet.address);
      expect(await sys.token.balanceOf(wallet.address)).to.equal(3n * 10n ** 18n);
    });

    it("a wrong password is ConfigError", async function () {
      const run = await cli(["token", "mint", "1", "--hardhat-keystore", "SEPOLIA_PRIVATE_KEY"], {
        env: env({ COHORT_HARDHAT_KEYSTORE_PASSWORD: "not it" }),
      });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.message).to.contain("Wrong password");
    });

    it("an unknown key name is ConfigError listing the keys", async function () {
      const run = await cli(["token", "mint", "1", "--hardhat-keystore", "MAINNET_KEY"], {
        env: env({ COHORT_HARDHAT_KEYSTORE_PASSWORD: password }),
      });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.details).to.contain("SEPOLIA_PRIVATE_KEY, SEPOLIA_RPC_URL");
    });

    it("a secret that is not a private key is ConfigError naming the key, not the value", async function () {
      const run = await cli(["token", "mint", "1", "--hardhat-keystore", "SEPOLIA_RPC_URL"], {
        env: env({ COHORT_HARDHAT_KEYSTORE_PASSWORD: password }),
      });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.message).to.equal(
        "SEPOLIA_RPC_URL in the Hardhat keystore is not a 32-byte hex private key",
      );
    });

    it("a malformed key name is ConfigError; a missing keystore file too", async function () {
      expectFailure(await cli(["token", "mint", "1", "--hardhat-keystore", "1-BAD"], { env: env() }), 2, "ConfigError");
      const run = await cli(["token", "mint", "1", "--hardhat-keystore", "SEPOLIA_PRIVATE_KEY"], {
        env: { COHORT_HARDHAT_KEYSTORE_FILE: join(dir, "none.json"), COHORT_HARDHAT_KEYSTORE_PASSWORD: password },
      });
      expectFailure(run, 2, "ConfigError");
      expect(run.doc.error!.message).to.contain("No Hardhat keystore");
    });
  });
});
