// SPDX-License-Identifier: ISC
// BENCH-ONLY REFERENCE CODE: not part of the protocol, deployed only by the gas benchmark (bench/reference-trees.ts).
// Upstream: https://github.com/keep-network/sortition-pools, contracts/Constants.sol
//   at commit a41007f4c818864cdca0b6a6446424c071157ced.
// License: the upstream files carry no SPDX line and the repository no LICENSE file; its package.json declares
//   "license": "ISC" (a permissive, MIT-equivalent licence), recorded in the SPDX line above.
// Changes from upstream: this header; `pragma solidity 0.8.17` relaxed to `^0.8.17` for our 0.8.30 compiler.
pragma solidity ^0.8.17;

library Constants {
  ////////////////////////////////////////////////////////////////////////////
  // Parameters for configuration

  // How many bits a position uses per level of the tree;
  // each branch of the tree contains 2**SLOT_BITS slots.
  uint256 constant SLOT_BITS = 3;
  uint256 constant LEVELS = 7;
  ////////////////////////////////////////////////////////////////////////////

  ////////////////////////////////////////////////////////////////////////////
  // Derived constants, do not touch
  uint256 constant SLOT_COUNT = 2**SLOT_BITS;
  uint256 constant SLOT_WIDTH = 256 / SLOT_COUNT;
  uint256 constant LAST_SLOT = SLOT_COUNT - 1;
  uint256 constant SLOT_MAX = (2**SLOT_WIDTH) - 1;
  uint256 constant POOL_CAPACITY = SLOT_COUNT**LEVELS;

  uint256 constant ID_WIDTH = SLOT_WIDTH;
  uint256 constant ID_MAX = SLOT_MAX;

  uint256 constant BLOCKHEIGHT_WIDTH = 96 - ID_WIDTH;
  uint256 constant BLOCKHEIGHT_MAX = (2**BLOCKHEIGHT_WIDTH) - 1;

  uint256 constant SLOT_POINTER_MAX = (2**SLOT_BITS) - 1;
  uint256 constant LEAF_FLAG = 1 << 255;

  uint256 constant WEIGHT_WIDTH = 256 / SLOT_COUNT;
  ////////////////////////////////////////////////////////////////////////////
}
