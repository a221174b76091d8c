// A deployment decided by src/main.ts (which keeps its bundle in the store at start), then replayed
// by `repol replay --audit-id` from the same SQLite file: the stored input under the stored bundle.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import { runRepol } from "../cli/run-repol.js";
import { eventually } from "../helpers/eventually.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { ensurePolicyBundle } from "../helpers/gate-deps.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { repolEnv, startRepolProcess } from "../helpers/repol-process.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testAppPrivateKey } from "../helpers/test-probot.js";

let dir: string;
let github: FakeGitHub;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-replay-main-"));
  github = await fakeGitHub(scenarioRoutes(passingScenario()));
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a recorded deployment decision", () => {
  it("replays to the same decision under the bundle repol kept at start", async () => {
    const dbPath = join(dir, "audit.db");
    const bundle = ensurePolicyBundle();
    const credentials = { APP_ID: "1", PRIVATE_KEY: testAppPrivateKey(), WEBHOOK_SECRET: TEST_WEBHOOK_SECRET };
    const running = startRepolProcess(repolEnv(github.host, dbPath, bundle, credentials));
    try {
      const url = await running.listening();
      const payload = deploymentPayload((p) => {
        p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
      });
      const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload);
      expect((await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(202);
      await eventually("the callback", () => callbackBodies(github.requests).length > 0);
      running.child.kill("SIGTERM");
      expect(await running.exited).toBe(0);
    } finally {
      running.child.kill("SIGKILL");
    }
    const store = await openAuditStore({ databaseUrl: null, auditDbPath: dbPath });
    const [row] = (await store.query({ policy: "deploy" })).rows;
    const kept = await store.policyBundles!.load(row!.bundle_digest!);
    await store.close();
    expect(kept).toMatchObject({ digest: row!.bundle_digest, kind: "builtin" });
    expect(row).toMatchObject({ decision: "allow" });

    const run = await runRepol(["replay", "--audit-id", row!.id, "--format", "json", "--bundle", bundle], { env: { AUDIT_DB_PATH: dbPath } });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const replay = JSON.parse(run.stdout);
    expect(replay.under_recorded_policy).toMatchObject({ digest: row!.bundle_digest, decision: "allow", same: true });
    expect(replay.under_current_policy).toMatchObject({ digest: row!.bundle_digest, same: true });
  });
});
