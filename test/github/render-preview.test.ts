import { describe, expect, it } from "vitest";
import type { PreviewEntry, PreviewReport, PreviewRow } from "../../src/org/preview-policy-change.js";
import { renderInvalidProposal, renderPreview } from "../../src/github/render-preview.js";
import { OUTPUT_FIELD_MAX_BYTES } from "../../src/github/check-run.js";

const row = (id: string, repository: string): PreviewRow => ({
  id,
  policy: "deploy",
  decision: "allow",
  violations: [],
  warnings: [],
  input: {},
  bundle_digest: null,
  error: null,
  created_at: "2026-11-30T10:00:00.000Z",
  repository,
  environment: "production",
  pr_number: null,
});
const flip = (id: string, repository: string): PreviewEntry => ({
  kind: "flip",
  row: row(id, repository),
  to: "deny",
  gained: [{ code: "ref.denied", msg: "Branch secret-feature may not deploy to production" }],
  lost: [],
});
const report = (entries: PreviewEntry[]): PreviewReport => ({
  entries,
  flips: entries.filter((e) => e.kind === "flip").length,
  cannotTell: entries.filter((e) => e.kind === "cannot_tell").length,
  same: entries.filter((e) => e.kind === "same").length,
});
const ID = "01JABCDEFGHJKMNPQRSTVWXYZ0";

describe("renderPreview", () => {
  it("is neutral and lists each flip with its audit link and the violation gained", () => {
    const output = renderPreview(report([flip(ID, "acme/shop"), { kind: "same", row: row("01JABCDEFGHJKMNPQRSTVWXYZ1", "acme/shop") }]), {
      publicUrl: "https://repol.example",
      publicRepositories: null,
    });
    expect(output.conclusion).toBe("neutral");
    expect(output.title).toBe("1 of 2 recorded decisions would change");
    expect(output.summary).toContain(`[STVWXYZ0](https://repol.example/ui/decisions/${ID})`);
    expect(output.summary).toContain("| acme/shop | → production | allow | deny | + `ref.denied` Branch secret-feature may not deploy to production |");
  });

  it("in a public .github repository, names only public repositories and shows codes, not messages", () => {
    const output = renderPreview(report([flip(ID, "acme/public-site"), flip("01JABCDEFGHJKMNPQRSTVWXYZ2", "acme/private-billing")]), {
      publicUrl: "https://repol.example",
      publicRepositories: new Set(["acme/public-site"]),
    });
    expect(output.summary).toContain("acme/public-site");
    expect(output.summary).not.toContain("private-billing");
    expect(output.summary).not.toContain("secret-feature");
    expect(output.summary).toContain("1 more in private repositories are not listed here; see [the audit page](https://repol.example/ui/decisions).");
  });

  it("stays within GitHub's output limit however many decisions flip", () => {
    const many = Array.from({ length: 3000 }, (_, i) => flip(`01JABCDEFGHJKMNPQRST${String(i).padStart(6, "0")}`, "acme/shop"));
    const output = renderPreview(report(many), { publicUrl: null, publicRepositories: null });
    expect(Buffer.byteLength(output.summary, "utf8")).toBeLessThanOrEqual(OUTPUT_FIELD_MAX_BYTES);
    expect(output.summary).toContain("_Truncated:");
  });
});

describe("renderInvalidProposal", () => {
  it("fails with an annotation at each error's file and line", () => {
    const output = renderInvalidProposal([{ file: ".repol/deploy.yaml", line: 5, column: 16, path: "/policy", message: "unknown key" }]);
    expect(output.conclusion).toBe("failure");
    expect(output.annotations).toEqual([expect.objectContaining({ path: ".repol/deploy.yaml", start_line: 5, start_column: 16, annotation_level: "failure" })]);
    expect(output.summary).toContain("`.repol/deploy.yaml:5:16`: unknown key");
  });
});
