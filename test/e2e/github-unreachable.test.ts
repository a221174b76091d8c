// The whole App over HTTP with GitHub on a closed port (nothing listens: every connection is refused),
// the production Octokit configuration and a captured logger. The deployment is rejected (fail closed)
// after one attempt per GitHub request, not after minutes of retries; the reason names the refused
// connection; the answer waits in the outbox on its schedule; one WARN line per failure, no stack.
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { createMetrics } from "../../src/metrics/create-metrics.js";
import { WEBHOOK_PATH } from "../../src/server.js";
import { closedPort, countingFetch } from "../helpers/closed-port.js";
import { deploymentPayload, INSTALLATION_ID, RUN_ID } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import type { GateDeps } from "../helpers/gate-deps.js";
import { repolOverHttp } from "../helpers/repol-over-http.js";
import { sampleValue } from "../helpers/prometheus-text.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const RETRY_BASE_MS = 600_000;
const TIMEOUT_MS = 300;

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

const metrics = createMetrics();
const countingRequests: Parameters<typeof ProbotOctokit.plugin>[0] = (octokit) => {
  metrics.countGitHubRequests(octokit as unknown as Parameters<typeof metrics.countGitHubRequests>[0]);
};

async function repolWithGitHubDown(): Promise<{ url: string; port: number; gate: GateDeps; attempts: string[]; logs: LogLine[] }> {
  const port = await closedPort();
  // A first retry far away, so the outbox worker does not make it during the test.
  const counted = countingFetch();
  const logs: LogLine[] = [];
  const served = await repolOverHttp(
    { host: `127.0.0.1:${port}` },
    { OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS) },
    {
      // The production configuration (retries as shipped) with a short timeout; the fetch counts attempts.
      overrides: probotGitHubOverrides({ timeoutMs: TIMEOUT_MS, fetch: counted.fetch }, ProbotOctokit.plugin(countingRequests)),
      metrics,
      log: pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) }),
    },
  );
  const gate = served.gate;
  open.push(() => served.close());
  return { url: served.url, port, gate, attempts: counted.attempts, logs };
}

/** A deployment whose callback URL points at the same unreachable GitHub. */
function deploymentDelivery(port: number) {
  return signedDelivery(
    TEST_WEBHOOK_SECRET,
    "deployment_protection_rule",
    deploymentPayload((p) => {
      p.deployment_callback_url = `http://127.0.0.1:${port}/api/v3/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    }),
  );
}

const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();

describe("GitHub refusing every connection", () => {
  it("rejects the deployment after one attempt per request, names the refused connection, and queues the answer", async () => {
    const repol = await repolWithGitHubDown();
    const before = await scrape(repol.url);
    const delivery = deploymentDelivery(repol.port);
    const sent = Date.now();

    const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(202);
    const row = await eventually("the decision and its first callback attempt", async () => {
      const found = await repol.gate.store.findByDelivery(delivery.id);
      return found?.effect.error?.startsWith("will retry") ? found : undefined;
    });

    // Decided (fail closed) with the reason named: GitHub never answered, so no status.
    expect(row).toMatchObject({ decision: "error", effect: { kind: "deployment_callback", ok: false } });
    expect(row.effect).not.toHaveProperty("status");
    expect(row.error).toMatch(
      new RegExp(`^could not connect to GitHub \\(ECONNREFUSED 127\\.0\\.0\\.1:${repol.port}\\) while reading the facts of acme/widgets@3f78685`),
    );
    expect(row.effect.error).toBe(`will retry: could not connect to GitHub (ECONNREFUSED 127.0.0.1:${repol.port})`);
    // One attempt for the facts and one for the callback: each stops at the installation token.
    const tokenPath = `/app/installations/${INSTALLATION_ID}/access_tokens`;
    expect(repol.attempts).toEqual([tokenPath, tokenPath]);

    // The answer waits in the outbox: first retry after OUTBOX_RETRY_BASE_MS (80–100 % of it).
    const queued = repol.logs.find((line) => line.msg === "effect not delivered; will retry");
    const entry = await repol.gate.store.outbox!.get(String(queued?.effect));
    expect(entry).toMatchObject({ status: "pending", attempts: 1, kind: "deployment_callback", delivery_id: delivery.id });
    const retryIn = Date.parse(entry!.next_attempt_at) - sent;
    expect(retryIn).toBeGreaterThanOrEqual(0.8 * RETRY_BASE_MS);
    expect(retryIn).toBeLessThanOrEqual(RETRY_BASE_MS + (Date.now() - sent));

    // Counted as a decision, once, and the failed requests under their route template.
    const after = await scrape(repol.url);
    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta("repol_decisions_total", { policy: "deploy", result: "error" })).toBe(1);
    const tokenRoute = { method: "POST", route: "/app/installations/{installation_id}/access_tokens", status: "network" };
    expect(delta("repol_github_request_errors_total", tokenRoute)).toBe(2);
    expect(after).not.toContain(String(INSTALLATION_ID));
  });

  it("logs each failure once at WARN when it happens, with the reason and no stack trace", async () => {
    const repol = await repolWithGitHubDown();
    const delivery = deploymentDelivery(repol.port);

    await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
    await eventually("the callback failure to be logged", () => repol.logs.some((line) => line.msg === "effect not delivered; will retry"));

    const text = repol.logs.map((line) => JSON.stringify(line));
    expect(text.filter((line) => /\bat .*\.(?:js|ts):\d+/.test(line) || line.includes('"stack"'))).toEqual([]);
    const warnings = repol.logs.filter((line) => line.level >= 40);
    expect(warnings.map((line) => [line.level, line.msg])).toEqual([
      [40, "deployment rejected: repol could not evaluate it"],
      [40, "effect not delivered; will retry"],
    ]);
    expect(JSON.stringify(warnings[0])).toContain(`could not connect to GitHub (ECONNREFUSED 127.0.0.1:${repol.port})`);
    expect(JSON.stringify(warnings[1])).toContain(`could not connect to GitHub (ECONNREFUSED 127.0.0.1:${repol.port})`);
  });
});
