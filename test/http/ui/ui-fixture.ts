// Decisions seeded through the store API for the /ui tests, and a way to serve /ui alone on 127.0.0.1.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { AuditStore } from "../../../src/audit/store.js";
import { uiRouter, type UiRouterParts } from "../../../src/http/ui/ui-router.js";
import { auditRow, type TestClock } from "../../audit/fixtures.js";

export const UI_TOKEN = "ui-test-token-5d1e0c7b";
/** A branch name GitHub accepts that would run script if a page printed it unescaped. */
export const HOSTILE_BRANCH = "<img src=x onerror=alert(1)>";
export const RUN_ID = 987_654_321;

export interface SeededDecisions {
  /** The denied deployment from HOSTILE_BRANCH, answered through the outbox after one failed attempt. */
  hostile: string;
  /** The denied pull request with a check run. */
  pullRequest: string;
  total: number;
}

/**
 * Allowed, denied and failed decisions spread over the 12 days up to the clock's start; the clock is
 * left where it started.
 */
export async function seedDecisions(store: AuditStore, clock: TestClock): Promise<SeededDecisions> {
  const start = clock.now().getTime();
  const at = (daysAgo: number, minutes = 0) => clock.set(new Date(start - daysAgo * 86_400_000 + minutes * 60_000).toISOString());
  let total = 0;
  for (let day = 1; day <= 12; day++) {
    at(day);
    const decision = day % 3 === 0 ? "deny" : day % 5 === 0 ? "error" : "allow";
    const violations = decision === "deny" ? [{ code: "approvals", msg: "needs 2 approvals, has 1" }] : [];
    await store.insert(
      auditRow({ decision, violations, duration_ms: day * 10, actor: day % 2 ? "alice" : "bob", error: decision === "error" ? "GitHub answered 502" : null }),
    );
    total++;
  }
  at(0, -30);
  const { auditId: hostile, effect } = await store.outbox!.recordWithEffect(
    auditRow({
      delivery_id: "hostile-delivery",
      decision: "deny",
      ref: `refs/heads/${HOSTILE_BRANCH}`,
      environment: "production",
      actor: "mallory",
      violations: [
        { code: "branch", msg: `branch ${HOSTILE_BRANCH} is not allowed`, allowed: ["main"] },
        { code: "approvals", msg: "needs 2 approvals, has 0" },
      ],
      input: { ref: `refs/heads/${HOSTILE_BRANCH}`, approvals: [] },
      duration_ms: 250,
      effect: { kind: "deployment_callback", ok: false, error: "not sent yet" },
    }),
    {
      kind: "deployment_callback",
      installation_id: 7,
      request: {
        kind: "deployment_callback",
        review: { owner: "acme", repo: "shop", runId: RUN_ID, environment: "production", state: "rejected", comment: "no" },
      },
      target: `deployment:acme/shop:${RUN_ID}:production`,
    },
    60_000,
  );
  await store.outbox!.retryLater(effect!.id, { kind: "deployment_callback", ok: false, status: 502, error: "GitHub answered 502 Bad Gateway" }, 5_000);
  total++;
  at(0, -10);
  const { id: pullRequest } = await store.insert(
    auditRow({
      event: "pull_request",
      action: "opened",
      policy: "pullrequest",
      decision: "deny",
      environment: null,
      pr_number: 42,
      actor: "carol",
      violations: [{ code: "labels", msg: "needs the label reviewed" }],
      warnings: [{ code: "signoff.missing", msg: "2 commits lack a Signed-off-by trailer", rule: "signed_off" }],
      effect: { kind: "check_run", ok: true, check_run_id: 5555 },
    }),
  );
  total++;
  clock.set(new Date(start).toISOString());
  return { hostile, pullRequest, total };
}

export interface ServedUi {
  url: string;
  close(): Promise<void>;
}

/** /ui alone in an express app, as src/server.ts mounts it. */
export async function serveUi(parts: UiRouterParts, trustProxy?: string): Promise<ServedUi> {
  const app = express();
  if (trustProxy) app.set("trust proxy", trustProxy);
  app.use("/ui", uiRouter(parts));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The session cookie a successful sign-in sets, as a Cookie header value. */
export async function signIn(url: string, token = UI_TOKEN, headers: Record<string, string> = {}): Promise<{ response: Response; cookie: string | null }> {
  const response = await fetch(`${url}/ui/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ token, next: "/ui" }),
  });
  const setCookie = response.headers.get("set-cookie");
  return { response, cookie: setCookie ? setCookie.split(";")[0]! : null };
}
