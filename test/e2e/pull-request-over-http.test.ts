// The pull request check over HTTP: signed webhooks POSTed to the real express server, GitHub faked on
// 127.0.0.1 (GHE_HOST), the audit trail read back through GET /audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH } from "../../src/server.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import type { GateDeps } from "../helpers/gate-deps.js";
import { repolOverHttp, type RepolOverHttp } from "../helpers/repol-over-http.js";
import { HEAD_SHA, checkRunsOf, scenario, scenarioRoutes, webhook, type PullRequestScenario } from "../helpers/pull-request-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET } from "../helpers/test-probot.js";

const AUDIT_TOKEN = "pr-audit-token";
let s: PullRequestScenario;
let github: FakeGitHub;
let gate: GateDeps;
let repol: RepolOverHttp;
let repolUrl: string;

beforeAll(async () => {
  s = scenario();
  github = await fakeGitHub(scenarioRoutes(s));
  repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN });
  gate = repol.gate;
  repolUrl = repol.url;
});

afterAll(async () => {
  await repol.close();
  await github.close();
});

async function deliver(event: string, payload: unknown): Promise<{ status: number; id: string }> {
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, event, payload);
  const response = await fetch(`${repolUrl}${WEBHOOK_PATH}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  await response.text();
  return { status: response.status, id: delivery.id };
}

describe("the pull request check over HTTP", () => {
  it("fails on open, turns the same run green on approval, and shows both verdicts in the audit trail", async () => {
    const opened = await deliver("pull_request", webhook("pull_request.opened"));
    expect(opened.status).toBe(202);
    await eventually("the first verdict on the check run", async () => (await gate.store.findByDelivery(opened.id))?.effect.ok);
    expect(checkRunsOf(s)).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "failure" })]);

    s.pulls[0].reviews = [["bob", "APPROVED"]];
    const approved = await deliver("pull_request_review", webhook("pull_request_review.submitted.approved"));
    expect(approved.status).toBe(202);
    await eventually("the second verdict on the check run", async () => (await gate.store.findByDelivery(approved.id))?.effect.ok);

    const runs = checkRunsOf(s);
    expect(runs).toEqual([expect.objectContaining({ name: "repol (main)", conclusion: "success" })]);
    expect(github.calls("unmatched")).toEqual([]);
    expect(github.calls("update-check-run").every((r) => r.headers.authorization === "token ghs_testinstallationtoken")).toBe(true);

    const audit = await fetch(`${repolUrl}/audit?policy=pullrequest&pr=42`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
    expect(audit.status).toBe(200);
    const { rows } = (await audit.json()) as { rows: Record<string, unknown>[] };
    expect(rows.map((r) => [r.delivery_id, r.event, r.decision, r.sha])).toEqual([
      [approved.id, "pull_request_review", "allow", HEAD_SHA],
      [opened.id, "pull_request", "deny", HEAD_SHA],
    ]);
    expect(rows[0]).toMatchObject({ policy: "pullrequest", pr_number: 42, effect: { kind: "check_run", ok: true, check_run_id: runs[0].id } });
  });
});
