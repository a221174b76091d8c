// repol replay --audit-id <id>: a recorded decision evaluated again under the bundle that made it
// and under the current one, read straight from the audit store the server writes (DATABASE_URL,
// else the SQLite file at AUDIT_DB_PATH), so it needs no running server and no API token.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { openAuditStore } from "../audit/open-audit-store.js";
import { isAuditId } from "../audit/audit-id.js";
import { storedPolicyEngines } from "../audit/stored-policy-engines.js";
import { replayDecision, type DecisionReplay, type ReplayedDecision } from "../core/replay-decision.js";
import { loadSettings } from "../settings.js";
import { EXIT, UsageError, type CliIo, type ExitCode } from "./cli-io.js";
import { loadBundle } from "./policy-bundle.js";

export async function replayAuditRecord(id: string, bundlePath: string, format: string, io: CliIo): Promise<ExitCode> {
  if (!isAuditId(id)) throw new UsageError(`--audit-id must be an audit row id (a 26-character ULID), got "${id}"`);
  const current = await loadBundle(bundlePath);
  const store = await openAuditStore(storeLocation(io));
  try {
    const record = await store.get(id);
    if (!record) {
      io.err(`no audit record with "${id}" in ${store.kind === "postgres" ? "DATABASE_URL" : "AUDIT_DB_PATH"}`);
      return EXIT.failed;
    }
    const outcome = await replayDecision(record, { current, byDigest: storedPolicyEngines(store.policyBundles, current) });
    if (!outcome.ok) {
      io.err(outcome.message);
      return EXIT.failed;
    }
    if (format === "json") io.out(JSON.stringify(outcome.replay, null, 2));
    else for (const line of replayLines(outcome.replay)) io.out(line);
    return outcome.replay.under_recorded_policy.same ? EXIT.ok : EXIT.failed;
  } finally {
    await store.close();
  }
}

/** The server's own settings for the store; a SQLite file that does not exist is a mistake, not a new store. */
function storeLocation(io: CliIo): { databaseUrl: string | null; auditDbPath: string } {
  const { databaseUrl, auditDbPath } = loadSettings(io.env);
  const path = resolve(io.cwd, auditDbPath);
  if (!databaseUrl && !existsSync(path)) {
    throw new UsageError(`no audit store at ${path}; set AUDIT_DB_PATH to repol's SQLite file, or DATABASE_URL to its PostgreSQL`);
  }
  return { databaseUrl, auditDbPath: path };
}

function replayLines(replay: DecisionReplay): string[] {
  const { recorded } = replay;
  return [
    `audit ${replay.id} (${replay.policy}): recorded ${describe(recorded.decision, recorded.violations)} under ${short(recorded.digest)}`,
    `  under the recorded policy ${short(replay.under_recorded_policy.digest)}: ${outcomeLine(replay.under_recorded_policy, "same decision", "DIFFERS from the record")}`,
    `  under the current policy ${short(replay.under_current_policy.digest)}: ${outcomeLine(replay.under_current_policy, "no change", "would change")}`,
  ];
}

function outcomeLine(replayed: ReplayedDecision, same: string, changed: string): string {
  const { changes } = replayed;
  const details = [
    ...(changes.decision ? [`${changes.decision.recorded} → ${changes.decision.replayed}`] : []),
    ...(changes.violations_added.length > 0 ? [`adds ${changes.violations_added.join(", ")}`] : []),
    ...(changes.violations_removed.length > 0 ? [`removes ${changes.violations_removed.join(", ")}`] : []),
    ...(changes.warnings_added.length > 0 ? [`warns also ${changes.warnings_added.join(", ")}`] : []),
    ...(changes.warnings_removed.length > 0 ? [`no longer warns ${changes.warnings_removed.join(", ")}`] : []),
    ...(replayed.error ? [`error: ${replayed.error}`] : []),
  ];
  return `${describe(replayed.decision, replayed.violations)} — ${replayed.same ? same : `${changed}: ${details.join("; ")}`}`;
}

const describe = (decision: string, violations: { code: string }[]): string =>
  violations.length > 0 ? `${decision} (${violations.map((violation) => violation.code).join(", ")})` : decision;

const short = (digest: string): string => `sha256 ${digest.slice(0, 12)}`;
