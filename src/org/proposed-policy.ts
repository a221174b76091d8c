// The `.repol/` files a change proposes, validated as repol would read them after the merge. A
// preview replays decisions only under files that load; any error is reported at its file and line.
import type { ConfigError } from "../policy/decision.js";
import { ORG_CONFIG_PATH, parseOrgConfig, type OrgConfig } from "../policy/load-org-config.js";
import { CONFIG_PATHS, parseRepoConfig, type DeployConfig, type PullRequestConfig } from "../policy/load-repo-config.js";

/** File path (`.repol/deploy.yaml`, …) → proposed text. A file left out is not part of the change. */
export type ProposedFiles = Record<string, string>;

/** Whose files they are: a repository's own, or the organisation's in its `.github` repository. */
export type PreviewMode = "repository" | "organisation";

export interface ProposedPolicy {
  mode: PreviewMode;
  deploy: DeployConfig | null;
  pullrequest: PullRequestConfig | null;
  org: OrgConfig | null;
}

export type ProposedPolicyResult = { ok: true; policy: ProposedPolicy } | { ok: false; errors: ConfigError[] };

const KNOWN_FILES = [CONFIG_PATHS.deploy, CONFIG_PATHS.pullrequest, ORG_CONFIG_PATH];

export function readProposedPolicy(files: ProposedFiles, mode: PreviewMode, now: Date): ProposedPolicyResult {
  const errors: ConfigError[] = [];
  const unknown = Object.keys(files).filter((path) => !KNOWN_FILES.includes(path) && !path.startsWith(".repol/policies/"));
  for (const path of unknown) {
    errors.push({
      file: path,
      line: 1,
      column: 1,
      path: "",
      message: `repol reads no file ${path}; the policy files are ${KNOWN_FILES.join(", ")} and .repol/policies/**/*.rego`,
    });
  }
  if (mode === "repository" && files[ORG_CONFIG_PATH] !== undefined) {
    const message = "org.yaml is read only from the organisation's .github repository; it has no effect in another repository";
    errors.push({ file: ORG_CONFIG_PATH, line: 1, column: 1, path: "", message });
  }
  const load = <T>(path: string, parse: (text: string) => { ok: true; config: T } | { ok: false; errors: ConfigError[] }): T | null => {
    const text = files[path];
    if (text === undefined) return null;
    const result = parse(text);
    if (!result.ok) errors.push(...result.errors);
    return result.ok ? result.config : null;
  };
  const policy: ProposedPolicy = {
    mode,
    deploy: load(CONFIG_PATHS.deploy, (text) => parseRepoConfig("deploy", text)),
    pullrequest: load(CONFIG_PATHS.pullrequest, (text) => parseRepoConfig("pullrequest", text)),
    org: mode === "organisation" ? load(ORG_CONFIG_PATH, (text) => parseOrgConfig(text, { now })) : null,
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy };
}
