import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { fixtures, runRepol } from "./run-repol.js";

const cliFixtures = join(fixtures, "cli");
const scratch = mkdtempSync(join(tmpdir(), "repol-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, "repo-"));
  mkdirSync(join(dir, ".repol"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, ".repol", name), text);
  return dir;
}

// Each test starts a process; they run side by side, so assertions use the test's own `expect`.
describe.concurrent("repol validate", () => {
  it("passes a valid checkout with exit code 0, naming each file", async ({ expect }) => {
    const run = await runRepol(["validate", "valid-repo"], { cwd: cliFixtures });
    expect(run.code).toBe(0);
    expect(run.lines).toEqual(["valid-repo/.repol/deploy.yaml: ok", "valid-repo/.repol/pullrequest.yaml: ok", "valid-repo/.repol: valid"]);
    expect(run.stderr).toBe("");
  });

  it("validates the current directory when no directory is given", async ({ expect }) => {
    const run = await runRepol(["validate"], { cwd: join(cliFixtures, "valid-repo") });
    expect(run.code).toBe(0);
    expect(run.lines.at(-1)).toBe(".repol: valid");
  });

  it("accepts the .repol directory itself", async ({ expect }) => {
    const run = await runRepol(["validate", "valid-repo/.repol"], { cwd: cliFixtures });
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("valid-repo/.repol/deploy.yaml: ok");
  });

  it("prints each schema error as file:line:col message and exits 1", async ({ expect }) => {
    const run = await runRepol(["validate", "invalid-repo"], { cwd: cliFixtures });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      expect.stringMatching(/^invalid-repo\/\.repol\/deploy\.yaml:6:29: .*approvals_required.*integer/),
      expect.stringMatching(/^invalid-repo\/\.repol\/deploy\.yaml:7:9: .*allowed_branch.*allowed_branches/),
      "invalid-repo/.repol/pullrequest.yml:1:1: repol reads pullrequest.yaml, not pullrequest.yml; rename the file or it is ignored",
      "invalid-repo/.repol: 3 errors in 2 files",
    ]);
  });

  it("flags a YAML syntax error at its position", async ({ expect }) => {
    const dir = repoWith({ "deploy.yaml": "policy:\n  version: 1\n  environments: [unclosed\n" });
    const run = await runRepol(["validate", dir]);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toMatch(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/\\.repol/deploy\\.yaml:\\d+:\\d+: `));
  });

  it("flags a file repol would never read", async ({ expect }) => {
    const dir = repoWith({ "deploy.yaml": "policy:\n  version: 1\n  environments:\n    prod:\n      rules: {}\n", "rules.yaml": "x: 1\n" });
    const run = await runRepol(["validate", "."], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.lines).toContain(".repol/rules.yaml:1:1: repol does not read rules.yaml; its config files are deploy.yaml and pullrequest.yaml");
    expect(run.lines).toContain(".repol/deploy.yaml: ok");
  });

  it("validates an organisation's org.yaml, reporting its errors at file:line:col", async ({ expect }) => {
    const dir = repoWith({ "org.yaml": "version: 1\nscope:\n  exclud: [sandbox]\n" });
    const run = await runRepol(["validate", "."], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe(".repol/org.yaml:3:3: unknown key `exclud` in `scope` — did you mean `exclude`? (at /scope/exclud)");
    const valid = await runRepol(["validate", "."], { cwd: repoWith({ "org.yaml": "version: 1\n" }) });
    expect(valid.code).toBe(0);
  });

  it("fails an empty .repol directory: there is nothing for the App to read", async ({ expect }) => {
    const run = await runRepol(["validate", "."], { cwd: repoWith({}) });
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe(".repol:1:1: no repol config here; add deploy.yaml and pullrequest.yaml");
  });

  it("exits 2 when the directory has no .repol", async ({ expect }) => {
    const run = await runRepol(["validate", scratch]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/has no \.repol directory/);
  });

  it("emits GitHub workflow annotations with --format github", async ({ expect }) => {
    const run = await runRepol(["validate", "invalid-repo", "--format", "github"], { cwd: cliFixtures });
    expect(run.code).toBe(1);
    const annotations = run.lines.filter((line) => line.startsWith("::error "));
    expect(annotations).toHaveLength(3);
    expect(annotations[0]).toMatch(/^::error file=invalid-repo\/\.repol\/deploy\.yaml,line=6,col=29::\S/);
  });

  it("prints the verdict as JSON with --format json", async ({ expect }) => {
    const run = await runRepol(["validate", "invalid-repo", "--format", "json"], { cwd: cliFixtures });
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.valid).toBe(false);
    expect(verdict.files.map((file: { file: string; kind: string | null }) => [file.file, file.kind])).toEqual([
      ["invalid-repo/.repol/deploy.yaml", "deploy"],
      ["invalid-repo/.repol/pullrequest.yml", null],
    ]);
    expect(verdict.files[0].errors[0]).toMatchObject({ line: 6, column: 29, path: "/policy/environments/production/rules/approvals_required" });
  });

  it("exits 2 on an unknown format", async ({ expect }) => {
    const run = await runRepol(["validate", "valid-repo", "--format", "xml"], { cwd: cliFixtures });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format must be one of: text, json, github/);
  });
});
