/**
 * `CohortSepolia` with a stake token that already exists (the `stakeToken` parameter) instead of a new TestToken. The
 * module id and the future ids are `CohortSepolia`'s, so the SDK's address book keys do not change; a deployment
 * cannot switch between the two variants (Ignition refuses the changed `StakeToken` future).
 */
import { SEPOLIA_DEFAULTS, buildCohortModule } from "./core.ts";

export default buildCohortModule({
  moduleId: "CohortSepolia",
  token: "existing",
  randomness: "vrf",
  defaults: SEPOLIA_DEFAULTS,
});
