import { describe, expect, it } from "vitest";
import { canonicalJson, chainedRowParams, GENESIS_HASH, linkHash, recordFromText } from "../../src/audit/chain.js";
import { AUDIT_COLUMNS } from "../../src/audit/audit-row.js";
import { auditRow } from "./fixtures.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: "é" }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}');
  });

  it("gives one text for the same value whatever order its keys were written in", () => {
    expect(canonicalJson(JSON.parse('{"x":1,"y":[{"q":2,"p":1}]}'))).toBe(canonicalJson(JSON.parse('{"y":[{"p":1,"q":2}],"x":1}')));
  });
});

describe("the row hash", () => {
  const createdAt = new Date("2025-03-01T12:00:00.000Z");
  const first = chainedRowParams(auditRow({ delivery_id: "d-1" }), createdAt, { seq: 0, hash: GENESIS_HASH });
  const stored = () => recordFromText(Object.fromEntries(AUDIT_COLUMNS.map((column, i) => [column, first.params[i]])));

  it("links the first row to the genesis hash as row 1, and is what the verifier recomputes from the stored row", () => {
    expect(first.link.seq).toBe(1);
    expect(first.params.slice(-3)).toEqual([1, GENESIS_HASH, first.link.hash]);
    expect(linkHash(stored(), 1, GENESIS_HASH)).toBe(first.link.hash);
  });

  it("leaves out the effect, which changes after the row is written", () => {
    expect(linkHash({ ...stored(), effect: { kind: "check_run", ok: false, error: "retrying" } }, 1, GENESIS_HASH)).toBe(first.link.hash);
  });

  it.each([
    ["decision", { decision: "deny" }],
    ["violations", { violations: [{ code: "x", msg: "y" }] }],
    ["input", { input: { approvals: [] } }],
    ["bundle digest", { bundle_digest: "sha256:other" }],
    ["time", { created_at: "2025-03-01T12:00:00.001Z" }],
  ])("changes when the %s changes", (_what, change) => {
    expect(linkHash({ ...stored(), ...change } as never, 1, GENESIS_HASH)).not.toBe(first.link.hash);
  });

  it("changes with the position and the previous hash", () => {
    expect(linkHash(stored(), 2, GENESIS_HASH)).not.toBe(first.link.hash);
    expect(linkHash(stored(), 1, "f".repeat(64))).not.toBe(first.link.hash);
  });
});
