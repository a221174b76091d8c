// Which failed GitHub requests repol makes again at once, and how often. In place of Octokit's retry
// plugin, which cannot tell a refused connection from a server error (both reach it as "status 500")
// and retries a request whose installation token could not be fetched after already retrying the
// token request itself: 4 × 4 attempts, minutes, for one fact of one decision.
import { noAnswerOf, statusOf } from "./github-client.js";

/** 4xx answers that would be the same on a retry; 429 and 5xx are retried. */
export const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 451];

export interface RetryTuning {
  /** Retries after GitHub answered 5xx or 429 (or dropped the connection mid-way). */
  retries: number;
  /** Retries after GitHub did not answer within the request timeout. */
  timeoutRetries: number;
  /** Pauses grow as 1, 4, 9 … × this. */
  retryBaseMs: number;
  /** Waits between attempts; tests may inject their own. */
  sleep?: (ms: number) => Promise<void>;
}

type Request = (options: object) => Promise<unknown>;
interface RequestHookHost {
  hook: { wrap(name: "request", wrapper: (request: Request, options: object) => Promise<unknown>): void };
}

/** How many retries this failure deserves: none for a connection that cannot be made, nor for 4xx that would repeat. */
export function retriesFor(error: unknown, tuning: Pick<RetryTuning, "retries" | "timeoutRetries">): number {
  const status = statusOf(error);
  if (status !== undefined) return DO_NOT_RETRY.includes(status) || status < 400 ? 0 : tuning.retries;
  const noAnswer = noAnswerOf(error);
  if (noAnswer?.reason === "connect") return 0;
  if (noAnswer?.reason === "timeout") return tuning.timeoutRetries;
  // No answer for another reason (connection reset, socket hang up): may pass like a 502.
  return typeof (error as { request?: unknown } | null)?.request === "object" ? tuning.retries : 0;
}

/** The Octokit plugin: `ProbotOctokit.plugin(retryRequests(tuning))`. */
export function retryRequests(tuning: RetryTuning): (octokit: RequestHookHost) => void {
  const sleep = tuning.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return (octokit) => {
    // A failure this hook already retried, seen again by an outer request: the installation token is
    // fetched through the same Octokit from inside the request that needs it. Retried once, not twice.
    const spent = new WeakSet<object>();
    octokit.hook.wrap("request", async (request, options) => {
      for (let retry = 0; ; retry++) {
        try {
          return await request(options);
        } catch (error) {
          const again = typeof error === "object" && error !== null && !spent.has(error) && retry < retriesFor(error, tuning);
          if (!again) {
            if (typeof error === "object" && error !== null) spent.add(error);
            throw error;
          }
          await sleep((retry + 1) ** 2 * tuning.retryBaseMs);
        }
      }
    });
  };
}
