// docs/writing-policies.md states what the code does: its Rego is the example files, its sandbox table
// is the refused builtins, its rule names are the ones enforcement accepts, its limits the constants.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as limits from "../../src/policy/custom/custom-rule-limits.js";
import { findOpa } from "../../src/policy/custom/find-opa.js";
import { refusalOf } from "../../src/policy/custom/sandbox-capabilities.js";
import { inputSchemaErrors } from "../helpers/input-schemas.js";
import { repoRoot } from "../helpers/policy-bundle.js";
import { codeSpans, exampleDir, fencedBlocks, guide, section, tableColumn, workedExamples } from "./writing-policies-doc.js";

const examplesRoot = join(repoRoot, "examples", "policies");
const regoFilesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".rego"))
    .map((path) => relative(repoRoot, join(dir, path)))
    .sort();

/** The builtins the pinned OPA knows, to tell which ones the sandbox refuses. */
async function opaBuiltins(): Promise<string[]> {
  const opa = await findOpa();
  if (!opa.ok) throw new Error(opa.message);
  const { stdout } = await promisify(execFile)(opa.binary, ["capabilities", "--current"], { maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(stdout) as { builtins: { name: string }[] }).builtins.map((builtin) => builtin.name);
}

const enforcementKeys = (schema: string, path: string[]): string[] => {
  let node = JSON.parse(readFileSync(join(repoRoot, "schemas", schema), "utf8"));
  for (const key of path) node = node[key];
  return Object.keys(node.enforcement.properties).sort();
};

describe("docs/writing-policies.md", () => {
  it("shows each Rego block as the contents of the example file it links to", () => {
    const blocks = fencedBlocks("rego");
    expect(blocks.length).toBe(guide.split("```rego\n").length - 1);
    for (const { intro, body } of blocks) {
      const path = /^\[`([^`]+)`\]\(\.\.\/\1\):$/.exec(intro)?.[1];
      expect(path, `a Rego block is introduced by "${intro}", not a link to its file`).toBeDefined();
      expect(body, path).toBe(readFileSync(join(repoRoot, path as string), "utf8"));
    }
  });

  it("shows every Rego file of the worked examples", () => {
    const shown = fencedBlocks("rego").map(({ intro }) => /`([^`]+)`/.exec(intro)?.[1]);
    expect(shown.sort()).toEqual(regoFilesUnder(examplesRoot));
    expect(readdirSync(examplesRoot).sort()).toEqual(workedExamples.map((example) => example.folder).sort());
  });

  it("gives each worked example an input.json its policy's input schema accepts", () => {
    for (const example of workedExamples) {
      const input = JSON.parse(readFileSync(join(exampleDir(example), "input.json"), "utf8"));
      expect(inputSchemaErrors(example.policy, input), example.folder).toEqual([]);
    }
  });

  it("lists exactly the builtins the sandbox refuses", async () => {
    const listed = tableColumn(section("The sandbox"), 0).flatMap(codeSpans);
    const covers = (name: string) => listed.some((entry) => (entry.endsWith(".*") ? name.startsWith(entry.slice(0, -1)) : name === entry));
    for (const entry of listed) {
      expect(refusalOf(entry.endsWith(".*") ? `${entry.slice(0, -1)}anything` : entry), `${entry} is listed but allowed`).toBeDefined();
    }
    const refused = (await opaBuiltins()).filter((name) => refusalOf(name) !== undefined);
    expect(refused.length).toBeGreaterThan(listed.length);
    expect(refused.filter((name) => !covers(name))).toEqual([]);
  });

  it("names the same built-in rules as the enforcement keys of the config schemas", () => {
    const rows = section("Built-in rules and their enforcement");
    const named = (policy: string) =>
      tableColumn(rows, 1)
        .filter((_, i) => tableColumn(rows, 0)[i] === policy)
        .flatMap(codeSpans)
        .sort();
    expect(named("deploy")).toEqual(enforcementKeys("deploy.schema.json", ["definitions", "environment", "properties"]));
    expect(named("pullrequest")).toEqual(enforcementKeys("pullrequest.schema.json", ["properties", "policy", "properties"]));
  });

  it("states the limits that src/policy/custom/custom-rule-limits.ts sets", () => {
    expect(tableColumn(section("Limits"), 1)).toEqual([
      `${limits.MAX_RULE_FILES}`,
      `${limits.MAX_RULE_BYTES / 1024} KiB`,
      `${limits.COMPILE_TIMEOUT_MS / 1000} s, then killed`,
      `${limits.CONCURRENT_COMPILES} / ${limits.QUEUED_COMPILES} (more are refused until the queue drains)`,
      `${limits.EVALUATION_TIMEOUT_MS} ms, then the worker is terminated and replaced`,
      `${limits.MAX_WASM_MEMORY_MIB} MiB`,
      `${limits.WORKER_HEAP_MIB} MiB`,
      `${limits.EVALUATION_WORKERS}, each started on first use and stopped after ${limits.EVALUATION_WORKER_IDLE_MS / 1000} s without work`,
    ]);
  });
});
