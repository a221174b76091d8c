// The reconcile sweep against a GitHub faked on 127.0.0.1: it pages the App's recent deliveries as
// the App (JWT) and asks a redelivery of exactly those that never reached repol.
import { createProbot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import type { GitHub } from "../../src/github/github-client.js";
import { redeliverFailed, startRedeliverySweep, type HookDelivery } from "../../src/intake/redeliver-failed.js";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { closedPort } from "../helpers/closed-port.js";
import { eventually } from "../helpers/eventually.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import { failure, json, type GitHubRequest } from "../helpers/github-router.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit } from "../helpers/test-probot.js";

const NOW = new Date("2025-11-21T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString().replace(".000", "");

function attempt(id: number, guid: string, hours: number, status_code: number, event = "deployment_protection_rule"): HookDelivery {
  return { id, guid, delivered_at: hoursAgo(hours), status_code, event, action: "requested" };
}

// Newest first, as GitHub lists them.
const HISTORY: HookDelivery[] = [
  attempt(11, "delivered-on-retry", 0.5, 200),
  attempt(10, "delivered-on-retry", 1, 502),
  attempt(12, "timed-out", 2, 0),
  attempt(15, "already-stored", 3, 503),
  attempt(16, "refused-on-purpose", 3.5, 400),
  attempt(14, "failed-twice", 4, 0),
  attempt(17, "unhandled-event", 4.5, 502, "issues"),
  attempt(13, "failed-twice", 5, 502),
  attempt(18, "too-old", 60, 500),
  attempt(19, "older-still", 70, 500),
];

let github: GatedGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function appClient(history = HISTORY, pageSize = 3, redelivery = json(202, {})): Promise<GitHub> {
  const fake = await gatedGitHub([
    {
      name: "list-deliveries",
      method: "GET",
      path: /^\/app\/hook\/deliveries$/,
      reply: (request: GitHubRequest) => {
        const from = Number(request.query.get("cursor") ?? 0);
        const next = from + pageSize;
        const headers: Record<string, string> =
          next < history.length ? { link: `<${request.apiRoot}/app/hook/deliveries?per_page=100&cursor=${next}>; rel="next"` } : {};
        return json(200, history.slice(from, next), headers);
      },
    },
    { name: "redeliver", method: "POST", path: /^\/app\/hook\/deliveries\/(\d+)\/attempts$/, reply: () => redelivery },
  ]);
  github = fake;
  const probot = createProbot({
    env: {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
    },
    overrides: { Octokit: TestOctokit },
  });
  return (await probot.auth()) as GitHub;
}

const options = {
  now: NOW,
  known: async (guids: readonly string[]) => new Set(guids.filter((guid) => guid === "already-stored")),
  wanted: (event: string) => event === "deployment_protection_rule" || event === "pull_request",
};

describe("redeliverFailed", () => {
  it("asks a redelivery of the latest attempt of each failed delivery repol never stored, oldest first", async () => {
    const client = await appClient();

    const report = await redeliverFailed(client, options);

    expect(report).toEqual({ listed: 8, asked: [14, 12], refused: 0 });
    expect(github!.calls("redeliver").map((request) => request.path)).toEqual(["/app/hook/deliveries/14/attempts", "/app/hook/deliveries/12/attempts"]);
  });

  it("authenticates as the App, and stops paging once it reaches deliveries older than its window", async () => {
    const client = await appClient();

    await redeliverFailed(client, options);

    const listed = github!.calls("list-deliveries");
    expect(listed.map((request) => request.query.get("cursor") ?? "0")).toEqual(["0", "3", "6"]);
    expect(String(listed[0]!.headers.authorization)).toMatch(/^bearer \S+\.\S+\.\S+$/i);
  });

  it("asks no more than its limit per sweep", async () => {
    const client = await appClient();
    const report = await redeliverFailed(client, { ...options, limit: 1 });
    expect(report.asked).toEqual([14]);
  });

  it("counts a redelivery GitHub refuses instead of throwing", async () => {
    const client = await appClient(HISTORY, 3, failure(422, "Validation Failed"));
    const report = await redeliverFailed(client, options);
    expect(report).toMatchObject({ asked: [], refused: 2 });
  });

  it("asks nothing when every delivery got through", async () => {
    const client = await appClient([attempt(1, "fine", 1, 202), attempt(2, "fine-too", 2, 200)]);
    expect(await redeliverFailed(client, options)).toEqual({ listed: 2, asked: [], refused: 0 });
    expect(github!.calls("redeliver")).toEqual([]);
  });
});

describe("startRedeliverySweep", () => {
  it("logs a sweep that fails instead of throwing out of the timer", async () => {
    const errors: string[] = [];
    const stop = startRedeliverySweep({
      appClient: async () => {
        throw new Error("GitHub could not be reached");
      },
      deliveries: { known: async () => new Set() },
      wanted: () => true,
      log: { info: () => undefined, warn: () => undefined, error: (_details: object, message: string) => errors.push(message) },
      intervalMinutes: 30,
    });
    try {
      await eventually("the failure to be logged", () => errors.length > 0);
      expect(errors[0]).toContain("redelivery sweep failed");
    } finally {
      stop();
    }
  });

  it("logs GitHub refusing the connection as one WARN line that names it, with no error object or stack", async () => {
    const port = await closedPort();
    const probot = createProbot({
      env: {
        APP_ID: String(TEST_APP_ID),
        PRIVATE_KEY: testAppPrivateKey(),
        WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        GHE_HOST: `127.0.0.1:${port}`,
        GHE_PROTOCOL: "http",
        LOG_LEVEL: "fatal",
      },
      overrides: probotGitHubOverrides({ timeoutMs: 1_000 }),
    });
    const lines: { level: string; args: unknown[] }[] = [];
    const record =
      (level: string) =>
      (...args: unknown[]) =>
        void lines.push({ level, args });
    const stop = startRedeliverySweep({
      appClient: async () => (await probot.auth()) as GitHub,
      deliveries: { known: async () => new Set() },
      wanted: () => true,
      log: { info: record("info"), warn: record("warn"), error: record("error") },
      intervalMinutes: 30,
    });
    try {
      await eventually("the failure to be logged", () => lines.length > 0);
      expect(lines).toEqual([
        {
          level: "warn",
          args: [
            `redelivery sweep failed: could not connect to GitHub (ECONNREFUSED 127.0.0.1:${port})` +
              " while listing the App's webhook deliveries; will try again in 30 min",
          ],
        },
      ]);
    } finally {
      stop();
    }
  });

  it("does nothing when turned off", () => {
    let asked = false;
    const stop = startRedeliverySweep({
      appClient: async () => {
        asked = true;
        throw new Error("not expected");
      },
      deliveries: { known: async () => new Set() },
      wanted: () => true,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      intervalMinutes: 0,
    });
    stop();
    expect(asked).toBe(false);
  });
});
