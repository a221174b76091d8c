// The `repol policy preview` check run output: a table of the recorded decisions a proposed policy
// would flip, each linked to its audit row, or the proposed files' errors at their lines. A
// `.github` repository is often public, so in public mode the table keeps only public repositories
// and shows rule codes, never messages, which can name private branches and actors.
import { auditPathOf } from "../domain/decision-link.js";
import type { ConfigError } from "../policy/decision.js";
import type { PreviewEntry, PreviewReport } from "../org/preview-policy-change.js";
import type { CheckAnnotation } from "./check-run.js";
import { OUTPUT_FIELD_MAX_BYTES } from "./check-run.js";
import { fitToBytes } from "./fit-to-bytes.js";
import { configErrorAnnotations } from "./render-config-problems.js";
import { escapeMarkdown } from "./render-violations.js";

export const PREVIEW_CHECK_NAME = "repol policy preview";

export interface PreviewOutput {
  conclusion: "neutral" | "failure";
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

export interface PreviewAudience {
  /** repol's address, for links to audit rows; null when PUBLIC_URL is not set. */
  publicUrl: string | null;
  /** Public mode: only these repositories may be named. null: the preview is private. */
  publicRepositories: ReadonlySet<string> | null;
}

export function renderInvalidProposal(errors: readonly ConfigError[]): PreviewOutput {
  const lines = errors.map((e) => `- \`${escapeMarkdown(e.file)}:${e.line}:${e.column}\`: ${escapeMarkdown(e.message)}`);
  return {
    conclusion: "failure",
    title: `Invalid policy files: ${errors.length} problem${errors.length === 1 ? "" : "s"}`,
    summary: fitToBytes(
      ["The proposed `.repol/` files would not load, so no decision was replayed. Fix the lines marked below:", "", ...lines].join("\n"),
      OUTPUT_FIELD_MAX_BYTES,
    ),
    annotations: configErrorAnnotations(errors),
  };
}

export function renderPreview(report: PreviewReport, audience: PreviewAudience): PreviewOutput {
  const total = report.flips + report.cannotTell + report.same;
  const title = `${report.flips} of ${total} recorded decision${total === 1 ? "" : "s"} would change`;
  const counts = `Replayed ${total} recorded decision${total === 1 ? "" : "s"} under the proposed policy: ${report.flips} would flip, ${report.same} would stay the same, ${report.cannotTell} cannot tell.`;
  const shown = report.entries.filter((e) => e.kind !== "same" && mayName(e, audience));
  const hidden = report.entries.filter((e) => e.kind !== "same").length - shown.length;
  const parts = [counts, "", "Nothing changes before the merge: this check only shows what the proposed files would have decided."];
  if (shown.length > 0)
    parts.push(
      "",
      "| Decision | Repository | Target | Recorded | Proposed | Why |",
      "| --- | --- | --- | --- | --- | --- |",
      ...shown.map((e) => row(e, audience)),
    );
  if (hidden > 0) {
    const where = audience.publicUrl === null ? "the audit trail" : `[the audit page](${audience.publicUrl}/ui/decisions)`;
    parts.push("", `${hidden} more in private repositories are not listed here; see ${where}.`);
  }
  return { conclusion: "neutral", title, summary: fitToBytes(parts.join("\n"), OUTPUT_FIELD_MAX_BYTES), annotations: [] };
}

function mayName(entry: PreviewEntry, audience: PreviewAudience): boolean {
  return audience.publicRepositories === null || audience.publicRepositories.has(entry.row.repository ?? "");
}

function row(entry: PreviewEntry, audience: PreviewAudience): string {
  const { row: r } = entry;
  const link = audience.publicUrl === null ? `\`${r.id}\`` : `[${r.id.slice(-8)}](${audience.publicUrl}${auditPathOf(r.id)})`;
  const target = r.policy === "deploy" ? `→ ${escapeMarkdown(r.environment ?? "?")}` : `#${r.pr_number ?? "?"}`;
  const cells =
    entry.kind === "flip"
      ? [r.decision, entry.to, why(entry, audience.publicRepositories !== null)]
      : [r.decision, "cannot tell", entry.kind === "cannot_tell" ? escapeMarkdown(entry.reason) : ""];
  return `| ${link} | ${escapeMarkdown(r.repository ?? "?")} | ${target} | ${cells.join(" | ")} |`;
}

function why(entry: Extract<PreviewEntry, { kind: "flip" }>, codesOnly: boolean): string {
  const describe = (v: { code: string; msg: string }) => (codesOnly ? `\`${v.code}\`` : `\`${v.code}\` ${escapeMarkdown(v.msg)}`);
  const gained = entry.gained.map((v) => `+ ${describe(v)}`);
  const lost = entry.lost.map((v) => `− ${describe(v)}`);
  return [...gained, ...lost].join("<br>") || "—";
}
