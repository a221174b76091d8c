import { describe, expect, it } from "vitest";
import { checksFacts, judgeChecks, runIdOf, type CheckRunLike, type CommitStatusLike } from "../../src/core/judge-checks.js";

const WAITING_RUN = 555;
const run = (name: string, conclusion: string | null, status = "completed", runId = 100): CheckRunLike => ({
  name,
  status,
  conclusion,
  html_url: `https://github.com/acme/widgets/actions/runs/${runId}/job/9`,
  details_url: `https://github.com/acme/widgets/actions/runs/${runId}/job/9`,
});
const status = (context: string, state: string, id: number): CommitStatusLike => ({ context, state, id });

describe("judgeChecks", () => {
  it.each([
    { name: "passes when every check run succeeded", runs: [run("build", "success"), run("lint", "success")], statuses: [], expected: true },
    { name: "accepts neutral and skipped conclusions", runs: [run("build", "neutral"), run("docs", "skipped")], statuses: [], expected: true },
    ...["failure", "cancelled", "timed_out", "action_required", "stale", "startup_failure"].map((conclusion) => ({
      name: `fails on a ${conclusion} check run`,
      runs: [run("build", "success"), run("e2e", conclusion)],
      statuses: [],
      expected: false,
    })),
    { name: "fails while a check run is still in progress", runs: [run("build", null, "in_progress")], statuses: [], expected: false },
    { name: "fails with no checks at all", runs: [], statuses: [], expected: false },
    { name: "fails on a failed commit status", runs: [run("build", "success")], statuses: [status("ci/jenkins", "failure", 1)], expected: false },
    { name: "fails on a pending commit status", runs: [], statuses: [status("ci/jenkins", "pending", 1)], expected: false },
    { name: "fails on an errored commit status", runs: [], statuses: [status("ci/jenkins", "error", 1)], expected: false },
    {
      name: "judges only the latest status per context",
      runs: [],
      statuses: [status("ci/jenkins", "success", 2), status("ci/jenkins", "failure", 1)],
      expected: true,
    },
    {
      name: "a later failed status overrides an earlier success",
      runs: [],
      statuses: [status("ci/jenkins", "failure", 3), status("ci/jenkins", "success", 2)],
      expected: false,
    },
    {
      name: "leaves out the unfinished jobs of the waiting workflow run",
      runs: [run("build", "success"), run("deploy", null, "waiting", WAITING_RUN), run("smoke", null, "in_progress", WAITING_RUN)],
      statuses: [],
      expected: true,
    },
    {
      name: "still judges finished jobs of the waiting workflow run",
      runs: [run("build", "success"), run("test", "failure", "completed", WAITING_RUN), run("deploy", null, "waiting", WAITING_RUN)],
      statuses: [],
      expected: false,
    },
    {
      name: "does not leave out unfinished jobs of other runs",
      runs: [run("build", "success"), run("deploy-staging", null, "waiting", 777)],
      statuses: [],
      expected: false,
    },
    { name: "fails when only the waiting run's own job exists", runs: [run("deploy", null, "waiting", WAITING_RUN)], statuses: [], expected: false },
  ])("$name", ({ runs, statuses, expected }) => {
    expect(judgeChecks(runs, statuses, { excludeRunId: WAITING_RUN }).passed).toBe(expected);
  });

  describe("with required_checks", () => {
    const runs = [run("build", "success"), run("lint", "failure"), run("deploy", null, "waiting", WAITING_RUN)];
    const statuses = [status("ci/jenkins", "success", 1)];

    it.each([
      { name: "passes when the named checks passed even if others failed", required: ["build", "ci/jenkins"], expected: true, missing: [] },
      { name: "fails when a named check failed", required: ["build", "lint"], expected: false, missing: [] },
      { name: "fails when a named check was never reported", required: ["build", "e2e"], expected: false, missing: ["e2e"] },
      { name: "fails when the named check is the waiting job itself", required: ["deploy"], expected: false, missing: ["deploy"] },
    ])("$name", ({ required, expected, missing }) => {
      const verdict = judgeChecks(runs, statuses, { excludeRunId: WAITING_RUN, requiredChecks: required });
      expect(verdict.passed).toBe(expected);
      expect(verdict.missing).toEqual(missing);
    });

    it("requires every check run with a required name to pass, not just one", () => {
      const twice = [run("test", "success"), { ...run("test", "failure"), html_url: "https://ci.example.com/2", details_url: null }];
      expect(judgeChecks(twice, [], { requiredChecks: ["test"] }).passed).toBe(false);
    });
  });

  it.each([
    { runs: [], statuses: [], reason: "no check runs or commit statuses were reported on this commit" },
    { runs: [run("build", "success")], statuses: [], reason: "all 1 checks passed" },
    {
      runs: [run("lint", "failure"), run("e2e", null, "queued")],
      statuses: [status("ci", "error", 1)],
      reason: "failing: lint (failure), ci (error); not finished: e2e (queued)",
    },
  ])("explains the verdict: $reason", ({ runs, statuses, reason }) => {
    expect(judgeChecks(runs, statuses).reason).toBe(reason);
  });

  it("names required checks that were not reported", () => {
    expect(judgeChecks([run("build", "success")], [], { requiredChecks: ["build", "e2e"] }).reason).toBe("required but not reported: e2e");
  });
});

describe("runIdOf", () => {
  it.each([
    { url: "https://github.com/acme/widgets/actions/runs/7654321098/job/1", id: 7654321098 },
    { url: "https://github.com/acme/widgets/actions/runs/42", id: 42 },
    { url: "https://github.com/acme/widgets/actions/runs/42?check_suite_focus=true", id: 42 },
    { url: "https://github.com/acme/widgets/runs/42", id: null },
    { url: "https://ci.example.com/actions/runs/x/", id: null },
  ])("reads the Actions run id of $url as $id", ({ url, id }) => {
    expect(runIdOf({ html_url: url, details_url: null })).toBe(id);
  });
});

describe("checksFacts", () => {
  it("lists check runs and statuses still running, failed, and required but not reported", () => {
    const verdict = judgeChecks(
      [run("unit", "success"), run("e2e", null, "queued"), run("lint", "failure")],
      [status("ci/jenkins", "pending", 1), status("ci/jenkins", "error", 2)],
      { requiredChecks: ["unit", "e2e", "lint", "ci/jenkins", "build"] },
    );
    expect(checksFacts(verdict)).toEqual({ tests: false, pending: ["e2e"], failed: ["lint", "ci/jenkins"], missing: ["build"] });
  });

  it("lists nothing when every check passed", () => {
    expect(checksFacts(judgeChecks([run("unit", "success")], []))).toEqual({ tests: true, pending: [], failed: [], missing: [] });
  });
});
