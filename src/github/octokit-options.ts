// How repol's Octokit behaves when GitHub is slow, failing or rate limiting: every request is abandoned
// after a timeout; 5xx, 429 and timeouts are retried with growing pauses (Octokit's retry plugin);
// rate limits are waited out a bounded number of times (Octokit's throttling plugin), and what is
// still failing after that is left to the outbox, which retries later rather than blocking now.
import { ProbotOctokit } from "probot";

export interface OctokitTuning {
  /** One attempt of one request is abandoned after this long. */
  timeoutMs: number;
  /** Retries after a 5xx, 429 or no answer (3: four attempts in all). */
  retries?: number;
  /** Scales the pauses between retries (1, 4, 9 ... × this); tests make it small. */
  retryBaseMs?: number;
  /** Times a rate-limited request is waited out before giving up. */
  rateLimitRetries?: number;
  /** A rate limit resetting later than this is not waited for inline. */
  maxRateLimitWaitSeconds?: number;
  /** Scales GitHub's Retry-After (seconds) into a wait; tests make it small. */
  rateLimitBaseMs?: number;
}

type Log = { warn(message: string): void };
type LimitedRequest = { method?: string; url?: string };
type OctokitClass = typeof ProbotOctokit;

/** 4xx answers that would be the same on a retry; 429 and 5xx are retried. */
export const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];

/** fetch with a per-call timeout, so a retry gets a fresh one. */
export function timedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted) throw new Error(`GitHub did not answer within ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  };
}

/** The Octokit options, in the function form Probot needs to keep its own defaults (auth, logging). */
export function octokitOptions(tuning: OctokitTuning) {
  const rateLimitRetries = tuning.rateLimitRetries ?? 2;
  const maxWait = tuning.maxRateLimitWaitSeconds ?? 60;
  const onLimit = (kind: string) => (retryAfter: number, request: LimitedRequest, octokit: { log: Log }, retryCount: number) => {
    const retry = retryCount < rateLimitRetries && retryAfter <= maxWait;
    octokit.log.warn(
      `GitHub ${kind} on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${rateLimitRetries})` : "giving up for now"}`,
    );
    return retry;
  };
  return (options: Record<string, unknown>) => ({
    ...options,
    request: { ...(options.request as object), fetch: timedFetch(tuning.timeoutMs) },
    retry: { ...(options.retry as object), retries: tuning.retries ?? 3, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: tuning.retryBaseMs ?? 1_000 },
    throttle: {
      ...(options.throttle as object),
      ...installationThrottleKey(options),
      enabled: true,
      retryAfterBaseValue: tuning.rateLimitBaseMs ?? 1_000,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  });
}

/**
 * GitHub paces writes per installation, and so does Octokit's throttling when its `id` names the
 * installation. Probot sets that id only when throttling was on before it built the installation
 * client; turning it on here must set it too, or every installation shares one write per second.
 */
function installationThrottleKey(options: Record<string, unknown>): { id?: string } {
  const installationId = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return typeof installationId === "number" || typeof installationId === "string" ? { id: `installation-${installationId}` } : {};
}

/** ProbotOctokit (or a subclass with more plugins) configured for repol. */
export function repolOctokit(tuning: OctokitTuning, base: OctokitClass = ProbotOctokit): OctokitClass {
  return base.defaults(octokitOptions(tuning)) as OctokitClass;
}

/** Options for createProbot's `overrides`: the Octokit above, and the timeout on App token requests too. */
export function probotGitHubOverrides(tuning: OctokitTuning, base: OctokitClass = ProbotOctokit) {
  return { Octokit: repolOctokit(tuning, base), request: { fetch: timedFetch(tuning.timeoutMs) } };
}
