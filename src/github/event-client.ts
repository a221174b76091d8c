// The client one event's handler gets: a thin Octokit (REST methods, pagination, GraphQL; no auth, no
// plugins of its own) whose every request is sent by the installation's shared client, tagged with the
// event's tally. Its methods build requests the same way; the shared client adds everything else once
// (token, timeouts, retries, rate-limit waits, mutation pacing, counting, logging). Building one costs
// tens of microseconds, where a full client per delivery cost more than the decision.
import { Octokit as Thin } from "@octokit/rest";
import { EVENT_OPTION, type EventTally } from "./count-requests.js";
import type { GitHub } from "./github-client.js";

type Options = { headers?: Record<string, unknown>; request?: Record<string, unknown> };

/** `shared`, as seen by one event: the same requests, each counted into `tally`. */
export function clientForEvent(shared: GitHub, tally: EventTally): GitHub {
  const thin = new Thin({ baseUrl: shared.request.endpoint.DEFAULTS.baseUrl });
  thin.hook.wrap("request", (_thinRequest, options: Options) => {
    // The thin client's own hook and user agent stay behind; the shared client supplies its own.
    const { hook: _hook, ...request } = options.request ?? {};
    const { "user-agent": _agent, ...headers } = options.headers ?? {};
    return shared.request({ ...options, headers, request: { ...request, [EVENT_OPTION]: tally } } as never);
  });
  // The App's own authentication (e.g. its id) is the shared client's.
  return Object.assign(thin, { auth: shared.auth, log: shared.log }) as unknown as GitHub;
}
