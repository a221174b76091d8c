// The comment that goes with a deployment protection rule answer; it is all a blocked user sees.
import type { Violation, VerdictOutcome } from "../domain/verdict.js";
import { fitToBytes } from "./fit-to-bytes.js";
import type { Tightening } from "../org/tighten-rules.js";
import { countOf, escapeMarkdown, renderViolations } from "./render-violations.js";
import { renderTightened } from "./render-tightened.js";

/**
 * GitHub documents no size limit for this comment, so repol assumes a small one: 1,024 bytes, the
 * common cap of short GitHub text fields. A longer comment is cut with a note rather than risking a
 * refused callback, which would leave the deployment waiting.
 */
export const DEPLOYMENT_COMMENT_MAX_BYTES = 1024;

export interface DeploymentCommentFacts {
  outcome: VerdictOutcome;
  environment: string;
  violations: readonly Violation[];
  /** Failed rules set to `warn`: listed apart, whatever the outcome. */
  warnings?: readonly Violation[];
  error: string | null;
  /** The decision's page on repol's audit UI; kept whole when the rest is cut to fit. */
  link?: string | null;
  /** Rules organisation minimums made stricter: said after the verdict, so the team knows why. */
  tightened?: readonly Tightening[];
}

export function renderDeploymentComment({
  outcome,
  environment,
  violations,
  warnings = [],
  error,
  link = null,
  tightened = [],
}: DeploymentCommentFacts): string {
  const env = escapeMarkdown(environment);
  let text: string;
  if (outcome === "allow" && warnings.length > 0) {
    const why = warnings.every((v) => v.exemption !== undefined) ? "exempted by the organisation" : "rules set to warn do not block";
    text = `repol approved the deployment to ${env} with ${countOf(warnings.length, "warning")} (${why}):\n${renderViolations(warnings, { warning: true })}`;
  } else if (outcome === "allow") {
    text = `repol approved the deployment to ${env}: every rule passed.`;
  } else if (outcome === "error") {
    text = `repol rejected the deployment to ${env} because it could not evaluate it: ${escapeMarkdown(error ?? "unknown error")}. Nothing deploys unchecked; fix the cause and re-run the job.`;
  } else if (violations.length === 0) {
    text = `repol rejected the deployment to ${env}: the policy did not allow it and named no reason.`;
  } else {
    text = `repol rejected the deployment to ${env} (${countOf(violations.length, "problem")}):\n${renderViolations(violations)}`;
  }
  // Blocking problems come first, so a cut to fit drops warnings before them.
  if (outcome !== "allow" && warnings.length > 0)
    text += `\n${countOf(warnings.length, "warning")}, not blocking:\n${renderViolations(warnings, { warning: true })}`;
  if (tightened.length > 0) text += `\n${renderTightened(tightened)}`;
  const details = link === null ? "" : `\nDetails: ${link}`;
  // A link that would crowd out the verdict's reasons is left out (PUBLIC_URL is short in practice).
  if (details === "" || Buffer.byteLength(details, "utf8") > DEPLOYMENT_COMMENT_MAX_BYTES / 4) return fitToBytes(text, DEPLOYMENT_COMMENT_MAX_BYTES);
  return fitToBytes(text, DEPLOYMENT_COMMENT_MAX_BYTES - Buffer.byteLength(details, "utf8")) + details;
}
