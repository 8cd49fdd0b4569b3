export { CohortError, ConfigError, InvalidArgumentError, type CohortErrorOptions } from "./base.js";
export { ContractRevertError, NoSignerError, TransactionError } from "./contract.js";
export {
  CommitteeTargetUnreachableError,
  DomainRevertError,
  PanicCode,
  PanicError,
  RewardMathExposureOverflowError,
  RewardMathFractionTooLargeError,
  RewardMathSeatsExceedTotalError,
  RewardMathZeroTotalSeatsError,
} from "./domain.js";
export { RpcError } from "./rpc.js";
export { toCohortError } from "./decode.js";
export * from "./program.js";
export * from "./particles.js";
