// Finds the pinned OPA CLI the way scripts/ensure-opa.mjs does (the checkout's .opa/bin/opa, then
// `opa` on PATH), but never installs it: a server must not run `go install` while answering webhooks.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Kept equal to scripts/ensure-opa.mjs and the Dockerfile (a test checks both). */
export const PINNED_OPA_VERSION = "1.22.2";

export type OpaLookup = { ok: true; binary: string; version: string } | { ok: false; message: string };

const INSTALL_HINT = `install it with \`node scripts/ensure-opa.mjs\` in repol's checkout, or put an opa v${PINNED_OPA_VERSION} binary on PATH`;

export async function findOpa(candidates: readonly string[] = defaultCandidates()): Promise<OpaLookup> {
  const seen: string[] = [];
  for (const binary of candidates) {
    const version = await versionOf(binary);
    if (version === PINNED_OPA_VERSION) return { ok: true, binary, version };
    if (version !== null) seen.push(`${binary} is v${version}`);
  }
  const found = seen.length > 0 ? ` (${seen.join("; ")})` : "";
  return { ok: false, message: `custom rules need OPA v${PINNED_OPA_VERSION}, which repol cannot find${found}; ${INSTALL_HINT}` };
}

/** The checkout's .opa/bin/opa (found from this file in src/ or dist/src/), then `opa` on PATH. */
function defaultCandidates(): string[] {
  const local: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)), depth = 0; depth < 6; dir = dirname(dir), depth++) {
    const binary = join(dir, ".opa", "bin", process.platform === "win32" ? "opa.exe" : "opa");
    if (existsSync(binary)) local.push(binary);
  }
  return [...local, "opa"];
}

function versionOf(binary: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(binary, ["version"], { timeout: 10_000 }, (error, stdout) => {
      resolve(error ? null : (/^Version:\s*v?(\S+)/m.exec(stdout)?.[1] ?? null));
    });
  });
}
