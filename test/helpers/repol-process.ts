// src/main.ts run as an operator runs it: a child process configured only through the environment,
// which a test can stop (SIGTERM), kill (SIGKILL) and start again on the same database.
// (In-process over HTTP, with dependencies a test can reach, is repol-over-http.ts.)
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface RepolProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
  /** Waits for a line of output matching `pattern`; fails if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** http://127.0.0.1:<port>, once listening. */
  listening(): Promise<string>;
}

/** The environment of a repol that talks to a fake GitHub at `githubHost` and keeps its audit in `dbPath`. */
export function repolEnv(githubHost: string, dbPath: string, policyWasmPath: string, credentials: Record<string, string>): Record<string, string> {
  return {
    ...credentials,
    GHE_HOST: githubHost,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
    PORT: "0",
    AUDIT_DB_PATH: dbPath,
    POLICY_WASM_PATH: policyWasmPath,
  };
}

export function startRepolProcess(env: Record<string, string>): RepolProcess {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: "json", LOG_LEVEL: "info", NO_COLOR: "1", ...env },
  });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output);
      if (match) return match;
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) throw new Error(`never saw ${pattern}; output:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    child,
    output: () => output,
    exited,
    waitFor,
    listening: async () => (await waitFor(/repol listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!,
  };
}
