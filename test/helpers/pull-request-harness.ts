// Pull request events through the real registry, Probot, policy bundle and an in-memory SQLite store,
// with GitHub faked at the HTTP boundary (nock) by a stateful pull request scenario.
import { randomUUID } from "node:crypto";
import { afterEach } from "vitest";
import { repolApp } from "../../src/app.js";
import { openAuditStore } from "../../src/audit/open-audit-store.js";
import type { AuditRecord } from "../../src/audit/record.js";
import type { AuditStore } from "../../src/audit/store.js";
import { registry } from "../../src/handlers/index.js";
import type { AppDeps } from "../../src/handlers/types.js";
import { loadPolicyEngine } from "../../src/policy/engine.js";
import type { PolicyEngine } from "../../src/policy/engine-types.js";
import { loadSettings } from "../../src/settings.js";
import type { GitHubRouter } from "./github-router.js";
import { nockGitHub, resetNock } from "./nock-github.js";
import { policyWasmPath } from "./policy-bundle.js";
import { scenario, scenarioRoutes, type Payload, type PullRequestScenario } from "./pull-request-scenario.js";
import { testProbot } from "./test-probot.js";

export interface PullRequestHarness {
  github: GitHubRouter;
  s: PullRequestScenario;
  store: AuditStore;
  engine: PolicyEngine;
  /** Hands a webhook to Probot as GitHub would; resolves once repol has handled it. */
  deliver(event: string, payload: Payload, id?: string): Promise<void>;
  /** Audit rows, oldest first. */
  rows(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

let engine: PolicyEngine | undefined;

export async function pullRequestHarness(s: PullRequestScenario = scenario(), store?: AuditStore): Promise<PullRequestHarness> {
  engine ??= await loadPolicyEngine(policyWasmPath());
  const auditStore = store ?? (await openAuditStore({ databaseUrl: null, auditDbPath: ":memory:" }));
  const github = nockGitHub(scenarioRoutes(s));
  const deps: AppDeps = { engine, store: auditStore, settings: loadSettings({}) };
  const probot = testProbot();
  await probot.load(repolApp(registry, deps));
  return {
    github,
    s,
    store: auditStore,
    engine,
    deliver: (event, payload, id = randomUUID()) => probot.receive({ id, name: event, payload } as never),
    rows: async () => (await auditStore.query({ limit: 100 })).rows.reverse(),
    async close() {
      resetNock();
      await auditStore.close();
    },
  };
}

/** For a test file: a harness per test, closed after it; call once at the top of the file. */
export function harnessPerTest(): (s?: PullRequestScenario) => Promise<PullRequestHarness> {
  let current: PullRequestHarness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (s = scenario()) => {
    current = await pullRequestHarness(s);
    return current;
  };
}
