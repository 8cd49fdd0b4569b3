import { decodeBytes32String } from "ethers";

import {
  blockhashRandomnessAbi,
  securityPoolAbi,
  taskManagerAbi,
  testTokenAbi,
  vrfRandomnessAbi,
} from "../abi/index.js";
import { CohortError } from "../errors/base.js";
import { ContractRevertError } from "../errors/contract.js";
import { ChallengeOutcome, NoQuorumRule, Phase, RandomnessStatus, RecordStatus, TaskState, nameOf } from "../types.js";
import { exitCodeOf } from "./exit-codes.js";

/** The Solidity enums by their ABI `internalType`, so an enum argument of a custom error prints as its member. */
const ENUMS: Record<string, Record<string, number>> = {
  "enum ITaskManagerTypes.Phase": Phase,
  "enum ITaskManagerTypes.RecordStatus": RecordStatus,
  "enum ITaskManagerTypes.TaskState": TaskState,
  "enum ITaskManagerTypes.NoQuorumRule": NoQuorumRule,
  "enum ITaskManagerTypes.ChallengeOutcome": ChallengeOutcome,
  "enum IRandomnessSourceTypes.Status": RandomnessStatus,
};

/** Arguments the ABI types as plain integers that hold an enum all the same (`uint8 status` is a randomness status). */
const UNTYPED_ENUMS: Record<string, Record<string, number>> = {
  "TaskManagerSeedNotReady.status": RandomnessStatus,
};

interface AbiInput {
  readonly name: string;
  readonly type: string;
  readonly internalType?: string;
}

/** Every custom error of every Cohort contract: its parameters with their types. */
const ERROR_INPUTS: Map<string, readonly AbiInput[]> = new Map(
  [securityPoolAbi, taskManagerAbi, blockhashRandomnessAbi, vrfRandomnessAbi, testTokenAbi]
    .flatMap((abi) => abi as readonly { type: string; name?: string; inputs?: readonly AbiInput[] }[])
    .filter((item) => item.type === "error" && item.name !== undefined)
    .map((item) => [item.name as string, item.inputs ?? []]),
);

/**
 * The arguments of a decoded revert as a person reads them: enum values by member name (`Challengeable` for 6) and
 * bytes32 parameter names as text (`seats`). Only arguments that gain something are listed.
 */
export function readableArgs(errorName: string, args: Record<string, unknown>): Record<string, string> {
  const inputs = ERROR_INPUTS.get(errorName) ?? [];
  const out: Record<string, string> = {};
  for (const input of inputs) {
    const value = args[input.name];
    const enumObject = ENUMS[input.internalType ?? ""] ?? UNTYPED_ENUMS[`${errorName}.${input.name}`];
    if (enumObject !== undefined && (typeof value === "bigint" || typeof value === "number")) {
      out[input.name] = nameOf(enumObject, value);
    } else if (input.type === "bytes32" && input.name === "name" && typeof value === "string") {
      try {
        out[input.name] = decodeBytes32String(value);
      } catch {
        // Not a short string: the hex stands.
      }
    }
  }
  return out;
}

/** `TaskManagerWrongPhase(1, Challengeable(6), AwaitingFinalization(7))`. */
export function readableReason(error: ContractRevertError): string {
  const names = readableArgs(error.errorName, error.args);
  const parts = Object.entries(error.args).map(([key, value]) => {
    const shown = typeof value === "bigint" ? value.toString() : String(value);
    const name = names[key];
    if (name === undefined) return shown;
    return /^0x/.test(shown) ? `"${name}"` : `${name}(${shown})`;
  });
  return `${error.errorName}(${parts.join(", ")})`;
}

/** The `error` member of a failed run's JSON document, and the lines a person reads on stderr. */
export function describeError(error: unknown): { json: Record<string, unknown>; human: string } {
  const exitCode = exitCodeOf(error);
  if (error instanceof ContractRevertError) {
    const readable = readableReason(error);
    const message = `${error.functionName ?? "The call"} reverted: ${readable}`;
    return {
      json: {
        ...spreadMeta(error.meta),
        name: error.name,
        message,
        details: error.details,
        exitCode,
        errorName: error.errorName,
        args: error.args,
        argNames: readableArgs(error.errorName, error.args),
        reason: error.reason,
        transactionHash: error.transactionHash,
      },
      human: withDetails(`error: ${message}`, error.details),
    };
  }
  if (error instanceof CohortError) {
    return {
      json: {
        ...spreadMeta(error.meta),
        name: error.name,
        message: error.shortMessage,
        details: error.details,
        exitCode,
      },
      human: withDetails(`error: ${error.shortMessage}`, error.details),
    };
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return {
    // The stack of an error the CLI has no name for is what a bug report needs.
    json: { name: plain.name, message: plain.message, exitCode, stack: plain.stack },
    human: `error: ${plain.message}`,
  };
}

const RESERVED = new Set(["name", "message", "details", "exitCode"]);

/** An error's structured values beside its name and message; a value whose key they take moves under `meta`. */
function spreadMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  const clashing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) (RESERVED.has(key) ? clashing : top)[key] = value;
  return Object.keys(clashing).length === 0 ? top : { ...top, meta: clashing };
}

function withDetails(line: string, details: string | undefined): string {
  return details === undefined ? line : `${line}\n  ${details}`;
}
