// repol's Prometheus metrics: one registry and its families, created by the composition root (main.ts)
// and passed to what records into them, so each server (and each test) has a registry of its own.
// No server and no timers; process metrics start only when collectProcessMetrics() is called.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AuditStore } from "../audit/store.js";
import type { PolicyName } from "../domain/policy-name.js";
import type { Outbox } from "../durability/work-store.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import { countDecisions } from "./count-decisions.js";
import { countGitHubRequests, type GitHubRequestSample, type RequestHookHost } from "./count-github-requests.js";
import { instrumentEngine } from "./instrument-engine.js";

export type EventOutcome = "handled" | "ignored" | "error";
export type DecisionResult = "allow" | "deny" | "error" | "pending";

export interface Metrics {
  readonly registry: Registry;
  recordEvent(event: string, action: string | undefined, outcome: EventOutcome): void;
  recordDecision(policy: PolicyName, result: DecisionResult): void;
  observeEvaluation(policy: PolicyName, seconds: number): void;
  observeGitHubCalls(event: string, requests: number): void;
  recordGitHubRequest(sample: GitHubRequestSample): void;
  /** The outbox whose effects repol_outbox_effects reports, read at scrape time. */
  observeOutbox(outbox: Outbox): void;
  /** The built-in policy whose WASM linear memory repol_policy_wasm_memory_bytes reports (it grows, never shrinks). */
  observePolicyMemory(engine: { wasmMemoryBytes(): number }): void;
  /** The store, with every decision it records counted (see count-decisions.ts). */
  countDecisions(store: AuditStore): AuditStore;
  /** The engine, with every evaluation timed. */
  instrumentEngine(engine: PolicyEngine): PolicyEngine;
  /** Octokit plugin counting every GitHub API request: `ProbotOctokit.plugin(...)` through an adapter. */
  countGitHubRequests(octokit: RequestHookHost): void;
  /** Adds Node process metrics (memory, CPU, event loop) to the registry, once. */
  collectProcessMetrics(): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] });

  const eventsTotal = counter("repol_webhook_events_total", "Webhook deliveries received, by event, action and outcome (handled, ignored, error).", [
    "event",
    "action",
    "outcome",
  ]);
  const decisionsTotal = counter(
    "repol_decisions_total",
    "Decisions recorded (one per audit row, whatever stopped a decision: GitHub, config or policy), by policy and result (allow, deny, error, pending: a deployment left waiting for evidence).",
    ["policy", "result"],
  );
  const evaluationSeconds = histogram(
    "repol_policy_evaluation_seconds",
    "Time spent evaluating a policy in the WASM engine.",
    ["policy"],
    // Evaluations take well under a millisecond to a few; the upper buckets catch pathological inputs.
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  const requestLabels = ["method", "route", "status"] as const;
  const githubRequestsTotal = counter("repol_github_requests_total", "GitHub API requests, by method, route template and HTTP status.", requestLabels);
  const githubErrorsTotal = counter(
    "repol_github_request_errors_total",
    "GitHub API requests that failed (HTTP >= 400, or no response: status=network).",
    requestLabels,
  );
  const githubCallsPerEvent = histogram(
    "repol_github_calls_per_event",
    "HTTP requests made to GitHub while handling one webhook delivery (token requests, retries and extra pages included), by event.",
    ["event"],
    // The budget is 2 warm and 4 cold; the upper buckets show long pull requests and retries.
    [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50],
  );
  let observedOutbox: Outbox | undefined;
  new Gauge({
    name: "repol_outbox_effects",
    help: "GitHub effects (deployment callbacks, check runs) in the outbox, by status: pending, done, dead, superseded.",
    labelNames: ["status"] as const,
    registers: [registry],
    // Read at scrape time, so a dead effect shows up in metrics however long ago it died.
    async collect() {
      if (!observedOutbox) return;
      try {
        for (const [status, count] of Object.entries(await observedOutbox.counts())) this.set({ status }, count);
      } catch {
        // The store being down is reported by /ready; the gauge keeps its last values.
      }
    },
  });

  let observedPolicy: { wasmMemoryBytes(): number } | undefined;
  new Gauge({
    name: "repol_policy_wasm_memory_bytes",
    help: "Linear memory of the built-in policy's WASM instance: it grows to the largest input evaluated so far and never shrinks.",
    registers: [registry],
    collect() {
      if (observedPolicy) this.set(observedPolicy.wasmMemoryBytes());
    },
  });

  let processMetricsStarted = false;
  const metrics: Metrics = {
    registry,
    recordEvent: (event, action, outcome) => eventsTotal.inc({ event, action: action ?? "", outcome }),
    recordDecision: (policy, result) => decisionsTotal.inc({ policy, result }),
    observeEvaluation: (policy, seconds) => evaluationSeconds.observe({ policy }, seconds),
    observeGitHubCalls: (event, requests) => githubCallsPerEvent.observe({ event }, requests),
    recordGitHubRequest({ method, route, status }) {
      const labels = { method: method.toUpperCase(), route, status: String(status) };
      githubRequestsTotal.inc(labels);
      if (status === "network" || status >= 400) githubErrorsTotal.inc(labels);
    },
    observeOutbox(outbox) {
      observedOutbox = outbox;
    },
    observePolicyMemory(engine) {
      observedPolicy = engine;
    },
    countDecisions: (store) => countDecisions(store, metrics.recordDecision),
    instrumentEngine: (engine) => instrumentEngine(engine, metrics.observeEvaluation),
    countGitHubRequests: (octokit) => countGitHubRequests(octokit, metrics.recordGitHubRequest),
    collectProcessMetrics() {
      if (processMetricsStarted) return;
      processMetricsStarted = true;
      collectDefaultMetrics({ register: registry, prefix: "repol_" });
    },
  };
  return metrics;
}
