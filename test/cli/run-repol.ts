// Runs the `repol` CLI as a child process, the way a user or a workflow step does.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../helpers/policy-bundle.js";

// By file URL, so the CLI can run with any working directory (a temp dir has no node_modules).
const tsxLoader = pathToFileURL(join(repoRoot, "node_modules", "tsx", "dist", "loader.mjs")).href;

export const cliEntry = join(repoRoot, "src", "cli", "main.ts");
export const fixtures = join(repoRoot, "test", "fixtures");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the trailing empty one. */
  lines: string[];
}

export function runRepol(args: string[], options: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv; entry?: string } = {}): Promise<CliRun> {
  const { cwd = repoRoot, stdin, env = {}, entry = cliEntry } = options;
  // A clean environment: a developer's GHE_HOST or POLICY_WASM_PATH must not change what the tests see.
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsxLoader, entry, ...args], { cwd, env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, lines: stdout.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1) }));
    child.stdin.end(stdin ?? "");
  });
}
