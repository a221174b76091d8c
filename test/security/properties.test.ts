// Property-based, end to end over HTTP: random `.repol` files committed to the default branch and
// random damage to the webhook payload. Whatever comes in, repol does not crash, every delivery ends
// in a decision or a clear error, and a config that does not validate never lets anything through.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseRepoConfig } from "../../src/policy/load-repo-config.js";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import {
  checkRunsOf,
  CONFIG_PATH as PR_CONFIG,
  scenario as prScenario,
  scenarioRoutes as prScenarioRoutes,
  webhook,
  type PullRequestScenario,
} from "../helpers/pull-request-scenario.js";
import { ACCEPTED, eventually, settle, startRepol, waitFor, type RepolUnderTest } from "./harness.js";

const DEPLOY_CONFIG = ".repol/deploy.yaml";
const RUNS = Number(process.env.SECURITY_PROPERTY_RUNS ?? 60);
// A fixed seed keeps CI reproducible; set SECURITY_PROPERTY_SEED to explore other inputs.
const SEED = Number(process.env.SECURITY_PROPERTY_SEED ?? 20261122);
const TIMEOUT_MS = 30_000 + RUNS * 500;

// ---- random configs: shaped like the real thing, damaged YAML text, and raw bytes ----

const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "<<", "toString", "hasOwnProperty");
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("1", "true", "~", "main", "release/*", "**", "[", "{a,b"),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostileKey), scalar, { maxKeys: 3 }));
const ruleKey = fc.oneof(
  fc.constantFrom("approvals_required", "allowed_branches", "tests_passed", "required_checks", "signed_off", "max_deployments_per_day", "approval_required"),
  hostileKey,
);
const rules = fc.dictionary(ruleKey, value, { maxKeys: 5 });
const environment = fc.record({ enabled: fc.oneof(fc.boolean(), scalar), rules: fc.oneof(rules, value) }, { requiredKeys: [] });
const envName = fc.oneof(
  fc.constantFrom("production", "Production", "staging", " production", "prod\u0000"),
  hostileKey,
  fc.string({ minLength: 1, maxLength: 10 }),
);
const shapedConfig = fc
  .record(
    {
      policy: fc.record(
        { version: fc.oneof(fc.constant(1), scalar), environments: fc.oneof(fc.dictionary(envName, environment, { maxKeys: 3 }), value) },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map((doc) => stringify(doc));
// Mostly valid, each field occasionally wrong, so that valid configs (and approvals) are common too.
const sometimesWrong = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: right }, { weight: 1, arbitrary: value });
const plausibleRules = fc.record(
  {
    approvals_required: sometimesWrong(fc.integer({ min: 0, max: 3 })),
    allowed_branches: sometimesWrong(fc.oneof(fc.constant(null), fc.subarray(["main", "release/*", "**", "feature/*", "{main,dev}"]))),
    tests_passed: sometimesWrong(fc.boolean()),
    signed_off: sometimesWrong(fc.boolean()),
    max_deployments_per_day: sometimesWrong(fc.integer({ min: 1, max: 50 })),
  },
  { requiredKeys: [] },
);
const plausibleConfig = fc
  .record({
    version: sometimesWrong(fc.constant(1)),
    environments: fc.dictionary(
      fc.constantFrom("staging", "production", "qa"),
      fc.record({ enabled: sometimesWrong(fc.boolean()), rules: plausibleRules }, { requiredKeys: ["rules"] }),
      { minKeys: 1, maxKeys: 3 },
    ),
  })
  .map((policy) => stringify({ policy }));
const yamlPiece = fc.constantFrom(
  "policy:",
  "  version: 1",
  "  environments:",
  "    production:",
  "      rules:",
  "        approvals_required: 0",
  "        allowed_branches: [main]",
  "&a ",
  "*a",
  "<<: *a",
  "!!js/function ",
  "!!binary ",
  "---",
  "[",
  "]",
  "{",
  "}",
  "- ",
  ": ",
  "'",
  '"',
  "#",
  "\t",
  "__proto__: {}",
  "constructor: x",
  "\u00e9",
  "\ufeff",
);
const damagedYaml = fc.array(fc.oneof(yamlPiece, fc.constant("\n"), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(""));
const randomBytes = fc.uint8Array({ maxLength: 200 });
const anyConfig = fc.oneof(
  { weight: 4, arbitrary: plausibleConfig },
  { weight: 2, arbitrary: shapedConfig },
  { weight: 2, arbitrary: damagedYaml },
  { weight: 1, arbitrary: randomBytes },
);

const isValid = (kind: "deploy" | "pullrequest", content: string | Uint8Array) =>
  (kind === "deploy" ? parseRepoConfig("deploy", content) : parseRepoConfig("pullrequest", content)).ok;

describe("random .repol/deploy.yaml files", () => {
  let repol: RepolUnderTest;
  beforeAll(async () => {
    repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
  });
  afterAll(() => repol.close());

  it(
    "never approve a deployment under a config that does not validate, and always end in a decision",
    async () => {
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(anyConfig, async (content) => {
          repol.github.commit("main", DEPLOY_CONFIG, content);
          repol.github.requests.length = 0;
          const { id, status } = await repol.deliver(
            "deployment_protection_rule",
            repol.deploymentPayload((p) => {
              // Staging under the scenario's facts passes every rule a valid config can set but approvals.
              p.environment = "staging";
              p.deployment.environment = "staging";
            }),
          );
          expect(ACCEPTED).toContain(status);
          const row = await repol.rowOf(id);
          const [callback] = await repol.callbacks(1);
          expect(["allow", "deny", "error"]).toContain(row.decision);
          seen.add(row.decision);
          expect(callback!.state).toBe(row.decision === "allow" ? "approved" : "rejected");
          if (!isValid("deploy", content)) {
            expect(row.decision).toBe("deny");
            expect(row.violations.length).toBeGreaterThan(0);
            for (const violation of row.violations) {
              expect(violation.code).toBe("config.invalid");
              expect(violation.msg).toMatch(/^\.repol\/deploy\.yaml:\d+:\d+: \S/);
            }
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      // Both sides of the property were exercised, not only rejections.
      expect([...seen].sort()).toEqual(expect.arrayContaining(["allow", "deny"]));
      expect(await repol.serving()).toBe(true);
    },
    TIMEOUT_MS,
  );
});

describe("random .repol/pullrequest.yaml files", () => {
  let repol: RepolUnderTest;
  let s: PullRequestScenario;
  beforeAll(async () => {
    s = prScenario();
    repol = await startRepol({ routes: prScenarioRoutes(s) });
  });
  afterAll(() => repol.close());

  it(
    "never pass the check under a config that does not validate",
    async () => {
      await fc.assert(
        fc.asyncProperty(anyConfig, async (content) => {
          repol.github.commit("main", PR_CONFIG, content);
          s.checkRuns.length = 0;
          const { id } = await repol.deliver("pull_request", webhook("pull_request.opened"));
          const row = await repol.rowOf(id);
          await eventually("the check run to complete", () => checkRunsOf(s)[0]?.status === "completed");
          const [run] = checkRunsOf(s);
          expect(run!.conclusion).toBe(row.decision === "allow" ? "success" : "failure");
          if (!isValid("pullrequest", content)) {
            expect(row.decision).toBe("deny");
            expect(run!.output.title).toMatch(/^Invalid \.repol\/pullrequest\.yaml/);
          }
        }),
        { numRuns: Math.ceil(RUNS / 2), seed: SEED },
      );
      expect(await repol.serving()).toBe(true);
    },
    TIMEOUT_MS,
  );
});

// ---- random damage to a deployment webhook ----

const payloadPath = fc.constantFrom(
  "environment",
  "deployment",
  "deployment.sha",
  "deployment.ref",
  "deployment.environment",
  "deployment_callback_url",
  "repository",
  "repository.id",
  "repository.name",
  "repository.owner",
  "repository.owner.login",
  "repository.full_name",
  "repository.default_branch",
  "pull_requests",
  "sender",
  "sender.login",
  "installation",
);
const damage = fc.record({
  path: payloadPath,
  value: fc.oneof(
    { weight: 2, arbitrary: fc.constant<unknown>(undefined) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        "",
        "refs/heads/main",
        "../../etc/passwd",
        "production",
        "https://evil.example.com/x",
        { __proto__: { allow: true } },
        [null],
        1e308,
      ),
    },
  ),
});

function applyDamage(payload: Record<string, any>, { path, value }: { path: string; value: unknown }): void {
  const keys = path.split(".");
  let target: any = payload;
  for (const key of keys.slice(0, -1)) {
    if (typeof target?.[key] !== "object" || target[key] === null) return;
    target = target[key];
  }
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = JSON.parse(JSON.stringify(value) ?? "null");
}

describe("randomly damaged deployment webhooks", () => {
  let repol: RepolUnderTest;
  beforeAll(async () => {
    repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
    repol.github.commit("main", DEPLOY_CONFIG, passingScenario().config!);
  });
  afterAll(() => repol.close());

  it(
    "are each decided or refused with a clear error, and approved only when nothing that matters was damaged",
    async () => {
      let runId = 9_000_000;
      await fc.assert(
        fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 4 }), async (damages) => {
          // A run id of its own, so a callback is attributed to this delivery and no other.
          const callbackPath = `/repos/acme/widgets/actions/runs/${++runId}/deployment_protection_rule`;
          const payload = repol.deploymentPayload((p) => {
            p.environment = "staging";
            p.deployment.environment = "staging";
            p.deployment_callback_url = `${repol.github.apiUrl}${callbackPath}`;
            for (const d of damages) applyDamage(p, d);
          });
          const { id, status, text } = await repol.deliver("deployment_protection_rule", payload);
          expect(status, text).toBeLessThan(500);
          if (!ACCEPTED.includes(status)) {
            expect(text).toMatch(/"message":"[^"]+"/);
            return;
          }
          const outcome = await waitFor(async () => {
            const row = await repol.gate.store.findByDelivery(id);
            if (row) return { row, failure: null };
            const delivery = await repol.gate.store.deliveries?.get(id);
            return delivery?.last_error ? { row: undefined, failure: delivery.last_error } : undefined;
          });
          expect(outcome, `delivery ${id} ended in neither a decision nor an error`).toBeDefined();
          if (outcome!.failure !== null) {
            expect(outcome!.failure.length).toBeGreaterThan(0);
            return;
          }
          const row = outcome!.row!;
          if (row.decision === "error") expect(row.error).toMatch(/\S/);
          await settle(repol.github, 50);
          const approved = repol.github
            .calls("callback")
            .some((request) => request.path === callbackPath && (request.body as { state: string }).state === "approved");
          if (row.decision === "allow" || approved) {
            // An approval is only possible with the facts a decision rests on intact.
            expect(row.decision).toBe("allow");
            expect(payload.deployment?.sha).toBe("3f786850e387550fdab836ed7e6dc881de23001b");
            expect(payload.deployment_callback_url).toBe(`${repol.github.apiUrl}${callbackPath}`);
            expect(row.environment).toBe("staging");
            expect(typeof payload.installation?.id).toBe("number");
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      expect(await repol.serving()).toBe(true);
    },
    TIMEOUT_MS,
  );
});
