// The waiting deployments (waiting-store.ts) in PostgreSQL, shared by every replica.
import type pg from "pg";
import type { NewWaitingDeployment, WaitingDeployment, WaitingStore } from "./waiting-store.js";

type Row = Record<string, unknown>;

export function postgresWaiting(pool: pg.Pool, clock: () => Date): WaitingStore {
  const select = async (where: string, params: unknown[]) =>
    (await pool.query(`SELECT * FROM waiting_deployments WHERE ${where} ORDER BY requested_at, id`, params)).rows.map(decode);
  return {
    async add(w: NewWaitingDeployment) {
      const sql = `INSERT INTO waiting_deployments (id, repository, installation_id, run_id, environment, sha, ref, pull_numbers,
        callback_url, request, requested_at, deadline, reports_posted, last_report, status, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'waiting', $15) ON CONFLICT (id) DO NOTHING`;
      const values = [w.id, w.repository, w.installationId, w.runId, w.environment, w.sha, w.ref, JSON.stringify(w.pullNumbers)];
      const rest = [w.callbackUrl, JSON.stringify(w.request), w.requestedAt, w.deadline, w.reportsPosted, w.lastReport, clock()];
      return (await pool.query(sql, [...values, ...rest])).rowCount === 1;
    },
    get: async (id) => (await select("id = $1", [id]))[0],
    waitingIn: (repository, match) =>
      "sha" in match
        ? select("status = 'waiting' AND lower(repository) = lower($1) AND sha = $2", [repository, match.sha])
        : select("status = 'waiting' AND lower(repository) = lower($1) AND pull_numbers @> $2::jsonb", [repository, JSON.stringify([match.pull])]),
    allWaiting: () => select("status = 'waiting'", []),
    async claim(id, leaseMs) {
      // One conditional UPDATE: of two replicas claiming at once, exactly one gets the row back.
      const at = clock();
      const sql = `UPDATE waiting_deployments SET leased_until = $1, updated_at = $2
        WHERE id = $3 AND status = 'waiting' AND (leased_until IS NULL OR leased_until <= $2) RETURNING *`;
      const { rows } = await pool.query(sql, [new Date(at.getTime() + leaseMs), at, id]);
      return rows[0] ? decode(rows[0] as Row) : null;
    },
    async keepWaiting(id, report) {
      if (report) {
        await pool.query("UPDATE waiting_deployments SET leased_until = NULL, updated_at = $1, last_report = $2, reports_posted = $3 WHERE id = $4", [
          clock(),
          report.text,
          report.count,
          id,
        ]);
      } else {
        await pool.query("UPDATE waiting_deployments SET leased_until = NULL, updated_at = $1 WHERE id = $2", [clock(), id]);
      }
    },
    async end(id, status, reason) {
      const sql = "UPDATE waiting_deployments SET status = $1, end_reason = $2, leased_until = NULL, updated_at = $3 WHERE id = $4 AND status = 'waiting'";
      await pool.query(sql, [status, reason, clock(), id]);
    },
  };
}

function decode(row: Row): WaitingDeployment {
  return {
    id: row.id as string,
    repository: row.repository as string,
    installationId: Number(row.installation_id),
    runId: Number(row.run_id),
    environment: row.environment as string,
    sha: row.sha as string,
    ref: row.ref as string,
    pullNumbers: row.pull_numbers as number[],
    callbackUrl: row.callback_url as string,
    request: row.request as unknown,
    requestedAt: (row.requested_at as Date).toISOString(),
    deadline: (row.deadline as Date).toISOString(),
    reportsPosted: row.reports_posted as number,
    lastReport: row.last_report as string | null,
    status: row.status as WaitingDeployment["status"],
    endReason: row.end_reason as string | null,
  };
}
