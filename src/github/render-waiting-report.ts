// The status report GitHub shows on a job waiting for repol: what is still missing and until when.
import { DEPLOYMENT_COMMENT_MAX_BYTES } from "./render-deployment-comment.js";
import { fitToBytes } from "./fit-to-bytes.js";
import { escapeMarkdown } from "./render-violations.js";

export interface WaitingReportFacts {
  environment: string;
  /** "waiting for checks: e2e (in_progress); 1 more approval" */
  report: string;
  deadline: Date;
}

export function renderWaitingReport({ environment, report, deadline }: WaitingReportFacts): string {
  const opening = `repol has not decided the deployment to ${escapeMarkdown(environment)} yet: `;
  const closing = `. It approves as soon as every rule passes and rejects at ${deadline.toISOString()} at the latest.`;
  // A long list of checks is what gets cut, so the report still says when the wait ends.
  const room = DEPLOYMENT_COMMENT_MAX_BYTES - Buffer.byteLength(opening + closing, "utf8");
  const text = room > 0 ? `${opening}${fitToBytes(escapeMarkdown(report), room)}${closing}` : opening + escapeMarkdown(report) + closing;
  return fitToBytes(text, DEPLOYMENT_COMMENT_MAX_BYTES);
}
