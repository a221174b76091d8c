// GitHub asks for writes to be spaced a second apart per installation; Octokit's throttling does that
// per throttle `id`. repol's Octokit must key it by installation, or every installation's callbacks
// and check runs queue behind one shared write per second. The clients are built the way a webhook
// handler gets them (context.octokit); the gaps checked are the throttle's rule (1 s per installation),
// with wide margins, not a speed target.
import { performance } from "node:perf_hooks";
import { createProbot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { sendDeploymentCallback } from "../../src/github/deployment-callback.js";
import type { GitHub } from "../../src/github/github-client.js";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { json } from "../helpers/github-router.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey } from "../helpers/test-probot.js";

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function writesFrom(installations: number[]): Promise<number[]> {
  const arrivedAt: number[] = [];
  github = await fakeGitHub([
    ...scenarioRoutes(passingScenario()),
    { name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply: () => (arrivedAt.push(performance.now()), json(204)) },
  ]);
  const probot = createProbot({
    env: {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "fatal",
    },
    overrides: probotGitHubOverrides({ timeoutMs: 5_000 }),
  });
  const app = await probot.auth();
  const clients = await Promise.all(
    installations.map(
      async (id) =>
        (await app.auth({
          type: "event-octokit",
          event: { id: `d-${id}`, name: "deployment_protection_rule", payload: { action: "requested", installation: { id } } },
        })) as GitHub,
    ),
  );
  // Tokens first, so only the writes are paced.
  await Promise.all(clients.map((client) => client.request("GET /repos/{owner}/{repo}/environments", { owner: "acme", repo: "widgets" })));
  const outcomes = await Promise.all(
    clients.map((client, i) =>
      sendDeploymentCallback(client, { owner: "acme", repo: "widgets", runId: i + 1, environment: "production", state: "rejected", comment: "x" }),
    ),
  );
  expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  return arrivedAt.sort((a, b) => a - b);
}

describe("write pacing", () => {
  it("does not make one installation's write wait for another installation's", async () => {
    const [first, second] = await writesFrom([101, 202]);
    expect(second! - first!).toBeLessThan(700);
  });

  it("spaces one installation's writes a second apart, as GitHub asks", async () => {
    const [first, second] = await writesFrom([303, 303]);
    expect(second! - first!).toBeGreaterThanOrEqual(900);
  });
});
