// How fast repol may change things on GitHub for one installation. GitHub's secondary rate limits
// ("Rate limits for the REST API", docs.github.com): at most 100 concurrent requests; at most 900 points
// a minute per REST endpoint and 2,000 for GraphQL, where a read costs 1 point and a mutation 5; at most
// 80 content-generating requests a minute (500 an hour); and the advice to make mutations serially,
// waiting a second between them when making "a large number" of them.
//
// A read (GET, HEAD, a GraphQL query) is bounded only by Octokit's concurrency cap (10 per installation,
// well under GitHub's 100). A mutation (POST, PATCH, PUT, DELETE, a GraphQL mutation) goes through its
// installation's lane: one in flight at a time, at most `perMinute` (80) started in any minute. The fixed
// second Octokit used instead made the facts query and the answer of every decision a second apart and
// held each delivery slot a second per answer, so one busy installation stalled all the others; a burst
// of answers now leaves at GitHub's round-trip speed while a sustained stream stays under the
// content-creation limit. A secondary-limit answer (403/429 with Retry-After) is still waited out by
// Octokit's throttling inside the lane, so the installation's next mutation waits for it too.

export interface PaceClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const MINUTE_MS = 60_000;

interface Lane {
  /** Settles when the lane's last queued mutation has. */
  tail: Promise<void>;
  /** Start times of the mutations of the last minute, oldest first. */
  starts: number[];
  queued: number;
}

export interface MutationLanes {
  /** Sends `send` when the installation's lane lets it: after its earlier mutations, within the minute's budget. */
  run<T>(key: string, send: () => Promise<T>): Promise<T>;
  /** Lanes held in memory (idle ones are dropped once their minute has passed). */
  readonly size: number;
}

export function mutationLanes(perMinute: number, clock: PaceClock = realClock): MutationLanes {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error(`mutations per minute must be a positive integer, got ${perMinute}`);
  const lanes = new Map<string, Lane>();
  let runs = 0;

  const dropIdleLanes = () => {
    const past = clock.now() - MINUTE_MS;
    for (const [key, lane] of lanes) if (lane.queued === 0 && (lane.starts.at(-1) ?? -Infinity) <= past) lanes.delete(key);
  };

  const withinBudget = async (lane: Lane) => {
    for (;;) {
      const past = clock.now() - MINUTE_MS;
      while (lane.starts.length > 0 && lane.starts[0]! <= past) lane.starts.shift();
      if (lane.starts.length < perMinute) break;
      await clock.sleep(lane.starts[0]! - past);
    }
    lane.starts.push(clock.now());
  };

  return {
    run<T>(key: string, send: () => Promise<T>): Promise<T> {
      // Bounds the map by the installations active in the last minute, not all ever seen.
      if (++runs % 256 === 0) dropIdleLanes();
      const current = lanes.get(key) ?? { tail: Promise.resolve(), starts: [], queued: 0 };
      lanes.set(key, current);
      current.queued++;
      const turn = current.tail.then(() => withinBudget(current)).then(send);
      current.tail = turn.then(
        () => void current.queued--,
        () => void current.queued--,
      );
      return turn;
    },
    get size() {
      return lanes.size;
    },
  };
}

interface RequestShape {
  method?: string;
  url?: string;
  query?: unknown;
}

/** Whether a request changes something on GitHub; an installation token request is auth, not a change. */
export function isMutation(request: RequestShape): boolean {
  const method = (request.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const path = new URL(request.url ?? "/", "http://github.test").pathname;
  if (/\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return false;
  if (path.endsWith("/graphql")) return typeof request.query === "string" && graphqlOperationIsMutation(request.query);
  return true;
}

function graphqlOperationIsMutation(document: string): boolean {
  const withoutComments = document.replace(/#[^\n]*/g, "");
  return /^\s*mutation\b/.test(withoutComments);
}

type Request = (options: object) => Promise<unknown>;
interface PacedOctokit {
  hook: { wrap(name: "request", wrapper: (request: Request, options: RequestShape) => Promise<unknown>): void };
}

/** The Octokit plugin: each client's mutations go through its installation's lane in `lanes`. */
export function paceMutations(lanes: MutationLanes): (octokit: PacedOctokit, options: { auth?: unknown }) => void {
  return (octokit, options) => {
    const installationId = (options.auth as { installationId?: unknown } | undefined)?.installationId;
    const key = installationId === undefined ? "app" : `installation-${String(installationId)}`;
    octokit.hook.wrap("request", (request, requestOptions) =>
      isMutation(requestOptions) ? lanes.run(key, () => request(requestOptions)) : request(requestOptions),
    );
  };
}
