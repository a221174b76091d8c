// Makes sure the pinned OPA CLI is available and prints nothing when it already is.
// Order: project-local .opa/bin/opa, then `opa` on PATH (only if it is the pinned version),
// then `go install` into .opa/bin. Importable: `ensureOpa()` returns the binary to run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const OPA_VERSION = "1.22.2";
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const localBinDir = join(repoRoot, ".opa", "bin");
const localOpa = join(localBinDir, process.platform === "win32" ? "opa.exe" : "opa");

/** The version an `opa` binary reports, or null when it cannot be run. */
export function versionOf(binary) {
  try {
    const out = execFileSync(binary, ["version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return /^Version:\s*v?(\S+)/m.exec(out)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Returns the path (or PATH name) of an OPA CLI of the pinned version, installing it if needed. */
export function ensureOpa({ log = (line) => console.error(line) } = {}) {
  const localVersion = existsSync(localOpa) ? versionOf(localOpa) : null;
  if (localVersion === OPA_VERSION) return localOpa;
  if (versionOf("opa") === OPA_VERSION) return "opa";

  if (localVersion !== null) {
    log(`ensure-opa: ${relative(repoRoot, localOpa)} is v${localVersion}, replacing it with pinned v${OPA_VERSION}`);
  }
  installWithGo(log);
  const installed = versionOf(localOpa);
  if (installed !== OPA_VERSION) {
    throw new Error(`ensure-opa: go install finished but ${localOpa} reports ${installed ? `v${installed}` : "no version"}, expected v${OPA_VERSION}`);
  }
  return localOpa;
}

function installWithGo(log) {
  if (spawnSync("go", ["version"], { stdio: "ignore" }).status !== 0) {
    throw new Error(
      `ensure-opa: OPA v${OPA_VERSION} is needed, but it is not in ${relative(repoRoot, localBinDir)}/ nor on PATH, ` +
        `and Go is not installed to build it.\n` +
        `Install Go (https://go.dev/dl/) and run this again, or put an opa v${OPA_VERSION} binary on PATH ` +
        `(https://github.com/open-policy-agent/opa/releases/tag/v${OPA_VERSION}).`,
    );
  }
  const module = `github.com/open-policy-agent/opa@v${OPA_VERSION}`;
  log(`ensure-opa: installing OPA v${OPA_VERSION}: GOBIN=${relative(repoRoot, localBinDir)} go install ${module}`);
  // -buildvcs=false: the module is built outside any VCS checkout of ours.
  const result = spawnSync("go", ["install", "-buildvcs=false", module], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, GOBIN: localBinDir, CGO_ENABLED: process.env.CGO_ENABLED ?? "0" },
  });
  if (result.status !== 0) {
    throw new Error(`ensure-opa: \`go install ${module}\` failed (exit ${result.status ?? result.signal})`);
  }
  log(`ensure-opa: installed ${relative(repoRoot, localOpa)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    ensureOpa();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
