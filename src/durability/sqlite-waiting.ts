// The waiting deployments (waiting-store.ts) on the SQLite connection of the audit store.
import type Database from "better-sqlite3";
import type { GroupCommit } from "./sqlite-group-commit.js";
import type { NewWaitingDeployment, WaitingDeployment, WaitingStore } from "./waiting-store.js";

type Row = Record<string, unknown>;

export function sqliteWaiting(db: Database.Database, clock: () => Date, group: GroupCommit): WaitingStore {
  const now = () => clock().toISOString();
  const select = (where: string, ...params: unknown[]) =>
    (db.prepare(`SELECT * FROM waiting_deployments WHERE ${where} ORDER BY requested_at, id`).all(...params) as Row[]).map(decode);
  return {
    add: (w: NewWaitingDeployment) =>
      group.write(() => {
        const sql = `INSERT INTO waiting_deployments (id, repository, installation_id, run_id, environment, sha, ref, pull_numbers,
          callback_url, request, requested_at, deadline, reports_posted, last_report, status, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?) ON CONFLICT (id) DO NOTHING`;
        const values = [w.id, w.repository, w.installationId, w.runId, w.environment, w.sha, w.ref, JSON.stringify(w.pullNumbers)];
        const rest = [w.callbackUrl, JSON.stringify(w.request), w.requestedAt, w.deadline, w.reportsPosted, w.lastReport, now()];
        return db.prepare(sql).run(...values, ...rest).changes === 1;
      }),
    get: (id) => group.read(() => select("id = ?", id)[0]),
    waitingIn: (repository, match) =>
      group.read(() =>
        "sha" in match
          ? select("status = 'waiting' AND lower(repository) = lower(?) AND sha = ?", repository, match.sha)
          : select(
              "status = 'waiting' AND lower(repository) = lower(?) AND EXISTS (SELECT 1 FROM json_each(pull_numbers) WHERE value = ?)",
              repository,
              match.pull,
            ),
      ),
    allWaiting: () => group.read(() => select("status = 'waiting'")),
    claim: (id, leaseMs) =>
      group.write(() => {
        const at = now();
        const until = new Date(clock().getTime() + leaseMs).toISOString();
        const sql =
          "UPDATE waiting_deployments SET leased_until = ?, updated_at = ? WHERE id = ? AND status = 'waiting' AND (leased_until IS NULL OR leased_until <= ?)";
        return db.prepare(sql).run(until, at, id, at).changes === 1 ? (select("id = ?", id)[0] ?? null) : null;
      }),
    keepWaiting: (id, report) =>
      group.write(() => {
        const sql = report
          ? "UPDATE waiting_deployments SET leased_until = NULL, updated_at = ?, last_report = ?, reports_posted = ? WHERE id = ?"
          : "UPDATE waiting_deployments SET leased_until = NULL, updated_at = ? WHERE id = ?";
        db.prepare(sql).run(...(report ? [now(), report.text, report.count, id] : [now(), id]));
      }),
    end: (id, status, reason) =>
      group.write(() => {
        db.prepare("UPDATE waiting_deployments SET status = ?, end_reason = ?, leased_until = NULL, updated_at = ? WHERE id = ? AND status = 'waiting'").run(
          status,
          reason,
          now(),
          id,
        );
      }),
  };
}

function decode(row: Row): WaitingDeployment {
  return {
    id: row.id as string,
    repository: row.repository as string,
    installationId: row.installation_id as number,
    runId: row.run_id as number,
    environment: row.environment as string,
    sha: row.sha as string,
    ref: row.ref as string,
    pullNumbers: JSON.parse(row.pull_numbers as string) as number[],
    callbackUrl: row.callback_url as string,
    request: JSON.parse(row.request as string) as unknown,
    requestedAt: row.requested_at as string,
    deadline: row.deadline as string,
    reportsPosted: row.reports_posted as number,
    lastReport: row.last_report as string | null,
    status: row.status as WaitingDeployment["status"],
    endReason: row.end_reason as string | null,
  };
}
