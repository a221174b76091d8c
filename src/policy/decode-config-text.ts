import { MAX_CONFIG_BYTES } from "./config-limits.js";
import type { ConfigError } from "./decision.js";

export type DecodedText = { ok: true; text: string } | { ok: false; errors: ConfigError[] };

/** Checks the size cap and decodes bytes as strict UTF-8, positioning the first bad byte. */
export function decodeConfigText(input: string | Uint8Array, file: string): DecodedText {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (size > MAX_CONFIG_BYTES) {
    const message =
      `file is ${size.toLocaleString("en-US")} bytes; repol config files may be at most ` +
      `${MAX_CONFIG_BYTES / 1024} KiB (${MAX_CONFIG_BYTES.toLocaleString("en-US")} bytes)`;
    return { ok: false, errors: [{ file, line: 1, column: 1, path: "", message }] };
  }
  if (typeof input === "string") return { ok: true, text: input };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(input) };
  } catch {
    return { ok: false, errors: [invalidUtf8Error(input, file)] };
  }
}

function invalidUtf8Error(bytes: Uint8Array, file: string): ConfigError {
  const looksUtf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (looksUtf16) {
    return { file, line: 1, column: 1, path: "", message: "file is encoded as UTF-16; save it as UTF-8" };
  }
  const offset = Math.max(0, firstInvalidUtf8Byte(bytes));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Columns count UTF-16 code units, as the YAML parser's positions do.
  const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
  const byte = bytes[offset] ?? 0;
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return { file, line, column, path: "", message: `file is not valid UTF-8: byte ${hex} cannot appear here; save the file as UTF-8` };
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range excludes overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}
