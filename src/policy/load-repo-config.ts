// A repository's `.repol/*.yaml`: bytes → YAML → plain data → schema → typed config,
// or errors that name file, line, column and field. Never throws on bad input.
import type { PolicyName } from "../domain/policy-name.js";
import type { Weekday } from "../domain/weekday.js";
import type { ConfigError } from "./decision.js";
import { escapePointerSegment, type YamlLocator } from "./locate-yaml-node.js";
import { configFailed, parseConfigFile } from "./parse-config-file.js";
import { scheduleProblems } from "./schedule-problems.js";
import type { WaitSettings } from "./wait-config.js";

export const CONFIG_PATHS: Record<PolicyName, string> = {
  deploy: ".repol/deploy.yaml",
  pullrequest: ".repol/pullrequest.yaml",
};

/** Format 1, as repol writes it (`1`) or as gitpoli does (`"1.0.0"`, `"1.0"`, any `"1.x"`). */
export type FormatVersion = 1 | string;

/** Free-form notes (gitpoli's `description`, `last_updated`, …); no rule reads them. */
export type PolicyMetadata = Record<string, unknown>;

/** `.repol/deploy.yaml` after validation; see schemas/deploy.schema.json for each field's meaning. */
export interface DeployConfig {
  policy: {
    version: FormatVersion;
    metadata?: PolicyMetadata;
    environments: Record<string, DeployEnvironment>;
  };
}

export interface DeployEnvironment {
  enabled: boolean;
  rules: DeployRules;
  /** Absent, or a rule left out: that rule blocks. */
  enforcement?: Enforcement<DeployRuleName>;
  /** Absent: every deployment is answered at once. */
  wait?: WaitSettings;
}

/** What a failure of a built-in rule does: `block` rejects, `warn` is reported and lets it through. */
export type EnforcementLevel = "warn" | "block";

export type Enforcement<Rule extends string> = Partial<Record<Rule, EnforcementLevel>>;

/** The rules a deployment environment can set to warn; `tests_passed` covers `required_checks`. */
export type DeployRuleName =
  | "approvals_required"
  | "allowed_branches"
  | "tests_passed"
  | "signed_off"
  | "max_deployments_per_day"
  | "deploy_windows"
  | "freeze";

export type PullRequestRuleName = "branch_rules" | "allowed_target_branches" | "approvals_required" | "signed_off";

export interface DeployRules {
  approvals_required: number;
  /** null: any branch. */
  allowed_branches: string[] | null;
  tests_passed: boolean;
  /** Absent: `tests_passed` looks at every check. */
  required_checks?: string[];
  signed_off: boolean;
  /** Absent or 0: no limit. */
  max_deployments_per_day?: number;
  /** Absent: any time. A deployment must fall inside one window. */
  deploy_windows?: DeployWindow[];
  /** Absent: no freeze. */
  freeze?: Freeze[];
}

/** Local weekdays and [from, to) on the clock of `timezone`; "HH:MM", `to` may be "24:00". */
export interface DeployWindow {
  days: Weekday[];
  from: string;
  to: string;
  timezone: string;
}

/** No deployment in [from, to); RFC 3339 instants with an offset. */
export interface Freeze {
  from: string;
  to: string;
  reason: string;
}

/** `.repol/pullrequest.yaml` after validation; see schemas/pullrequest.schema.json. */
export interface PullRequestConfig {
  policy: {
    version: FormatVersion;
    metadata?: PolicyMetadata;
    branch_rules: BranchRule[];
    rules: PullRequestRules;
    /** Absent, or a rule left out: that rule blocks. */
    enforcement?: Enforcement<PullRequestRuleName>;
  };
}

export interface BranchRule {
  source: string;
  target: string;
}

export interface PullRequestRules {
  /** null: any branch. */
  allowed_target_branches: string[] | null;
  approvals_required: number;
  signed_off: boolean;
}

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; errors: ConfigError[] };

export function parseRepoConfig(kind: "deploy", text: string | Uint8Array, file?: string): ConfigResult<DeployConfig>;
export function parseRepoConfig(kind: "pullrequest", text: string | Uint8Array, file?: string): ConfigResult<PullRequestConfig>;
export function parseRepoConfig(kind: PolicyName, text: string | Uint8Array, file?: string): ConfigResult<DeployConfig | PullRequestConfig>;
export function parseRepoConfig(
  kind: PolicyName,
  text: string | Uint8Array,
  file: string = CONFIG_PATHS[kind],
): ConfigResult<DeployConfig | PullRequestConfig> {
  const parsed = parseConfigFile(kind, text, file, "policy");
  if (!parsed.ok) return parsed;
  const { data, locate } = parsed;
  if (kind === "deploy") {
    const config = data as DeployConfig;
    const clashes = [...environmentNameClashes(config, locate, file), ...scheduleProblems(config, locate, file)];
    return clashes.length > 0 ? configFailed(clashes) : { ok: true, config };
  }
  return { ok: true, config: data as PullRequestConfig };
}

/** One line per error: `file:line:col: message (at /path)`. */
export function renderConfigErrors(errors: ConfigError[]): string {
  return errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}${e.path === "" ? "" : ` (at ${e.path})`}`).join("\n");
}

// GitHub treats `Production` and `production` as one environment, so two entries
// would leave it ambiguous which rules apply.
function environmentNameClashes(config: DeployConfig, locate: YamlLocator, file: string): ConfigError[] {
  const seen = new Map<string, string>();
  const errors: ConfigError[] = [];
  for (const name of Object.keys(config.policy.environments)) {
    const first = seen.get(name.toLowerCase());
    if (first === undefined) {
      seen.set(name.toLowerCase(), name);
      continue;
    }
    const path = `/policy/environments/${escapePointerSegment(name)}`;
    const message = `environment \`${name}\` is the same GitHub environment as \`${first}\` (names are case-insensitive); keep one entry`;
    errors.push({ file, ...locate.keyAt(path), path, message });
  }
  return errors;
}
