import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";
import { cliEntry, fixtures, runRepol } from "./run-repol.js";

const scratch = mkdtempSync(join(tmpdir(), "repol-bin-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Each test starts a process; they run side by side, so assertions use the test's own `expect`.
describe.concurrent("the repol command", () => {
  it("prints usage on stderr and exits 2 without a command", async ({ expect }) => {
    const run = await runRepol([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^usage: repol <command>/);
  });

  it("prints usage on stdout and exits 0 with --help", async ({ expect }) => {
    const run = await runRepol(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["repol validate", "repol eval", "repol replay"]) expect(run.stdout).toContain(command);
    expect(run.stdout).toMatch(/Exit codes: 0 .*, 1 .*, 2 /);
  });

  it.for(["--version", "-V"])("prints the package's version with %s and exits 0", async (flag, { expect }) => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    const run = await runRepol([flag], { cwd: scratch });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`repol ${pkg.version}\n`);
  });

  it("exits 2 on an unknown command", async ({ expect }) => {
    const run = await runRepol(["lint"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "lint"/);
  });

  it("runs through a symlink, as npm installs package bins", async ({ expect }) => {
    const link = join(scratch, "repol");
    symlinkSync(cliEntry, link);
    const run = await runRepol(["validate", join(fixtures, "cli", "valid-repo")], { entry: link });
    expect(run.code).toBe(0);
    expect(run.lines.at(-1)).toMatch(/valid-repo\/\.repol: valid$/);
  });

  it("is the package's `repol` bin, compiled from src/cli/main.ts with a node shebang", ({ expect }) => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    const tsconfig = JSON.parse(readFileSync(join(repoRoot, "tsconfig.json"), "utf8"));
    const compiled = join(tsconfig.compilerOptions.outDir, "src", "cli", "main.js");
    expect(pkg.bin).toEqual({ repol: compiled });
    expect(readFileSync(cliEntry, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });
});
