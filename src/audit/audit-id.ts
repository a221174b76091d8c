// Audit ids are ULIDs: 26 Crockford base32 characters, 48-bit millisecond time then 80 random bits.
// They sort like the rows' creation order, so they make a stable tie breaker for keyset pagination.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const AUDIT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: Uint8Array = new Uint8Array(10);

/** A new id for a row created at `time`; ids made in the same millisecond still increase. */
export function newAuditId(time: Date): string {
  const ms = time.getTime();
  if (ms === lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = ms;
    lastRandom = new Uint8Array(randomBytes(10));
  }
  return encodeTime(ms) + encodeRandom(lastRandom);
}

export function isAuditId(value: string): boolean {
  return AUDIT_ID.test(value);
}

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 255) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  // 2^80 ids in one millisecond cannot happen; wrapping would break ordering, so start fresh instead.
  return new Uint8Array(randomBytes(10));
}
