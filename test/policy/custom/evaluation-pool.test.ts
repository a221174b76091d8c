import { afterEach, expect, it } from "vitest";
import { createCustomRules } from "../../../src/policy/custom/custom-rules.js";
import type { CustomRules } from "../../../src/policy/custom/custom-rule-types.js";
import { evaluationPool, type EvaluationPool } from "../../../src/policy/custom/evaluation-pool.js";
import { rulesOf } from "./custom-rules-fixture.js";

// The idle stops the pool asked for, fired by the test instead of a clock.
interface IdleStop {
  ms: number;
  fire(): void;
  cancelled: boolean;
}

let rules: CustomRules | undefined;
afterEach(async () => {
  await rules?.close();
  rules = undefined;
});

function poolWithIdleStops(): { pool: EvaluationPool; stops: IdleStop[] } {
  const stops: IdleStop[] = [];
  const pool = evaluationPool({
    workers: 2,
    timeoutMs: 2_000,
    loadTimeoutMs: 60_000,
    idleMs: 1_234,
    scheduleIdleStop: (stop, ms) => {
      const entry: IdleStop = { ms, fire: stop, cancelled: false };
      stops.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
  });
  return { pool, stops };
}

const input = { environment: "production", weekday: "friday", pull_requests: [{ labels: ["do-not-merge"] }] };
const blockingCodes = (result: Awaited<ReturnType<CustomRules["evaluate"]>>) =>
  result.ok ? result.findings.blocking.map((finding) => finding.code) : result.errors;

it("starts no evaluation worker until the first evaluation, then one", async () => {
  const { pool } = poolWithIdleStops();
  rules = createCustomRules({ pool });
  await rules.compile("deploy", rulesOf("findings"));
  expect(pool.workers()).toBe(0);

  const result = await rules.evaluate("deploy", rulesOf("findings"), input);

  expect(result.ok).toBe(true);
  expect(pool.workers()).toBe(1);
});

it("stops a worker left idle, and the next evaluation starts another with the same findings", async () => {
  const { pool, stops } = poolWithIdleStops();
  rules = createCustomRules({ pool });
  const first = await rules.evaluate("deploy", rulesOf("findings"), input);
  expect(stops).toMatchObject([{ ms: 1_234, cancelled: false }]);

  stops[0]!.fire();
  expect(pool.workers()).toBe(0);
  const second = await rules.evaluate("deploy", rulesOf("findings"), input);

  expect(pool.workers()).toBe(1);
  expect(blockingCodes(second)).toEqual(["custom.repol.deploy.labels", "labels.do_not_merge"]);
  expect(blockingCodes(second)).toEqual(blockingCodes(first));
});

it("keeps a worker that was given new work before its idle stop came due", async () => {
  const { pool, stops } = poolWithIdleStops();
  rules = createCustomRules({ pool });
  await rules.evaluate("deploy", rulesOf("findings"), input);
  await rules.evaluate("deploy", rulesOf("findings"), input);

  expect(stops.map((stop) => stop.cancelled)).toEqual([true, false]);
  // A cancelled stop whose timer ran anyway leaves the worker alone.
  stops[0]!.fire();
  expect(pool.workers()).toBe(1);
  expect(blockingCodes(await rules.evaluate("deploy", rulesOf("findings"), input))).toEqual(["custom.repol.deploy.labels", "labels.do_not_merge"]);
});

it("schedules no idle stop once the pool is closed", async () => {
  const { pool, stops } = poolWithIdleStops();
  rules = createCustomRules({ pool });
  await rules.evaluate("deploy", rulesOf("findings"), input);
  await rules.close();
  rules = undefined;

  expect(stops.map((stop) => stop.cancelled)).toEqual([true]);
  expect(pool.workers()).toBe(0);
});
