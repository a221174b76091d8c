// Runs the OPA CLI with a time limit: a rule set that makes the compiler spin is killed, not waited on.
import { execFile } from "node:child_process";

export interface OpaRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runOpa(binary: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<OpaRun> {
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string }) | null;
      resolve({
        code: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
        stdout,
        stderr: failure !== null && typeof failure.code === "string" ? `${failure.message}\n${stderr}` : stderr,
        timedOut: failure?.killed === true && failure.signal === "SIGKILL",
      });
    });
  });
}
