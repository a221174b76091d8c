// GitHub measures check run output in bytes of UTF-8, so a cut by characters could still overflow
// (an emoji is 4 bytes) and a cut by bytes could split a character into an invalid sequence.

/** `text` unchanged when it fits in `maxBytes` of UTF-8; otherwise cut on a character boundary with a note appended. */
export function fitToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  const note = `\n\n---\n_Truncated: the full text is ${bytes.length.toLocaleString("en-US")} bytes and GitHub shows at most ${maxBytes.toLocaleString("en-US")}._`;
  const budget = maxBytes - Buffer.byteLength(note, "utf8");
  if (budget <= 0) return cutAtCharBoundary(Buffer.from(note, "utf8"), maxBytes);
  return cutAtCharBoundary(bytes, budget) + note;
}

function cutAtCharBoundary(bytes: Buffer, maxBytes: number): string {
  let end = Math.min(maxBytes, bytes.length);
  // A byte 10xxxxxx continues a multi-byte character; step back to the start of that character.
  while (end > 0 && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
