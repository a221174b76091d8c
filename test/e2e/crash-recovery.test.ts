// Nothing acknowledged is lost: the real server (src/main.ts) as a child process, killed with SIGKILL
// in the middle of a delivery, then started again on the same SQLite file. GitHub is faked on
// 127.0.0.1 and holds chosen requests open so the kill lands exactly where the test wants it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/audit/sqlite-store.js";
import { eventually } from "../helpers/eventually.js";
import { ensurePolicyBundle } from "../helpers/gate-deps.js";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { gatedGitHub, type GatedGitHub } from "../helpers/gated-github.js";
import { repolEnv, startRepolProcess, type RepolProcess } from "../helpers/repol-process.js";
import { signedDelivery, TEST_WEBHOOK_SECRET, testAppPrivateKey } from "../helpers/test-probot.js";

const CALLBACK = /\/actions\/runs\/\d+\/deployment_protection_rule$/;
const TOKEN = /^\/app\/installations\/\d+\/access_tokens$/;

let dir: string;
let github: GatedGitHub;
const running: RepolProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-crash-"));
  github = await gatedGitHub(scenarioRoutes(passingScenario()));
});

afterEach(async () => {
  for (const repol of running.splice(0)) repol.child.kill("SIGKILL");
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(env: Record<string, string> = {}): RepolProcess {
  const repol = startRepolProcess({
    ...repolEnv(github.host, join(dir, "audit.db"), ensurePolicyBundle(), {
      APP_ID: "1",
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    }),
    REDELIVER_INTERVAL_MINUTES: "0",
    ...env,
  });
  running.push(repol);
  return repol;
}

async function deliver(url: string, id?: string): Promise<{ status: number; id: string }> {
  const payload = deploymentPayload((p) => {
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${RUN_ID}/deployment_protection_rule`;
  });
  const delivery = signedDelivery(TEST_WEBHOOK_SECRET, "deployment_protection_rule", payload, id);
  const response = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: delivery.headers, body: delivery.body });
  await response.text();
  return { status: response.status, id: delivery.id };
}

async function kill(repol: RepolProcess): Promise<void> {
  repol.child.kill("SIGKILL");
  await repol.exited;
}

/** Reads the file the child wrote, as the next start will. */
async function inspect<T>(read: (store: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore(join(dir, "audit.db"));
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe("a crash between decision and callback", () => {
  it("makes the callback after the restart, exactly once", async () => {
    const held = github.hold("POST", CALLBACK);
    const first = start();
    const { status, id } = await deliver(await first.listening());
    expect(status).toBe(202);
    await held.arrived;

    await kill(first);
    await held.gone;
    held.release();
    // The decision was recorded with its callback queued; the callback itself never got an answer.
    expect(await inspect((store) => store.outbox.counts())).toEqual({ pending: 1, done: 0, dead: 0, superseded: 0 });
    expect(github.calls("callback")).toHaveLength(0);

    const second = start();
    await second.listening();
    await eventually("the callback after the restart", () => github.calls("callback").length > 0, 20_000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    expect(github.arrivals.filter((r) => CALLBACK.test(r.path))).toHaveLength(2);
    expect(callbackBodies(github.calls("callback"))).toEqual([expect.objectContaining({ state: "approved", environment_name: "production" })]);
    const row = await inspect((store) => store.findByDelivery(id));
    expect(row).toMatchObject({ decision: "allow", effect: { kind: "deployment_callback", ok: true, status: 204 } });
    expect(await inspect((store) => store.count({ policy: "deploy" }))).toBe(1);
    expect(await inspect((store) => store.outbox.counts())).toEqual({ pending: 0, done: 1, dead: 0, superseded: 0 });
  });
});

describe("a crash after the webhook was acknowledged", () => {
  it("processes the stored delivery at the next start: one decision, one callback", async () => {
    const held = github.hold("POST", TOKEN);
    const first = start();
    const { status, id } = await deliver(await first.listening());
    expect(status).toBe(202);
    await held.arrived;

    await kill(first);
    await held.gone;
    held.release();
    expect(await inspect((store) => store.deliveries.get(id))).toMatchObject({ status: "pending", event: "deployment_protection_rule" });
    expect(await inspect((store) => store.findByDelivery(id))).toBeUndefined();

    const second = start();
    await second.listening();
    await eventually("the delivery to be processed", async () => (await inspect((store) => store.deliveries.get(id)))?.status === "done", 20_000);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    expect(callbackBodies(github.calls("callback")).map((body) => body.state)).toEqual(["approved"]);
    expect(await inspect((store) => store.findByDelivery(id))).toMatchObject({ decision: "allow", effect: { ok: true, status: 204 } });
  });
});

describe("SIGTERM", () => {
  it("stops taking webhooks but finishes the delivery in progress before exiting", async () => {
    const held = github.hold("POST", CALLBACK);
    const repol = start();
    const url = await repol.listening();
    const { id } = await deliver(url);
    await held.arrived;

    repol.child.kill("SIGTERM");
    await repol.waitFor(/no longer accepting webhooks/);
    held.release();

    expect(await repol.exited).toBe(0);
    expect(callbackBodies(github.calls("callback")).map((body) => body.state)).toEqual(["approved"]);
    expect(await inspect((store) => store.deliveries.get(id))).toMatchObject({ status: "done" });
    expect(await inspect((store) => store.findByDelivery(id))).toMatchObject({ effect: { ok: true, status: 204 } });
  });
});

describe("starting in production", () => {
  it.each([
    { name: "without a WEBHOOK_SECRET", secret: undefined, says: "WEBHOOK_SECRET is not set" },
    { name: "with Probot's public development secret", secret: "development", says: `WEBHOOK_SECRET is Probot's public default "development"` },
  ])("refuses $name and says what to set", async ({ secret, says }) => {
    const repol = startRepolProcess({
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: testAppPrivateKey(),
      ...(secret === undefined ? {} : { WEBHOOK_SECRET: secret }),
      PORT: "0",
      AUDIT_DB_PATH: join(dir, "prod.db"),
      POLICY_WASM_PATH: ensurePolicyBundle(),
    });
    running.push(repol);
    expect(await repol.exited).toBe(1);
    expect(repol.output()).toContain("repol failed to start");
    expect(repol.output()).toContain(says);
    expect(repol.output()).toContain("WEBHOOK_SECRET_PREVIOUS");
  });
});
