// The compiled policy bundle the tests evaluate against; `npm test` builds it before vitest runs.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function policyWasmPath(): string {
  const path = join(repoRoot, "build", "policies", "policy.wasm");
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build:policies\` (npm test does it) before these tests`);
  }
  return path;
}
