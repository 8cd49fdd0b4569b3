import type { Register } from "../program.js";
import { registerAgents } from "./agents.js";
import { registerPool } from "./pool.js";
import { registerProgram } from "./program.js";
import { registerResult } from "./result.js";
import { registerRewards } from "./rewards.js";
import { registerSecurity } from "./security.js";
import { registerStake } from "./stake.js";
import { registerTask } from "./task.js";
import { registerToken } from "./token.js";

/** The command groups, in the order `cohort --help` lists them. */
export const COMMAND_GROUPS: Register[] = [
  registerPool,
  registerStake,
  registerTask,
  registerResult,
  registerRewards,
  registerProgram,
  registerSecurity,
  registerToken,
  registerAgents,
];
