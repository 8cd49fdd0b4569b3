/**
 * Writes the shared test vectors, test/vectors/*.json, that both the SDK's domain layer (test/sdk/vectors.test.ts)
 * and the Solidity libraries (test/Vectors.t.sol) are checked against:
 *
 * - commitments.json: `Commitments.commitment` and `resultHashOf`, and the SDK's derived reveal salts;
 * - rewards.json: `RewardMath` (values and named reverts) and the final split of a task;
 * - seats.json: seat capacity, the escalation ladder, the challenge bond floor, the life bound;
 * - security.json: exact binomial tails and committee suggestions.
 *
 * Expected values are computed in `build/` from the definitions (NatSpec, docs/RewardMath.md), never through the SDK
 * or the contracts under test. The output is deterministic (a fixed seed, no clock, no network) and formatted with
 * the repository's prettier settings, so regenerating leaves the checked-in files unchanged; vectors.test.ts checks
 * exactly that.
 *
 * Run: npx tsx test/vectors/generate.ts           (writes the files)
 *      npx tsx test/vectors/generate.ts --check   (exits 1 if a checked-in file differs)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as prettier from "prettier";

import { commitmentVectors } from "./build/commitments.js";
import { Random } from "./build/random.js";
import { rewardVectors } from "./build/rewards.js";
import { seatVectors } from "./build/seats.js";
import { securityVectors } from "./build/security.js";

export const VECTORS_DIR = dirname(fileURLToPath(import.meta.url));

/** "cohort v1" as a number: changing it regenerates every random vector. */
const SEED = 0x636f686f72742031n;

/** Every vector file by name, as the text to write. */
export async function generateVectors(): Promise<Map<string, string>> {
  // One generator per file, so that adding vectors to one file leaves the others as they are.
  const files: [string, unknown][] = [
    ["commitments.json", await commitmentVectors(new Random(SEED + 1n))],
    ["rewards.json", rewardVectors(new Random(SEED + 2n))],
    ["seats.json", seatVectors(new Random(SEED + 3n))],
    ["security.json", securityVectors(new Random(SEED + 4n))],
  ];
  const out = new Map<string, string>();
  for (const [name, content] of files) {
    const path = join(VECTORS_DIR, name);
    const body = { generator: "test/vectors/generate.ts", ...(content as object) };
    const options = (await prettier.resolveConfig(path)) ?? {};
    out.set(name, await prettier.format(JSON.stringify(body), { ...options, filepath: path }));
  }
  return out;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [name, text] of await generateVectors()) {
    const path = join(VECTORS_DIR, name);
    if (!check) {
      writeFileSync(path, text);
      continue;
    }
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {
      // A missing file is stale.
    }
    if (current !== text) {
      console.error(`${name} is stale: run npx tsx test/vectors/generate.ts`);
      stale++;
    }
  }
  if (stale > 0) process.exit(1);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
