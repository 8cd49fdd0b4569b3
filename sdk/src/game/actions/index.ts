export * from "./challengeByGame.js";
export * from "./defendGame.js";
export * from "./settleGame.js";
export * from "./reads.js";
export * from "./move.js";
export * from "./prove.js";
export * from "./timeoutGame.js";
