import { readFileSync } from "node:fs";

import { getAddress, getBytes, isHexString, parseUnits } from "ethers";

import { InvalidArgumentError } from "../errors/base.js";

/**
 * Parsers for command-line values. Each throws `InvalidArgumentError` naming the option, so that bad input stops
 * the run with exit code 2 before a connection is made or anything is sent.
 */

/** A token amount as typed: whole tokens with decimals (`100`, `2.5`) or, with `--wei`, the raw integer. */
export interface AmountArg {
  readonly text: string;
  readonly wei: boolean;
  /** The amount in the token's smallest unit. */
  toUnits(decimals: number): bigint;
}

export function amountArg(name: string, text: string, wei: boolean, options: { allowZero?: boolean } = {}): AmountArg {
  const trimmed = text.trim();
  const pattern = wei ? /^[0-9]+$/ : /^[0-9]+(\.[0-9]+)?$/;
  if (!pattern.test(trimmed)) {
    throw new InvalidArgumentError(
      name,
      wei
        ? `expected a whole number of base units, got "${text}"`
        : `expected a token amount such as 100 or 2.5, got "${text}"`,
      { meta: { value: text } },
    );
  }
  const check = (units: bigint): bigint => {
    if (units === 0n && options.allowZero !== true) {
      throw new InvalidArgumentError(name, "must be more than zero", { meta: { value: text } });
    }
    if (units >= 1n << 256n) throw new InvalidArgumentError(name, "too large for a uint256", { meta: { value: text } });
    return units;
  };
  return {
    text: trimmed,
    wei,
    toUnits(decimals: number): bigint {
      if (wei) return check(BigInt(trimmed));
      const fraction = trimmed.split(".")[1] ?? "";
      if (fraction.length > decimals) {
        throw new InvalidArgumentError(name, `${text} has more than the token's ${decimals} decimals`, {
          meta: { value: text, decimals },
        });
      }
      return check(parseUnits(trimmed, decimals));
    },
  };
}

/** A non-negative integer option within `[min, max]`. */
export function uintArg(name: string, text: string, min = 0n, max = (1n << 256n) - 1n): bigint {
  if (!/^[0-9]+$/.test(text.trim())) {
    throw new InvalidArgumentError(name, `expected a whole number, got "${text}"`, { meta: { value: text } });
  }
  const value = BigInt(text.trim());
  if (value < min || value > max) {
    throw new InvalidArgumentError(name, `${value} is outside [${min}, ${max}]`, { meta: { value, min, max } });
  }
  return value;
}

/** A task id: 1 or more. */
export function taskIdArg(text: string): bigint {
  return uintArg("taskId", text, 1n);
}

export function addressArg(name: string, text: string): string {
  try {
    return getAddress(text.trim());
  } catch {
    throw new InvalidArgumentError(name, `expected a 0x-prefixed 20-byte address, got "${text}"`, {
      meta: { value: text },
    });
  }
}

export function bytes32Arg(name: string, text: string): string {
  if (!isHexString(text.trim(), 32)) {
    throw new InvalidArgumentError(name, `expected a 0x-prefixed 32-byte hex value, got "${text}"`, {
      meta: { value: text },
    });
  }
  return text.trim().toLowerCase();
}

/** 0x-prefixed hex bytes of any length (an even number of digits). */
export function hexArg(name: string, text: string): Uint8Array {
  const trimmed = text.trim();
  if (!isHexString(trimmed) || trimmed.length % 2 !== 0) {
    throw new InvalidArgumentError(name, `expected 0x-prefixed hex bytes (an even number of digits), got "${text}"`, {
      meta: { value: text },
    });
  }
  return getBytes(trimmed);
}

/** A file's bytes; a missing or unreadable file names the option. */
export function fileArg(name: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InvalidArgumentError(name, code === "ENOENT" ? `no file ${path}` : `cannot read ${path} (${code})`, {
      meta: { path },
    });
  }
}

/** One of the given choices. */
export function choiceArg<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(name, `expected one of ${choices.join(", ")}, got "${text}"`, {
      meta: { value: text, choices },
    });
  }
  return text as T;
}
