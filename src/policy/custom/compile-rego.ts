// Compiles rule files to one WASM module with the pinned OPA, inside the sandbox: `opa check` first
// for positioned JSON errors, then `opa build -t wasm`. Files are written under a temporary folder at
// their repository paths and OPA runs there, so every error names .repol/policies/..., never /tmp.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { COMPILE_TIMEOUT_MS, MAX_RULE_BYTES, MAX_RULE_FILES } from "./custom-rule-limits.js";
import { generalError, type CustomRuleError, type RuleFile } from "./custom-rule-types.js";
import { runOpa, type OpaRun } from "./run-opa.js";
import type { Sandbox } from "./sandbox-capabilities.js";
import { wasmFromBundle } from "./wasm-from-bundle.js";

export interface RegoBuild {
  files: readonly RuleFile[];
  /** Modules repol adds (the entry module), by a path under .repol-generated/. */
  generated: readonly { path: string; text: string }[];
  entrypoints: readonly string[];
}

export interface Compiler {
  opa: string;
  sandbox: Sandbox;
  timeoutMs?: number;
}

/** `passing`: the failure is not the sources' fault (a timeout) and may not recur. */
export type CompileResult = { ok: true; wasm: Uint8Array } | { ok: false; errors: CustomRuleError[]; passing?: boolean };

const RULES_DIR = ".repol/policies/";

/** Refuses what may not be compiled at all: too many or too large files, paths outside .repol/policies. */
export function checkSubmission(files: readonly RuleFile[]): CustomRuleError[] {
  if (files.length > MAX_RULE_FILES) return [generalError(`${files.length} rule files; repol compiles at most ${MAX_RULE_FILES}`)];
  const bytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0);
  if (bytes > MAX_RULE_BYTES)
    return [generalError(`the rule files hold ${bytes} bytes; repol compiles at most ${MAX_RULE_BYTES} (${MAX_RULE_BYTES / 1024} KiB)`)];
  return files
    .filter((file) => !file.path.startsWith(RULES_DIR) || !file.path.endsWith(".rego") || file.path.split("/").some((part) => part === ".." || part === ""))
    .map((file) => generalError(`${file.path} is not a .rego file under ${RULES_DIR}`, file.path));
}

export async function compileRego(compiler: Compiler, build: RegoBuild): Promise<CompileResult> {
  const refused = checkSubmission(build.files);
  if (refused.length > 0) return { ok: false, errors: refused };
  const sources = [...build.files, ...build.generated];
  return inRuleFolder(compiler, sources, async (work) => {
    const paths = sources.map((source) => source.path);
    const timeoutMs = compiler.timeoutMs ?? COMPILE_TIMEOUT_MS;
    const run = (args: string[]) => runOpa(compiler.opa, [...args, "--capabilities", "capabilities.json", ...paths], work, timeoutMs);

    const checked = await run(["check", "--format", "json"]);
    if (checked.code !== 0) return { ok: false, errors: opaErrors(compiler.sandbox, checked, "opa check", timeoutMs), passing: checked.timedOut };
    const built = await run(["build", "-t", "wasm", "-o", "bundle.tar.gz", ...build.entrypoints.flatMap((entrypoint) => ["-e", entrypoint])]);
    if (built.code !== 0) return { ok: false, errors: opaErrors(compiler.sandbox, built, "opa build", timeoutMs), passing: built.timedOut };
    const wasm = wasmFromBundle(await readFile(join(work, "bundle.tar.gz")));
    return wasm ? { ok: true, wasm } : { ok: false, errors: [generalError("opa build wrote a bundle without policy.wasm")] };
  });
}

/**
 * Runs `task` in a temporary folder holding `sources` at their repository paths and the sandbox's
 * capabilities.json, removed afterwards.
 */
export async function inRuleFolder<T>(compiler: Compiler, sources: readonly { path: string; text: string }[], task: (work: string) => Promise<T>): Promise<T> {
  const work = await mkdtemp(join(tmpdir(), "repol-rules-"));
  try {
    for (const source of sources) {
      await mkdir(join(work, dirname(source.path)), { recursive: true });
      await writeFile(join(work, source.path), source.text);
    }
    await writeFile(join(work, "capabilities.json"), compiler.sandbox.capabilities);
    return await task(work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface OpaJsonError {
  message?: string;
  location?: { file?: string; row?: number; col?: number };
}

/** OPA's errors as positioned data: JSON from `opa check --format json`, text lines from `opa build`. */
export function opaErrors(sandbox: Sandbox, run: OpaRun, what: string, timeoutMs: number): CustomRuleError[] {
  if (run.timedOut) return [generalError(`${what} took longer than ${timeoutMs / 1000} s and was stopped; simplify the rules`)];
  // `opa check --format json` writes its errors to stderr.
  const fromJson = parseJsonErrors(run.stderr || run.stdout).map(
    (error): CustomRuleError => ({
      file: error.location?.file ?? RULES_DIR.slice(0, -1),
      line: error.location?.row ?? 1,
      column: error.location?.col ?? 1,
      message: sandbox.explain(error.message ?? "unknown error"),
    }),
  );
  if (fromJson.length > 0) return fromJson;
  const fromText = [...run.stderr.matchAll(/^(?:error: )?(?:\d+ errors? occurred[^:]*: )?(\S+?\.rego):(\d+): rego_\w+: (.+)$/gm)].map(
    (match): CustomRuleError => ({ file: match[1]!, line: Number(match[2]), column: 1, message: sandbox.explain(match[3]!) }),
  );
  if (fromText.length > 0) return fromText;
  return [generalError(`${what} failed (exit ${run.code ?? "by signal"}): ${(run.stderr || run.stdout).trim().slice(0, 2000)}`)];
}

function parseJsonErrors(stdout: string): OpaJsonError[] {
  try {
    const parsed = JSON.parse(stdout) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? (parsed.errors as OpaJsonError[]) : [];
  } catch {
    return [];
  }
}
