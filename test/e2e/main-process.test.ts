// src/main.ts as an operator runs it: a child process configured only through the environment.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ensurePolicyBundle } from "../helpers/gate-deps.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { repolEnv, startRepolProcess } from "../helpers/repol-process.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testAppPrivateKey } from "../helpers/test-probot.js";

const credentials = () => ({ APP_ID: "1", PRIVATE_KEY: testAppPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });

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

describe("main", () => {
  it("serves webhooks on the configured port, then stops cleanly on SIGTERM", async () => {
    const running = startRepolProcess(repolEnv(github.host, join(dir, "audit.db"), ensurePolicyBundle(), credentials()));
    try {
      const url = await running.listening();
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
    const running = startRepolProcess({
      ...credentials(),
      PORT: "0",
      AUDIT_DB_PATH: join(dir, "other.db"),
      POLICY_WASM_PATH: join(dir, "missing.wasm"),
    });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain("repol failed to start");
    expect(running.output()).toContain("npm run build:policies");
  });
});
