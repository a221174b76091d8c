// How repol's Octokit behaves when GitHub is slow, failing, unreachable or rate limiting: every attempt
// is abandoned after a timeout; 5xx and 429 are retried with growing pauses, a timeout once, a
// connection that cannot be made not at all (retry-requests.ts); rate limits are waited out a bounded
// number of times (Octokit's throttling plugin); mutations are paced per installation, reads are not
// (pace-mutations.ts). What still fails is left to the outbox and the
// delivery retry, which try again later rather than holding a decision now.
import { ProbotOctokit } from "probot";
import type { Log } from "../domain/log.js";
import { answering } from "./answer.js";
import { appJwtSigner, type CreateJwt } from "./app-jwt.js";
import { authCountingPerEvent, countRequestsPerEvent } from "./count-requests.js";
import { reusedPerInstallation } from "./installation-clients.js";
import { mutationLanes, paceMutations, type PaceClock } from "./pace-mutations.js";
import { retryRequests } from "./retry-requests.js";
import { httpTransport } from "./http-transport.js";
import { timedFetch } from "./timed-fetch.js";

export interface OctokitTuning {
  /** One attempt of one request is abandoned after this long. */
  timeoutMs: number;
  /** Retries after a 5xx or 429 (3: four attempts in all). */
  retries?: number;
  /** Retries after no answer within `timeoutMs` (1: two attempts, so a decision waits 2 × timeout at most per step). */
  timeoutRetries?: number;
  /** Scales the pauses between retries (1, 4, 9 ... × this); tests make it small. */
  retryBaseMs?: number;
  /** Times a rate-limited request is waited out before giving up. */
  rateLimitRetries?: number;
  /** A rate limit resetting later than this is not waited for inline. */
  maxRateLimitWaitSeconds?: number;
  /** Scales GitHub's Retry-After (seconds) into a wait; tests make it small. */
  rateLimitBaseMs?: number;
  /** Mutations one installation may start in any minute (GitHub's content-creation limit: 80). */
  mutationsPerMinute?: number;
  /** Time for the mutation budget; tests move it by hand. */
  paceClock?: PaceClock;
  /** The fetch underneath (by default node:http with keep-alive, http-transport.ts); tests count attempts with it. */
  fetch?: typeof fetch;
}

/** A stand-in for the throttling plugin's per-installation `write` limiter group that never waits. */
const UNPACED = {
  key: () => ({ schedule: <A extends unknown[], R>(_job: object, task: (...args: A) => R, ...args: A): R => task(...args) }),
};

type LimitedRequest = { method?: string; url?: string };
type OctokitClass = typeof ProbotOctokit;

type AuthStrategy = Parameters<typeof authCountingPerEvent>[0];

/** The Octokit options, in the function form Probot needs to keep its own defaults (auth, logging). */
export function octokitOptions(tuning: OctokitTuning, authStrategy?: AuthStrategy) {
  const rateLimitRetries = tuning.rateLimitRetries ?? 2;
  const maxWait = tuning.maxRateLimitWaitSeconds ?? 60;
  const onLimit = (kind: string) => (retryAfter: number, request: LimitedRequest, octokit: { log: Pick<Log, "warn"> }, retryCount: number) => {
    const retry = retryCount < rateLimitRetries && retryAfter <= maxWait;
    octokit.log.warn(
      `GitHub ${kind} on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${rateLimitRetries})` : "giving up for now"}`,
    );
    return retry;
  };
  // Shared by every client of this class: one parsed key and one JWT at a time per App key.
  const signers = new Map<string, CreateJwt>();
  // Shared by every client; an event's requests are counted by a fetch around it (count-requests.ts).
  const fetch = timedFetch(tuning.timeoutMs, answering(tuning.fetch ?? httpTransport()));
  return (options: Record<string, unknown>) => {
    return {
      ...options,
      ...appAuth(options, fetch, signers),
      ...(authStrategy ? { authStrategy: authCountingPerEvent(authStrategy) } : {}),
      // Octokit takes a successful answer's body as decoded by answer.ts instead of parsing it again.
      request: { ...(options.request as object), fetch, parseSuccessResponseBody: false },
      // Replaced by retryRequests (see repolOctokit).
      retry: { ...(options.retry as object), enabled: false },
      throttle: {
        ...(options.throttle as object),
        ...installationThrottleKey(options),
        enabled: true,
        // Octokit paces every non-GET request and every GraphQL query a second apart per installation;
        // repol paces mutations itself (pace-mutations.ts) and lets reads through.
        write: UNPACED,
        retryAfterBaseValue: tuning.rateLimitBaseMs ?? 1_000,
        onRateLimit: onLimit("rate limit"),
        onSecondaryRateLimit: onLimit("secondary rate limit"),
      },
    };
  };
}

/**
 * The App's auth options with two changes: the installation token is requested through this client's
 * fetch (Probot gives the auth a request function of its own), so it counts with the client's other
 * requests; and the App JWT comes from a signer that parses the key once (app-jwt.ts).
 */
function appAuth(options: Record<string, unknown>, fetch: typeof globalThis.fetch, signers: Map<string, CreateJwt>): { auth?: unknown } {
  const given = options.auth as { request?: { defaults?: (defaults: object) => unknown }; privateKey?: unknown } | undefined;
  if (typeof given !== "object" || given === null) return {};
  const auth: Record<string, unknown> = { ...given };
  if (typeof given.request?.defaults === "function") auth.request = given.request.defaults({ request: { fetch } });
  if (typeof given.privateKey === "string") {
    const signer = signers.get(given.privateKey) ?? appJwtSigner(given.privateKey);
    signers.set(given.privateKey, signer);
    // @octokit/auth-app takes either a key or a JWT factory, never both.
    delete auth.privateKey;
    auth.createJwt = signer;
  }
  return { auth };
}

/**
 * GitHub limits requests per installation, and so does Octokit's throttling (10 at once; comments one
 * per 3 s) when its `id` names the installation. Probot sets that id only when throttling was on before
 * it built the installation client; turning it on here must set it too, or every installation shares
 * one set of limits.
 */
function installationThrottleKey(options: Record<string, unknown>): { id?: string } {
  const installationId = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return typeof installationId === "number" || typeof installationId === "string" ? { id: `installation-${installationId}` } : {};
}

/** ProbotOctokit (or a subclass with more plugins) configured for repol. */
export function repolOctokit(tuning: OctokitTuning, base: OctokitClass = ProbotOctokit): OctokitClass {
  const retrying = retryRequests({ retries: tuning.retries ?? 3, timeoutRetries: tuning.timeoutRetries ?? 1, retryBaseMs: tuning.retryBaseMs ?? 1_000 });
  const pacing = paceMutations(mutationLanes(tuning.mutationsPerMinute ?? 80, tuning.paceClock));
  // All declare only the slice of Octokit they hook into. Pacing is registered first, so it sits inside
  // the retries: every attempt of a mutation takes its turn in the installation's lane. Counting comes
  // last, outermost, so it sees each request as the event made it.
  const plugins = [pacing, retrying, countRequestsPerEvent] as unknown as Parameters<OctokitClass["plugin"]>;
  return reusedPerInstallation(base.plugin(...plugins).defaults(octokitOptions(tuning, authStrategyOf(base))) as OctokitClass);
}

/**
 * The auth strategy `base` builds its clients with (Probot's), which sits in `base`'s own defaults where
 * options given to a subclass cannot see it: read from the options of one client that asks for nothing.
 */
function authStrategyOf(base: OctokitClass): AuthStrategy | undefined {
  let strategy: unknown;
  const Probe = base.plugin((_octokit: unknown, options: { authStrategy?: unknown }) => {
    strategy = options.authStrategy;
  });
  new Probe();
  return typeof strategy === "function" ? (strategy as AuthStrategy) : undefined;
}

/** Options for createProbot's `overrides`: the Octokit above, and the timeout on App token requests too. */
export function probotGitHubOverrides(tuning: OctokitTuning, base: OctokitClass = ProbotOctokit) {
  // One pool of connections for the installations' requests and the App's own.
  const transport = tuning.fetch ?? httpTransport();
  return { Octokit: repolOctokit({ ...tuning, fetch: transport }, base), request: { fetch: timedFetch(tuning.timeoutMs, transport) } };
}
