// The SDK's public API. Everything under `internal/` is not part of it.
export * from "./actions/index.js";
export {
  createCohortClient,
  type CohortAddresses,
  type CohortClient,
  type CohortClientOptions,
} from "./client/create.js";
export { createCohort, withActions, type Cohort, type CohortActions } from "./client/decorate.js";
export { clientConfigSchema, KNOWN_NETWORKS, type ClientConfig, type ClientConfigInput } from "./config/schema.js";
export { DeploymentNotFoundError, readTaskManagerAddress } from "./config/deployment.js";
export * from "./errors/index.js";
export { NotAssignedError, ResultHashMismatchError, TaskManagerUnknownTaskError } from "./errors/task.js";
export * from "./domain/index.js";
/** The particle world (the first program): encoding, the reference tick, inputs. A namespace: its names are short. */
export * as particles from "./domain/particles/index.js";
export * from "./runtime/index.js";
export { deriveSalt } from "./internal/salt.js";
export type { DecodedEvent, WriteResult } from "./internal/write.js";
export * from "./types.js";
