import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

import { z } from "zod";

import { ConfigError } from "../../errors/base.js";

/**
 * Reading a secret from the Hardhat 3 keystore (`npx hardhat keystore set SEPOLIA_PRIVATE_KEY`) outside Hardhat.
 *
 * The plugin exports no API for this: its package `exports` map lists only the plugin entry, so `import` of its
 * encryption module by package path fails with ERR_PACKAGE_PATH_NOT_EXPORTED. The exports map binds bare specifiers
 * only, not file URLs, so the module is imported by absolute path: the package's own `package.json` (which the map
 * does export) locates the package, and its `dist/src/internal/keystores/encryption.js` holds the primitives the
 * plugin itself uses. Using those rather than a re-implementation keeps the key derivation (scrypt), the HMAC check
 * and the cipher (AES-GCM-SIV) exactly the plugin's. Being internal, the module may move in a later release; a
 * missing file or function is then a named error here, not a crash. The plugin is a development dependency (it
 * comes with the Hardhat toolbox), so this key source works where the repository's dependencies are installed.
 */

const PACKAGE = "@nomicfoundation/hardhat-keystore";

/** The encryption primitives this file and the tests use (`encryption.js`'s exports, typed loosely). */
export interface KeystoreEncryption {
  deriveMasterKeyFromKeystore(a: { password: string; encryptedKeystore: HardhatKeystoreFile }): Uint8Array;
  validateHmac(a: { masterKey: Uint8Array; encryptedKeystore: HardhatKeystoreFile }): void;
  decryptSecret(a: { masterKey: Uint8Array; encryptedKeystore: HardhatKeystoreFile; key: string }): string;
  createMasterKey(a: { password: string }): { salt: Uint8Array; masterKey: Uint8Array };
  createEmptyEncryptedKeystore(a: { masterKey: Uint8Array; salt: Uint8Array }): HardhatKeystoreFile;
  addSecretToKeystore(a: {
    masterKey: Uint8Array;
    encryptedKeystore: HardhatKeystoreFile;
    key: string;
    value: string;
  }): HardhatKeystoreFile;
}

const keystoreFileSchema = z.looseObject({
  version: z.literal("hardhat-v3-keystore-1"),
  crypto: z.looseObject({ masterKeyDerivation: z.looseObject({ salt: z.string() }) }),
  dataEncryptionKey: z.looseObject({ iv: z.string(), cypherText: z.string() }),
  hmacKey: z.looseObject({ iv: z.string(), cypherText: z.string() }),
  hmac: z.string(),
  secrets: z.record(z.string(), z.looseObject({ iv: z.string(), cypherText: z.string() })),
});

export type HardhatKeystoreFile = z.infer<typeof keystoreFileSchema>;

const FUNCTIONS = [
  "deriveMasterKeyFromKeystore",
  "validateHmac",
  "decryptSecret",
  "createMasterKey",
  "createEmptyEncryptedKeystore",
  "addSecretToKeystore",
] as const;

function packageDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch (error) {
    throw new ConfigError(`The Hardhat keystore plugin (${PACKAGE}) is not installed`, {
      details: "install the repository's dependencies (npm ci), or use COHORT_PRIVATE_KEY or --keystore",
      cause: error,
    });
  }
}

/** The plugin's encryption module, imported by file URL (see the note at the top of this file). */
export async function loadKeystoreEncryption(): Promise<KeystoreEncryption> {
  const file = join(packageDir(), "dist", "src", "internal", "keystores", "encryption.js");
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Cannot load the Hardhat keystore's encryption module ${file}`, {
      details: "the plugin's internal layout changed: use COHORT_PRIVATE_KEY or --keystore",
      cause: error,
    });
  }
  const missing = FUNCTIONS.filter((name) => typeof module[name] !== "function");
  if (missing.length > 0) {
    throw new ConfigError(`The Hardhat keystore's encryption module lacks ${missing.join(", ")}`, {
      details: "the plugin's internal API changed: use COHORT_PRIVATE_KEY or --keystore",
    });
  }
  return module as unknown as KeystoreEncryption;
}

/**
 * Where Hardhat keeps the keystore: `<Hardhat config dir>/keystore.json`, the directory from hardhat-utils'
 * `getConfigDir` (resolved from the plugin's own dependencies, as the plugin resolves it), unless `override` is set.
 */
export async function hardhatKeystorePath(override: string | undefined): Promise<string> {
  if (override !== undefined) return override;
  const from = createRequire(join(packageDir(), "package.json"));
  const globalDir = from.resolve("@nomicfoundation/hardhat-utils/global-dir");
  const { getConfigDir } = (await import(pathToFileURL(globalDir).href)) as { getConfigDir(): Promise<string> };
  return join(await getConfigDir(), "keystore.json");
}

/** Reads and checks the keystore file's shape (not its integrity: that needs the password). */
export function readHardhatKeystore(path: string): HardhatKeystoreFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ConfigError(`No Hardhat keystore at ${path}`, {
      details: "create one with `npx hardhat keystore set <KEY_NAME>`, or point COHORT_HARDHAT_KEYSTORE_FILE at it",
      meta: { path },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = keystoreFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${path} is not a Hardhat 3 keystore`, { meta: { path } });
  return parsed.data;
}

/** The secret `key` of the keystore at `path`: a wrong password or an unknown key is a named configuration error. */
export async function readHardhatSecret(path: string, key: string, password: string): Promise<string> {
  const keystore = readHardhatKeystore(path);
  if (!(key in keystore.secrets)) {
    const known = Object.keys(keystore.secrets);
    throw new ConfigError(`The Hardhat keystore has no key ${key}`, {
      details: known.length === 0 ? "it is empty" : `its keys: ${known.join(", ")}`,
      meta: { path, key },
    });
  }
  const encryption = await loadKeystoreEncryption();
  const masterKey = encryption.deriveMasterKeyFromKeystore({ password, encryptedKeystore: keystore });
  try {
    encryption.validateHmac({ masterKey, encryptedKeystore: keystore });
  } catch {
    throw new ConfigError(`Wrong password for the Hardhat keystore ${path} (or the file was altered)`, {
      meta: { path },
    });
  }
  return encryption.decryptSecret({ masterKey, encryptedKeystore: keystore, key });
}
