import { CohortError, ConfigError, InvalidArgumentError } from "../errors/base.js";
import { ContractRevertError, NoSignerError, TransactionError } from "../errors/contract.js";
import {
  ExportSignatureError,
  FetchFailedError,
  FetchTimeoutError,
  FetchTooLargeError,
  ForbiddenImportError,
  HashMismatchError,
  MalformedProgramError,
  MissingExportError,
  MissingImportError,
} from "../errors/program.js";
import { StoreLockedError, StoreMismatchError } from "../errors/agent.js";
import { CommitteeTargetUnreachableError } from "../errors/domain.js";
import { RpcError } from "../errors/rpc.js";
import { NotAssignedError, ResultHashMismatchError, TaskManagerUnknownTaskError } from "../errors/task.js";
import { DeploymentNotFoundError } from "../config/deployment.js";
import { InterruptedError, MissingKeyError, UsageError } from "./errors.js";

/** The process exit codes, documented in `cohort --help` and docs/CLI.md. */
export const ExitCode = {
  Ok: 0,
  /** A bug or a failure the CLI has no name for. */
  Unexpected: 1,
  /** Bad usage, configuration or input, found before anything was sent. */
  Usage: 2,
  /** The chain refused: a decoded revert (also from the pre-flight simulation), or state that rules the call out. */
  Refused: 3,
  /** The node could not be reached or failed to answer. */
  Rpc: 4,
  /** SIGINT. */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Wrong regardless of the chain's state: a retry with the same input fails the same way. */
const USAGE_ERRORS = [
  UsageError,
  MissingKeyError,
  InvalidArgumentError,
  ConfigError,
  DeploymentNotFoundError,
  NoSignerError,
  ResultHashMismatchError,
  HashMismatchError,
  MalformedProgramError,
  ForbiddenImportError,
  MissingImportError,
  MissingExportError,
  ExportSignatureError,
  FetchTooLargeError,
  // An agent's store held by another process, or written for another chain or key: fixed by a --store path.
  StoreLockedError,
  StoreMismatchError,
  // No committee size meets the asked target: the inputs (share, target, size bound) must change.
  CommitteeTargetUnreachableError,
];

/** The chain's state rules the call out: what the contracts would revert with, or a pre-check of that state. */
const REFUSED_ERRORS = [ContractRevertError, TransactionError, TaskManagerUnknownTaskError, NotAssignedError];

/** The node or a remote source did not answer. */
const RPC_ERRORS = [RpcError, FetchFailedError, FetchTimeoutError];

/** Reading a local file failed for the file's own sake: bad input, not an unreachable source. */
const LOCAL_FILE_CODES = new Set(["ENOENT", "EACCES", "EISDIR", "ENOTDIR", "EPERM"]);

/** The exit code an error ends the process with. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof InterruptedError) return ExitCode.Interrupted;
  if (error instanceof FetchFailedError) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && LOCAL_FILE_CODES.has(code) ? ExitCode.Usage : ExitCode.Rpc;
  }
  if (USAGE_ERRORS.some((c) => error instanceof c)) return ExitCode.Usage;
  if (REFUSED_ERRORS.some((c) => error instanceof c)) return ExitCode.Refused;
  if (RPC_ERRORS.some((c) => error instanceof c)) return ExitCode.Rpc;
  // A plain CohortError may wrap one of the above (a provider error that ethers wrapped twice, say).
  if (error instanceof CohortError) {
    const inner = error.walk((e) => e !== error && e instanceof CohortError);
    if (inner !== undefined) return exitCodeOf(inner);
  }
  return ExitCode.Unexpected;
}

/** The exit-code table as `cohort --help` prints it. */
export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    unexpected error (a bug, or a failure the CLI has no name for)
  2    usage, configuration or input error, found before anything was sent: unknown command or option,
       bad amount, address or hash, unknown network, missing key or wrong password, no deployment, a file that
       is not a WebAssembly program, bytes that do not match their hash, a missing input file, an
       agent store in use by another process or written for another chain, task manager or key
  3    the chain refused: the decoded custom error of the simulation or the transaction, enum values by
       name, e.g. TaskManagerWrongPhase(1, Challengeable(6), AwaitingFinalization(7)); also an unknown task,
       no seat in the task, or a transaction the node would not take (funds for gas, nonce)
  4    RPC failure: the node (or an input URI's server) could not be reached or failed to answer
  130  interrupted (SIGINT)`;
