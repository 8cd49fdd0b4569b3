import { readFileSync } from "node:fs";

import { Wallet, getAddress } from "ethers";

import { ConfigError } from "../../errors/base.js";

/** An encrypted JSON keystore (Web3 Secret Storage, as geth, Foundry's `cast wallet` and ethers write them). */
export function readKeystoreFile(file: string): string {
  let json: string;
  try {
    json = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read the keystore ${file}`, {
      details: (error as Error).message,
      meta: { keystore: file },
    });
  }
  if (!isKeystoreJson(json)) {
    throw new ConfigError(`${file} is not an encrypted JSON keystore`, { meta: { keystore: file } });
  }
  return json;
}

function isKeystoreJson(json: string): boolean {
  try {
    const parsed = JSON.parse(json) as { crypto?: unknown; Crypto?: unknown } | null;
    return typeof parsed === "object" && parsed !== null && (parsed.crypto ?? parsed.Crypto) !== undefined;
  } catch {
    return false;
  }
}

/** The keystore's address as its file states it, when it does: known without the password. */
export function keystoreAddress(json: string): string | undefined {
  const address = (JSON.parse(json) as { address?: unknown }).address;
  if (typeof address !== "string") return undefined;
  try {
    return getAddress(address.startsWith("0x") ? address : `0x${address}`);
  } catch {
    return undefined;
  }
}

/** Decrypts the keystore; a wrong password is a named configuration error. */
export async function decryptKeystore(json: string, password: string, file: string): Promise<Wallet> {
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    // `fromEncryptedJson` gives an HDNodeWallet for mnemonic keystores; only the key matters here.
    return new Wallet(wallet.privateKey);
  } catch (error) {
    const wrong = /incorrect password|invalid password/i.test((error as Error).message);
    throw new ConfigError(wrong ? `Wrong password for the keystore ${file}` : `Cannot decrypt the keystore ${file}`, {
      details: wrong ? undefined : (error as Error).message,
      meta: { keystore: file },
    });
  }
}
