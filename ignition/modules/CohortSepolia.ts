/**
 * Cohort on Sepolia: a mintable TestToken, the pool, VrfRandomness (Chainlink VRF v2.5) and the task manager, wired.
 * Parameters: `ignition/parameters/sepolia.json`, whose VRF subscription id is a placeholder to replace; after the
 * deployment, add `CohortSepolia#Randomness` as a consumer of the subscription (docs/Deployment.md).
 */
import { SEPOLIA_DEFAULTS, buildCohortModule } from "./core.ts";

export default buildCohortModule({
  moduleId: "CohortSepolia",
  token: "test",
  randomness: "vrf",
  defaults: SEPOLIA_DEFAULTS,
});
