import { hexlify } from "ethers";

import { uintArg } from "../../internal/validate.js";
import { type GameClient, type GameWriteResult, gameTarget } from "../client.js";
import { Side } from "../plan.js";
import { writeContract } from "../../internal/write.js";

export interface ProveReturnType extends GameWriteResult {
  winner: Side;
}

export type ProveErrorType =
  | "BisectionGameNotAtOneStep"
  | "BisectionGameClockExpired"
  | "BisectionGameAlreadyResolved"
  | "StepVerifierPreStateMismatch";

/** Runs the one disputed step on-chain from the agreed state's bytes (`BisectionGame.prove`; anyone). */
export async function prove(
  client: GameClient,
  params: { gameId: bigint; preState: Uint8Array },
): Promise<ProveReturnType> {
  const result = await writeContract<bigint>(client.cohort, gameTarget(client), "prove", [
    uintArg("gameId", params.gameId, 1n),
    hexlify(params.preState),
  ]);
  return { ...result, winner: Number(result.returnValue) as Side };
}
