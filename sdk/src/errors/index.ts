export { CohortError, ConfigError, InvalidArgumentError, type CohortErrorOptions } from "./base.js";
export { ContractRevertError, NoSignerError, TransactionError } from "./contract.js";
export { RpcError } from "./rpc.js";
export { toCohortError } from "./decode.js";
