import { getAddress, isHexString } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";

/** A non-negative integer argument (a number, a bigint or a decimal string) as a bigint, within `[min, max]`. */
export function uintArg(name: string, value: unknown, min = 0n, max = (1n << 256n) - 1n): bigint {
  let n: bigint;
  if (typeof value === "bigint") n = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === "string" && /^[0-9]+$/.test(value.trim())) n = BigInt(value.trim());
  else
    throw new InvalidArgumentError(name, `expected a non-negative integer, got ${String(value)}`, {
      meta: { value: String(value) },
    });
  if (n < min || n > max) {
    throw new InvalidArgumentError(name, `${n} is outside [${min}, ${max}]`, { meta: { value: n, min, max } });
  }
  return n;
}

/** A 32-byte hex value. */
export function bytes32Arg(name: string, value: unknown): string {
  if (typeof value !== "string" || !isHexString(value, 32)) {
    throw new InvalidArgumentError(name, `expected a 0x-prefixed 32-byte hex value, got ${String(value)}`, {
      meta: { value: String(value) },
    });
  }
  return value.toLowerCase();
}

/** An address, checksummed. */
export function addressArg(name: string, value: unknown): string {
  try {
    if (typeof value !== "string") throw new Error("not a string");
    return getAddress(value);
  } catch {
    throw new InvalidArgumentError(name, `expected an address, got ${String(value)}`, {
      meta: { value: String(value) },
    });
  }
}
