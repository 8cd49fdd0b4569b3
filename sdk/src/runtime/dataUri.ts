import { MalformedDataUriError } from "../errors/program.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The bytes of a data: URI (RFC 2397): `data:[<media type>][;base64],<data>`. A base64 payload must use the standard
 * alphabet with correct padding (Buffer would skip stray characters silently, and two spellings of one input would
 * then hash alike only by accident); any other payload is percent-decoded byte by byte, so %FF is the byte 0xff, not
 * a UTF-8 error.
 */
export function decodeDataUri(uri: string): Uint8Array {
  const comma = uri.indexOf(",");
  if (!uri.startsWith("data:") || comma < 0) throw new MalformedDataUriError("no comma after the media type");
  const meta = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  if (meta.toLowerCase().split(";").includes("base64")) {
    if (!BASE64.test(payload) || payload.length % 4 !== 0) throw new MalformedDataUriError("invalid base64 payload");
    return new Uint8Array(Buffer.from(payload, "base64"));
  }
  return percentDecode(payload);
}

function percentDecode(text: string): Uint8Array {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "%") {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new MalformedDataUriError(`bad percent escape at ${i}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const codePoint = text.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(char));
      i += char.length - 1;
    }
  }
  return new Uint8Array(bytes);
}
