/**
 * The contracts' enums and structs as the SDK returns them (numbers for enums, bigints for amounts and block numbers).
 * They mirror `ITaskManagerTypes`, `ISecurityPoolTypes` and `IRandomnessSource` exactly; the names of enum members are
 * the Solidity ones, so a value prints as what the contract calls it.
 */

export const InputKind = { Inline: 0, Uri: 1 } as const;
export const NoQuorumRule = { Redraw: 0, Refund: 1 } as const;
export const TaskState = {
  None: 0,
  Drawing: 1,
  Committing: 2,
  Proposed: 3,
  Finalized: 4,
  Refunded: 5,
  Closing: 6,
  /** A bisection game decides a challenge of the proposed result (`sdk/src/game`). */
  Gaming: 7,
} as const;
export const Phase = {
  None: 0,
  AwaitingSeed: 1,
  Committing: 2,
  AwaitingReplacement: 3,
  Revealing: 4,
  AwaitingTally: 5,
  Challengeable: 6,
  AwaitingFinalization: 7,
  Finalized: 8,
  Refunded: 9,
  /** A bisection game is being played; once it ends anyone calls `settleGame`. */
  InGame: 10,
} as const;
export const RecordStatus = {
  None: 0,
  Assigned: 1,
  Declined: 2,
  Committed: 3,
  Revealed: 4,
  Replaced: 5,
  Absent: 6,
  Silent: 7,
  Released: 8,
  Won: 9,
  Lost: 10,
  Claimed: 11,
} as const;
export const ChallengeOutcome = { Pending: 0, Won: 1, Lost: 2, Refunded: 3 } as const;
export const RandomnessStatus = { None: 0, Armed: 1, Pending: 2, Ready: 3, Expired: 4 } as const;

/** The name of an enum value (`nameOf(Phase, 4)` is `"Revealing"`), or `Unknown(n)`. */
export function nameOf(enumObject: Record<string, number>, value: number | bigint): string {
  const n = Number(value);
  return Object.entries(enumObject).find(([, v]) => v === n)?.[0] ?? `Unknown(${n})`;
}

export interface TaskConfig {
  slashFractionBps: bigint;
  missedCommitPenaltyBps: bigint;
  missedRevealPenaltyBps: bigint;
  maxReplacementDraws: bigint;
  maxRedraws: bigint;
  maxEscalations: bigint;
  bountyBps: bigint;
  honestShareBps: bigint;
  challengeBondPerSeat: bigint;
  burnRemainder: boolean;
}

export interface TaskRequest {
  programId: string;
  inputHash: string;
  inputKind: number;
  input: string | Uint8Array;
  seats: bigint;
  quorum: bigint;
  reward: bigint;
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  valueAtRisk: bigint;
  noQuorumRule: number;
}

export interface TaskInfo {
  requester: string;
  programId: string;
  inputHash: string;
  state: bigint;
  noQuorumRule: bigint;
  seats: bigint;
  quorum: bigint;
  reward: bigint;
  valueAtRisk: bigint;
  seatBond: bigint;
  config: TaskConfig;
  commitBlocks: bigint;
  revealBlocks: bigint;
  challengeBlocks: bigint;
  round: bigint;
  escalations: bigint;
  maxEscalations: bigint;
  replacementDraws: bigint;
  requestId: bigint;
  pendingSeats: bigint;
  filledSeats: bigint;
  committedSeats: bigint;
  revealedSeats: bigint;
  recordCount: bigint;
  commitDeadline: bigint;
  revealDeadline: bigint;
  challengeDeadline: bigint;
  expiresAt: bigint;
  proposedResult: string;
  slashPot: bigint;
  rewardPerSeat: bigint;
  wrongSlashed: bigint;
  challengeBondFloor: bigint;
}

export interface RoundInfo {
  seats: bigint;
  quorum: bigint;
  recordCount: bigint;
  step: bigint;
}

export interface ChallengeInfo {
  challenger: string;
  bond: bigint;
  claimedResult: string;
  challengedRound: bigint;
  openedRound: bigint;
  outcome: bigint;
  bonusPerSeat: bigint;
  payout: bigint;
}

export interface SeatRecord {
  member: string;
  seats: bigint;
  status: bigint;
  sealedHash: string;
}

export interface Assignment {
  found: boolean;
  index: bigint;
  record: SeatRecord;
}

export interface ManagerTotals {
  escrowed: bigint;
  unclaimedRewards: bigint;
  credits: bigint;
}

export interface StakeInfo {
  active: bigint;
  locked: bigint;
  unbonding: bigint;
  unbondingEnd: bigint;
  seats: bigint;
  weight: bigint;
  targetWeight: bigint;
}

export interface PoolTotals {
  active: bigint;
  locked: bigint;
  unbonding: bigint;
  claimable: bigint;
  weight: bigint;
  stakers: bigint;
}

export interface PoolParameters {
  minStake: bigint;
  seatBond: bigint;
  unbondingPeriod: bigint;
  treasury: string;
}

export interface DrawWindow {
  epoch: bigint;
  start: bigint;
  end: bigint;
  frozen: boolean;
}
