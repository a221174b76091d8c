// The pagination cursor: an opaque base64url token of the last row's (created_at, id), so the next
// page continues with a keyset condition instead of OFFSET (stable while rows are inserted, and fast).
import { isAuditId } from "./audit-id.js";

export interface CursorPosition {
  created_at: string;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super("cursor is not one this API returned");
    this.name = "InvalidCursorError";
  }
}

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.created_at, position.id]), "utf8").toString("base64url");
}

/** Throws InvalidCursorError for anything encodeCursor could not have produced. */
export function decodeCursor(cursor: string): CursorPosition {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [createdAt, id] = parsed;
  if (typeof createdAt !== "string" || !ISO_UTC_MS.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidCursorError();
  }
  if (typeof id !== "string" || !isAuditId(id)) throw new InvalidCursorError();
  return { created_at: createdAt, id };
}
