/**
 * The bisection game (docs/BisectionGame.md): traces and the move planner (pure), the game client, one action per
 * game function, and a player that plays a side to the end.
 */
export { particleTrace, type ParticleTraceOptions, type Trace } from "./trace.js";
export { deadlineOf, type GameView, maxMoves, midOf, type Plan, planMove, Resolution, Side } from "./plan.js";
export { createGameClient, type GameClient, NoBisectionGameError } from "./client.js";
export type { GameEvent, GameWriteResult } from "./write.js";
export * from "./actions/index.js";
export {
  GamePlayTimeoutError,
  playGame,
  type PlayGameParameters,
  type PlayGameReturnType,
  playOnce,
  type PlayerAction,
  type PlayOnceParameters,
  type PlayOnceReturnType,
} from "./player.js";
