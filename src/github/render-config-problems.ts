// Check output for a pull request policy that cannot be applied: the file is missing on the default
// branch, or it is there but invalid. Both fail, point at the file and say how to fix it.
import type { ConfigError } from "../policy/decision.js";
import { renderConfigErrors } from "../policy/load-repo-config.js";
import type { CheckAnnotation, CheckConclusion } from "./check-run.js";
import { escapeMarkdown, renderViolations } from "./render-violations.js";

/** A verdict's check output before draft notes and facts are added. */
export interface CheckParts {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

export function renderMissingPolicy(path: string, defaultBranch: string): CheckParts {
  return {
    conclusion: "failure",
    title: `No pull request policy on ${defaultBranch}`,
    summary: [
      `❌ \`policy.missing\`: \`${path}\` does not exist on the default branch ${escapeMarkdown(defaultBranch)}.`,
      "",
      "repol reads the rules only from the default branch, so a pull request cannot change the rules it is judged by.",
      `To fix it, merge a \`${path}\` like this into ${escapeMarkdown(defaultBranch)}, then re-run this check:`,
      "",
      "```yaml",
      "policy:",
      "  version: 1",
      "  rules:",
      "    approvals_required: 1",
      "```",
    ].join("\n"),
    annotations: [
      { path, start_line: 1, end_line: 1, annotation_level: "failure", title: "policy.missing", message: `${path} is missing on ${defaultBranch}` },
    ],
  };
}

export function renderConfigProblems(ownPath: string, defaultBranch: string, errors: ConfigError[]): CheckParts {
  // The broken file may be the organisation's (named with its .github repository); annotations can
  // only mark files of the repository the check run is on.
  const path = errors[0]?.file ?? ownPath;
  const own = errors.filter((e) => e.file.startsWith(".repol/"));
  const violations = errors.map((e) => ({ code: "config.invalid", msg: renderConfigErrors([e]) }));
  return {
    conclusion: "failure",
    title: `Invalid ${path}: ${errors.length} problem${errors.length === 1 ? "" : "s"}`,
    summary: [
      `\`${path}\` on the default branch ${escapeMarkdown(defaultBranch)} is not a valid pull request policy, so no rule was evaluated.`,
      "",
      renderViolations(violations),
      "",
      `To fix it, correct the lines above (annotations mark them) and merge the fix into ${escapeMarkdown(defaultBranch)}; then re-run this check.`,
      "The format is described by `schemas/pullrequest.schema.json`; unknown keys are errors.",
    ].join("\n"),
    annotations: configErrorAnnotations(own),
  };
}

/** One failure annotation per config error, at its file, line and column. */
export function configErrorAnnotations(errors: readonly ConfigError[]): CheckAnnotation[] {
  return errors.map((e) => ({
    path: e.file,
    start_line: Math.max(1, e.line),
    end_line: Math.max(1, e.line),
    start_column: Math.max(1, e.column),
    end_column: Math.max(1, e.column),
    annotation_level: "failure",
    title: e.path ? `Invalid ${e.path}` : "Invalid configuration",
    message: e.message,
  }));
}
