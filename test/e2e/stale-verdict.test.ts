// A stale verdict never overwrites a newer one. On a pull request, verdict A (success) meets a 500 from
// GitHub and waits in the outbox; verdict B (failure, after a review requested changes) is delivered;
// A's retry must then never land. The real server over HTTP with signed webhooks, GitHub faked on
// 127.0.0.1, and time moved by hand so A's retry is due when the outbox worker looks.
import { afterEach, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { failure } from "../helpers/github-router.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { checkRunsOf, pullOf, scenario, scenarioRoutes, verdictBodies, webhook } from "../helpers/pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

let github: FakeGitHub;
let repol: RepolOverHttp;

afterEach(async () => {
  await repol.close();
  await github.close();
});

it("drops verdict A's queued retry once verdict B for the same check run is recorded: the check stays a failure", async () => {
  const s = scenario();
  pullOf(s, 42).reviews = [["bob", "APPROVED"]];
  const routes = scenarioRoutes(s);
  // The first write of the check run (A's: created with its verdict) fails; every later one succeeds.
  let writes = 0;
  const failingFirstWrite = routes.map((route) =>
    route.name === "create-check-run" || route.name === "update-check-run"
      ? {
          ...route,
          reply: (request: Parameters<typeof route.reply>[0], match: Parameters<typeof route.reply>[1]) =>
            ++writes === 1 ? failure(500, "Internal Server Error") : route.reply(request, match),
        }
      : route,
  );
  github = await fakeGitHub(failingFirstWrite);
  const clock = new ManualClock();
  repol = await repolOverHttp(github, {}, { clock });
  const store = repol.gate.store;
  const deliver = async (event: string, payload: unknown, id: string) => {
    const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload, id);
    const response = await fetch(`${repol.url}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(202);
    await eventually(`delivery ${id} to be processed`, async () => (await store.deliveries!.get(id))?.status === "done");
    return (await store.findByDelivery(id))!;
  };

  const a = await deliver("pull_request", webhook("pull_request.opened"), "verdict-a");
  expect(a).toMatchObject({ decision: "allow", effect: { kind: "check_run", ok: false, status: 500 } });

  pullOf(s, 42).reviews = [
    ["bob", "APPROVED"],
    ["bob", "CHANGES_REQUESTED"],
  ];
  const b = await deliver("pull_request_review", webhook("pull_request_review.submitted.changes_requested"), "verdict-b");
  expect(b).toMatchObject({ decision: "deny", effect: { kind: "check_run", ok: true } });

  // Long past A's retry time, the outbox worker looks for due effects.
  await clock.advance(60 * 60_000);
  await repol.work.outbox!.tick();

  const sent = [...github.calls("create-check-run"), ...github.calls("update-check-run")];
  expect(sent.map((request) => request.status)).toEqual([500, 201]);
  expect(verdictBodies(sent).map((body) => body.conclusion)).toEqual(["success", "failure"]);
  expect(checkRunsOf(s)).toEqual([expect.objectContaining({ name: "repol (main)", status: "completed", conclusion: "failure" })]);
  expect(await store.get(a.id)).toMatchObject({
    decision: "allow",
    effect: { kind: "check_run", ok: false, superseded_by: b.id, error: expect.stringContaining("superseded") },
  });
  expect((await store.get(b.id))!.effect).toMatchObject({ ok: true, check_run_id: checkRunsOf(s)[0]!.id });
  expect(await store.outbox!.counts()).toEqual({ pending: 0, done: 1, dead: 0, superseded: 1 });
});
