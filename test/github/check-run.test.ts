import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ANNOTATIONS_PER_REQUEST,
  MAX_ANNOTATIONS,
  OUTPUT_FIELD_MAX_BYTES,
  baseRefOfCheckName,
  checkRunName,
  completeCheckRun,
  postVerdict,
  type CheckAnnotation,
  type CheckRunTarget,
} from "../../src/github/check-run.js";

const API = "https://api.github.com";
const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
const target: CheckRunTarget = { owner: "acme", repo: "widgets", headSha: SHA, name: "repol (main)", appId: 123 };

function github() {
  const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
    ...o,
    retry: { enabled: false },
    throttle: { ...(o.throttle as object), enabled: false },
  }));
  return new Octokit({ auth: { token: "test-token" } });
}

function run(id: number, name: string, appId: number) {
  return { id, name, head_sha: SHA, status: "completed", conclusion: "failure", app: { id: appId, slug: `app-${appId}` } };
}

function annotations(count: number): CheckAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path: ".repol/pullrequest.yaml",
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "failure" as const,
    message: `problem ${i + 1}`,
  }));
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe("check run names", () => {
  it.each([
    ["main", "repol (main)"],
    ["release/1.2", "repol (release/1.2)"],
    ["feat (x)", "repol (feat (x))"],
  ])("names the check after base branch %s and reads the branch back", (base, name) => {
    expect(checkRunName(base)).toBe(name);
    expect(baseRefOfCheckName(name)).toBe(base);
  });

  it.each(["lint", "repol", "repol main", "Repol (main)"])("does not take %s for a repol check", (name) => {
    expect(baseRefOfCheckName(name)).toBeUndefined();
  });
});

describe("postVerdict", () => {
  const verdict = { conclusion: "failure" as const, output: { title: "1 rule failed", summary: "| rule |" } };

  it("creates the run completed with the verdict, in one write, when this app has none for the SHA and name", async () => {
    let listQuery: Record<string, string> = {};
    let created: Record<string, unknown> = {};
    nock(API)
      .get(`/repos/acme/widgets/commits/${SHA}/check-runs`)
      .query((q) => ((listQuery = q as Record<string, string>), true))
      .reply(200, { total_count: 1, check_runs: [run(5, "repol (main)", 777)] })
      .post("/repos/acme/widgets/check-runs", (body) => ((created = body), true))
      .reply(201, { id: 9001 });

    expect(await postVerdict(github(), target, null, verdict)).toBe(9001);
    expect(listQuery).toMatchObject({ check_name: "repol (main)", app_id: "123", filter: "all" });
    expect(created).toMatchObject({ name: "repol (main)", head_sha: SHA, status: "completed", conclusion: "failure", output: { title: "1 rule failed" } });
  });

  it("creates it without a lookup when the facts query already saw there is none", async () => {
    nock(API).post("/repos/acme/widgets/check-runs").reply(201, { id: 9002 });

    expect(await postVerdict(github(), { ...target, knownAbsent: true }, null, verdict)).toBe(9002);
    expect(nock.isDone()).toBe(true);
  });

  it("updates this app's latest run with the same name instead of creating another", async () => {
    const updated: string[] = [];
    nock(API)
      .get(`/repos/acme/widgets/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 4,
        check_runs: [run(10, "repol (main)", 123), run(12, "repol (main)", 123), run(99, "repol (main)", 777), run(50, "repol (dev)", 123)],
      })
      .patch(/\/repos\/acme\/widgets\/check-runs\/\d+$/, (body) => (updated.push(String(body.conclusion)), true))
      .reply(200, { id: 12 });

    expect(await postVerdict(github(), target, null, verdict)).toBe(12);
    expect(updated).toEqual(["failure"]);
  });
});

describe("completeCheckRun", () => {
  it("sends the conclusion and output in one update when there are at most 50 annotations", async () => {
    const bodies: Record<string, unknown>[] = [];
    nock(API)
      .patch("/repos/acme/widgets/check-runs/9001", (b) => (bodies.push(b), true))
      .reply(200, { id: 9001 });

    await completeCheckRun(github(), target, 9001, {
      conclusion: "failure",
      output: { title: "1 rule failed", summary: "| rule |", text: "facts", annotations: annotations(3) },
    });

    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({
      name: "repol (main)",
      status: "completed",
      conclusion: "failure",
      output: { title: "1 rule failed", summary: "| rule |", text: "facts" },
    });
    expect((bodies[0].output as { annotations: unknown[] }).annotations).toHaveLength(3);
  });

  it.each([
    [0, [0]],
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])("posts %i annotations in batches of %j", async (count, expected) => {
    const bodies: { output: { title: string; summary: string; annotations?: CheckAnnotation[] }; conclusion?: string }[] = [];
    nock(API)
      .patch("/repos/acme/widgets/check-runs/9001", (b) => (bodies.push(b), true))
      .times(expected.length)
      .reply(200, { id: 9001 });

    await completeCheckRun(github(), target, 9001, {
      conclusion: "failure",
      output: { title: "Configuration error", summary: "fix it", annotations: annotations(count) },
    });

    expect(bodies.map((b) => b.output.annotations?.length ?? 0)).toEqual(expected);
    expect(bodies.every((b) => b.output.title === "Configuration error" && b.output.summary === "fix it")).toBe(true);
    expect(bodies[0].conclusion).toBe("failure");
    const lines = bodies.flatMap((b) => b.output.annotations ?? []).map((a) => a.start_line);
    expect(lines).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(Math.max(...bodies.map((b) => b.output.annotations?.length ?? 0))).toBeLessThanOrEqual(ANNOTATIONS_PER_REQUEST);
  });

  it("posts at most the annotation cap and says in the summary how many were left out", async () => {
    const bodies: { output: { summary: string; annotations?: CheckAnnotation[] } }[] = [];
    nock(API)
      .patch("/repos/acme/widgets/check-runs/9001", (b) => (bodies.push(b), true))
      .times(MAX_ANNOTATIONS / ANNOTATIONS_PER_REQUEST)
      .reply(200, { id: 9001 });

    await completeCheckRun(github(), target, 9001, {
      conclusion: "failure",
      output: { title: "t", summary: "s", annotations: annotations(MAX_ANNOTATIONS + 7) },
    });

    expect(bodies.flatMap((b) => b.output.annotations ?? [])).toHaveLength(MAX_ANNOTATIONS);
    expect(bodies[0].output.summary).toContain("7 more annotation(s) not shown");
  });

  it("truncates a summary and text over 65,535 bytes with a note instead of failing the call", async () => {
    const bodies: { output: { summary: string; text: string } }[] = [];
    nock(API)
      .patch("/repos/acme/widgets/check-runs/9001", (b) => (bodies.push(b), true))
      .reply(200, { id: 9001 });
    const summary = "| ✅ | rule | ok |\n".repeat(5_000);
    const text = "é".repeat(40_000);

    await completeCheckRun(github(), target, 9001, { conclusion: "success", output: { title: "t", summary, text } });

    const sent = bodies[0].output;
    for (const [field, original] of [
      [sent.summary, summary],
      [sent.text, text],
    ] as const) {
      expect(Buffer.byteLength(field, "utf8")).toBeLessThanOrEqual(OUTPUT_FIELD_MAX_BYTES);
      expect(field).toContain("Truncated");
      expect(original.startsWith(field.slice(0, field.indexOf("\n\n---\n_Truncated")))).toBe(true);
      expect(field).not.toContain("\uFFFD");
    }
  });
});
