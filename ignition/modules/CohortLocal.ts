/**
 * Cohort on a local node (`npx hardhat node`, chain 31337) or the in-process network: a mintable TestToken, the pool,
 * BlockhashRandomness and the task manager, wired. Parameters: `ignition/parameters/local.json` (the same values as
 * the defaults here); see docs/Deployment.md.
 */
import { LOCAL_DEFAULTS, buildCohortModule } from "./core.ts";

export default buildCohortModule({
  moduleId: "CohortLocal",
  token: "test",
  randomness: "blockhash",
  defaults: LOCAL_DEFAULTS,
});
