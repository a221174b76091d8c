// The lease mechanism (lease.ts) in PostgreSQL, one implementation for the deliveries and outbox
// tables. Claims use FOR UPDATE SKIP LOCKED, so replicas sweeping together each take different rows.
import type pg from "pg";
import { storableText } from "../audit/storable-text.js";
import type { LeasedTable } from "./leased-tables.js";
import type { LeasedWork } from "./work-store.js";

type Row = Record<string, unknown>;

export function postgresLeases<T>(pool: pg.Pool, clock: () => Date, spec: LeasedTable, decode: (row: Row) => T): LeasedWork<T> {
  const { table, key, due, created } = spec;
  const leaseSet = (param: string) => [due, ...spec.leaseColumns].map((column) => `${column} = ${param}`).join(", ");
  const later = (ms: number) => new Date(clock().getTime() + ms);
  return {
    async claimDue(limit, leaseMs) {
      const { rows } = await pool.query(
        `UPDATE ${table} SET attempts = attempts + 1, ${leaseSet("$3")}
          WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE status = 'pending' AND ${due} <= $1 AND ${spec.claimable.replaceAll("@now", () => "$1")}
                            ORDER BY ${created}, ${key} LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [clock(), limit, later(leaseMs)],
      );
      const claimed = rows.map((row: Row) => ({ row, order: `${(row[created] as Date).toISOString()} ${String(row[key])}` }));
      return claimed.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map(({ row }) => decode(row));
    },
    async renew(id, attempts, leaseMs) {
      const { rowCount } = await pool.query(`UPDATE ${table} SET ${leaseSet("$1")} WHERE ${key} = $2 AND attempts = $3 AND ${spec.held}`, [
        later(leaseMs),
        storableText(id),
        attempts,
      ]);
      return rowCount === 1;
    },
    async recoverAtStart() {
      // Another replica may hold these claims: they expire on their own.
      return 0;
    },
    async purgeFinishedBefore(before) {
      const { rowCount } = await pool.query(`DELETE FROM ${table} WHERE status <> 'pending' AND ${created} < $1`, [before]);
      return rowCount ?? 0;
    },
  };
}
