// An OPA server on 127.0.0.1 serving repol's policies (the *_test.rego files left out), as a
// sidecar-style deployment would: the architecture repol's in-process WASM engine replaces. The binary
// is the pinned OPA that builds the policies (scripts/ensure-opa.mjs).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface OpaServer {
  url: string;
  stop(): Promise<void>;
}

/** The pinned OPA CLI, installed if need be, as the build finds it. */
function pinnedOpa(): string {
  const find = "import('./scripts/ensure-opa.mjs').then((m) => process.stdout.write(m.ensureOpa()))";
  return execFileSync(process.execPath, ["--input-type=module", "-e", find], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

export async function startOpaServer(): Promise<OpaServer> {
  const opa = pinnedOpa();
  const port = await freePort();
  const child = spawn(
    opa,
    ["run", "--server", "--addr", `127.0.0.1:${port}`, "--log-level", "error", "--disable-telemetry", "--ignore", "*_test.rego", join(root, "policies")],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => stderr);
  return { url, stop: () => stop(child) };
}

async function waitForHealth(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`opa exited with ${child.exitCode}: ${stderr()}`);
    try {
      const response = await fetch(`${url}/health?bundles`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`opa did not become healthy within 15 s: ${stderr()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
