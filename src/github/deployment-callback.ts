// Answering a deployment protection rule. The installation token must only ever go to the GitHub API
// repol is configured for, so the callback URL from the webhook is checked, never fetched as given.
import type { CallbackTarget, CallbackTargetResult } from "../domain/deployment-request.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { describeFailure, statusOf, type GitHub } from "./github-client.js";

/**
 * Accepts exactly `<apiBaseUrl>/repos/<owner>/<repo>/actions/runs/<id>/deployment_protection_rule`
 * for the repository of the webhook; anything else (another host, port, scheme, repository, extra
 * query or credentials) is refused.
 */
export function parseCallbackUrl(url: unknown, apiBaseUrl: string, owner: string, repo: string): CallbackTargetResult {
  if (typeof url !== "string" || url === "") return { ok: false, reason: "the webhook has no deployment_callback_url" };
  let given: URL;
  let base: URL;
  try {
    given = new URL(url);
    base = new URL(apiBaseUrl);
  } catch {
    return { ok: false, reason: `deployment_callback_url is not a URL: ${JSON.stringify(url.slice(0, 200))}` };
  }
  const refuse = (why: string): CallbackTargetResult => ({
    ok: false,
    reason: `deployment_callback_url ${JSON.stringify(url.slice(0, 200))} ${why}; repol only calls the configured GitHub API ${base.origin}`,
  });
  if (given.origin !== base.origin) return refuse("points to another host");
  if (given.username || given.password || given.search || given.hash) return refuse("carries credentials, a query or a fragment");
  const prefix = `${base.pathname.replace(/\/+$/, "")}/repos/`;
  if (!given.pathname.startsWith(prefix)) return refuse("is not under the API's /repos/ path");
  const match = /^([^/]+)\/([^/]+)\/actions\/runs\/(\d{1,16})\/deployment_protection_rule$/.exec(given.pathname.slice(prefix.length));
  if (!match) return refuse("is not a deployment protection rule callback");
  const [, urlOwner, urlRepo, runId] = match;
  if (!sameName(urlOwner, owner) || !sameName(urlRepo, repo)) {
    return refuse(`names another repository than ${owner}/${repo}`);
  }
  const id = Number(runId);
  if (!Number.isSafeInteger(id) || id <= 0) return refuse("has an invalid run id");
  return { ok: true, owner, repo, runId: id };
}

// GitHub owner and repository names are case-insensitive.
function sameName(fromUrl: string, expected: string): boolean {
  try {
    return decodeURIComponent(fromUrl).toLowerCase() === expected.toLowerCase();
  } catch {
    return false;
  }
}

export interface DeploymentReview extends CallbackTarget {
  environment: string;
  state: "approved" | "rejected";
  comment: string;
}

/** Posts the verdict. Never throws: the outcome (including GitHub's refusal) is returned for the audit row. */
export function sendDeploymentCallback(github: GitHub, review: DeploymentReview): Promise<EffectOutcome> {
  return postToProtectionRule(github, review, { state: review.state, comment: review.comment }, "deployment_callback");
}

/**
 * One POST to the protection rule's endpoint: a decision (`state` and comment) or, without `state`, a
 * status report GitHub records while the job keeps waiting. Never throws; the outcome is returned.
 */
export async function postToProtectionRule(
  github: GitHub,
  target: CallbackTarget & { environment: string },
  body: { state?: "approved" | "rejected"; comment: string },
  kind: "deployment_callback" | "deployment_status_report",
): Promise<EffectOutcome> {
  try {
    const response = await github.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
      owner: target.owner,
      repo: target.repo,
      run_id: target.runId,
      environment_name: target.environment,
      ...body,
      // fetch would follow a redirect to any host with the verdict (it drops only the token), and the
      // 2xx from there would be recorded as GitHub's answer; a redirect here is a failed callback.
      request: { redirect: "error" },
    });
    return { kind, ok: true, status: response.status };
  } catch (error) {
    const status = statusOf(error);
    // 422 means the rule was already decided (a redelivery, or a person overrode it); retrying cannot help.
    const already = status === 422 ? "GitHub refused the callback as already decided or invalid: " : "";
    return { kind, ok: false, ...(status ? { status } : {}), error: `${already}${describeFailure(error)}` };
  }
}
