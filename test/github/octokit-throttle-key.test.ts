// GitHub limits requests per installation; Octokit's throttling does that per throttle `id`, and repol
// paces mutations per installation (pace-mutations.ts). Both must be keyed by installation, or every
// installation's callbacks and check runs queue behind one another's; and reads must not be paced at
// all. The clients are built the way a webhook handler gets them (context.octokit). Times checked are
// wide margins around the rule (Octokit's old second per GraphQL query), not speed targets.
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { sendDeploymentCallback } from "../../src/github/deployment-callback.js";
import type { GitHub } from "../../src/github/github-client.js";
import { probotGitHubOverrides, type OctokitTuning } from "../../src/github/octokit-options.js";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { fakeGitHub, type FakeGitHub, type FakeGitHubOptions } from "../helpers/fake-github.js";
import { json, type GitHubReply, type Route } from "../helpers/github-router.js";
import { probotOnHost } from "../helpers/test-probot.js";

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** Installation clients as handlers get them, against a fake GitHub with `routes`, tokens already fetched. */
async function clientsFor(installations: number[], routes: Route[], tuning: OctokitTuning = { timeoutMs: 5_000 }, options: FakeGitHubOptions = {}) {
  github = await fakeGitHub([...scenarioRoutes(passingScenario()), ...routes], options);
  const probot = probotOnHost(github.host, probotGitHubOverrides(tuning));
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
  await Promise.all(clients.map((client) => client.request("GET /repos/{owner}/{repo}/environments", { owner: "acme", repo: "widgets" })));
  return clients;
}

const callback = (client: GitHub, runId: number) =>
  sendDeploymentCallback(client, { owner: "acme", repo: "widgets", runId, environment: "production", state: "rejected", comment: "x" });

async function writesFrom(installations: number[]): Promise<number[]> {
  const arrivedAt: number[] = [];
  const clients = await clientsFor(installations, [
    { name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply: () => (arrivedAt.push(performance.now()), json(204)) },
  ]);
  const outcomes = await Promise.all(clients.map((client, i) => callback(client, i + 1)));
  expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  return arrivedAt.sort((a, b) => a - b);
}

describe("write pacing", () => {
  it("does not make one installation's write wait for another installation's", async () => {
    const [first, second] = await writesFrom([101, 202]);
    expect(second! - first!).toBeLessThan(700);
  });

  it("sends one installation's writes one at a time, without a second between them", async () => {
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      const write = String(input instanceof Request ? input.url : input).endsWith("/deployment_protection_rule");
      if (write) most = Math.max(most, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (write) inFlight--;
      }
    };
    const arrivedAt: number[] = [];
    // Each write is answered only once a second one has arrived, or after 150 ms: concurrent writes would be seen.
    let another: () => void = () => {};
    const clients = await clientsFor(
      [303, 303, 303],
      [{ name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply: () => json(204) }],
      { timeoutMs: 5_000, fetch: counting },
      {
        async beforeReply(request) {
          if (!request.path.endsWith("/deployment_protection_rule")) return;
          arrivedAt.push(performance.now());
          another();
          await new Promise<void>((resolve) => ((another = resolve), setTimeout(resolve, 150)));
        },
      },
    );

    const outcomes = await Promise.all(clients.map((client, i) => callback(client, i + 1)));

    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(most).toBe(1);
    expect(arrivedAt).toHaveLength(3);
    // Octokit's pacing put a second between them; each now follows its predecessor's answer (~150 ms).
    expect(arrivedAt[2]! - arrivedAt[0]!).toBeLessThan(1_800);
  });
});

describe("reads", () => {
  it("sends one installation's GraphQL queries at once, none waiting for another", async () => {
    const queries = 5;
    const arrivedAt: number[] = [];
    let allArrived!: () => void;
    const barrier = new Promise<void>((resolve) => (allArrived = resolve));
    const [client] = await clientsFor([404], [], undefined, {
      async beforeReply(request) {
        if (!request.path.endsWith("/graphql")) return;
        arrivedAt.push(performance.now());
        if (arrivedAt.length === queries) allArrived();
        await barrier;
      },
    });

    const answers = await Promise.all(
      Array.from({ length: queries }, () => client!.request("POST /graphql", { query: 'query Probe { repository(owner: "acme", name: "widgets") { name } }' })),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(queries).fill(200));
    // Each query was held until all had arrived; Octokit's old pacing would have spread them over 4 s.
    expect(arrivedAt.at(-1)! - arrivedAt[0]!).toBeLessThan(2_500);
  });
});

describe("secondary rate limits", () => {
  it("waits out Retry-After on a mutation, and holds the installation's next mutation until then", async () => {
    const arrivals: { run: string; at: number; status: number }[] = [];
    let limited = false;
    const reply = (request: { path: string }): GitHubReply => {
      const run = /runs\/(\d+)\//.exec(request.path)![1]!;
      const first = run === "1" && !limited;
      if (first) limited = true;
      const status = first ? 403 : 204;
      arrivals.push({ run, at: performance.now(), status });
      return first
        ? { status, body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes." }, headers: { "retry-after": "1" } }
        : json(204);
    };
    const [client, same] = await clientsFor([505, 505], [{ name: "callback", method: "POST", path: /\/deployment_protection_rule$/, reply }], {
      timeoutMs: 5_000,
      rateLimitBaseMs: 250,
    });

    const first = callback(client!, 1);
    const second = callback(same!, 2);
    const outcomes = await Promise.all([first, second]);

    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(arrivals.map(({ run, status }) => `${run} ${status}`)).toEqual(["1 403", "1 204", "2 204"]);
    // Retry-After: 1 (second), scaled by rateLimitBaseMs to 250 ms.
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(240);
  });
});
