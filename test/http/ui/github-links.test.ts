import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../../../src/audit/record.js";
import type { OutboxEntry } from "../../../src/durability/work-store.js";
import { decisionLinkOf } from "../../../src/domain/decision-link.js";
import { githubLinksOf, githubWebUrl } from "../../../src/http/ui/github-links.js";
import { loadSettings } from "../../../src/settings.js";
import { auditRow } from "../../audit/fixtures.js";

const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  ...auditRow(),
  id: "01JN8S7RF8JYZ2W3ZJ937922GP",
  created_at: "2025-03-01T00:00:00.000Z",
  ...overrides,
});
const entry = (request: unknown) => ({ request }) as OutboxEntry;

describe("decisionLinkOf", () => {
  it.each([
    ["https://repol.example.com", "https://repol.example.com/ui/deliveries/d-1%3Apr-42"],
    ["https://example.com/tools/repol/", "https://example.com/tools/repol/ui/deliveries/d-1%3Apr-42"],
  ])("links the decision of a delivery on PUBLIC_URL %s", (publicUrl, expected) => {
    expect(decisionLinkOf(loadSettings({ PUBLIC_URL: publicUrl }).publicUrl, "d-1:pr-42")).toBe(expected);
  });

  it("gives no link when PUBLIC_URL is not set", () => {
    expect(decisionLinkOf(loadSettings({}).publicUrl, "d-1")).toBeNull();
  });

  it.each(["repol.example.com", "ftp://repol.example.com", "https://user:pw@repol.example.com", "https://repol.example.com/?a=1"])(
    "refuses PUBLIC_URL %s with a message that says what it expects",
    (raw) => {
      expect(() => loadSettings({ PUBLIC_URL: raw })).toThrow(/PUBLIC_URL must be the http\(s\) address people open repol at/);
    },
  );
});

describe("githubLinksOf", () => {
  it("points github.com's API at github.com and an Enterprise API at its host", () => {
    expect(githubWebUrl("https://api.github.com")).toBe("https://github.com");
    expect(githubWebUrl("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com");
  });

  it("links the workflow run of a deployment callback and the commit", () => {
    const links = githubLinksOf(record(), [entry({ kind: "deployment_callback", review: { runId: 77 } })], "https://api.github.com");
    expect(links).toEqual([
      { label: "Workflow run 77", href: "https://github.com/acme/shop/actions/runs/77" },
      { label: "Commit 9fceb02", href: "https://github.com/acme/shop/commit/9fceb02d0ae598e95dc970b74767f19372d61af8" },
    ]);
  });

  it("links the pull request and each check run once", () => {
    const links = githubLinksOf(
      record({ pr_number: 9, sha: null, effect: { kind: "check_run", ok: true, check_run_id: 5 } }),
      [entry({ kind: "check_run", checkRunId: 5 }), entry({ kind: "check_run", checkRunId: null })],
      "https://api.github.com",
    );
    expect(links.map((link) => link.href)).toEqual(["https://github.com/acme/shop/pull/9", "https://github.com/acme/shop/runs/5"]);
  });

  it("links nothing for a row without a repository", () => {
    expect(githubLinksOf(record({ repository: null }), [], "https://api.github.com")).toEqual([]);
  });
});
