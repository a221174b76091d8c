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
  const text = `repol has not decided the deployment to ${escapeMarkdown(environment)} yet: ${escapeMarkdown(report)}. It approves as soon as every rule passes and rejects at ${deadline.toISOString()} at the latest.`;
  return fitToBytes(text, DEPLOYMENT_COMMENT_MAX_BYTES);
}
