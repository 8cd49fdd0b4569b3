/** The bisection game (docs/BisectionGame.md): traces, the move planner. Pure: no I/O. */
export { particleTrace, type ParticleTraceOptions, type Trace } from "./trace.js";
export { deadlineOf, type GameView, maxMoves, midOf, type Plan, planMove, Resolution, Side } from "./plan.js";
