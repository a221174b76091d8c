// The worked examples of docs/writing-policies.md run through the real `repol` CLI: their tests pass in
// both engines, and `repol eval` on each example's input finds what the guide shows it finding.
import { join, relative } from "node:path";
import { describe, it } from "vitest";
import { runRepol } from "../cli/run-repol.js";
import { repoRoot } from "../helpers/policy-bundle.js";
import { exampleDir, fencedBlocks, workedExamples } from "./writing-policies-doc.js";

// The digest changes with the OPA version; the guide shows it elided.
const withoutDigest = (line: string) => line.replace(/sources sha256 [0-9a-f]{12}/, "sources sha256 …");

const evalArgs = (example: (typeof workedExamples)[number]) => {
  const folder = relative(repoRoot, exampleDir(example));
  return ["eval", example.policy, "--input", join(folder, "input.json"), "--rules", folder];
};

// Each test starts a process that compiles the rules with opa; they run side by side (so assertions use
// the test's own `expect`), and a loaded machine may take a while.
const SLOW = 60_000;

describe.concurrent.each(workedExamples)("worked example $folder", (example) => {
  it(
    "passes its own tests through opa test and repol's WASM build",
    async ({ expect }) => {
      const run = await runRepol(["test", exampleDir(example)]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.lines.filter((line) => !line.startsWith("PASS "))).toEqual([
        expect.stringMatching(/^(\d+)\/\1 passed in both opa test and repol's WASM build$/),
      ]);
      expect(run.lines.length).toBeGreaterThan(3);
    },
    SLOW,
  );

  it(
    `makes repol eval ${example.finding.enforcement === "block" ? "deny" : "warn"} on its input, naming the package`,
    async ({ expect }) => {
      const run = await runRepol([...evalArgs(example), "--format", "json"]);
      expect(run.code).toBe(example.finding.enforcement === "block" ? 1 : 0);
      const { allow, custom } = JSON.parse(run.stdout);
      // The built-in policy allows each input, so the finding is the example's own.
      expect(allow).toBe(true);
      const { blocking, warnings } = custom.findings;
      const [found, other] = example.finding.enforcement === "block" ? [blocking, warnings] : [warnings, blocking];
      expect(found).toEqual([expect.objectContaining(example.finding)]);
      expect(other).toEqual([]);
    },
    SLOW,
  );

  it(
    "prints what the guide shows for repol eval",
    async ({ expect }) => {
      const command = `$ repol ${evalArgs(example).join(" ")}`;
      const shown = fencedBlocks("text").find(({ body }) => body.startsWith(`${command}\n`));
      expect(shown, `docs/writing-policies.md shows no output of ${command}`).toBeDefined();
      const run = await runRepol(evalArgs(example));
      expect([command, ...run.lines.map(withoutDigest)].join("\n")).toBe(shown?.body.trimEnd());
    },
    SLOW,
  );
});
