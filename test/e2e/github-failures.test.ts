// The whole App over HTTP while GitHub misbehaves: repol's real Octokit configuration (timeouts,
// retries, throttling) and outbox, GitHub faked on 127.0.0.1. The webhook is always answered at
// once; the deployment always gets exactly one answer, never an approval on an error.
import { afterEach, describe, expect, it } from "vitest";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { WEBHOOK_PATH } from "../../src/server.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { eventually } from "../helpers/eventually.js";
import type { GateDeps } from "../helpers/gate-deps.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import { failure, json, type Route } from "../helpers/github-router.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { repolOverHttp } from "../helpers/repol-over-http.js";
import { checkRunsOf, scenario, scenarioRoutes as pullRequestRoutes, webhook } from "../helpers/pull-request-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const GITHUB_HARD_LIMIT_MS = 10_000;

interface Running {
  url: string;
  github: GatedGitHub;
  gate: GateDeps;
  clock: ManualClock;
  /** Moves time past any retry and lets the outbox worker make what is due. */
  retryNow(): Promise<void>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve(routes: Route[]): Promise<Running> {
  const github = await gatedGitHub(routes);
  // Outbox retries happen when the test moves this clock, never on their own.
  const clock = new ManualClock(new Date().toISOString());
  const repol = await repolOverHttp(
    github,
    { OUTBOX_RETRY_BASE_MS: "50", OUTBOX_MAX_ATTEMPTS: "5" },
    {
      clock,
      // The production configuration, with shorter pauses and timeout.
      overrides: probotGitHubOverrides({ timeoutMs: 300, retries: 1, retryBaseMs: 10, rateLimitBaseMs: 10 }),
    },
  );
  open.push(async () => {
    await repol.close();
    await github.close();
  });
  const retryNow = async () => {
    await clock.advance(60_000);
    await repol.work.outbox!.tick();
  };
  return { url: repol.url, github, gate: repol.gate, clock, retryNow };
}

async function deliver(repol: Running, event = "deployment_protection_rule", body?: unknown): Promise<{ status: number; id: string; tookMs: number }> {
  const payload =
    body ??
    deploymentPayload((p) => {
      p.deployment_callback_url = `${repol.github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
    });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload);
  const started = performance.now();
  const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  await response.text();
  return { status: response.status, id: delivery.id, tookMs: performance.now() - started };
}

describe("GitHub failing to take the callback", () => {
  it("keeps the callback in the outbox and makes it once GitHub recovers", async () => {
    let down = true;
    const repol = await serve([
      ...scenarioRoutes(passingScenario()),
      { name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply: () => (down ? failure(502, "Bad Gateway") : json(204)) },
    ]);

    const { status, id } = await deliver(repol);

    expect(status).toBe(202);
    await eventually("the failed attempts to be recorded", async () => (await repol.gate.store.findByDelivery(id))?.effect.status === 502);
    const failedSoFar = repol.github.calls("callback").length;
    expect(failedSoFar).toBeGreaterThanOrEqual(2);
    await repol.retryNow();
    expect(repol.github.calls("callback").length).toBeGreaterThan(failedSoFar);
    down = false;
    await repol.retryNow();
    await eventually("the callback to get through", async () => (await repol.gate.store.findByDelivery(id))?.effect.ok);

    const answered = repol.github.calls("callback").filter((request) => request.status === 204);
    expect(callbackBodies(answered).map((body) => body.state)).toEqual(["approved"]);
    expect((await repol.gate.store.findByDelivery(id))!).toMatchObject({ decision: "allow", effect: { kind: "deployment_callback", ok: true, status: 204 } });
    expect(await repol.gate.store.outbox!.counts()).toEqual({ pending: 0, done: 1, dead: 0, superseded: 0 });
  });
});

describe("GitHub failing to create the check run", () => {
  it("judges the pull request anyway and creates the one check run with the verdict once GitHub recovers", async () => {
    const s = scenario();
    const routes = pullRequestRoutes(s);
    const create = routes.find((route) => route.name === "create-check-run")!;
    let down = true;
    const repol = await serve([
      ...routes,
      { ...create, reply: (request, match) => (down ? failure(503, "Service Unavailable") : create.reply(request, match)) },
    ]);

    const { status, id } = await deliver(repol, "pull_request", webhook("pull_request.opened"));

    expect(status).toBe(202);
    await eventually("the failed attempts to be recorded", async () => (await repol.gate.store.findByDelivery(id))?.effect.status === 503);
    expect(checkRunsOf(s)).toEqual([]);
    down = false;
    await repol.retryNow();
    const row = await eventually("the check run to be made", async () => {
      const found = await repol.gate.store.findByDelivery(id);
      return found?.effect.ok ? found : undefined;
    });

    const runs = checkRunsOf(s);
    expect(runs).toEqual([expect.objectContaining({ name: "repol (main)", status: "completed", conclusion: "failure" })]);
    expect(row).toMatchObject({ decision: "deny", pr_number: 42, effect: { kind: "check_run", ok: true, check_run_id: runs[0]!.id } });
  });
});

describe("GitHub not answering", () => {
  it("answers the webhook at once, then rejects the deployment with the reason when facts time out", async () => {
    const repol = await serve(scenarioRoutes(passingScenario()));
    // Every fact comes with the one GraphQL query (at /api/graphql on GitHub Enterprise Server).
    repol.github.hold("POST", /\/graphql$/);

    const { status, id, tookMs } = await deliver(repol);

    expect(status).toBe(202);
    expect(tookMs).toBeLessThan(GITHUB_HARD_LIMIT_MS);
    const row = await eventually("the decision", async () => {
      const found = await repol.gate.store.findByDelivery(id);
      return found?.effect.ok ? found : undefined;
    });
    expect(row).toMatchObject({ decision: "error", effect: { ok: true, status: 204 } });
    expect(row.error).toContain("did not answer within 300 ms");
    const [answer] = callbackBodies(repol.github.calls("callback"));
    expect(answer).toMatchObject({ state: "rejected" });
    expect(answer!.comment).toContain("did not answer within 300 ms");
    // The first attempt and one retry, each abandoned after its timeout.
    expect(repol.github.arrivals.filter((request) => request.path.endsWith("/graphql"))).toHaveLength(2);
  });
});
