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
/** The bisection game: traces, the move planner, the game client and actions, the player. A namespace, as `particles`. */
export * as game from "./game/index.js";
export * from "./runtime/index.js";
export { deriveSalt } from "./internal/salt.js";
export type { DecodedEvent, WriteResult } from "./internal/write.js";
export * from "./types.js";
// The agents (docs/Agents.md): the worker and the watchtower, and the parts they are built from.
export { Agent, type AgentDeps } from "./agents/agent.js";
export {
  agentConfigSchema,
  workerConfigSchema,
  watchtowerConfigSchema,
  type AgentConfig,
  type AgentConfigInput,
  type WorkerConfig,
  type WorkerConfigInput,
  type WatchtowerConfig,
  type WatchtowerConfigInput,
} from "./agents/config.js";
export { wasmExecutor, type Executor } from "./agents/compute.js";
export type { StatusReport } from "./agents/health.js";
export { WorkerAgent } from "./worker/agent.js";
export { decideWorker, type WorkerAction, type WorkerDecision, type WorkerView } from "./worker/duties.js";
export { WatchtowerAgent } from "./watchtower/agent.js";
export { decideWatchtower, type WatchtowerAction, type WatchtowerDecision } from "./watchtower/duties.js";
export { AgentStore, type StoreIdentity, type StoredTx, type TxStatus } from "./store/index.js";
export { RpcTransport, type TransportOptions, type TransportStats } from "./rpc/transport.js";
export { ResilientProvider, JsonRpcCallError } from "./rpc/provider.js";
export { LogScanner, type LogScannerOptions, type RawLog } from "./rpc/scanner.js";
export { TxQueue, type TxQueueOptions, type TxRequest } from "./tx/queue.js";
export { FeePolicy, type FeePolicyOptions, type Fees, type Head } from "./tx/fees.js";
export {
  ComputeError,
  StoreError,
  StoreLockedError,
  StoreMismatchError,
  TxQueueFullError,
  UnknownProgramError,
} from "./errors/agent.js";
