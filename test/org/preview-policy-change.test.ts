import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recentDecisions } from "../../src/audit/recent-decisions.js";
import { openSqliteStore, type SqliteAuditStore } from "../../src/audit/sqlite-store.js";
import { previewPolicyChange } from "../../src/org/preview-policy-change.js";
import { readProposedPolicy, type ProposedFiles, type PreviewMode } from "../../src/org/proposed-policy.js";
import { loadPolicyEngine, type WasmPolicyEngine } from "../../src/policy/engine.js";
import { policyWasmPath } from "../helpers/policy-bundle.js";
import { TestClock } from "../audit/fixtures.js";
import { deployYaml, recordedDeployment, type RecordedDeployment } from "./preview-fixtures.js";

const now = new Date("2026-11-30T12:00:00Z");
let engine: WasmPolicyEngine;
let dir: string;
let store: SqliteAuditStore;

beforeAll(async () => {
  engine = await loadPolicyEngine(policyWasmPath());
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-preview-"));
  const clock = new TestClock();
  store = openSqliteStore(join(dir, "audit.db"), { clock: () => (clock.advance(1000), clock.now()) });
  await store.migrate();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seed(...rows: RecordedDeployment[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) ids.push((await store.insert(recordedDeployment(row))).id);
  return ids;
}

async function preview(
  files: ProposedFiles,
  mode: PreviewMode = "repository",
  subject: { repository: string } | { owner: string } = { repository: "acme/shop" },
) {
  const proposed = readProposedPolicy(files, mode, now);
  if (!proposed.ok) throw new Error(JSON.stringify(proposed.errors));
  return previewPolicyChange(proposed.policy, await recentDecisions(store, subject), engine, now);
}

describe("previewPolicyChange over recorded deployments", () => {
  it("lists an approved deployment the proposed rules would reject, with the violation it would gain", async () => {
    const [single, double] = await seed({ approvers: ["alice"] }, { approvers: ["alice", "bob"] });
    const report = await preview({ ".repol/deploy.yaml": deployYaml("approvals_required: 2") });
    expect(report).toMatchObject({ flips: 1, same: 1, cannotTell: 0 });
    const flip = report.entries.find((e) => e.kind === "flip");
    expect(flip).toMatchObject({ row: { id: single }, to: "deny", gained: [{ code: "approvals.insufficient" }], lost: [] });
    expect(report.entries.find((e) => e.row.id === double)?.kind).toBe("same");
  });

  it("lists a rejected deployment the proposed rules would approve, with the violation it would lose", async () => {
    const violations = [{ code: "signoff.missing", msg: "not signed off", rule: "signed_off" }];
    await seed({ signedOff: false, decision: "deny", violations, rules: { approvals_required: 0, signed_off: true } });
    const report = await preview({ ".repol/deploy.yaml": deployYaml("signed_off: false") });
    expect(report.entries).toEqual([expect.objectContaining({ kind: "flip", to: "allow", gained: [], lost: violations })]);
  });

  it("says cannot tell, not deny, when the recorded input lacks a fact a new rule needs", async () => {
    await seed({ signedOff: null });
    const report = await preview({ ".repol/deploy.yaml": deployYaml("signed_off: true") });
    expect(report.entries).toEqual([
      expect.objectContaining({ kind: "cannot_tell", reason: "the recorded input lacks workflow_meta.signed_off (for signed_off)" }),
    ]);
  });

  it("says cannot tell when required_checks change, since the recorded result covered other checks", async () => {
    await seed({ rules: { approvals_required: 0, tests_passed: true, required_checks: ["unit"] } });
    const report = await preview({ ".repol/deploy.yaml": deployYaml("tests_passed: true, required_checks: [unit, e2e]") });
    expect(report.entries[0]).toMatchObject({ kind: "cannot_tell", reason: expect.stringContaining("required_checks changed") });
  });

  it("says cannot tell for a decision that was an error", async () => {
    await seed({ decision: "error" });
    expect((await preview({ ".repol/deploy.yaml": deployYaml("") })).entries[0]?.kind).toBe("cannot_tell");
  });

  it("leaves pull request decisions out of a deploy.yaml change", async () => {
    await store.insert({ ...recordedDeployment(), policy: "pullrequest" });
    expect((await preview({ ".repol/deploy.yaml": deployYaml("approvals_required: 5") })).entries).toEqual([]);
  });
});

describe("previewPolicyChange for an organisation change", () => {
  const orgYaml = (body: string) => `version: 1\n${body}`;

  it("replays every repository of the owner under proposed minimums, and no other owner's", async () => {
    await seed({ repository: "acme/shop" }, { repository: "acme/api" }, { repository: "other/shop" });
    const minimum = orgYaml("minimums:\n  deploy:\n    environments:\n      prod*:\n        rules: {approvals_required: 2}\n");
    const report = await preview({ ".repol/org.yaml": minimum }, "organisation", { owner: "acme" });
    expect(report.entries.map((e) => [e.row.repository, e.kind])).toEqual([
      ["acme/api", "flip"],
      ["acme/shop", "flip"],
    ]);
  });

  it("counts an exemption the proposal adds, so the deployment it covers stays approved", async () => {
    await seed({ repository: "acme/legacy" });
    const body =
      "minimums:\n  deploy:\n    environments:\n      production:\n        rules: {approvals_required: 2}\n" +
      'exemptions:\n  - {repository: legacy, rules: [approvals_required], reason: migration, owner: platform, expires: "2027-01-31"}\n';
    expect((await preview({ ".repol/org.yaml": orgYaml(body) }, "organisation", { owner: "acme" })).entries[0]?.kind).toBe("same");
  });

  it("shows a deployment in a repository the proposal excludes as rejected", async () => {
    await seed({ repository: "acme/sandbox" });
    const report = await preview({ ".repol/org.yaml": orgYaml("scope:\n  exclude: [sandbox]\n") }, "organisation", { owner: "acme" });
    expect(report.entries[0]).toMatchObject({ kind: "flip", to: "deny", gained: [{ code: "scope.excluded" }] });
  });
});

describe("readProposedPolicy", () => {
  it("reports each invalid file at its line", () => {
    const result = readProposedPolicy({ ".repol/deploy.yaml": deployYaml("approvals_requird: 2") }, "repository", now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ file: ".repol/deploy.yaml", line: 5 });
  });

  it("refuses org.yaml outside the organisation's .github repository", () => {
    expect(readProposedPolicy({ ".repol/org.yaml": "version: 1\n" }, "repository", now).ok).toBe(false);
  });
});
