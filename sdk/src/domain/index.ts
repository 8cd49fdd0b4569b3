/**
 * The pure domain layer: commitment hashing, reward and slash math, seat math, committee security, task inputs. No
 * network or file I/O; the reference model the tests and the vectors (test/vectors) share. The particle world's
 * reference (`./particles`) has its own barrel.
 */
export { computeCommitment, resultHashOf, type CommitmentFields } from "./commitment.js";
export {
  decodeTaskInput,
  encodeTaskInput,
  type DecodedTaskInput,
  type EncodedTaskInput,
  type TaskInput,
} from "./encoding.js";
export {
  BPS,
  bondSlash,
  corruptionCost,
  seatShare,
  settlementSplit,
  splitPot,
  type SettledChallenge,
  type SettlementInput,
  type SettlementSplit,
} from "./rewards.js";
export {
  MAX_ESCALATIONS,
  MAX_INPUT_BYTES,
  MAX_REDRAWS,
  MAX_REPLACEMENT_DRAWS,
  MAX_RESULT_BYTES,
  MAX_ROUND_SEATS,
  MAX_SEATS,
  MAX_WINDOW_BLOCKS,
  MIN_WINDOW_BLOCKS,
  challengeBondFloor,
  escalationLadder,
  escalationsFitting,
  lifeBound,
  seatCapacity,
  seatLock,
  strictMajority,
  type BondFloorInput,
  type LadderRound,
  type LifeBoundConfig,
  type LifeBoundRequest,
} from "./seats.js";
export {
  binomialPmf,
  binomialTail,
  binomialTailLog,
  committeeFailure,
  stepCaptured,
  suggestCommittee,
  wrongFinalAtP,
  type CommitteeSuggestion,
  type LadderStep,
  type SuggestCommitteeOptions,
} from "./security.js";
