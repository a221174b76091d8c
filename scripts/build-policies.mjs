// Compiles policies/*.rego (not the *_test.rego files) to build/policies/policy.wasm and writes
// build/policies/manifest.json. Does nothing when the sources have not changed since the last build.
// The bundle's digest is recorded in every audit row, so the same sources must give the same bytes in
// any checkout: opa embeds the source file names it is given, hence relative paths from the root.
// Usage: node scripts/build-policies.mjs [--force]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { ensureOpa, OPA_VERSION, repoRoot } from "./ensure-opa.mjs";

// One entrypoint per policy: the engine evaluates only `result` (allow, deny and violations in one
// document), so each decision parses its input and judges the rules once.
export const ENTRYPOINTS = ["github/deploy/result", "github/pullrequest/result"];
export const outDir = join(repoRoot, "build", "policies");

const sha256 = (data) => createHash("sha256").update(data).digest("hex");
const show = (path) => relative(process.cwd(), path) || ".";

/**
 * Builds the bundle of `root`/policies into `root`/build/policies unless it is up to date; returns the
 * manifest. `root` is the repository by default; tests build copies elsewhere.
 */
export async function buildPolicies({ force = false, root = repoRoot, log = (line) => console.log(line) } = {}) {
  const policiesDir = join(root, "policies");
  const bundleDir = join(root, "build", "policies");
  const wasmPath = join(bundleDir, "policy.wasm");
  const manifestPath = join(bundleDir, "manifest.json");
  const sources = regoSources(policiesDir).filter((file) => !file.endsWith("_test.rego"));
  const sourceNames = sources.map((file) => posix(relative(root, file)));
  if (sources.length === 0) throw new Error(`build-policies: no .rego files under ${show(policiesDir)}`);
  const wasmCapabilities = readFileSync(join(opaWasmPackageDir(), "capabilities.json"), "utf8");
  const inputsDigest = sha256(
    JSON.stringify({
      opa: OPA_VERSION,
      entrypoints: ENTRYPOINTS,
      script: sha256(readFileSync(fileURLToPath(import.meta.url))),
      capabilities: sha256(wasmCapabilities),
      sources: sources.map((file, index) => [sourceNames[index], sha256(readFileSync(file))]),
    }),
  );

  const previous = upToDateManifest(inputsDigest, wasmPath, manifestPath);
  if (previous && !force) {
    log(`build-policies: up to date (${show(wasmPath)}, sha256 ${previous.digest.slice(0, 12)})`);
    return previous;
  }

  const opa = ensureOpa();
  const work = mkdtempSync(join(tmpdir(), "repol-policies-"));
  try {
    runOpa(opa, root, ["check", "--strict", "policies"], "opa check --strict");
    const capabilitiesPath = join(work, "capabilities.json");
    writeFileSync(capabilitiesPath, JSON.stringify(hostCapabilities(opa, wasmCapabilities)));
    const bundlePath = join(work, "bundle.tar.gz");
    runOpa(
      opa,
      root,
      ["build", "-t", "wasm", "--capabilities", capabilitiesPath, "-o", bundlePath, ...ENTRYPOINTS.flatMap((entrypoint) => ["-e", entrypoint]), ...sourceNames],
      'opa build -t wasm (an "undefined function" error names a builtin the WASM target cannot run)',
    );
    const wasm = fileFromTarGz(readFileSync(bundlePath), "policy.wasm");
    if (wasm.includes(join(root, "policies")))
      throw new Error(`build-policies: policy.wasm embeds the checkout path ${root}; its digest would differ per folder`);
    await assertEntrypoints(wasm);

    const manifest = {
      digest: sha256(wasm),
      entrypoints: ENTRYPOINTS,
      opa_version: OPA_VERSION,
      built_at: new Date().toISOString(),
      inputs_digest: inputsDigest,
      sources: sourceNames,
    };
    mkdirSync(bundleDir, { recursive: true });
    // Write-then-rename: parallel test workers may build at the same time and must never read half a file.
    writeAtomically(wasmPath, wasm);
    writeAtomically(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    log(`build-policies: built ${show(wasmPath)} (${Math.round(wasm.length / 1024)} KiB, sha256 ${manifest.digest.slice(0, 12)}) from ${sources.length} files`);
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function upToDateManifest(inputsDigest, wasmPath, manifestPath) {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.inputs_digest !== inputsDigest) return null;
    return sha256(readFileSync(wasmPath)) === manifest.digest ? manifest : null;
  } catch {
    return null;
  }
}

function regoSources(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return regoSources(path);
      return entry.isFile() && entry.name.endsWith(".rego") ? [path] : [];
    })
    .sort();
}

function opaWasmPackageDir() {
  // The package exports only its entry point, so locate the folder from there (src/index.cjs).
  const entry = createRequire(import.meta.url).resolve("@open-policy-agent/opa-wasm");
  return join(dirname(entry), "..");
}

// opa-wasm's capabilities.json lists the builtins the WASM module plus the JS SDK can run. Building
// against it turns an unsupported builtin into a compile error instead of a runtime "not implemented".
// It predates Rego v1, so the language features come from the pinned OPA itself.
function hostCapabilities(opa, wasmCapabilitiesText) {
  const current = JSON.parse(execFileSync(opa, ["capabilities", "--current"], { encoding: "utf8" }));
  const wasm = JSON.parse(wasmCapabilitiesText);
  return {
    builtins: wasm.builtins,
    wasm_abi_versions: wasm.wasm_abi_versions,
    future_keywords: current.future_keywords,
    features: current.features,
  };
}

function runOpa(opa, cwd, args, what) {
  try {
    execFileSync(opa, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  } catch (error) {
    throw new Error(`build-policies: ${what} failed (exit ${error.status ?? error.signal}); see the output above`);
  }
}

/** Reads one regular file out of a gzipped tar (ustar and pax long names; all opa build emits). */
export function fileFromTarGz(gz, wanted) {
  const tar = gunzipSync(gz);
  let paxPath = null;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    paxPath = type === "x" ? (/(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1] ?? null) : null;
    if ((type === "0" || type === "7") && name.replace(/^(\.?\/)+/, "") === wanted) return Buffer.from(body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`build-policies: the bundle built by opa has no /${wanted}`);
}

async function assertEntrypoints(wasm) {
  const { loadPolicy } = await import("@open-policy-agent/opa-wasm");
  const policy = await loadPolicy(wasm);
  const missing = ENTRYPOINTS.filter((entrypoint) => !(entrypoint in policy.entrypoints));
  if (missing.length > 0) throw new Error(`build-policies: policy.wasm lacks entrypoints ${missing.join(", ")}`);
}

function writeAtomically(path, data) {
  // Staged beside the target so the rename stays on one filesystem and is atomic.
  const staged = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(staged, data);
  renameSync(staged, path);
}

const posix = (path) => path.split(sep).join("/");

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  buildPolicies({ force: process.argv.includes("--force") }).catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
