// repol's Prometheus metrics, in one registry any layer can record into. Import-safe on purpose:
// no server, no timers; process metrics start only when collectProcessMetrics() is called.
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { NewAuditRecord } from "./audit/record.js";
import type { AuditStore } from "./audit/store.js";
import type { Outbox } from "./durability/work-store.js";
import type { PolicyName } from "./domain/policy-name.js";
import type { PolicyResult } from "./domain/verdict.js";
import { routeLabelOf } from "./github/route-label.js";
import type { PolicyEngine } from "./policy/engine-types.js";

export const metricsRegistry = new Registry();

export type EventOutcome = "handled" | "ignored" | "error";
export type DecisionResult = "allow" | "deny" | "error";

const eventsTotal = new Counter({
  name: "repol_webhook_events_total",
  help: "Webhook deliveries received, by event, action and outcome (handled, ignored, error).",
  labelNames: ["event", "action", "outcome"] as const,
  registers: [metricsRegistry],
});

const decisionsTotal = new Counter({
  name: "repol_decisions_total",
  help: "Decisions recorded (one per audit row, whatever stopped a decision: GitHub, config or policy), by policy and result (allow, deny, error).",
  labelNames: ["policy", "result"] as const,
  registers: [metricsRegistry],
});

const evaluationSeconds = new Histogram({
  name: "repol_policy_evaluation_seconds",
  help: "Time spent evaluating a policy in the WASM engine.",
  labelNames: ["policy"] as const,
  // Evaluations take well under a millisecond to a few; the upper buckets catch pathological inputs.
  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [metricsRegistry],
});

const githubRequestsTotal = new Counter({
  name: "repol_github_requests_total",
  help: "GitHub API requests, by method, route template and HTTP status.",
  labelNames: ["method", "route", "status"] as const,
  registers: [metricsRegistry],
});

const githubErrorsTotal = new Counter({
  name: "repol_github_request_errors_total",
  help: "GitHub API requests that failed (HTTP >= 400, or no response: status=network).",
  labelNames: ["method", "route", "status"] as const,
  registers: [metricsRegistry],
});

const githubCallsPerEvent = new Histogram({
  name: "repol_github_calls_per_event",
  help: "HTTP requests made to GitHub while handling one webhook delivery (token requests, retries and extra pages included), by event.",
  labelNames: ["event"] as const,
  // The budget is 2 warm and 4 cold; the upper buckets show long pull requests and retries.
  buckets: [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50],
  registers: [metricsRegistry],
});

export function observeGitHubCalls(event: string, requests: number): void {
  githubCallsPerEvent.observe({ event }, requests);
}

export function recordEvent(event: string, action: string | undefined, outcome: EventOutcome): void {
  eventsTotal.inc({ event, action: action ?? "", outcome });
}

export function recordDecision(policy: PolicyName, result: DecisionResult): void {
  decisionsTotal.inc({ policy, result });
}

const DECISION_RESULTS: readonly string[] = ["allow", "deny", "error"] satisfies DecisionResult[];

function countRecorded(row: NewAuditRecord, inserted: boolean): void {
  // A redelivery of a delivery already decided inserts nothing: the decision was counted the first time.
  if (inserted && DECISION_RESULTS.includes(row.decision)) recordDecision(row.policy as PolicyName, row.decision);
}

/**
 * The store, with every decision it records counted: an audit row is the one place every decision
 * ends, including those GitHub or the store stopped before the policy ran (rejected with "error").
 */
export function countDecisions(store: AuditStore): AuditStore {
  const insert: AuditStore["insert"] = async (row) => {
    const result = await store.insert(row);
    countRecorded(row, result.inserted);
    return result;
  };
  const { outbox } = store;
  const recordWithEffect: Outbox["recordWithEffect"] = async (row, effect, claimForMs) => {
    const recorded = await outbox!.recordWithEffect(row, effect, claimForMs);
    countRecorded(row, recorded.inserted);
    return recorded;
  };
  const countedOutbox = outbox && delegate(outbox, { recordWithEffect });
  return delegate(store, { insert, outbox: countedOutbox });
}

/** `target` with some members replaced; the rest still read from (and bound to) the target itself. */
function delegate<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(replaced, key)) return replaced[key as keyof T];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

export function observeEvaluation(policy: PolicyName, seconds: number): void {
  evaluationSeconds.observe({ policy }, seconds);
}

export interface GitHubRequestSample {
  method: string;
  /** The route template (`/repos/{owner}/{repo}/pulls/{pull_number}`), never the expanded URL. */
  route: string;
  /** HTTP status, or "network" when GitHub never answered. */
  status: number | "network";
}

export function recordGitHubRequest({ method, route, status }: GitHubRequestSample): void {
  const labels = { method: method.toUpperCase(), route, status: String(status) };
  githubRequestsTotal.inc(labels);
  if (status === "network" || status >= 400) githubErrorsTotal.inc(labels);
}

/**
 * The engine, with every evaluation timed. Decisions are counted where they are recorded
 * (countDecisions), not here: a decision may evaluate more than once, or fail before evaluating.
 */
export function instrumentEngine(engine: PolicyEngine): PolicyEngine {
  return {
    get digest() {
      return engine.digest;
    },
    evaluate(policy: PolicyName, input: unknown): PolicyResult {
      const started = process.hrtime.bigint();
      try {
        return engine.evaluate(policy, input);
      } finally {
        observeEvaluation(policy, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
  };
}

// The slice of an Octokit instance the plugin needs; src/github owns the real client, so callers
// adapt Octokit's wider hook type to this one (see src/main.ts).
interface RequestHookHost {
  hook: {
    wrap(name: "request", wrapper: (request: (options: RequestOptionsLike) => Promise<{ status: number }>, options: RequestOptionsLike) => Promise<unknown>): void;
  };
}
interface RequestOptionsLike {
  method?: string;
  url?: string;
}

/**
 * Octokit plugin counting every GitHub API request: `ProbotOctokit.plugin(countGitHubRequests)`.
 * The route label is a template from a fixed list (route-label.ts): bounded, and free of repository names.
 */
export function countGitHubRequests(octokit: RequestHookHost): void {
  octokit.hook.wrap("request", async (request, options) => {
    const method = options.method ?? "GET";
    const route = routeLabelOf(options.url ?? "");
    try {
      const response = await request(options);
      recordGitHubRequest({ method, route, status: response.status });
      return response;
    } catch (error) {
      // Octokit reports a request that got no answer as status 500 without a response.
      const { status, response } = error as { status?: unknown; response?: unknown };
      recordGitHubRequest({ method, route, status: response && typeof status === "number" ? status : "network" });
      throw error;
    }
  });
}

let processMetricsStarted = false;

/** Adds Node process metrics (memory, CPU, event loop) to the registry, once. */
export function collectProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: "repol_" });
}
