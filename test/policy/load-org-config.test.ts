import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../src/policy/decision.js";
import { parseOrgConfig, type OrgConfigResult } from "../../src/policy/load-org-config.js";

const now = new Date("2026-11-30T12:00:00Z");
const full = readFileSync(new URL("../fixtures/repol/org/org-full.yaml", import.meta.url), "utf8");
const brief = (e: ConfigError) => `${e.line}:${e.column} ${e.path || "-"} ${e.message}`;
const errorsOf = (result: OrgConfigResult): string[] => {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors.map(brief);
};
const exemption = (expires: string) =>
  `version: 1\nexemptions:\n  - repository: api\n    rules: [signed_off]\n    reason: r\n    owner: o\n    expires: "${expires}"\n`;

describe("parseOrgConfig", () => {
  it("accepts a file using every key and keeps its values", () => {
    const result = parseOrgConfig(full, { now });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.config.minimums?.deploy?.environments["prod*"]?.rules.approvals_required).toBe(2);
    expect(result.config.exemptions?.[0]?.owner).toBe("platform-team");
    expect(result.config.unconfigured_pull_requests).toBe("neutral");
  });

  it("defaults unconfigured_pull_requests to skip", () => {
    const result = parseOrgConfig("version: 1\n", { now });
    expect(result.ok && result.config.unconfigured_pull_requests).toBe("skip");
  });

  it("reports an unknown key with its line and column", () => {
    expect(errorsOf(parseOrgConfig("version: 1\nscope:\n  includes: [a]\n", { now }))).toEqual([
      "3:3 /scope/includes unknown key `includes` in `scope` — did you mean `include`?",
    ]);
  });

  it("refuses a format version it does not know", () => {
    expect(errorsOf(parseOrgConfig("version: 2\n", { now }))[0]).toMatch(/^1:10 \/version /);
  });

  it("explains a file that is not a mapping with a version key", () => {
    expect(errorsOf(parseOrgConfig("- a\n", { now }))[0]).toContain("the top level must be a mapping with a `version` key");
  });

  it("refuses an environment pattern outside the glob language, at its key", () => {
    const text = 'version: 1\nminimums:\n  deploy:\n    environments:\n      "prod{a,{b}}":\n        rules: {}\n';
    expect(errorsOf(parseOrgConfig(text, { now }))[0]).toMatch(/^5:7 \/minimums\/deploy\/environments\/prod\{a,\{b\}\} name pattern .*groups cannot be nested/);
  });

  it("refuses a repository pattern with an unclosed class", () => {
    expect(errorsOf(parseOrgConfig('version: 1\nscope:\n  exclude: ["a[b"]\n', { now }))[0]).toMatch(/^3:13 \/scope\/exclude\/0 .*never closed/);
  });

  it("refuses an exemption for a rule repol does not know", () => {
    const text = exemption("2027-01-01").replace("[signed_off]", "[signed_of]");
    expect(errorsOf(parseOrgConfig(text, { now }))[0]).toMatch(/^4:13 \/exemptions\/0\/rules\/0 unknown rule `signed_of`/);
  });

  it("accepts an exemption for a custom rule package", () => {
    expect(parseOrgConfig(exemption("2027-01-01").replace("[signed_off]", "[repol.pullrequest.labels]"), { now }).ok).toBe(true);
  });

  it.each([
    ["2027-11-30", true],
    ["2027-12-01", false],
  ])("judges expiry %s against a year from now: accepted %s", (expires, accepted) => {
    const result = parseOrgConfig(exemption(expires), { now });
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.errors[0]?.message).toContain("more than one year ahead");
  });

  it("judges the one-year limit at the time of use, so a file valid today is refused by an older clock", () => {
    expect(parseOrgConfig(exemption("2027-06-01"), { now }).ok).toBe(true);
    expect(parseOrgConfig(exemption("2027-06-01"), { now: new Date("2026-01-01T00:00:00Z") }).ok).toBe(false);
  });

  it("refuses an expiry that is no calendar date", () => {
    expect(errorsOf(parseOrgConfig(exemption("2027-02-30"), { now }))[0]).toContain("is not a calendar date");
  });

  it("requires reason, owner and expires on an exemption", () => {
    const text = "version: 1\nexemptions:\n  - repository: api\n    rules: [signed_off]\n";
    expect(errorsOf(parseOrgConfig(text, { now })).join("\n")).toMatch(/missing required key `reason`[\s\S]*`owner`[\s\S]*`expires`/);
  });
});
