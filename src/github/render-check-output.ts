// A pull request verdict as Check Run output: a title with the verdict, a rule-by-rule table, the
// facts used, and annotations on the config file when the config itself is the problem.
import type { PullRequestBasis } from "../core/decide-pull-request.js";
import type { SignOffVerdict } from "../core/judge-sign-off.js";
import type { PullRequestUnderReview } from "../domain/pull-request.js";
import type { Violation } from "../domain/verdict.js";
import { CONFIG_PATHS, type PullRequestConfig } from "../policy/load-repo-config.js";
import type { CheckConclusion, CheckRunOutput } from "./check-run.js";
import { renderConfigProblems, renderMissingPolicy, type CheckParts } from "./render-config-problems.js";
import { customRuleAnnotations, customRuleRows, type CustomRulesShown } from "./render-custom-rules.js";
import { countOf, escapeMarkdown } from "./render-violations.js";
import { renderTightened } from "./render-tightened.js";

export interface PullRequestShown {
  number: number;
  headRef: string;
  baseRef: string;
  /** "owner/name" of the head repository when it is a fork ("(deleted)" once the fork is gone), else null. */
  forkOf: string | null;
  draft: boolean;
  defaultBranch: string;
  configPath: string;
}

/** What the check shows of the pull request itself. */
export function shownOf(pr: PullRequestUnderReview): PullRequestShown {
  const base = `${pr.owner}/${pr.repo}`.toLowerCase();
  return {
    number: pr.number,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    forkOf: pr.headRepo === null ? "(deleted)" : pr.headRepo.toLowerCase() !== base ? pr.headRepo : null,
    draft: pr.draft,
    defaultBranch: pr.defaultBranch,
    configPath: CONFIG_PATHS.pullrequest,
  };
}

export interface RenderedCheck {
  conclusion: CheckConclusion;
  output: CheckRunOutput;
  /** The decision's page on repol's audit UI, shown by GitHub as the check's "Details" link. */
  detailsUrl?: string | null;
}

// Rule rows in a fixed order; each maps to the violation code prefix github.pullrequest uses.
const RULES = [
  { code: "branch_naming", name: "branch_rules" },
  { code: "target_branch", name: "allowed_target_branches" },
  { code: "approvals", name: "approvals_required" },
  { code: "signoff", name: "signed_off" },
] as const;

/** `customRules`: the `.repol/policies` rules judged beside the built-in ones, when there were any. */
export function renderCheckOutput(pr: PullRequestShown, basis: PullRequestBasis, customRules?: CustomRulesShown): RenderedCheck {
  const draft = pr.draft ? "Draft: " : "";
  const draftNote = pr.draft ? "> **This pull request is a draft.** repol evaluated it as it stands; the verdict is updated as it changes.\n\n" : "";
  const parts = renderBasis(pr, basis, customRules);
  const rendered = { ...parts, annotations: [...parts.annotations, ...customRuleAnnotations(customRules?.applied)] };
  return {
    conclusion: rendered.conclusion,
    output: {
      title: `${draft}${rendered.title}`,
      summary: `${draftNote}${rendered.summary}`,
      text: renderFacts(pr, basis),
      ...(rendered.annotations.length > 0 ? { annotations: rendered.annotations } : {}),
    },
  };
}

/** The failing output for when repol could not evaluate, also when it does not know the pull request yet. */
export function renderEvaluationError(message: string): RenderedCheck {
  return { conclusion: "failure", output: evaluationError(message) };
}

function evaluationError(message: string): { title: string; summary: string } {
  return {
    title: "repol could not evaluate this pull request",
    summary: `repol could not evaluate: ${escapeMarkdown(message)}\n\nThe check fails until repol can evaluate the rules. Once the cause is fixed, use **Re-run** on this check.`,
  };
}

function renderBasis(pr: PullRequestShown, basis: PullRequestBasis, customRules: CustomRulesShown | undefined): CheckParts {
  if (basis.kind === "error") return { conclusion: "failure", annotations: [], ...evaluationError(basis.message) };
  if (basis.kind === "config_invalid") return renderConfigProblems(pr.configPath, pr.defaultBranch, basis.errors);
  if (basis.kind === "not_judged") {
    const { answer } = basis;
    // Only an answer to post reaches here: the handler posts nothing for the others.
    if (!answer.post) return { conclusion: "neutral", title: "Not judged", summary: "No repol policy applies to this pull request.", annotations: [] };
    return { conclusion: answer.conclusion, title: answer.title, summary: escapeMarkdown(answer.summary), annotations: [] };
  }
  const { result } = basis;
  if (result.violations.some((v) => v.code === "policy.missing")) return renderMissingPolicy(pr.configPath, pr.defaultBranch);

  const rows = ruleRows(pr, basis);
  const custom = customRuleRows(customRules);
  const allow = result.allow && !custom.some((row) => row.status === "❌");
  rows.push(...custom);
  const failed = rows.filter((row) => row.status === "❌");
  const warned = rows.filter((row) => row.status === "⚠️");
  const title = !allow
    ? `${failed.length} of ${rows.length} rule${rows.length === 1 ? "" : "s"} failed: ${failed.map((row) => row.name).join(", ")}`
    : warned.length > 0
      ? `No blocking rule failed for ${pr.baseRef}; ${countOf(warned.length, "warning")}: ${warned.map((row) => row.name).join(", ")}`
      : `All rules pass for ${pr.baseRef}`;
  const table = ["| | Rule | Result |", "|---|---|---|", ...rows.map((row) => `| ${row.status} | \`${row.name}\` | ${row.reason} |`)];
  const legend = [
    rows.some((row) => row.status === "➖") ? `\n\n➖ not configured in \`${pr.configPath}\`, so not enforced.` : "",
    warned.length > custom.filter((row) => row.status === "⚠️").length
      ? `\n\n⚠️ failed, but ${warnedBecause(
          result.warnings.filter((v) => typeof v.package !== "string"),
          pr.configPath,
        )}: reported, not blocking.`
      : "",
    custom.some((row) => row.status === "⚠️")
      ? "\n\n⚠️ on a custom rule: its `warn` rule matched, or an organisation exemption covers it; reported, not blocking."
      : "",
  ].join("");
  return {
    conclusion: allow ? "success" : "failure",
    title,
    summary: [`${table.join("\n")}${legend}`, renderTightened(basis.tightened ?? [])].filter((part) => part !== "").join("\n\n"),
    annotations: [],
  };
}

interface RuleRow {
  status: "✅" | "❌" | "⚠️" | "➖";
  name: string;
  reason: string;
}

function ruleRows(pr: PullRequestShown, basis: Extract<PullRequestBasis, { kind: "decided" }>): RuleRow[] {
  const { result, config, approvers, signOff } = basis;
  const ruleOf = (v: Violation) => v.code.split(".")[0];
  const rows: RuleRow[] = RULES.map(({ code, name }) => {
    const violation = result.violations.find((v) => ruleOf(v) === code);
    const warning = result.warnings.find((v) => ruleOf(v) === code);
    const failure = violation ?? warning;
    if (failure) {
      const detail = code === "signoff" && signOff ? ` — ${signOff.reason}` : "";
      return { status: violation ? "❌" : "⚠️", name, reason: escapeMarkdown(`${failure.msg}${detail}`) };
    }
    return passingRow(pr, code, name, config, approvers, signOff);
  });
  // Findings outside the four rules (malformed input or policy) get a row each, never a silent pass;
  // custom rule findings (they name their package) get theirs from render-custom-rules.ts.
  const custom = (v: Violation) => typeof v.package === "string";
  const others = (found: Violation[], status: RuleRow["status"]): RuleRow[] =>
    found.filter((v) => !custom(v) && !RULES.some(({ code }) => code === ruleOf(v))).map((v) => ({ status, name: v.code, reason: escapeMarkdown(v.msg) }));
  rows.push(...others(result.violations, "❌"), ...others(result.warnings, "⚠️"));
  if (!result.allow && !rows.some((row) => row.status === "❌") && !result.violations.some(custom)) {
    rows.push({ status: "❌", name: "policy", reason: "The policy denied this pull request without naming a rule." });
  }
  return rows;
}

function passingRow(
  pr: PullRequestShown,
  code: (typeof RULES)[number]["code"],
  name: string,
  config: PullRequestConfig | null,
  approvers: string[] | null,
  signOff: SignOffVerdict | null,
): RuleRow {
  const policy = config?.policy;
  const rules: Partial<PullRequestConfig["policy"]["rules"]> = policy?.rules ?? {};
  const flow = `${escapeMarkdown(pr.headRef)} → ${escapeMarkdown(pr.baseRef)}`;
  const off = (reason: string): RuleRow => ({ status: "➖", name, reason });
  const ok = (reason: string): RuleRow => ({ status: "✅", name, reason });
  switch (code) {
    case "branch_naming":
      return (policy?.branch_rules ?? []).length === 0 ? off(`no branch rules; ${flow} allowed`) : ok(`${flow} matches a branch rule`);
    case "target_branch":
      return rules.allowed_target_branches == null ? off("any target branch allowed") : ok(`${escapeMarkdown(pr.baseRef)} is an allowed target`);
    case "approvals": {
      const count = approvers?.length ?? 0;
      const got = `${count} approval${count === 1 ? "" : "s"}`;
      return !rules.approvals_required ? off(`none required (${got})`) : ok(`${got}, ${rules.approvals_required} required`);
    }
    case "signoff":
      return rules.signed_off !== true ? off("sign-off not required") : ok(escapeMarkdown(signOff?.reason ?? "signed off"));
  }
}

function renderFacts(pr: PullRequestShown, basis: PullRequestBasis): string {
  const lines = [
    "### Facts used",
    "",
    `- Pull request: #${pr.number}${pr.draft ? " (draft)" : ""}`,
    `- Head branch: ${escapeMarkdown(pr.headRef)}${pr.forkOf ? ` (from fork ${escapeMarkdown(pr.forkOf)})` : ""}`,
    `- Base branch: ${escapeMarkdown(pr.baseRef)}`,
    `- Policy file: ${pr.configPath} on the default branch ${escapeMarkdown(pr.defaultBranch)}`,
  ];
  if (basis.kind === "decided") {
    const approvers = basis.approvers;
    lines.push(
      approvers === null
        ? "- Approvers: not read"
        : `- Approvers (latest review approves; the author never counts): ${approvers.length === 0 ? "none" : approvers.map(escapeMarkdown).join(", ")}`,
      basis.signOff === null ? "- Sign-off: not read" : `- Sign-off: ${escapeMarkdown(basis.signOff.reason)}`,
    );
  }
  return lines.join("\n");
}

/** Why a failed rule only warns: the config's `warn`, or an organisation exemption (its message names who and until when). */
function warnedBecause(warnings: readonly Violation[], configPath: string): string {
  const exempted = warnings.some((v) => v.exemption !== undefined);
  const set = warnings.some((v) => v.exemption === undefined);
  const reasons = [...(set ? [`set to \`warn\` in \`${configPath}\``] : []), ...(exempted ? ["exempted by the organisation (see the row)"] : [])];
  return reasons.join(", or ");
}
