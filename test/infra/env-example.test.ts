import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sourceFiles, variablesReadBy } from "../helpers/env-variables.js";
import { repoRoot } from "../helpers/policy-bundle.js";

const lines = readFileSync(join(repoRoot, ".env.example"), "utf8").split("\n");
const variableLine = /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/;
const listed = new Map<string, { value: string; line: number }>();
lines.forEach((line, index) => {
  const match = variableLine.exec(line);
  if (match) listed.set(match[1]!, { value: match[2]!, line: index });
});

describe(".env.example", () => {
  it("lists every variable repol's settings read", () => {
    const read = variablesReadBy("src/settings.ts");
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("lists every variable any file under src/ reads", () => {
    const unlisted = sourceFiles().flatMap((file) =>
      variablesReadBy(file)
        .filter((name) => !listed.has(name))
        .map((name) => `${name} (${file})`),
    );
    expect(unlisted).toEqual([]);
  });

  it("lists the variables Probot and the setup flow read", () => {
    const probot = [
      "APP_ID",
      "PRIVATE_KEY",
      "PRIVATE_KEY_PATH",
      "WEBHOOK_SECRET",
      "WEBHOOK_PROXY_URL",
      "GHE_HOST",
      "GHE_PROTOCOL",
      "GH_ORG",
      "LOG_LEVEL",
      "LOG_FORMAT",
      "NODE_ENV",
      "NO_SMEE_SETUP",
    ];
    expect(probot.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("lists the variables the enable-protection-rule script reads", () => {
    expect(variablesReadBy("scripts/enable-protection-rule.ts").filter((name) => !listed.has(name) && name !== "GH_TOKEN")).toEqual([]);
  });

  it("gives every variable a one-line meaning right above it", () => {
    const unexplained = [...listed].filter(([, { line }]) => {
      // Skip the variable lines of a group sharing one comment (GITHUB_CLIENT_ID / _SECRET).
      let above = line - 1;
      while (above >= 0 && variableLine.test(lines[above]!)) above--;
      const comment = lines[above] ?? "";
      return !/^#\s+\S/.test(comment) || variableLine.test(comment);
    });
    expect(unexplained.map(([name]) => name)).toEqual([]);
  });

  it("does not say NODE_ENV=production logs JSON: only LOG_FORMAT=json does (src/log-redaction.ts)", () => {
    const comment: string[] = [];
    for (let above = listed.get("NODE_ENV")!.line - 1; above >= 0 && /^#\s/.test(lines[above]!) && !variableLine.test(lines[above]!); above--) {
      comment.unshift(lines[above]!);
    }
    expect(comment.join(" ")).not.toMatch(/logs? JSON/i);
    expect(comment.join(" ")).toContain("LOG_FORMAT=json");
  });

  it("holds no credential values", () => {
    for (const name of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET", "AUDIT_API_TOKEN", "GITHUB_TOKEN", "GITHUB_CLIENT_SECRET"]) {
      expect(listed.get(name)?.value, name).toBe("");
    }
  });
});
