// How many HTTP requests one Octokit client made: every attempt that reached fetch, so retries, extra
// pages and the installation token request it needed are all counted. Each client Probot builds for
// a webhook gets its own counter, which makes the count one event's GitHub cost.

type Fetch = typeof fetch;

const counters = new WeakMap<Fetch, { requests: number }>();

/** `base` with a counter of its own, read back with requestsMadeBy. */
export function countingFetch(base: Fetch): Fetch {
  const counter = { requests: 0 };
  const counted: Fetch = (input, init) => {
    counter.requests++;
    return base(input, init);
  };
  counters.set(counted, counter);
  return counted;
}

interface ClientLike {
  request: { endpoint: { DEFAULTS: { request?: { fetch?: unknown } } } };
}

/** The requests made so far by a client whose fetch is a countingFetch; undefined for any other client. */
export function requestsMadeBy(github: ClientLike): number | undefined {
  const fetch = github.request.endpoint.DEFAULTS.request?.fetch;
  return typeof fetch === "function" ? counters.get(fetch as Fetch)?.requests : undefined;
}
