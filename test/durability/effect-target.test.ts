import { describe, expect, it } from "vitest";
import { effectTarget, supersededOutcome } from "../../src/durability/effect-target.js";
import type { EffectRequest } from "../../src/github/deliver-effect.js";

const check = (change: Partial<{ owner: string; repo: string; headSha: string; name: string }> = {}): EffectRequest => ({
  kind: "check_run",
  target: { owner: "acme", repo: "widgets", headSha: "3f786850e387550fdab836ed7e6dc881de23001b", name: "repol (main)", ...change },
  checkRunId: null,
  check: { conclusion: "success", output: { title: "ok", summary: "ok" } },
});
const callback = (change: Partial<{ owner: string; runId: number; environment: string; state: "approved" | "rejected" }> = {}): EffectRequest => ({
  kind: "deployment_callback",
  review: { owner: "acme", repo: "widgets", runId: 7, environment: "production", state: "approved", comment: "ok", ...change },
});

describe("effectTarget", () => {
  it("gives two verdicts for one check run (repository, head SHA, name) the same target, whatever they conclude", () => {
    expect(effectTarget(check({ owner: "Acme" }))).toBe(effectTarget(check()));
    expect(effectTarget(check({ headSha: "3F786850E387550FDAB836ED7E6DC881DE23001B" }))).toBe(effectTarget(check()));
  });

  it("tells apart check runs of another name, commit or repository", () => {
    const targets = [
      check(),
      check({ name: "repol (release)" }),
      check({ headSha: "e5fa44f2b31c1fb553b6021e7360d07d5d91ff5e" }),
      check({ repo: "gadgets" }),
    ].map(effectTarget);
    expect(new Set(targets).size).toBe(4);
  });

  it("gives a deployment's answers one target per run and environment, the environment without case", () => {
    expect(effectTarget(callback({ environment: "Production", state: "rejected" }))).toBe(effectTarget(callback()));
    expect(effectTarget(callback({ environment: "staging" }))).not.toBe(effectTarget(callback()));
    expect(effectTarget(callback({ runId: 8 }))).not.toBe(effectTarget(callback()));
  });

  it("gives each status report of a deployment its own target, never the decision's", () => {
    const report = (number: number): EffectRequest => ({
      kind: "deployment_status_report",
      report: { owner: "acme", repo: "widgets", runId: 7, environment: "production", comment: "waiting for checks", number },
    });
    expect(new Set([callback(), report(1), report(2)].map(effectTarget)).size).toBe(3);
  });

  it("never confuses a check run with a deployment", () => {
    expect(effectTarget(check())).not.toBe(effectTarget(callback()));
  });
});

it("records a superseded effect as not delivered, naming the audit row that replaced it", () => {
  expect(supersededOutcome("check_run", "01J0NEWER")).toEqual({
    kind: "check_run",
    ok: false,
    superseded_by: "01J0NEWER",
    error: "superseded: a newer decision for the same target (audit row 01J0NEWER) replaced this one before it reached GitHub",
  });
});
