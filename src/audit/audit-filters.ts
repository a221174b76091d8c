// The WHERE clause both adapters share, written once with `?` placeholders (PostgreSQL renumbers them).
// Every filter is an equality or range on an indexed column, so each one can walk its index newest first.
import type { AuditQuery } from "./record.js";
import { decodeCursor, type CursorPosition } from "./cursor.js";
import { environmentKey } from "../policy/environment-name.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/** The filters of a query as SQL, plus an optional keyset position to continue after. */
export function whereClause(q: AuditQuery, after?: CursorPosition): SqlFragment {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const equals = (column: string, value: unknown) => {
    if (value === undefined) return;
    conditions.push(`${column} = ?`);
    params.push(value);
  };
  equals("policy", q.policy);
  equals("decision", q.decision);
  equals("repository", q.repository);
  if (q.environment !== undefined) {
    // GitHub's environment names ignore case. lower() is the database's (ASCII only in SQLite), which
    // is enough to list rows; countWithEnvironment() folds exactly, for max_deployments_per_day.
    conditions.push("lower(environment) = lower(?)");
    params.push(q.environment);
  }
  equals("actor", q.actor);
  equals("pr_number", q.pr);
  if (q.sha !== undefined) {
    const sha = q.sha.toLowerCase();
    if (sha.length === 40) {
      equals("sha", sha);
    } else {
      // A short SHA is a prefix; as a range it stays index-friendly ("g" sorts after every hex digit).
      conditions.push("sha >= ? AND sha < ?");
      params.push(sha, `${sha}g`);
    }
  }
  if (q.since !== undefined) {
    conditions.push("created_at >= ?");
    params.push(toStoredTime(q.since, "since"));
  }
  if (q.until !== undefined) {
    conditions.push("created_at < ?");
    params.push(toStoredTime(q.until, "until"));
  }
  // Matches the partial index audit_exempted (migration 10).
  if (q.exempted === true) conditions.push("exemptions IS NOT NULL");
  if (q.exempted === false) conditions.push("exemptions IS NULL");
  if (after) {
    conditions.push("(created_at < ? OR (created_at = ? AND id < ?))");
    params.push(after.created_at, after.created_at, after.id);
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/**
 * count() as the adapters run it: rows per environment under every other filter, summed here for the
 * environment asked about, folded as the policy folds it. A fold the database does differently (SQLite
 * leaves `Ó` apart from `ó`) would undercount, and let a deployment past max_deployments_per_day.
 */
export function countWithEnvironment(q: AuditQuery): { where: SqlFragment; total(groups: EnvironmentCount[]): number } {
  const key = q.environment === undefined ? undefined : environmentKey(q.environment);
  return {
    where: whereClause({ ...q, environment: undefined, cursor: undefined }),
    total: (groups) =>
      groups
        .filter((group) => key === undefined || (group.environment !== null && environmentKey(group.environment) === key))
        .reduce((sum, group) => sum + Number(group.n), 0),
  };
}

/** One row of `SELECT environment, count(*) AS n ... GROUP BY environment` (PostgreSQL returns n as text). */
export interface EnvironmentCount {
  environment: string | null;
  n: number | string;
}

export const NEWEST_FIRST = "ORDER BY created_at DESC, id DESC";

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return Math.min(limit, MAX_PAGE_SIZE);
}

export function cursorOf(q: AuditQuery): CursorPosition | undefined {
  return q.cursor === undefined ? undefined : decodeCursor(q.cursor);
}

/**
 * ISO 8601 in any offset → the one form rows are stored and compared in (UTC, milliseconds, "Z"),
 * because SQLite compares created_at as text.
 */
export function toStoredTime(value: string, name = "time"): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${name} is not an ISO 8601 time: "${value}"`);
  return new Date(ms).toISOString();
}

/** `?` → `$1, $2, ...` for PostgreSQL. The fragments above contain no other question marks. */
export function numberedPlaceholders(sql: string, offset = 0): string {
  let n = offset;
  return sql.replace(/\?/g, () => `$${++n}`);
}
