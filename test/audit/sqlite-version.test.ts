import { describe, expect, it } from "vitest";
import { assertSupportedSqlite, compareVersions } from "../../src/audit/sqlite-version.js";

describe("compareVersions", () => {
  it.each([
    ["3.51.3", "3.51.3", 0],
    ["3.51.2", "3.51.3", -1],
    ["3.52.0", "3.51.3", 1],
    ["3.9.0", "3.10.0", -1],
    ["4.0", "3.99.99", 1],
    ["3.51", "3.51.0", 0],
  ] as const)("orders %s against %s as %i", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it("refuses something that is not a version", () => {
    expect(() => compareVersions("3.51.x", "3.51.3")).toThrow(/not a version/);
  });
});

describe("assertSupportedSqlite", () => {
  it.each(["3.51.3", "3.52.0", "3.53.2", "4.0.0"])("accepts SQLite %s", (version) => {
    expect(() => assertSupportedSqlite(version)).not.toThrow();
  });

  it.each(["3.51.2", "3.45.1", "3.9.9"])("refuses SQLite %s with a message that says what to do", (version) => {
    expect(() => assertSupportedSqlite(version)).toThrow(new RegExp(`SQLite is ${version.replace(/\./g, "\\.")}.*3\\.51\\.3.*DATABASE_URL`));
  });
});
