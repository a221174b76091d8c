// Policy files parsed once per blob and reused: a kept result is only ever the parse of the same bytes,
// and each decision gets its own copy.
import { describe, expect, it } from "vitest";
import { parsedConfigs } from "../../src/core/parsed-configs.js";
import { parseRepoConfig } from "../../src/policy/load-repo-config.js";

const SHA = "1".repeat(40);
const FILE = ".repol/pullrequest.yaml";
const rules = (approvals: number) => `policy:\n  version: 1\n  rules:\n    approvals_required: ${approvals}\n`;
const approvalsOf = (result: ReturnType<typeof parseRepoConfig>) =>
  result.ok ? (result.config as { policy: { rules: { approvals_required?: number } } }).policy.rules.approvals_required : undefined;

describe("parsedConfigs", () => {
  it("gives the same result as parsing, for a file seen before too", () => {
    const configs = parsedConfigs();

    const first = configs.parse("pullrequest", rules(2), FILE, SHA);
    const again = configs.parse("pullrequest", rules(2), FILE, SHA);

    expect(again).toEqual(parseRepoConfig("pullrequest", rules(2), FILE));
    expect(again).toEqual(first);
    expect(configs.size).toBe(1);
  });

  it("parses anew when the bytes differ under the same SHA (a recording or a fake that reuses one)", () => {
    const configs = parsedConfigs();
    configs.parse("pullrequest", rules(2), FILE, SHA);

    expect(approvalsOf(configs.parse("pullrequest", rules(5), FILE, SHA))).toBe(5);
    expect(approvalsOf(configs.parse("pullrequest", new TextEncoder().encode(rules(6)), FILE, SHA))).toBe(6);
  });

  it("hands each decision its own copy: changing one changes no later one", () => {
    const configs = parsedConfigs();
    const first = configs.parse("pullrequest", rules(2), FILE, SHA);
    (first as { config: { policy: { rules: { approvals_required: number } } } }).config.policy.rules.approvals_required = 0;

    expect(approvalsOf(configs.parse("pullrequest", rules(2), FILE, SHA))).toBe(2);
  });

  it("keeps the positions of a file's problems under the name it was read by", () => {
    const configs = parsedConfigs();
    const broken = "policy:\n  version: 1\n  rules:\n    approvals_required: many\n";
    configs.parse("pullrequest", broken, "acme/.github/.repol/pullrequest.yaml", SHA);

    const own = configs.parse("pullrequest", broken, FILE, SHA);

    expect(own).toEqual(parseRepoConfig("pullrequest", broken, FILE));
    expect(own.ok ? [] : own.errors.map((error) => error.file)).toEqual([FILE]);
  });

  it("keeps at most its bound of files, dropping the least recently used", () => {
    const configs = parsedConfigs(2);
    for (const sha of ["a", "b", "a", "c"]) configs.parse("pullrequest", rules(1), FILE, sha.repeat(40));

    expect(configs.size).toBe(2);
  });
});

describe("parsedConfigs copies", () => {
  it("keeps a key named __proto__ a key in the copy", () => {
    const configs = parsedConfigs();
    const text = 'policy:\n  version: 1\n  metadata:\n    "__proto__": { polluted: true }\n  rules:\n    approvals_required: 1\n';
    const first = configs.parse("pullrequest", text, FILE, SHA);
    const again = configs.parse("pullrequest", text, FILE, SHA);

    expect(again).toEqual(first);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
