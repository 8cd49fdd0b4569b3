/**
 * Number and text formatting for the report. Written by hand rather than with `toLocaleString`, whose output depends
 * on the ICU data of the Node build: the same record must give the same bytes everywhere.
 */

/** The demo's token (TestToken, an OpenZeppelin ERC20) has 18 decimals; the record holds base units. */
export const TOKEN_DECIMALS = 18;

/** Thousands separators on a decimal integer string ("-1234567" -> "-1,234,567"). */
export function groupDigits(integer: string): string {
  const negative = integer.startsWith("-");
  const digits = negative ? integer.slice(1) : integer;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

/** Base units as whole tokens with up to `decimals` decimals, rounded half up ("1500000000000000000" -> "1.5"). */
export function formatTokens(baseUnits: string, decimals = 2): string {
  const value = BigInt(baseUnits);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(TOKEN_DECIMALS - decimals);
  const rounded = (abs + scale / 2n) / scale;
  const unit = 10n ** BigInt(decimals);
  const whole = groupDigits((rounded / unit).toString());
  const fraction = (rounded % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  const sign = negative && rounded !== 0n ? "-" : "";
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Base units as a number of whole tokens, for chart geometry (precision beyond 2^53 does not matter there). */
export function tokensAsNumber(baseUnits: string): number {
  const value = BigInt(baseUnits);
  const unit = 10n ** BigInt(TOKEN_DECIMALS);
  return Number(value / unit) + Number(value % unit) / Number(unit);
}

/** A share in [0, 1] as a percentage with one decimal ("0.2034" -> "20.3%"). */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A decimal integer string (gas, counts) with separators. */
export function formatInteger(value: string | number): string {
  return groupDigits(typeof value === "number" ? Math.round(value).toString() : BigInt(value).toString());
}

/** "0x1234...abcd": enough of an address or hash to tell rows apart. */
export function shortHex(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}
