// Finds and loads the compiled policy bundle for the CLI, which may run from a checkout (tsx), from
// dist/ after `npm run build`, or as an installed package bin from anywhere on disk.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { PolicyEngine } from "../policy/engine-types.js";
import { loadPolicyEngine } from "../policy/engine.js";
import { UsageError } from "./cli-io.js";

/** --bundle, else POLICY_WASM_PATH, else build/policies/policy.wasm of the repol package itself. */
export function policyBundlePath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag) return resolve(cwd, flag);
  if (env.POLICY_WASM_PATH) return resolve(cwd, env.POLICY_WASM_PATH);
  return join(packageRoot(), "build", "policies", "policy.wasm");
}

export async function loadBundle(path: string): Promise<PolicyEngine> {
  if (!existsSync(path)) {
    throw new UsageError(`policy bundle ${path} does not exist; build it with \`npm run build:policies\`, or point --bundle / POLICY_WASM_PATH at one`);
  }
  try {
    return await loadPolicyEngine(path);
  } catch (error) {
    throw new UsageError(`cannot load policy bundle ${path}: ${(error as Error).message}`);
  }
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "repol") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError("cannot find the repol package root to locate its policy bundle; pass --bundle");
    dir = parent;
  }
}
