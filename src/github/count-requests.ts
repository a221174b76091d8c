// How many HTTP requests one event made: every attempt that reached fetch, so retries, extra pages and
// the installation token request it needed are all counted. Clients are shared by every event of an
// installation (installation-clients.ts), so the count belongs to the event, not to the client: each
// request carries its event's tally in its options (event-client.ts puts it there), through Octokit's
// hooks and the throttling plugin's queue, down to the fetch that counts it. (Not an
// AsyncLocalStorage: on Node 20 one makes every promise of the process slower.)

type Fetch = typeof fetch;

/** One event's GitHub requests so far. A class: Octokit merges plain objects in options by copying them. */
export class EventTally {
  requests = 0;
  #base: Fetch | undefined;
  #counting: Fetch | undefined;

  /** `delivery` is GitHub's id of the webhook delivery, which GitHub may correlate the requests with. */
  constructor(readonly delivery: string) {}

  /** `base`, counting each call into this tally. */
  counting(base: Fetch): Fetch {
    if (this.#base !== base || !this.#counting) {
      this.#base = base;
      this.#counting = (input, init) => {
        this.requests++;
        return base(input, init);
      };
    }
    return this.#counting;
  }
}

/** Where a request's tally rides along in Octokit's request options (`request.repolEvent`). */
export const EVENT_OPTION = "repolEvent";

type RequestOptions = { headers?: Record<string, unknown>; request?: { fetch?: Fetch; [EVENT_OPTION]?: unknown } };
type Request = ((options: RequestOptions) => Promise<unknown>) & { defaults(options: { request?: object }): Request };
interface HookHost {
  hook: { wrap(name: "request", wrapper: (request: Request, options: RequestOptions) => Promise<unknown>): void };
}

const tallyOf = (options: RequestOptions): EventTally | undefined => {
  const tally = options.request?.[EVENT_OPTION];
  return tally instanceof EventTally ? tally : undefined;
};

const countingClients = new WeakSet<object>();

/** Whether a client counts its requests per event (repol's clients do; the tests' plain ones do not). */
export function countsRequests(github: object): boolean {
  return countingClients.has(github);
}

/**
 * The outermost request hook: a request made for an event is sent through a fetch counting into the
 * event's tally, and names the event's delivery in `x-github-delivery` as Probot does (Probot sets that
 * header once per client, which is once per installation now). A request made for no event (the outbox,
 * the sweep) names no delivery.
 */
export function countRequestsPerEvent(octokit: HookHost): void {
  countingClients.add(octokit);
  octokit.hook.wrap("request", (request, options) => {
    const tally = tallyOf(options);
    if (options.headers) {
      if (tally) options.headers["x-github-delivery"] = tally.delivery;
      else delete options.headers["x-github-delivery"];
    }
    if (tally && options.request) options.request.fetch = tally.counting(options.request.fetch ?? fetch);
    return request(options);
  });
}

type AuthHook = (request: Request, route: RequestOptions, parameters?: object) => Promise<unknown>;
type AuthStrategy = (options: object) => { hook: AuthHook };

/**
 * The auth strategy, its hook (the innermost one) handing the event's tally on to the installation token
 * request it may make.
 */
export function authCountingPerEvent(strategy: AuthStrategy): AuthStrategy {
  return (options) => {
    const auth = strategy(options);
    const original = auth.hook;
    const hook: AuthHook = (request, route, parameters) => {
      const tally = tallyOf(route);
      return original(tally ? tokenRequestsCountedIn(request, tally) : request, route, parameters);
    };
    return Object.assign(auth, { hook });
  };
}

/**
 * `request` as it is, except for requests derived from it with `defaults`, which is how the auth builds
 * its installation token request: those carry the tally. (Derived requests go through the client's hooks
 * again; `request` itself must not, or every request would.)
 */
function tokenRequestsCountedIn(request: Request, tally: EventTally): Request {
  const tagged = (options: RequestOptions) => request(options);
  return Object.assign(tagged, request, {
    defaults: (defaults: { request?: object }) => request.defaults({ ...defaults, request: { ...defaults.request, [EVENT_OPTION]: tally } }),
  });
}
