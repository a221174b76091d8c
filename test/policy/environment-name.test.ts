import { describe, expect, it } from "vitest";
import { entryForEnvironment, environmentKey } from "../../src/policy/environment-name.js";

describe("environmentKey", () => {
  it.each([
    ["production", "Production"],
    ["PRODUCTION", "production"],
    ["Producción", "PRODUCCIÓN"],
  ])("gives %s and %s the same key", (a, b) => {
    expect(environmentKey(a)).toBe(environmentKey(b));
  });

  it("keeps different names apart", () => {
    expect(environmentKey("production")).not.toBe(environmentKey("produccion"));
  });
});

describe("entryForEnvironment", () => {
  it.each<{ entries: Record<string, number>; name: string; expected: number | undefined }>([
    { entries: { production: 1 }, name: "production", expected: 1 },
    { entries: { production: 1 }, name: "Production", expected: 1 },
    { entries: { Production: 1, staging: 2 }, name: "PRODUCTION", expected: 1 },
    { entries: { production: 1, Production: 2 }, name: "Production", expected: 2 },
    { entries: { production: 1, Production: 2 }, name: "PRODUCTION", expected: undefined },
    { entries: { production: 1 }, name: "prod", expected: undefined },
  ])("finds $name in $entries: $expected", ({ entries, name, expected }) => {
    expect(entryForEnvironment(entries, name)).toBe(expected);
  });

  it("never takes an inherited property for an environment", () => {
    expect(entryForEnvironment({}, "constructor")).toBeUndefined();
    expect(entryForEnvironment({}, "__proto__")).toBeUndefined();
  });
});
