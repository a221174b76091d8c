// The lease mechanism (lease.ts) in SQLite, one implementation for the deliveries and outbox tables.
import type Database from "better-sqlite3";
import { preparedStatement as statement } from "../audit/prepared-statement.js";
import { storableText } from "../audit/storable-text.js";
import type { LeasedTable } from "./leased-tables.js";
import type { GroupCommit } from "./sqlite-group-commit.js";
import type { LeasedWork } from "./work-store.js";

type Row = Record<string, unknown>;

export function sqliteLeases<T>(db: Database.Database, clock: () => Date, spec: LeasedTable, decode: (row: Row) => T, group: GroupCommit): LeasedWork<T> {
  const { table, key, due, created } = spec;
  const leaseSet = [due, ...spec.leaseColumns].map((column) => `${column} = @until`).join(", ");
  const later = (ms: number) => new Date(clock().getTime() + ms).toISOString();
  return {
    async claimDue(limit, leaseMs) {
      // The batch's transaction is IMMEDIATE: it holds the write lock before reading, so two connections cannot claim the same rows.
      return group.write(() => {
        const now = clock().toISOString();
        const rows = statement(
          db,
          `SELECT * FROM ${table} WHERE status = 'pending' AND ${due} <= @now AND ${spec.claimable} ORDER BY ${created}, ${key} LIMIT @limit`,
        ).all({ now, limit }) as Row[];
        const claim = statement(db, `UPDATE ${table} SET attempts = attempts + 1, ${leaseSet} WHERE ${key} = @id`);
        const until = later(leaseMs);
        return rows.map((row) => {
          claim.run({ until, id: row[key] });
          return decode({
            ...row,
            ...Object.fromEntries([due, ...spec.leaseColumns].map((column) => [column, until])),
            attempts: (row.attempts as number) + 1,
          });
        });
      });
    },
    async renew(id, attempts, leaseMs) {
      const sql = `UPDATE ${table} SET ${leaseSet} WHERE ${key} = @id AND attempts = @attempts AND ${spec.held}`;
      return group.write(() => statement(db, sql).run({ until: later(leaseMs), id: storableText(id), attempts }).changes === 1);
    },
    async recoverAtStart() {
      return group.write(() => {
        const now = clock().toISOString();
        const { changes } = statement(db, `UPDATE ${table} SET ${due} = @now WHERE status = 'pending' AND ${due} > @now`).run({ now });
        for (const column of spec.leaseColumns) statement(db, `UPDATE ${table} SET ${column} = NULL WHERE ${column} IS NOT NULL`).run();
        return changes;
      });
    },
    async purgeFinishedBefore(before) {
      return group.write(() => statement(db, `DELETE FROM ${table} WHERE status <> 'pending' AND ${created} < ?`).run(before.toISOString()).changes);
    },
  };
}
