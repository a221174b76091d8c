// repol as an operator runs it: `node dist/src/main.js` (built by `npm run build`), configured only
// through the environment, logging to a file in its own temporary directory.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CPU_PROFILE } from "./cpu-profile.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(root, "dist", "src", "main.js");

export interface RepolProcess {
  pid: number;
  /** http://127.0.0.1:<port> */
  url: string;
  webhookSecret: string;
  logPath: string;
  /** Where `node --cpu-prof` writes repol's profile when it exits (BENCH_CPU_PROFILE); the caller removes it. */
  cpuProfileDir: string | null;
  /** The last lines repol logged, for a report that something went wrong. */
  logTail(lines?: number): string;
  /** SIGTERM, then SIGKILL if it has not stopped within `graceMs`; removes its directory. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The node flags repol runs with: the container image's (its CMD, which `npm start` repeats), or
 * BENCH_REPOL_NODE_FLAGS (space-separated; empty for none) to measure others.
 */
export function nodeFlags(): string[] {
  const chosen = process.env.BENCH_REPOL_NODE_FLAGS;
  if (chosen !== undefined) return chosen.split(" ").filter(Boolean);
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, "Dockerfile"), "utf8"));
  if (!cmd) throw new Error("The Dockerfile has no CMD [...] line to read repol's node flags from");
  const words = JSON.parse(cmd[1]!) as string[];
  return words.slice(1, words.indexOf("dist/src/main.js"));
}

export async function startRepolProcess({ githubHost, appId }: { githubHost: string; appId: number }): Promise<RepolProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} does not exist: run npm run build (npm run bench does)`);
  const dir = mkdtempSync(join(tmpdir(), "repol-bench-"));
  const webhookSecret = "bench-webhook-secret-0123456789abcdef";
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // As the container image sets them (Dockerfile), with GitHub Enterprise Server on loopback.
    NODE_ENV: "production",
    LOG_FORMAT: "json",
    HOST: "127.0.0.1",
    PORT: "0",
    GHE_HOST: githubHost,
    GHE_PROTOCOL: "http",
    APP_ID: String(appId),
    PRIVATE_KEY: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    WEBHOOK_SECRET: webhookSecret,
    AUDIT_DB_PATH: join(dir, "repol.db"),
    POLICY_WASM_PATH: join(root, "build", "policies", "policy.wasm"),
    ...(process.env.BENCH_REPOL_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_REPOL_LOG_LEVEL } : {}),
    // glibc's malloc arenas (one per thread that allocates, up to 8 per core) hold freed memory apart.
    ...(process.env.BENCH_REPOL_MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.BENCH_REPOL_MALLOC_ARENA_MAX } : {}),
  };
  const logPath = join(dir, "repol.log");
  const log = createWriteStream(logPath);
  const cpuProfileDir = CPU_PROFILE ? mkdtempSync(join(tmpdir(), "repol-bench-cpu-")) : null;
  const profiling = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags(), ...profiling, MAIN], {
    cwd: dir,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  let head = "";
  const url = await new Promise<string>((resolve, reject) => {
    const scan = (chunk: Buffer) => {
      log.write(chunk);
      if (head.length > 100_000) return;
      head += chunk.toString();
      const match = /repol listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", scan);
    child.stderr!.on("data", scan);
    void exited.then(([code]) => reject(new Error(`repol exited with ${code} before listening:\n${head}`)));
  });
  const logTail = (lines = 20) => readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  return {
    pid: child.pid!,
    url,
    webhookSecret,
    logPath,
    cpuProfileDir,
    logTail,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
      if (!process.env.BENCH_KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
    },
  };
}
