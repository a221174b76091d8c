// The preview of a change to the organisation's files (a pull request on the owner's `.github`
// repository): decisions of every repository of the owner replayed, and, because that repository is
// public, only public repositories named. GitHub is the fake on 127.0.0.1; the facts come through
// their interface, as the facts query would give them.
import { afterEach, describe, expect, it } from "vitest";
import type { NewAuditRecord } from "../../src/audit/record.js";
import type { PullRequestUnderReview } from "../../src/domain/pull-request.js";
import { previewPolicyIfChanged } from "../../src/handlers/preview-policy.js";
import { fakeGitHub, type FakeGitHub } from "../helpers/fake-github.js";
import { json, type Route } from "../helpers/github-router.js";
import { gateDeps, type GateDeps } from "../helpers/gate-deps.js";
import { contentsRoute } from "../helpers/repository-contents.js";
import { TestOctokit } from "../helpers/test-probot.js";
import { recordedDeployment } from "../org/preview-fixtures.js";

const HEAD = "c".repeat(40);
const MINIMUM = "version: 1\nminimums:\n  deploy:\n    environments:\n      production: {rules: {approvals_required: 2}}\n";
const pr: PullRequestUnderReview = {
  number: 5,
  state: "open",
  draft: false,
  headRef: "tighten-production",
  headSha: HEAD,
  headRepo: "acme/.github",
  baseRef: "main",
  author: "alice",
  owner: "acme",
  repo: ".github",
  defaultBranch: "main",
};

let github: FakeGitHub | undefined;
let gate: GateDeps | undefined;
afterEach(async () => {
  await gate?.close();
  await github?.close();
  [gate, github] = [undefined, undefined];
});

/** A deployment recorded for `repository` with one approver, allowed under its own rule of one. */
function recorded(repository: string, isPrivate: boolean): NewAuditRecord {
  const row = recordedDeployment({ repository });
  return { ...row, input: { ...(row.input as object), repository: { full_name: repository, private: isPrivate } } };
}

async function preview(isPrivate: boolean) {
  const checkRuns: Route = { name: "create-check-run", method: "POST", path: /^\/repos\/acme\/\.github\/check-runs$/, reply: () => json(201, { id: 77 }) };
  github = await fakeGitHub([contentsRoute("acme/.github", { ".repol/org.yaml": MINIMUM }), checkRuns]);
  gate = await gateDeps({ PUBLIC_URL: "https://repol.example" });
  await gate.store.insert(recorded("acme/shop", false));
  await gate.store.insert(recorded("acme/payroll", true));
  const delivery = {
    key: "delivery-1",
    event: "pull_request",
    action: "opened",
    repository: "acme/.github",
    installationId: 1,
    actor: "alice",
    github: new TestOctokit({ auth: "token", baseUrl: github.apiUrl }),
    log: { info() {}, warn() {}, error() {} },
  };
  const repository = { fullName: "acme/.github", owner: "acme", name: ".github", private: isPrivate, defaultBranch: "main", topics: [] };
  const facts = {
    policy: async () => ({ defaultBranch: "main", file: null, repository }),
    listedChangedPaths: async () => [{ path: ".repol/org.yaml", removed: false }],
    // As the facts query reads them at the head (test/github/proposed-files-of.test.ts).
    proposedFiles: async () => ({ ".repol/org.yaml": MINIMUM }),
  };
  await previewPolicyIfChanged(delivery, gate.deps, pr, facts);
  const [sent] = github.calls("create-check-run");
  return sent?.body as { name: string; conclusion: string; output: { title: string; summary: string } } | undefined;
}

describe("the preview of a change to the organisation's files", () => {
  it("replays the decisions of every repository of the owner under the proposed minimums", async () => {
    const check = await preview(true);
    expect(check).toMatchObject({ name: "repol policy preview", conclusion: "neutral", output: { title: "2 of 2 recorded decisions would change" } });
    expect(check!.output.summary).toContain("acme/shop");
    expect(check!.output.summary).toContain("acme/payroll");
  });

  it("names only public repositories when the .github repository is public, and counts the rest", async () => {
    const check = await preview(false);
    expect(check!.output.title).toBe("2 of 2 recorded decisions would change");
    expect(check!.output.summary).toContain("acme/shop");
    expect(check!.output.summary).not.toContain("acme/payroll");
    expect(check!.output.summary).toContain("1 more in private repositories are not listed here; see [the audit page](https://repol.example/ui/decisions).");
  });
});
