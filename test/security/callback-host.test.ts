// The installation token only ever goes to the GitHub API repol is configured for. Over HTTP, with
// GitHub faked on 127.0.0.1 and a second listener standing in for an attacker's host: a webhook whose
// deployment_callback_url points anywhere else is refused and recorded, and the attacker's listener
// never sees a request, let alone a token. (parseCallbackUrl's own cases are in test/github.)
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { ACCEPTED, API_ROOT_PATH, eventually, settle, startRepol, type RepolUnderTest } from "./harness.js";

let repol: RepolUnderTest;
let attacker: Server;
let attackerHost: string;
const seenByAttacker: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  attacker = createServer((req, res) => {
    seenByAttacker.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerHost = `127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
  repol.github.commit("main", ".repol/deploy.yaml", passingScenario().config!);
});
afterAll(async () => {
  await repol.close();
  await new Promise((resolve) => attacker.close(resolve));
});
beforeEach(() => {
  seenByAttacker.length = 0;
  repol.github.requests.length = 0;
});

const callbackPath = `/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;

describe("a deployment_callback_url outside the configured GitHub API", () => {
  const cases: { name: string; url: () => string; reason: RegExp }[] = [
    { name: "another port on the same machine", url: () => `http://${attackerHost}${API_ROOT_PATH}${callbackPath}`, reason: /points to another host/ },
    {
      name: "the same server under another name",
      url: () => `http://localhost:${repol.github.host.split(":")[1]}${API_ROOT_PATH}${callbackPath}`,
      reason: /points to another host/,
    },
    {
      name: "the GitHub host as user name in front of another host",
      url: () => `http://${repol.github.host}@${attackerHost}${API_ROOT_PATH}${callbackPath}`,
      reason: /points to another host/,
    },
    {
      name: "credentials in the URL",
      url: () => `http://x-access-token:leak@${repol.github.host}${API_ROOT_PATH}${callbackPath}`,
      reason: /carries credentials/,
    },
    { name: "another scheme", url: () => `https://${repol.github.host}${API_ROOT_PATH}${callbackPath}`, reason: /points to another host/ },
    {
      name: "a query that could redirect",
      url: () => `${repol.github.apiUrl}${callbackPath}?next=http://${attackerHost}/`,
      reason: /carries credentials, a query/,
    },
    {
      name: "a path that climbs out of /repos/",
      url: () => `${repol.github.apiUrl}${callbackPath}/../../../../../../../app/installations/1/access_tokens`,
      reason: /not under the API's \/repos\/ path/,
    },
    {
      name: "an encoded climb",
      url: () => `${repol.github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/%2e%2e/%2e%2e/deployment_protection_rule`,
      reason: /is not a deployment protection rule callback/,
    },
    {
      name: "another repository's run",
      url: () => `${repol.github.apiUrl}/repos/acme/other/actions/runs/${RUN_ID}/deployment_protection_rule`,
      reason: /names another repository/,
    },
    { name: "a URL that is not one", url: () => "javascript:fetch('//evil')", reason: /points to another host|not a URL/ },
  ];

  it.each(cases)("refuses $name: nothing sent anywhere, the refusal recorded", async ({ url, reason }) => {
    const { id, status } = await repol.deliver(
      "deployment_protection_rule",
      repol.deploymentPayload((p) => void (p.deployment_callback_url = url())),
    );

    expect(ACCEPTED).toContain(status);
    const row = await repol.rowOf(id);
    await settle(repol.github, 100);
    expect(seenByAttacker).toEqual([]);
    expect(repol.github.calls("callback")).toEqual([]);
    // Not even a question is asked of GitHub for a webhook that names a foreign callback.
    expect(repol.github.requests.filter((request) => request.path.startsWith("/repos/"))).toEqual([]);
    expect(row).toMatchObject({ decision: "error", effect: { kind: "deployment_callback", ok: false } });
    expect(row.error).toMatch(reason);
    expect(row.effect.error).toMatch(/^not called: /);
  });
});

describe("the callback GitHub answers with a redirect", () => {
  it("neither follows it to another host nor records the verdict as delivered", async () => {
    repol.github.use({
      name: "callback",
      method: "POST",
      path: /\/deployment_protection_rule$/,
      reply: () => ({ status: 307, headers: { location: `http://${attackerHost}/stolen` }, body: { message: "Moved" } }),
    });
    try {
      const { id } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload());
      await repol.callbacks(1);
      // The verdict did not reach GitHub, and the audit row says so once the attempt is settled.
      await eventually("the failed attempt in the audit row", async () => /redirect/i.test((await repol.rowOf(id)).effect.error ?? ""));
      expect((await repol.rowOf(id)).effect).toMatchObject({ kind: "deployment_callback", ok: false });
      expect(seenByAttacker).toEqual([]);
    } finally {
      repol.github.use(...scenarioRoutes(passingScenario()).filter((route) => route.name === "callback"));
    }
  });
});

describe("every token-bearing request of a normal deployment", () => {
  it("goes to the configured GitHub API and nowhere else", async () => {
    const { id } = await repol.deliver(
      "deployment_protection_rule",
      repol.deploymentPayload((p) => {
        p.environment = "staging";
        p.deployment.environment = "staging";
      }),
    );
    expect((await repol.rowOf(id)).decision).toBe("allow");
    await repol.callbacks(1);
    expect(seenByAttacker).toEqual([]);
    const authorized = repol.github.requests.filter((request) => request.headers.authorization !== undefined);
    // The facts query and the callback, each with the installation token, reached the fake GitHub.
    expect(
      authorized
        .filter((request) => request.headers.authorization === "token ghs_testinstallationtoken")
        .map((request) => request.route)
        .sort(),
    ).toEqual(["callback", "graphql"]);
    expect(authorized.every((request) => request.apiRoot === repol.github.apiUrl)).toBe(true);
    expect(authorized.map((request) => request.route)).not.toContain("unmatched");
  });
});
