import { TrailingBytesError, TruncatedStateError } from "../../errors/particles.js";

/** Big-endian reads over a byte string, refusing to read past its end (TruncatedStateError). */
export class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Checks that `count` more bytes exist; the decoder calls it once per fixed-size group, as the program does. */
  need(count: number): void {
    const have = this.bytes.length - this.offset;
    if (have < count) throw new TruncatedStateError(this.offset, count, have);
  }

  u8(): number {
    return this.view.getUint8(this.advance(1));
  }

  u16(): number {
    return this.view.getUint16(this.advance(2));
  }

  u32(): number {
    return this.view.getUint32(this.advance(4));
  }

  i32(): number {
    return this.view.getInt32(this.advance(4));
  }

  ascii(count: number): string {
    const start = this.advance(count);
    return String.fromCharCode(...this.bytes.subarray(start, start + count));
  }

  /** Refuses bytes after the last field. */
  end(): void {
    const trailing = this.bytes.length - this.offset;
    if (trailing > 0) throw new TrailingBytesError(trailing, this.bytes.length);
  }

  private advance(count: number): number {
    const at = this.offset;
    this.offset += count;
    return at;
  }
}
