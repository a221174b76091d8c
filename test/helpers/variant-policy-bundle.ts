// A second compiled bundle whose daily limit is stricter than repol's (the Nth deployment of a day
// with max_deployments_per_day N is refused), to stand for "the policy in force now" in replay tests.
// Built under build/, where the build script finds it up to date on later runs.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./policy-bundle.js";

type BuildPolicies = (options: { root: string; log?: (line: string) => void }) => Promise<{ digest: string }>;

const LIMIT_CHECK = "meta.deployments_today <= limit";

export async function stricterDailyLimitBundle(): Promise<{ path: string; digest: string }> {
  const root = join(repoRoot, "build", "variant-policies");
  mkdirSync(root, { recursive: true });
  cpSync(join(repoRoot, "policies"), join(root, "policies"), { recursive: true });
  const deploy = join(root, "policies", "deploy.rego");
  const source = readFileSync(deploy, "utf8");
  if (!source.includes(LIMIT_CHECK)) throw new Error(`policies/deploy.rego no longer holds "${LIMIT_CHECK}"; update this helper`);
  writeFileSync(deploy, source.replace(LIMIT_CHECK, "meta.deployments_today < limit"));
  const { buildPolicies } = (await import(pathToFileURL(join(repoRoot, "scripts", "build-policies.mjs")).href)) as { buildPolicies: BuildPolicies };
  const { digest } = await buildPolicies({ root, log: () => undefined });
  return { path: join(root, "build", "policies", "policy.wasm"), digest };
}
