import { describe, expect, it } from "vitest";
import { judgeChecks } from "../../src/core/judge-checks.js";
import { judgeWait, waitingReport, type WaitableVerdict } from "../../src/core/judge-wait.js";
import type { Violation } from "../../src/domain/verdict.js";
import type { WaitConfig } from "../../src/policy/wait-config.js";

const HOUR = 3_600_000;
const requestedAt = new Date("2026-03-02T10:00:00Z");
const at = (minutes: number) => new Date(requestedAt.getTime() + minutes * 60_000);
const waitFor = (...rules: WaitConfig["for"]): WaitConfig => ({ for: rules, maxMs: HOUR });

const testsFailed: Violation = { code: "tests.failed", msg: "Tests did not pass", rule: "tests_passed", actual: false };
const oneApprovalShort: Violation = { code: "approvals.insufficient", msg: "1 of 2 approvals", rule: "approvals_required", required: 2, actual: 1 };
const signOffMissing: Violation = { code: "signoff.missing", msg: "not signed off", rule: "signed_off" };
const windowClosed = (opensAt?: string): Violation => ({
  code: "window.closed",
  msg: "closed",
  rule: "deploy_windows",
  ...(opensAt ? { next_open: { utc: opensAt, local: opensAt } } : {}),
});

const freezeActive: Violation = { code: "freeze.active", msg: "frozen: Year-end release freeze", rule: "freeze" };

const checksWith = (...runs: { name: string; status: string; conclusion: string | null }[]) => judgeChecks(runs, [], { requiredChecks: ["build", "e2e"] });
const e2eRunning = checksWith({ name: "build", status: "completed", conclusion: "success" }, { name: "e2e", status: "in_progress", conclusion: null });
const denied = (violations: Violation[], checks = e2eRunning): WaitableVerdict => ({ outcome: "deny", violations, checks });

describe("judgeWait", () => {
  it("answers at once when the environment has no wait settings", () => {
    expect(judgeWait(denied([testsFailed]), null, requestedAt, at(0))).toEqual({ kind: "decide", why: "no_wait" });
  });

  it("answers at once an approved or unevaluated deployment", () => {
    expect(judgeWait({ outcome: "allow", violations: [], checks: null }, waitFor("tests_passed"), requestedAt, at(0)).kind).toBe("decide");
    expect(judgeWait({ outcome: "error", violations: [], checks: null }, waitFor("tests_passed"), requestedAt, at(0)).kind).toBe("decide");
  });

  it("waits while a required check is still running, naming it", () => {
    const judgement = judgeWait(denied([testsFailed]), waitFor("tests_passed"), requestedAt, at(5));
    expect(judgement).toEqual({ kind: "wait", missing: ["checks: e2e (in_progress)"], deadline: at(60) });
  });

  it("waits for checks and approvals together and says both", () => {
    const judgement = judgeWait(denied([testsFailed, oneApprovalShort]), waitFor("tests_passed", "approvals_required"), requestedAt, at(0));
    expect(judgement.kind === "wait" && waitingReport(judgement.missing)).toBe("waiting for checks: e2e (in_progress); 1 more approval");
  });

  it("names required checks not reported yet", () => {
    const checks = checksWith({ name: "build", status: "completed", conclusion: "success" });
    const judgement = judgeWait(denied([testsFailed], checks), waitFor("tests_passed"), requestedAt, at(0));
    expect(judgement).toMatchObject({ kind: "wait", missing: ["checks: e2e (not reported)"] });
  });

  it("rejects at once when a waited-for check concluded failure", () => {
    const checks = checksWith({ name: "build", status: "completed", conclusion: "failure" }, { name: "e2e", status: "queued", conclusion: null });
    const judgement = judgeWait(denied([testsFailed], checks), waitFor("tests_passed"), requestedAt, at(1));
    expect(judgement).toMatchObject({ kind: "reject", why: "check_failed" });
    expect(judgement.kind === "reject" && judgement.message).toContain("build (failure)");
  });

  it("answers at once (rejecting) when a rule outside wait.for fails too", () => {
    const judgement = judgeWait(denied([testsFailed, signOffMissing]), waitFor("tests_passed"), requestedAt, at(0));
    expect(judgement).toEqual({ kind: "decide", why: "rule_not_waitable" });
  });

  it("does not wait for approvals when only checks are waitable", () => {
    expect(judgeWait(denied([oneApprovalShort]), waitFor("tests_passed"), requestedAt, at(0)).kind).toBe("decide");
  });

  it("rejects when max ran out, listing what was still missing", () => {
    const judgement = judgeWait(denied([testsFailed, oneApprovalShort]), waitFor("tests_passed", "approvals_required"), requestedAt, at(60));
    expect(judgement).toMatchObject({ kind: "reject", why: "max_expired", missing: ["checks: e2e (in_progress)", "1 more approval"] });
    expect(judgement.kind === "reject" && judgement.message).toBe("waited until 2026-03-02T11:00:00.000Z, still checks: e2e (in_progress); 1 more approval");
  });

  it("waits for a closed deployment window that opens within max", () => {
    const judgement = judgeWait(denied([windowClosed("2026-03-02T10:30:00Z")]), waitFor("deploy_windows"), requestedAt, at(10));
    expect(judgement).toEqual({
      kind: "wait",
      missing: ["the deployment window to open at 2026-03-02T10:30:00.000Z"],
      deadline: at(60),
      opensAt: new Date("2026-03-02T10:30:00Z"),
    });
  });

  it("waits for a closed window that does not say when it opens, until max", () => {
    expect(judgeWait(denied([windowClosed()]), waitFor("deploy_windows"), requestedAt, at(59)).kind).toBe("wait");
    expect(judgeWait(denied([windowClosed()]), waitFor("deploy_windows"), requestedAt, at(60)).kind).toBe("reject");
  });

  it("rejects at once a window that opens only after max", () => {
    const judgement = judgeWait(denied([windowClosed("2026-03-02T12:00:00Z")]), waitFor("deploy_windows"), requestedAt, at(0));
    expect(judgement).toMatchObject({ kind: "reject", why: "window_beyond_max" });
  });

  it("does not wait for a closed window unless deploy_windows is waitable", () => {
    expect(judgeWait(denied([windowClosed("2026-03-02T10:30:00Z")]), waitFor("tests_passed"), requestedAt, at(0)).kind).toBe("decide");
  });

  it("rejects at once a freeze, even beside a closed window it could wait for: a freeze is never waitable", () => {
    const judgement = judgeWait(denied([windowClosed("2026-03-02T10:30:00Z"), freezeActive]), waitFor("deploy_windows"), requestedAt, at(0));
    expect(judgement).toEqual({ kind: "decide", why: "rule_not_waitable" });
  });

  it("rejects at once when a waited-for check concluded failure and a rule outside wait.for fails too", () => {
    const checks = checksWith({ name: "build", status: "completed", conclusion: "failure" }, { name: "e2e", status: "in_progress", conclusion: null });
    const judgement = judgeWait(denied([testsFailed, signOffMissing], checks), waitFor("tests_passed"), requestedAt, at(0));
    expect(judgement).toEqual({ kind: "decide", why: "rule_not_waitable" });
  });

  describe("a rule set to warn (listed apart from the violations)", () => {
    it("never makes a deployment wait: with only warnings the verdict allows, and it is answered at once", () => {
      const warnOnly: WaitableVerdict = { outcome: "allow", violations: [], checks: e2eRunning };
      expect(judgeWait(warnOnly, waitFor("tests_passed", "approvals_required"), requestedAt, at(0))).toEqual({ kind: "decide", why: "not_denied" });
    });

    it("does not end a wait for approvals when its check failed, nor appear in what is awaited", () => {
      const checks = checksWith({ name: "build", status: "completed", conclusion: "failure" }, { name: "e2e", status: "in_progress", conclusion: null });
      const judgement = judgeWait(denied([oneApprovalShort], checks), waitFor("tests_passed", "approvals_required"), requestedAt, at(0));
      expect(judgement).toEqual({ kind: "wait", missing: ["1 more approval"], deadline: at(60) });
    });
  });
});
