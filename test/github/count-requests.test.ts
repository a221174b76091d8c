// Each event's GitHub requests, counted per event while events share their installation's client
// (each through its own event client): against a GitHub faked on 127.0.0.1, with enough requests at
// once that Octokit's throttling queues some of them and starts them from another request's completion.
import { afterEach, describe, expect, it } from "vitest";
import { countsRequests, EventTally } from "../../src/github/count-requests.js";
import { clientForEvent } from "../../src/github/event-client.js";
import type { GitHub } from "../../src/github/github-client.js";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { json } from "../helpers/github-router.js";
import { installationToken } from "../helpers/scenario-routes.js";
import { probotOnHost, TestOctokit } from "../helpers/test-probot.js";

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function installationClient(): Promise<{ fake: FakeGitHub; client: GitHub }> {
  github = await fakeGitHub([
    { name: "installation-token", method: "POST", path: /^\/app\/installations\/\d+\/access_tokens$/, reply: installationToken({ contents: "read" }) },
    { name: "repo", method: "GET", path: /^\/repos\/acme\/widgets$/, reply: () => json(200, { full_name: "acme/widgets" }) },
  ]);
  const probot = probotOnHost(github.host, probotGitHubOverrides({ timeoutMs: 5_000 }));
  return { fake: github, client: (await probot.auth(7)) as GitHub };
}

const readRepo = (client: GitHub) => client.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" });
const times = (n: number, run: () => Promise<unknown>) => Promise.all(Array.from({ length: n }, run));

describe("counting requests per event", () => {
  it("counts the token request with the event that needed it", async () => {
    const { client } = await installationClient();
    const cold = new EventTally("cold");
    const warm = new EventTally("warm");

    await readRepo(clientForEvent(client, cold));
    await readRepo(clientForEvent(client, warm));

    expect([cold.requests, warm.requests]).toEqual([2, 1]);
  });

  it("keeps two events' counts apart on one client, when the throttling queue starts one event's requests from the other's", async () => {
    const { fake, client } = await installationClient();
    await readRepo(client);
    const [a, b] = [new EventTally("delivery-a"), new EventTally("delivery-b")];
    const [forA, forB] = [clientForEvent(client, a), clientForEvent(client, b)];

    // Octokit lets 10 requests of an installation run at once: 5 of these wait for earlier ones to finish.
    await Promise.all([times(12, () => readRepo(forA)), times(3, () => readRepo(forB))]);

    expect([a.requests, b.requests]).toEqual([12, 3]);
    const deliveries = fake.calls("repo").map((request) => request.headers["x-github-delivery"] ?? "none");
    expect(deliveries.filter((id) => id === "delivery-a")).toHaveLength(12);
    expect(deliveries.filter((id) => id === "delivery-b")).toHaveLength(3);
    // The request made outside any event names no delivery.
    expect(deliveries[0]).toBe("none");
  });

  it("knows repol's clients count requests and a plain Octokit does not", async () => {
    const { client } = await installationClient();

    expect(countsRequests(client)).toBe(true);
    expect(countsRequests(new TestOctokit() as unknown as GitHub)).toBe(false);
  });
});
