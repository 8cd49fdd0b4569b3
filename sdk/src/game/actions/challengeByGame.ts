import { getBytes, hexlify } from "ethers";

import { approveFor } from "../../actions/approve.js";
import { InvalidArgumentError } from "../../errors/base.js";
import { readContract, toPlain } from "../../internal/read.js";
import { bytes32Arg, uintArg } from "../../internal/validate.js";
import { simulateContract, writeContract, type WriteResult } from "../../internal/write.js";
import type { GameClient } from "../client.js";

export interface ChallengeByGameParameters {
  taskId: bigint;
  /** The result hash the challenger claims (for the particle world: `particleTrace(input).hashAt(ticks)`). */
  claimedResult: string;
  /** The task's input bytes (an inline input's, or those behind its URI). */
  input: Uint8Array | string;
  /** Default: the task's game bond floor (`taskGameOf(taskId).gameBondFloor`). */
  bond?: bigint;
  /** Approve the manager for exactly the missing allowance for the bond, once only the allowance is missing. */
  approve?: boolean;
}

export interface ChallengeByGameReturnType extends WriteResult {
  /** The game challenge's number within the task (1 for its first game). */
  game: bigint;
  /** The game's id in the bisection game contract. */
  gameId: bigint;
  bond: bigint;
  approval: WriteResult | undefined;
}

export type ChallengeByGameErrorType =
  | "TaskManagerWrongPhase"
  | "TaskManagerGameUnavailable"
  | "TaskManagerNoGameLeft"
  | "TaskManagerChallengeWindowClosed"
  | "TaskManagerClaimNotDifferent"
  | "TaskManagerInputHashMismatch"
  | "TaskManagerChallengeBondTooLow"
  | "BisectionGameSameParty"
  | "ParticleStepVerifierRegionTooLarge";

/** Challenges the proposed result with a bisection game (`TaskManager.challengeByGame`). */
export async function challengeByGame(
  client: GameClient,
  params: ChallengeByGameParameters,
): Promise<ChallengeByGameReturnType> {
  const { cohort } = client;
  const taskId = uintArg("taskId", params.taskId, 1n);
  const claimedResult = bytes32Arg("claimedResult", params.claimedResult);
  let input: string;
  try {
    input = hexlify(getBytes(params.input));
  } catch (error) {
    throw new InvalidArgumentError("input", "not bytes or a hex string", { cause: error });
  }
  const bond =
    params.bond === undefined
      ? toPlain<{ gameBondFloor: bigint }>(await readContract(cohort, "manager", "taskGameOf", [taskId])).gameBondFloor
      : uintArg("bond", params.bond);
  const args = [taskId, claimedResult, bond, input];
  const approval = params.approve
    ? await approveFor(cohort, {
        spender: cohort.addresses.taskManager,
        amount: bond,
        functionName: "TaskManager.challengeByGame",
        simulate: () => simulateContract(cohort, "manager", "challengeByGame", args),
      })
    : undefined;
  const result = await writeContract<bigint>(cohort, "manager", "challengeByGame", args);
  const opened = result.events.find((e) => e.name === "GameChallenged");
  return { ...result, game: result.returnValue, gameId: opened?.args.gameId as bigint, bond, approval };
}
