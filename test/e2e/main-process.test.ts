// src/main.ts as an operator runs it: a child process configured only through the environment.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ensurePolicyBundle } from "../helpers/gate-deps.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testAppPrivateKey } from "../helpers/test-probot.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir: string;
let github: FakeGitHub;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-main-"));
  github = await fakeGitHub(scenarioRoutes(passingScenario()));
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/main.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: "json", LOG_LEVEL: "info", NO_COLOR: "1", ...env },
  });
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(running.output());
    if (match) return match;
    if (running.child.exitCode !== null || Date.now() > deadline) throw new Error(`never saw ${pattern}; output:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("main", () => {
  it("serves webhooks on the configured port, then stops cleanly on SIGTERM", async () => {
    const running = start({
      APP_ID: "1",
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: "0",
      AUDIT_DB_PATH: join(dir, "audit.db"),
      POLICY_WASM_PATH: ensurePolicyBundle(),
    });
    try {
      const [, url] = await waitFor(running, /repol listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const payload = deploymentPayload((p) => {
        p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
      });
      const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload);

      const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });

      expect(response.status).toBe(202);
      await eventually("the callback", () => callbackBodies(github.requests).length > 0);
      expect(callbackBodies(github.requests).map((body) => body.state)).toEqual(["approved"]);
      running.child.kill("SIGTERM");
      expect(await running.exited).toBe(0);
      expect(running.output()).toContain("repol stopped");
    } finally {
      running.child.kill("SIGKILL");
    }
  });

  it("refuses to start without a policy bundle and says how to build one", async () => {
    const running = start({
      APP_ID: "1",
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      PORT: "0",
      AUDIT_DB_PATH: join(dir, "other.db"),
      POLICY_WASM_PATH: join(dir, "missing.wasm"),
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain("repol failed to start");
    expect(running.output()).toContain("npm run build:policies");
  });
});
