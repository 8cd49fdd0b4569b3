import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// The compiler comes from the npm `solc` package: Hardhat cannot download compilers on machines without internet
// access beyond the npm registry, and a pinned package keeps every machine on the same bytecode.
const require = createRequire(import.meta.url);
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLC_PATH = require.resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: SOLC_PATH,
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "prague",
        },
      },
    },
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    solidity: {
      // The shared vectors (test/vectors/*.json) are read by test/Vectors.t.sol through `vm.readFile`; nothing else.
      fsPermissions: { readDirectory: ["test/vectors"] },
      fuzz: { runs: 256, seed: "0x636f686f7274" },
      invariant: { runs: 64, depth: 64, failOnRevert: false },
    },
    mocha: { timeout: 600_000 },
  },
  // hardhat-verify (`ignition deploy --verify`, `ignition verify <deployment-id>`) reads one Etherscan API key for every
  // chain (Etherscan's v2 API); it is resolved only when a verification runs, from the keystore or the environment.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // A `hardhat node` on another port: test/cli/e2e.test.ts starts one on a free port and deploys to it with
    // `ignition deploy --network nodeAtUrl`, passing its URL here.
    nodeAtUrl: { type: "http", chainType: "l1", url: process.env.COHORT_NODE_URL ?? "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
});
