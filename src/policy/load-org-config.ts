// `.repol/org.yaml` in the owner's `.github` repository: the same pipeline as a repository's files,
// then the checks a schema cannot express — name patterns in the supported glob language, rule
// names repol knows, and exemption dates at most a year ahead of the time the file is used.
import type { Exemption } from "../domain/exemption-use.js";
import type { ConfigError } from "./decision.js";
import { globSyntaxProblem, unsupportedGlobProblem } from "./glob-syntax.js";
import { escapePointerSegment } from "./locate-yaml-node.js";
import { configFailed, parseConfigFile } from "./parse-config-file.js";

export type { Exemption };

export const ORG_CONFIG_PATH = ".repol/org.yaml";

export type UnconfiguredPullRequests = "skip" | "neutral" | "fail";

/** `.repol/org.yaml` after validation; see schemas/org.schema.json. */
export interface OrgConfig {
  version: 1;
  scope?: OrgScope;
  unconfigured_pull_requests: UnconfiguredPullRequests;
  minimums?: OrgMinimums;
  exemptions?: Exemption[];
}

export interface OrgScope {
  include?: string[];
  exclude?: string[];
}

/** Each rule optional: an absent rule sets no minimum. */
export interface DeployMinimumRules {
  approvals_required?: number;
  allowed_branches?: string[];
  tests_passed?: boolean;
  required_checks?: string[];
  signed_off?: boolean;
  max_deployments_per_day?: number;
}

export interface PullRequestMinimumRules {
  allowed_target_branches?: string[];
  approvals_required?: number;
  signed_off?: boolean;
}

export interface OrgMinimums {
  deploy?: { environments: Record<string, { rules: DeployMinimumRules }> };
  pullrequest?: { rules: PullRequestMinimumRules };
}

/** Built-in rule names an exemption may cover; custom rules are named by their package. */
export const BUILT_IN_RULES = [
  "approvals_required",
  "allowed_branches",
  "tests_passed",
  "signed_off",
  "max_deployments_per_day",
  "deploy_windows",
  "freeze",
  "branch_rules",
  "allowed_target_branches",
] as const;

const CUSTOM_PACKAGE = /^repol\.(deploy|pullrequest)\.[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export type OrgConfigResult = { ok: true; config: OrgConfig } | { ok: false; errors: ConfigError[] };

export function parseOrgConfig(text: string | Uint8Array, { now, file = ORG_CONFIG_PATH }: { now: Date; file?: string }): OrgConfigResult {
  const parsed = parseConfigFile("org", text, file, "version");
  if (!parsed.ok) return parsed;
  const config = parsed.data as OrgConfig;
  const errors = semanticProblems(config, now).map(({ path, message, at }) => ({
    file,
    ...(at === "key" ? parsed.locate.keyAt(path) : parsed.locate.valueAt(path)),
    path,
    message,
  }));
  return errors.length > 0 ? configFailed(errors) : { ok: true, config };
}

type Problem = { path: string; message: string; at: "key" | "value" };

function semanticProblems(config: OrgConfig, now: Date): Problem[] {
  const problems: Problem[] = [];
  const checkGlobs = (path: string, patterns: string[] | undefined) => {
    for (const [i, pattern] of (patterns ?? []).entries()) checkGlob(`${path}/${i}`, pattern, "value");
  };
  const checkGlob = (path: string, pattern: string, at: Problem["at"]) => {
    const problem = globSyntaxProblem(pattern) ?? unsupportedGlobProblem(pattern);
    if (problem !== null) problems.push({ path, at, message: `name pattern ${JSON.stringify(pattern)} is invalid: ${problem}` });
  };
  checkGlobs("/scope/include", config.scope?.include);
  checkGlobs("/scope/exclude", config.scope?.exclude);
  for (const pattern of Object.keys(config.minimums?.deploy?.environments ?? {})) {
    checkGlob(`/minimums/deploy/environments/${escapePointerSegment(pattern)}`, pattern, "key");
  }
  (config.exemptions ?? []).forEach((exemption, i) => {
    const at = `/exemptions/${i}`;
    checkGlob(`${at}/repository`, exemption.repository, "value");
    checkGlobs(`${at}/environments`, exemption.environments);
    exemption.rules.forEach((rule, k) => {
      if ((BUILT_IN_RULES as readonly string[]).includes(rule) || CUSTOM_PACKAGE.test(rule)) return;
      const known = BUILT_IN_RULES.map((name) => `\`${name}\``).join(", ");
      const message = `unknown rule \`${rule}\`; name a built-in rule (${known}) or a custom rule package such as \`repol.deploy.my_rule\``;
      problems.push({ path: `${at}/rules/${k}`, at: "value", message });
    });
    const expiryProblem = expiryProblemOf(exemption.expires, now);
    if (expiryProblem !== null) problems.push({ path: `${at}/expires`, at: "value", message: expiryProblem });
  });
  return problems;
}

/** The first instant after `expires` (a YYYY-MM-DD date, the last day it applies), or null when it is no calendar date. */
export function endOfExpiryDay(expires: string): Date | null {
  const day = new Date(`${expires}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== expires) return null;
  return new Date(day.getTime() + 24 * 60 * 60 * 1000);
}

// An exemption is a time-boxed exception: one that runs for years is a policy change in disguise.
function expiryProblemOf(expires: string, now: Date): string | null {
  const end = endOfExpiryDay(expires);
  if (end === null) return `\`expires\` ${JSON.stringify(expires)} is not a calendar date; write YYYY-MM-DD`;
  const limit = new Date(now.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + 1);
  if (end.getTime() - 24 * 60 * 60 * 1000 > limit.getTime()) {
    return `\`expires\` ${expires} is more than one year ahead (latest allowed today: ${limit.toISOString().slice(0, 10)}); renew the exemption closer to its end instead`;
  }
  return null;
}
