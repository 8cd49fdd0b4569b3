import { bytes32Arg, uintArg } from "../../internal/validate.js";
import { type GameClient, type GameWriteResult, gameTarget } from "../client.js";
import { writeContract } from "../../internal/write.js";

export interface MoveParameters {
  gameId: bigint;
  /** The mover's hash at the mid the other side posted at (or, on the first move, its first hash). */
  answer: string;
  /** Its hash at the new mid, or the zero hash when one step is left and on the first move. */
  next: string;
}

export type MoveErrorType =
  | "BisectionGameNotYourTurn"
  | "BisectionGameClockExpired"
  | "BisectionGameWrongMoveShape"
  | "BisectionGameAtOneStep"
  | "BisectionGameAlreadyResolved";

/** A bisection move (`BisectionGame.move`); `planMove` computes it from a trace. */
export async function move(client: GameClient, params: MoveParameters): Promise<GameWriteResult> {
  return await writeContract(client.cohort, gameTarget(client), "move", [
    uintArg("gameId", params.gameId, 1n),
    bytes32Arg("answer", params.answer),
    bytes32Arg("next", params.next),
  ]);
}
