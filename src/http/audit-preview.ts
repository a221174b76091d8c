// POST /audit/preview — proposed `.repol/` files replayed over recent recorded decisions
// (src/org/preview-policy-change.ts), for `repol preview` and anyone reviewing a policy change.
// Mounted by audit-router.ts behind its token; nothing it computes is enforced or recorded.
import type { RequestHandler } from "express";
import { recentDecisions, type PreviewSubject } from "../audit/recent-decisions.js";
import type { AuditStore } from "../audit/store.js";
import { auditPathOf } from "../domain/decision-link.js";
import { renderInvalidProposal, renderPreview } from "../github/render-preview.js";
import { previewPolicyChange, type PreviewEntry } from "../org/preview-policy-change.js";
import { readProposedPolicy, type ProposedFiles } from "../org/proposed-policy.js";
import type { PolicyEngine } from "../policy/engine-types.js";

const MAX_DECISIONS = 500;
const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const OWNER = /^[A-Za-z0-9-]{1,39}$/;

interface PreviewRequest {
  files: ProposedFiles;
  subject: PreviewSubject;
  limit: number | undefined;
  publicRepositories: Set<string> | null;
}

export function previewRoute(store: AuditStore, engine: PolicyEngine, publicUrl: string | null, now: () => Date = () => new Date()): RequestHandler {
  return async (req, res) => {
    const parsed = parsePreviewRequest(req.body);
    if ("parameter" in parsed) {
      res.status(400).json({ error: "bad_request", ...parsed });
      return;
    }
    const mode = "owner" in parsed.subject ? "organisation" : "repository";
    const proposed = readProposedPolicy(parsed.files, mode, now());
    if (!proposed.ok) {
      const message = `the proposed files are invalid (${proposed.errors.length} problem${proposed.errors.length === 1 ? "" : "s"})`;
      res.status(422).json({ error: "invalid_policy_files", message, errors: proposed.errors, output: renderInvalidProposal(proposed.errors) });
      return;
    }
    const rows = await recentDecisions(store, parsed.subject, parsed.limit);
    const report = previewPolicyChange(proposed.policy, rows, engine, now());
    const output = renderPreview(report, { publicUrl, publicRepositories: parsed.publicRepositories });
    res.json({
      flips: report.flips,
      same: report.same,
      cannot_tell: report.cannotTell,
      entries: report.entries.filter((e) => e.kind !== "same").map(entryJson),
      output,
    });
  };
}

function entryJson(entry: PreviewEntry): Record<string, unknown> {
  const { row } = entry;
  const common = {
    audit_id: row.id,
    link: auditPathOf(row.id),
    policy: row.policy,
    repository: row.repository,
    environment: row.environment,
    pr_number: row.pr_number,
    recorded: row.decision,
  };
  if (entry.kind === "flip") return { ...common, kind: "flip", proposed: entry.to, gained: entry.gained, lost: entry.lost };
  return { ...common, kind: "cannot_tell", reason: entry.kind === "cannot_tell" ? entry.reason : "" };
}

function parsePreviewRequest(body: unknown): PreviewRequest | { parameter: string; message: string } {
  const fail = (parameter: string, message: string) => ({ parameter, message });
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return fail("body", "the body must be a JSON object with `files` and `repository` or `owner`");
  const { files, repository, owner, limit, public_repositories: publicRepositories, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return fail(unknown, `unknown field "${unknown}"; known fields: files, repository, owner, limit, public_repositories`);
  if (files === null || typeof files !== "object" || Array.isArray(files) || Object.values(files).some((text) => typeof text !== "string")) {
    return fail("files", "files must map each path (like .repol/deploy.yaml) to the file's text");
  }
  if (Object.keys(files).length === 0) return fail("files", "files is empty; send at least one proposed .repol file");
  if ((repository === undefined) === (owner === undefined))
    return fail("repository", "give either repository (owner/name) or owner (for the organisation's .github files), not both");
  if (repository !== undefined && (typeof repository !== "string" || !REPOSITORY.test(repository))) return fail("repository", "repository must be owner/name");
  if (owner !== undefined && (typeof owner !== "string" || !OWNER.test(owner))) return fail("owner", "owner must be a GitHub account name");
  if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_DECISIONS)) {
    return fail("limit", `limit must be an integer from 1 to ${MAX_DECISIONS}`);
  }
  if (publicRepositories !== undefined && (!Array.isArray(publicRepositories) || publicRepositories.some((name) => typeof name !== "string"))) {
    return fail("public_repositories", "public_repositories must be a list of owner/name");
  }
  return {
    files: files as ProposedFiles,
    subject: repository !== undefined ? { repository: repository as string } : { owner: owner as string },
    limit: limit as number | undefined,
    publicRepositories: publicRepositories === undefined ? null : new Set(publicRepositories as string[]),
  };
}
