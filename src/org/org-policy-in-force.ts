// The organisation's part of the policy in force, read from the `.github` repository's files in
// the first-stage snapshot: org.yaml parsed (defaults when absent) and the default policy files.
// An org.yaml that does not load is a problem of every decision it governs: they fail closed and
// name the `.github` file and line, rather than being judged as if the organisation had no say.
import type { OrgPolicies, PolicyFile } from "../core/facts.js";
import type { PolicyName } from "../domain/policy-name.js";
import type { ConfigError } from "../policy/decision.js";
import { ORG_CONFIG_PATH, parseOrgConfig, type OrgConfig } from "../policy/load-org-config.js";

export interface OrgPolicyInForce {
  /** "owner/.github" */
  repository: string;
  /** org.yaml as parsed, or its defaults when the file is absent. */
  config: OrgConfig;
  /** Git blob SHA of org.yaml; null when absent. */
  configSha: string | null;
  /** The organisation's default policy files, each null when absent. */
  defaults: Record<PolicyName, PolicyFile | null>;
}

export type OrgPolicyRead = { ok: true; org: OrgPolicyInForce | null } | { ok: false; configSha: string; errors: ConfigError[] };

const NO_ORG_CONFIG: OrgConfig = { version: 1, unconfigured_pull_requests: "skip" };

export function orgPolicyInForce(org: OrgPolicies | null | undefined, now: Date): OrgPolicyRead {
  if (org === null || org === undefined) return { ok: true, org: null };
  const file = org.files.org;
  const base = { repository: org.repository, defaults: { deploy: org.files.deploy, pullrequest: org.files.pullrequest } };
  if (file === null) return { ok: true, org: { ...base, config: NO_ORG_CONFIG, configSha: null } };
  const parsed = parseOrgConfig(file.text, { now, file: orgFilePath(org.repository, ORG_CONFIG_PATH) });
  if (!parsed.ok) return { ok: false, configSha: file.sha, errors: parsed.errors };
  return { ok: true, org: { ...base, config: parsed.config, configSha: file.sha } };
}

/** How errors name an organisation file: with its repository, since it is not in the one judged. */
export function orgFilePath(repository: string, path: string): string {
  return `${repository}/${path}`;
}
