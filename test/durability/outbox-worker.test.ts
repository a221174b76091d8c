// The outbox worker against a real SQLite outbox and a GitHub faked on 127.0.0.1: queued effects are
// made with the installation's token, retried with pauses, given up after the last attempt, and a
// 422 on a callback is taken as already decided.
import { createProbot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import type { NewEffect } from "../../src/durability/work-store.js";
import type { EffectRequest } from "../../src/github/deliver-effect.js";
import type { GitHub } from "../../src/github/github-client.js";
import { createMetrics, type Metrics } from "../../src/metrics/create-metrics.js";
import { startOutboxWorker, type OutboxWorker } from "../../src/durability/outbox-worker.js";
import { auditRow } from "../audit/fixtures.js";
import { INSTALLATION_ID, RUN_ID, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import { failure, type Route } from "../helpers/github-router.js";
import { sampleValue } from "../helpers/prometheus-text.js";
import { checkRunsOf, HEAD_SHA, scenario, scenarioRoutes as pullRequestRoutes } from "../helpers/pull-request-scenario.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit } from "../helpers/test-probot.js";

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const callback = (state: "approved" | "rejected" = "approved"): NewEffect => ({
  kind: "deployment_callback",
  installation_id: INSTALLATION_ID,
  request: {
    kind: "deployment_callback",
    review: { owner: "acme", repo: "widgets", runId: RUN_ID, environment: "production", state, comment: `repol ${state} it` },
  } satisfies EffectRequest,
});

let store: SqliteAuditStore;
let clock: ManualClock;
let github: GatedGitHub;
let worker: OutboxWorker | undefined;
let metrics: Metrics;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  // One test closes GitHub itself.
  await github?.close().catch(() => undefined);
  await store?.close();
});

async function setUp(routes: Route[], policy = { maxAttempts: 3, baseMs: 20, capMs: 20 }): Promise<void> {
  // One clock for the store's due times and the worker's timers; only the test moves it.
  clock = new ManualClock();
  store = openSqliteStore(":memory:", { clock: clock.now });
  await store.migrate();
  github = await gatedGitHub(routes);
  metrics = createMetrics();
  const probot = createProbot({
    env: {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
    },
    overrides: { Octokit: TestOctokit },
  });
  worker = startOutboxWorker({
    outbox: store.outbox,
    clientFor: async (id) => (await (id === null ? probot.auth() : probot.auth(id))) as GitHub,
    log: silent,
    policy,
    clock,
    intervalMs: 0,
    metrics,
  });
}

const callbackRoute = (reply: Route["reply"]): Route => ({ name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply });

describe("the outbox worker", () => {
  it("makes a queued callback with the installation's token and writes the outcome into the audit row", async () => {
    await setUp(scenarioRoutes(passingScenario()));
    const { effect, auditId } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "queued-1" }), callback(), 0);

    await worker!.tick();

    const [sent] = github.calls("callback");
    expect(sent!.headers.authorization).toBe("token ghs_testinstallationtoken");
    expect(sent!.body).toEqual({ environment_name: "production", state: "approved", comment: "repol approved it" });
    expect((await store.get(auditId))!.effect).toEqual({ kind: "deployment_callback", ok: true, status: 204 });
    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("retries a callback GitHub keeps failing after a pause, then gives it up as dead, visible in metrics", async () => {
    await setUp([...scenarioRoutes(passingScenario()), callbackRoute(() => failure(502, "Bad Gateway"))]);
    const { effect, auditId } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "doomed" }), callback(), 0);

    await worker!.tick();
    await worker!.tick();
    expect(github.calls("callback")).toHaveLength(1);
    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "pending", attempts: 1, last_error: expect.stringContaining("502") });
    expect((await store.get(auditId))!.effect).toMatchObject({ ok: false, status: 502, error: expect.stringContaining("will retry") });

    for (const expected of [2, 3]) {
      await clock.advance(30);
      await worker!.tick();
      expect(github.calls("callback")).toHaveLength(expected);
    }
    await clock.advance(30);
    await worker!.tick();
    expect(github.calls("callback")).toHaveLength(3);
    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "dead", attempts: 3 });
    expect((await store.get(auditId))!.effect).toMatchObject({
      ok: false,
      status: 502,
      error: expect.stringMatching(/^gave up after 3 attempts: GitHub answered 502/),
    });
    expect(sampleValue(await metrics.registry.metrics(), "repol_outbox_effects", { status: "dead" })).toBe(1);
  });

  it("keeps the lease of an effect while GitHub is still answering it, so no other sweep sends it again", async () => {
    await setUp(scenarioRoutes(passingScenario()));
    const held = github.hold("POST", /\/deployment_protection_rule$/);
    const { effect } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "slow" }), callback(), 0);

    const ticking = worker!.tick();
    await held.arrived;
    await clock.advance(10 * 60_000);
    expect(await store.outbox.claimDue(10, 60_000)).toEqual([]);
    held.release();
    await ticking;

    expect(github.calls("callback")).toHaveLength(1);
    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "done", attempts: 1, leased_until: null });
  });

  it("takes a 422 on a queued callback as already decided: recorded once, never retried", async () => {
    await setUp(scenarioRoutes(passingScenario({ callbackStatus: 422 })));
    const { effect, auditId } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "decided" }), callback("rejected"), 0);

    await worker!.tick();
    await clock.advance(30);
    await worker!.tick();

    expect(github.calls("callback")).toHaveLength(1);
    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "done" });
    expect((await store.get(auditId))!.effect).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("already decided") });
  });

  it("creates and completes a check run whose creation had failed, once GitHub takes it", async () => {
    const s = scenario();
    await setUp(pullRequestRoutes(s));
    const check = { conclusion: "success" as const, output: { title: "repol: all rules pass", summary: "Every rule passed." } };
    const request: EffectRequest = {
      kind: "check_run",
      target: { owner: "acme", repo: "widgets", headSha: HEAD_SHA, name: "repol (main)", appId: TEST_APP_ID },
      checkRunId: null,
      check,
    };
    const { auditId } = await store.outbox.recordWithEffect(
      auditRow({ delivery_id: "check" }),
      { kind: "check_run", installation_id: INSTALLATION_ID, request },
      0,
    );

    await worker!.tick();

    const runs = checkRunsOf(s);
    expect(runs).toEqual([expect.objectContaining({ name: "repol (main)", status: "completed", conclusion: "success" })]);
    expect((await store.get(auditId))!.effect).toEqual({ kind: "check_run", ok: true, check_run_id: runs[0]!.id });
  });

  it("survives a GitHub it cannot reach at all and tries again later", async () => {
    await setUp(scenarioRoutes(passingScenario()));
    await github.close();
    const { effect } = await store.outbox.recordWithEffect(auditRow({ delivery_id: "unreachable" }), callback(), 0);

    await worker!.tick();

    expect(await store.outbox.get(effect!.id)).toMatchObject({ status: "pending", attempts: 1 });
  });
});
