import { CohortError, type CohortErrorOptions } from "./base.js";

/**
 * The node could not be reached or answered with an error that is not a revert: connection refused, timeout, a
 * server error, a rate limit. Told apart from `ContractRevertError`, which means the node answered and the contract
 * refused.
 */
export class RpcError extends CohortError {
  override name = "RpcError";
  /** ethers' error code (`NETWORK_ERROR`, `TIMEOUT`, `SERVER_ERROR`, ...) or the system's (`ECONNREFUSED`). */
  readonly code: string;
  readonly url: string | undefined;

  constructor(code: string, shortMessage: string, options: CohortErrorOptions & { url?: string } = {}) {
    super(shortMessage, { ...options, meta: { code, url: options.url, ...options.meta } });
    this.code = code;
    this.url = options.url;
  }
}
