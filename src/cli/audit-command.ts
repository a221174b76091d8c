// repol audit verify [--format text|json]: walks the audit trail's hash chain in the database the
// server writes (DATABASE_URL, else the SQLite file at AUDIT_DB_PATH) and names the first broken row.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { openAuditStore } from "../audit/open-audit-store.js";
import type { ChainVerdict } from "../audit/verify-chain.js";
import { EXIT, formatOf, UsageError, type CliIo, type ExitCode } from "./cli-io.js";

export async function auditCommand(args: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse(args);
  if (positionals[0] !== "verify" || positionals.length > 1) throw new UsageError(`expected "repol audit verify", got "repol audit ${positionals.join(" ")}"`);
  const format = formatOf(values.format);
  const databaseUrl = io.env.DATABASE_URL || null;
  const auditDbPath = resolve(io.cwd, io.env.AUDIT_DB_PATH || "./data/repol.db");
  // Opening a missing file would create an empty trail that "verifies": refuse instead.
  if (!databaseUrl && !existsSync(auditDbPath)) {
    throw new UsageError(`no audit database at ${auditDbPath}; set AUDIT_DB_PATH (or DATABASE_URL) as for the server`);
  }
  let store: Awaited<ReturnType<typeof openAuditStore>>;
  try {
    store = await openAuditStore({ databaseUrl, auditDbPath });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  try {
    const verdict = await store.verifyChain();
    io.out(format === "json" ? JSON.stringify(verdict) : renderVerdict(verdict));
    return verdict.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await store.close();
  }
}

function renderVerdict(verdict: ChainVerdict): string {
  const from = verdict.anchor_seq > 0 ? ` (after the retention anchor at chain row ${verdict.anchor_seq})` : "";
  if (verdict.ok) return `audit chain intact: all ${verdict.rows} rows verify${from}`;
  const where = verdict.first_broken?.id ? `at row ${verdict.first_broken.id}` : "after the last row";
  return `audit chain broken ${where}: ${verdict.first_broken?.reason}\n${verdict.rows} rows verified before it${from}`;
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: { format: { type: "string" } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
