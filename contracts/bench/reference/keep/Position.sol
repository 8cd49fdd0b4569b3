// SPDX-License-Identifier: ISC
// BENCH-ONLY REFERENCE CODE: not part of the protocol, deployed only by the gas benchmark (bench/reference-trees.ts).
// Upstream: https://github.com/keep-network/sortition-pools, contracts/Position.sol
//   at commit e900fb8a26fb0b01a3fff89f12cdee69b6fd3b52.
// License: the upstream files carry no SPDX line and the repository no LICENSE file; its package.json declares
//   "license": "ISC" (a permissive, MIT-equivalent licence), recorded in the SPDX line above.
// Changes from upstream: this header; `pragma solidity 0.8.17` relaxed to `^0.8.17` for our 0.8.30 compiler.
pragma solidity ^0.8.17;

import "./Constants.sol";

library Position {
  // Return the last 3 bits of a position number,
  // corresponding to its slot in its parent
  function slot(uint256 a) internal pure returns (uint256) {
    return a & Constants.SLOT_POINTER_MAX;
  }

  // Return the parent of a position number
  function parent(uint256 a) internal pure returns (uint256) {
    return a >> Constants.SLOT_BITS;
  }

  // Return the location of the child of a at the given slot
  function child(uint256 a, uint256 s) internal pure returns (uint256) {
    return (a << Constants.SLOT_BITS) | (s & Constants.SLOT_POINTER_MAX); // slot(s)
  }

  // Return the uint p as a flagged position uint:
  // the least significant 21 bits contain the position
  // and the 22nd bit is set as a flag
  // to distinguish the position 0x000000 from an empty field.
  function setFlag(uint256 p) internal pure returns (uint256) {
    return p | Constants.LEAF_FLAG;
  }

  // Turn a flagged position into an unflagged position
  // by removing the flag at the 22nd least significant bit.
  //
  // We shouldn't _actually_ need this
  // as all position-manipulating code should ignore non-position bits anyway
  // but it's cheap to call so might as well do it.
  function unsetFlag(uint256 p) internal pure returns (uint256) {
    return p & (~Constants.LEAF_FLAG);
  }
}
