// The README's reference tables say what the code does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseListQuery } from "../../src/http/audit-params.js";
import { variablesReadBy } from "../helpers/env-variables.js";
import { repoRoot } from "../helpers/policy-bundle.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const rowOf = (start: string) => readme.split("\n").find((line) => line.startsWith(start)) ?? "";
/** The names written in `code` in a line, lists inside one span split apart. */
const codeNames = (line: string) => [...line.matchAll(/`([^`]+)`/g)].flatMap((match) => match[1]!.split(/[\s,]+/));

describe("README.md", () => {
  it("names every query parameter GET /audit accepts, as the API spells it", () => {
    const refused = parseListQuery({ "not-a-parameter": "x" });
    const known = !refused.ok ? /known parameters: (.*)$/.exec(refused.message)![1]!.split(", ") : [];
    expect(known).toContain("cursor");
    expect(known.filter((name) => !codeNames(rowOf("| `GET /audit` |")).includes(name))).toEqual([]);
  });

  it("has a Configuration row for every variable repol's settings read", () => {
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
    const documented = table
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => codeNames(line.split(" | ")[0]!));
    expect(variablesReadBy("src/settings.ts").filter((name) => !documented.includes(name))).toEqual([]);
  });
});
