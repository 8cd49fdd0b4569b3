/**
 * The bisection game (docs/BisectionGame.md): traces and the move planner (pure), the game client, one action per
 * game function, and a player that plays a side to the end.
 */
export { particleTrace, type ParticleTraceOptions, type Trace } from "./trace.js";
export { deadlineOf, type GameView, maxMoves, midOf, type Plan, planMove, Resolution, Side } from "./plan.js";
export {
  createGameClient,
  type GameClient,
  type GameEvent,
  gameTarget,
  type GameWriteResult,
  NoBisectionGameError,
  withGameErrors,
} from "./client.js";
export * from "./actions/index.js";
export {
  GAME_RACE_ERRORS,
  type GameCall,
  gameCallOf,
  GamePlayTimeoutError,
  playGame,
  type PlayGameParameters,
  type PlayGameReturnType,
  playOnce,
  type PlayerAction,
  type PlayOnceParameters,
  type PlayOnceReturnType,
} from "./player.js";
