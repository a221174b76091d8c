// repol's Prometheus metrics, in one registry any layer can record into. Import-safe on purpose:
// no server, no timers; process metrics start only when collectProcessMetrics() is called.
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { PolicyName } from "./domain/policy-name.js";
import type { PolicyResult } from "./domain/verdict.js";
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
  help: "Policy evaluations, by policy and result (allow, deny, error).",
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

export function recordEvent(event: string, action: string | undefined, outcome: EventOutcome): void {
  eventsTotal.inc({ event, action: action ?? "", outcome });
}

export function recordDecision(policy: PolicyName, result: DecisionResult): void {
  decisionsTotal.inc({ policy, result });
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

/** The engine, with every evaluation counted by result and timed. Errors are counted and rethrown. */
export function instrumentEngine(engine: PolicyEngine): PolicyEngine {
  return {
    get digest() {
      return engine.digest;
    },
    evaluate(policy: PolicyName, input: unknown): PolicyResult {
      const started = process.hrtime.bigint();
      try {
        const decision = engine.evaluate(policy, input);
        recordDecision(policy, decision.allow ? "allow" : "deny");
        return decision;
      } catch (error) {
        recordDecision(policy, "error");
        throw error;
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
 * Labels use the route template so the metric's cardinality stays bounded.
 */
export function countGitHubRequests(octokit: RequestHookHost): void {
  octokit.hook.wrap("request", async (request, options) => {
    const method = options.method ?? "GET";
    const route = routeTemplateOf(options.url ?? "");
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

function routeTemplateOf(url: string): string {
  // Callers that pass an expanded path (`/repos/o/r/pulls/12`) would create one series per
  // resource; strip the query and collapse numeric ids as the least we can do.
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0] ?? "";
  return path.replace(/\/\d+(?=\/|$)/g, "/{id}");
}

let processMetricsStarted = false;

/** Adds Node process metrics (memory, CPU, event loop) to the registry, once. */
export function collectProcessMetrics(): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: "repol_" });
}
