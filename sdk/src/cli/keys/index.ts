import { Wallet, isHexString } from "ethers";

import { ConfigError } from "../../errors/base.js";
import { ENV, type CliConfig, type Secrets } from "../config.js";
import type { Sink } from "../output.js";
import { hardhatKeystorePath, readHardhatSecret } from "./hardhat-keystore.js";
import { decryptKeystore, keystoreAddress, readKeystoreFile } from "./keystore-file.js";
import { promptSecret, type Source } from "./prompt.js";

/** Where the signing key comes from. Never the command line: a key there ends up in shell histories and `ps`. */
export type KeySource =
  | { kind: "env" }
  | { kind: "keystore"; file: string }
  | { kind: "hardhat-keystore"; key: string; file: string | undefined };

/** The one key source the configuration names, or undefined for a read-only run; two at once are ambiguous. */
export function keySourceOf(config: CliConfig, secrets: Secrets): KeySource | undefined {
  const sources: KeySource[] = [];
  if (secrets.privateKey !== undefined) sources.push({ kind: "env" });
  if (config.keystore !== undefined) sources.push({ kind: "keystore", file: config.keystore });
  if (config.hardhatKeystore !== undefined) {
    sources.push({ kind: "hardhat-keystore", key: config.hardhatKeystore, file: config.hardhatKeystoreFile });
  }
  if (sources.length > 1) {
    throw new ConfigError("Several key sources are set", {
      details: `use one of ${ENV.privateKey}, --keystore / ${ENV.keystore}, --hardhat-keystore / ${ENV.hardhatKeystore}`,
      meta: { sources: sources.map((s) => s.kind) },
    });
  }
  return sources[0];
}

export interface KeyIo {
  stdin: Source | undefined;
  stderr: Sink;
}

/** The signer of the key source (decrypting a keystore, asking for its password on the terminal if need be). */
export async function loadSigner(source: KeySource, secrets: Secrets, io: KeyIo): Promise<Wallet> {
  switch (source.kind) {
    case "env":
      return walletFromKey(secrets.privateKey ?? "", ENV.privateKey);
    case "keystore": {
      const json = readKeystoreFile(source.file);
      const password =
        secrets.keystorePassword ?? (await promptSecret(io, `Password for ${source.file}: `, ENV.keystorePassword));
      return await decryptKeystore(json, password, source.file);
    }
    case "hardhat-keystore": {
      const path = await hardhatKeystorePath(source.file);
      const password =
        secrets.hardhatKeystorePassword ??
        (await promptSecret(io, "Hardhat keystore password: ", ENV.hardhatKeystorePassword));
      const value = await readHardhatSecret(path, source.key, password);
      return walletFromKey(value, `${source.key} in the Hardhat keystore`);
    }
  }
}

/** The key source's address when it is known without a password (a JSON keystore states it), else undefined. */
export function addressWithoutSecret(source: KeySource, secrets: Secrets): string | undefined {
  if (source.kind === "env") return walletFromKey(secrets.privateKey ?? "", ENV.privateKey).address;
  if (source.kind === "keystore") return keystoreAddress(readKeystoreFile(source.file));
  return undefined;
}

/** A wallet from a hex private key; the error names where the key came from, never the key. */
function walletFromKey(key: string, where: string): Wallet {
  const hex = key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`;
  if (!isHexString(hex, 32)) throw new ConfigError(`${where} is not a 32-byte hex private key`);
  try {
    return new Wallet(hex);
  } catch {
    throw new ConfigError(`${where} is not a valid secp256k1 private key`);
  }
}
