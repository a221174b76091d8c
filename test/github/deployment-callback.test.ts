import { afterEach, describe, expect, it } from "vitest";
import { parseCallbackUrl, sendDeploymentCallback } from "../../src/github/deployment-callback.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { TestOctokit } from "../helpers/test-probot.js";

const API = "https://api.github.com";
const GHES = "https://ghe.example.com/api/v3";
const good = `${API}/repos/acme/widgets/actions/runs/7654321098/deployment_protection_rule`;

describe("parseCallbackUrl", () => {
  it("accepts GitHub's callback URL for the webhook's repository and reads the run id", () => {
    expect(parseCallbackUrl(good, API, "acme", "widgets")).toEqual({ ok: true, owner: "acme", repo: "widgets", runId: 7654321098 });
  });

  it("accepts a GitHub Enterprise Server callback under /api/v3", () => {
    const url = `${GHES}/repos/acme/widgets/actions/runs/12/deployment_protection_rule`;
    expect(parseCallbackUrl(url, GHES, "acme", "widgets")).toMatchObject({ ok: true, runId: 12 });
  });

  it("matches owner and repository without regard to case, as GitHub does", () => {
    const url = `${API}/repos/Acme/Widgets/actions/runs/12/deployment_protection_rule`;
    expect(parseCallbackUrl(url, API, "acme", "widgets")).toMatchObject({ ok: true, runId: 12 });
  });

  it.each([
    { name: "another host", url: "https://evil.example.com/repos/acme/widgets/actions/runs/1/deployment_protection_rule", why: "points to another host" },
    {
      name: "a look-alike host",
      url: "https://api.github.com.evil.example.com/repos/acme/widgets/actions/runs/1/deployment_protection_rule",
      why: "points to another host",
    },
    { name: "plain http", url: "http://api.github.com/repos/acme/widgets/actions/runs/1/deployment_protection_rule", why: "points to another host" },
    { name: "another port", url: "https://api.github.com:8443/repos/acme/widgets/actions/runs/1/deployment_protection_rule", why: "points to another host" },
    {
      name: "credentials in the URL",
      url: "https://user:pw@api.github.com/repos/acme/widgets/actions/runs/1/deployment_protection_rule",
      why: "carries credentials",
    },
    { name: "a query string", url: `${good}?redirect=https://evil.example.com`, why: "carries credentials, a query" },
    { name: "another repository", url: `${API}/repos/acme/other/actions/runs/1/deployment_protection_rule`, why: "names another repository" },
    { name: "another endpoint", url: `${API}/repos/acme/widgets/actions/runs/1/approve`, why: "is not a deployment protection rule callback" },
    {
      name: "path traversal",
      url: `${API}/repos/acme/widgets/actions/runs/1/../../../../../user/deployment_protection_rule`,
      why: "is not a deployment protection rule callback",
    },
    {
      name: "a non-numeric run id",
      url: `${API}/repos/acme/widgets/actions/runs/abc/deployment_protection_rule`,
      why: "is not a deployment protection rule callback",
    },
    {
      name: "a path outside the API root on GHES",
      url: "https://ghe.example.com/repos/acme/widgets/actions/runs/1/deployment_protection_rule",
      why: "is not under the API's /repos/ path",
      base: GHES,
    },
  ])("refuses $name", ({ url, why, base }) => {
    const result = parseCallbackUrl(url, base ?? API, "acme", "widgets");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(why);
  });

  it.each([undefined, null, "", 42, "not a url"])("refuses a missing or malformed URL (%s)", (url) => {
    expect(parseCallbackUrl(url, API, "acme", "widgets").ok).toBe(false);
  });
});

describe("sendDeploymentCallback", () => {
  afterEach(resetNock);
  const review = { owner: "acme", repo: "widgets", runId: 7654321098, environment: "production", state: "rejected" as const, comment: "no" };

  it("posts environment, state and comment through the API route and reports success", async () => {
    const github = nockGitHub(scenarioRoutes(passingScenario()));
    const outcome = await sendDeploymentCallback(new TestOctokit({ auth: "token" }), review);
    expect(outcome).toEqual({ kind: "deployment_callback", ok: true, status: 204 });
    expect(github.calls("callback")).toHaveLength(1);
    expect(github.calls("callback")[0]!.path).toBe("/repos/acme/widgets/actions/runs/7654321098/deployment_protection_rule");
    expect(github.calls("callback")[0]!.body).toEqual({ environment_name: "production", state: "rejected", comment: "no" });
  });

  it("records GitHub's 422 as already decided, once, without retrying", async () => {
    const github = nockGitHub(scenarioRoutes(passingScenario({ callbackStatus: 422 })));
    const outcome = await sendDeploymentCallback(new TestOctokit({ auth: "token" }), review);
    expect(outcome).toMatchObject({ kind: "deployment_callback", ok: false, status: 422 });
    expect(outcome.error).toContain("already decided");
    expect(github.calls("callback")).toHaveLength(1);
  });

  it("returns a failed outcome instead of throwing when GitHub is down", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ callbackStatus: 503 })));
    const outcome = await sendDeploymentCallback(new TestOctokit({ auth: "token" }), review);
    expect(outcome).toMatchObject({ ok: false, status: 503 });
    expect(outcome.error).toContain("GitHub answered 503");
  });
});
