// One client per installation, kept across events: against a GitHub Enterprise Server faked on
// 127.0.0.1, each installation's requests carry its own token, the token is asked for once and again
// only after it expired, and the kept clients are bounded.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { GitHub } from "../../src/github/github-client.js";
import { reusedPerInstallation } from "../../src/github/installation-clients.js";
import { probotGitHubOverrides } from "../../src/github/octokit-options.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { json } from "../helpers/github-router.js";
import { probotOnHost } from "../helpers/test-probot.js";

const HOUR_MS = 3_600_000;
let github: FakeGitHub | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await github?.close();
  github = undefined;
});

/** A GitHub that hands installation N the tokens ghs_N_1, ghs_N_2 … (valid an hour) and answers GET /repos/acme/widgets. */
async function tokenCountingGitHub(): Promise<FakeGitHub> {
  const issued = new Map<string, number>();
  github = await fakeGitHub([
    {
      name: "installation-token",
      method: "POST",
      path: /^\/app\/installations\/(\d+)\/access_tokens$/,
      reply: (_request, [, id]) => {
        issued.set(id!, (issued.get(id!) ?? 0) + 1);
        const expires = new Date(Date.now() + HOUR_MS).toISOString();
        return json(201, { token: `ghs_${id}_${issued.get(id!)}`, expires_at: expires, permissions: { contents: "read" }, repository_selection: "all" });
      },
    },
    { name: "repo", method: "GET", path: /^\/repos\/acme\/widgets$/, reply: () => json(200, { full_name: "acme/widgets" }) },
  ]);
  return github;
}

function probotAt(host: string) {
  return probotOnHost(host, probotGitHubOverrides({ timeoutMs: 5_000 }));
}

const readRepo = (client: GitHub) => client.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" });
const tokensSent = (fake: FakeGitHub) => fake.calls("repo").map((request) => request.headers.authorization);

describe("one client per installation", () => {
  it("hands every event of an installation the same client, and another installation its own", async () => {
    const probot = probotAt((await tokenCountingGitHub()).host);

    const [first, again, other] = [await probot.auth(1), await probot.auth(1), await probot.auth(2)];

    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it("sends each installation's own token when two installations take turns, asking for each token once", async () => {
    const fake = await tokenCountingGitHub();
    const probot = probotAt(fake.host);

    for (const installation of [1, 2, 1, 2]) await readRepo((await probot.auth(installation)) as GitHub);

    expect(tokensSent(fake)).toEqual(["token ghs_1_1", "token ghs_2_1", "token ghs_1_1", "token ghs_2_1"]);
    expect(fake.calls("installation-token").map((request) => request.path)).toEqual([
      "/app/installations/1/access_tokens",
      "/app/installations/2/access_tokens",
    ]);
    // GitHub Enterprise Server: the REST API under /api/v3.
    expect(fake.calls("repo")[0]!.apiRoot).toMatch(/\/api\/v3$/);
  });

  it("asks for a fresh token once the kept client's token has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fake = await tokenCountingGitHub();
    const client = (await probotAt(fake.host).auth(1)) as GitHub;

    await readRepo(client);
    vi.setSystemTime(Date.now() + HOUR_MS);
    await readRepo(client);

    expect(tokensSent(fake)).toEqual(["token ghs_1_1", "token ghs_1_2"]);
  });

  it("keeps clients of different Probots (different token caches) apart", async () => {
    const fake = await tokenCountingGitHub();

    const [one, two] = [await probotAt(fake.host).auth(1), await probotAt(fake.host).auth(1)];

    expect(two).not.toBe(one);
  });
});

describe("reusedPerInstallation", () => {
  class Client {
    constructor(readonly options: unknown) {}
  }
  const cache = {};
  const options = (installationId: number) => ({ auth: { installationId, cache } });

  it("drops the least recently used installation's client beyond its bound", () => {
    const Kept = reusedPerInstallation(Client, 2);
    const [a, b] = [new Kept(options(1)), new Kept(options(2))];

    expect(new Kept(options(1))).toBe(a);
    new Kept(options(3));

    expect(new Kept(options(1))).toBe(a);
    expect(new Kept(options(2))).not.toBe(b);
  });

  it("builds a client for no installation, or with no token cache, anew each time", () => {
    const Kept = reusedPerInstallation(Client, 2);

    expect(new Kept({ auth: { cache } })).not.toBe(new Kept({ auth: { cache } }));
    expect(new Kept({ auth: { installationId: 1 } })).not.toBe(new Kept({ auth: { installationId: 1 } }));
  });
});
