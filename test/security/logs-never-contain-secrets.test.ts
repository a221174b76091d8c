// Runs repol over HTTP at log level trace through traffic that makes it log the most (approvals,
// GitHub failures whose message echoes the token, forged signatures, API calls with and without
// the token), captures every line, and scans them for each secret: the App's private key and JWT,
// an installation token of unusual length, the webhook secret, webhook signatures, the API token.
// The same traffic through a plain logger shows the scan finds leaks when there is no redaction.
import { randomBytes } from "node:crypto";
import { pino, type Logger } from "pino";
import { describe, expect, it } from "vitest";
import { createRepolLogger } from "../../src/log-redaction.js";
import { json, type Route } from "../helpers/github-router.js";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { webhook } from "../helpers/pull-request-scenario.js";
import { TEST_WEBHOOK_SECRET, testAppPrivateKey, webhookHeaders } from "../helpers/test-probot.js";
import { AUDIT_TOKEN, startRepol } from "./harness.js";

// Installation tokens are becoming variable-length; this one is far longer than today's 40 characters.
const INSTALLATION_TOKEN = `ghs_${randomBytes(240).toString("base64url").replace(/-/g, "_")}`;

const leakyGitHub = (): Route[] => [
  ...scenarioRoutes(passingScenario()),
  {
    name: "installation-token",
    method: "POST",
    path: /^\/app\/installations\/\d+\/access_tokens$/,
    reply: () => json(201, { token: INSTALLATION_TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: { deployments: "write" } }),
  },
  {
    // A proxy in front of GitHub that echoes the request's credentials in its error message.
    name: "graphql",
    method: "POST",
    path: /^(?:\/api)?\/graphql$/,
    reply: (request) => json(502, { message: `upstream refused ${String(request.headers.authorization)}` }),
  },
];

async function drive(log: Logger): Promise<{ secrets: Record<string, string[]>; lines: number }> {
  const repol = await startRepol({ routes: leakyGitHub(), log });
  try {
    repol.github.commit("main", ".repol/deploy.yaml", passingScenario().config!);
    const staging = repol.deploymentPayload((p) => {
      p.environment = "staging";
      p.deployment.environment = "staging";
    });
    const ids = [
      (await repol.deliver("deployment_protection_rule", staging)).id,
      (await repol.deliver("deployment_protection_rule", repol.deploymentPayload())).id,
    ];
    for (const id of ids) await repol.rowOf(id);
    const forged = JSON.stringify(repol.deploymentPayload());
    const signatures = [
      webhookHeaders("deployment_protection_rule", forged, { secret: "not-the-secret" })["x-hub-signature-256"]!,
      webhookHeaders("deployment_protection_rule", forged)["x-hub-signature-256"]!,
    ];
    await repol.post(forged, { ...webhookHeaders("deployment_protection_rule", forged), "x-hub-signature-256": signatures[0]! });
    await repol.post(`${forged} `, { ...webhookHeaders("deployment_protection_rule", forged), "x-hub-signature-256": signatures[1]! });
    await repol.deliver(
      "pull_request",
      webhook("pull_request.opened", (p) => delete p.pull_request),
    );
    for (const token of [AUDIT_TOKEN, "wrong-token-guess-123456"]) {
      await fetch(`${repol.url}/audit`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${repol.url}/evaluate/deploy`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{}",
      });
    }
    const jwt = String(repol.github.calls("installation-token")[0]?.headers.authorization ?? "").replace(/^bearer /i, "");
    expect(jwt).toMatch(/^eyJ/);
    const keyLines = testAppPrivateKey()
      .split("\n")
      .filter((line) => line.length > 20 && !line.startsWith("-----"));
    return {
      lines: 0,
      secrets: {
        "private key": [...keyLines, "PRIVATE KEY-----"],
        "App JWT": [jwt, jwt.split(".")[2]!],
        "installation token": [INSTALLATION_TOKEN, INSTALLATION_TOKEN.slice(4, 40), INSTALLATION_TOKEN.slice(-40)],
        "webhook secret": [TEST_WEBHOOK_SECRET],
        "webhook signature": signatures.map((signature) => signature.slice("sha256=".length)),
        "API token": [AUDIT_TOKEN],
      },
    };
  } finally {
    await repol.close();
  }
}

function leaksIn(output: string, secrets: Record<string, string[]>): string[] {
  return Object.entries(secrets).flatMap(([name, values]) => (values.some((value) => output.includes(value)) ? [name] : []));
}

const env = { WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, PRIVATE_KEY: testAppPrivateKey(), AUDIT_API_TOKEN: AUDIT_TOKEN, LOG_LEVEL: "trace" as const };

describe("repol's logs", () => {
  it("contain no secret, at trace level, through approvals, GitHub failures, forged deliveries and API calls", async () => {
    const lines: string[] = [];
    const log = await createRepolLogger({ env, destination: { write: (line) => void lines.push(line) } });

    const { secrets } = await drive(log);

    const output = lines.join("");
    // The run logged what it should: the decisions and the failures, in detail (a decision now costs
    // two GitHub requests, so fewer request lines than when it took a dozen).
    expect(lines.length).toBeGreaterThan(10);
    expect(output).toContain("deployment_protection_rule decided");
    expect(output).toContain("upstream refused");
    expect(output).toContain("[REDACTED]");
    expect(leaksIn(output, secrets)).toEqual([]);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("would contain them without redaction, so the scan above can fail", async () => {
    const lines: string[] = [];
    const { secrets } = await drive(pino({ level: "trace" }, { write: (line: string) => void lines.push(line) }));
    expect(leaksIn(lines.join(""), secrets)).toContain("installation token");
  });
});
