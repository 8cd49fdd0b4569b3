import { InvalidArgumentError } from "../../errors/base.js";

/**
 * Big-endian writes into a growing buffer. Each write first checks that the number is an integer the field can hold:
 * DataView would otherwise wrap or truncate it silently and the bytes would describe a different state.
 */
export class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  u8(value: number, field: string): void {
    checkInteger(value, field, 0, 0xff);
    const at = this.reserve(1);
    this.view.setUint8(at, value);
  }

  u16(value: number, field: string): void {
    checkInteger(value, field, 0, 0xffff);
    const at = this.reserve(2);
    this.view.setUint16(at, value);
  }

  u32(value: number, field: string): void {
    checkInteger(value, field, 0, 0xffffffff);
    const at = this.reserve(4);
    this.view.setUint32(at, value);
  }

  i32(value: number, field: string): void {
    checkInteger(value, field, -0x80000000, 0x7fffffff);
    const at = this.reserve(4);
    this.view.setInt32(at, value);
  }

  raw(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.bytes.set(data, at);
  }

  /** The bytes written so far (a copy the caller owns). */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Room for `count` more bytes; callers take the offset before touching `view`, which growing replaces. */
  private reserve(count: number): number {
    const at = this.length;
    if (at + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + count));
      grown.set(this.bytes);
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += count;
    return at;
  }
}

function checkInteger(value: number, field: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, `${value} is not an integer in [${min}, ${max}]`, { meta: { value } });
  }
}
