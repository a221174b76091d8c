import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, InvalidCursorError } from "../../src/audit/cursor.js";
import { isAuditId, newAuditId } from "../../src/audit/audit-id.js";

describe("cursor", () => {
  it("decodes what it encodes", () => {
    const position = { created_at: "2025-03-01T12:00:00.123Z", id: newAuditId(new Date("2025-03-01T12:00:00.123Z")) };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  it.each([
    ["an empty string", ""],
    ["characters outside base64url", "abc+/="],
    ["base64 of something that is not JSON", Buffer.from("hello").toString("base64url")],
    ["a JSON object instead of a pair", b64({ created_at: "2025-03-01T12:00:00.000Z" })],
    ["a time without milliseconds", b64(["2025-03-01T12:00:00Z", "01JN0000000000000000000000"])],
    ["a time that is not a date", b64(["2025-13-45T99:00:00.000Z", "01JN0000000000000000000000"])],
    ["an id that is not a ULID", b64(["2025-03-01T12:00:00.000Z", "1 OR 1=1"])],
    ["an overlong token", "A".repeat(500)],
  ])("rejects %s", (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});

describe("audit ids", () => {
  it("are 26-character ULIDs that sort by time, also within one millisecond", () => {
    const t = new Date("2025-03-01T12:00:00.000Z");
    const ids = [newAuditId(t), newAuditId(t), newAuditId(t), newAuditId(new Date(t.getTime() + 1))];
    for (const id of ids) expect(isAuditId(id)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it("encode the creation time in their first ten characters", () => {
    const a = newAuditId(new Date("2020-01-01T00:00:00.000Z"));
    const b = newAuditId(new Date("2030-01-01T00:00:00.000Z"));
    expect(a.slice(0, 10) < b.slice(0, 10)).toBe(true);
    // 2^48 ms is in the year 10889: the leading character stays a digit for millennia.
    expect(a[0]).toBe("0");
  });
});
