// The delivery log and the effect outbox on the SQLite connection of the audit store.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { AUDIT_COLUMNS, newRowParams } from "../audit/audit-row.js";
import type { EffectOutcome, NewAuditRecord } from "../audit/record.js";
import { storableColumn, storableText } from "../audit/storable-text.js";
import type { DeliveryLog, NewDelivery, NewEffect, Outbox, OutboxEntry, OutboxStatus, RecordedDecision, StoredDelivery } from "./work-store.js";

type Clock = () => Date;

const later = (clock: Clock, ms: number) => new Date(clock().getTime() + ms).toISOString();

export function sqliteDeliveryLog(db: Database.Database, clock: Clock): DeliveryLog {
  const decode = (row: Record<string, unknown>): StoredDelivery => ({
    id: row.delivery_id as string,
    event: row.event as string,
    action: row.action as string | null,
    body: row.body as string,
    received_at: row.received_at as string,
    status: row.status as StoredDelivery["status"],
    attempts: row.attempts as number,
    due_at: row.due_at as string,
    last_error: row.last_error as string | null,
  });
  return {
    async add(delivery: NewDelivery, claimForMs: number) {
      const now = clock().toISOString();
      const result = db
        .prepare(
          `INSERT INTO deliveries (delivery_id, event, action, body, received_at, status, attempts, due_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
           ON CONFLICT (delivery_id) DO UPDATE SET status = 'pending', attempts = excluded.attempts, due_at = excluded.due_at, last_error = NULL
           WHERE deliveries.status = 'failed'`,
        )
        .run(storableText(delivery.id), delivery.event, delivery.action, storableText(delivery.body), now, claimForMs > 0 ? 1 : 0, claimForMs > 0 ? later(clock, claimForMs) : now);
      return result.changes === 1;
    },
    async get(id) {
      const row = db.prepare("SELECT * FROM deliveries WHERE delivery_id = ?").get(storableText(id)) as Record<string, unknown> | undefined;
      return row ? decode(row) : undefined;
    },
    async known(ids) {
      const found = new Set<string>();
      const one = db.prepare("SELECT 1 FROM deliveries WHERE delivery_id = ?").pluck();
      for (const id of ids) if (one.get(storableText(id))) found.add(id);
      return found;
    },
    async claimDue(limit, leaseMs) {
      // IMMEDIATE takes the write lock before reading, so two connections cannot claim the same rows.
      return db.transaction(() => {
        const rows = db
          .prepare("SELECT * FROM deliveries WHERE status = 'pending' AND due_at <= ? ORDER BY received_at, delivery_id LIMIT ?")
          .all(clock().toISOString(), limit)
          .map((row) => decode(row as Record<string, unknown>));
        const claim = db.prepare("UPDATE deliveries SET attempts = attempts + 1, due_at = ? WHERE delivery_id = ?");
        const until = later(clock, leaseMs);
        return rows.map((row) => {
          claim.run(until, row.id);
          return { ...row, attempts: row.attempts + 1, due_at: until };
        });
      }).immediate();
    },
    async markDone(id) {
      db.prepare("UPDATE deliveries SET status = 'done', last_error = NULL WHERE delivery_id = ?").run(storableText(id));
    },
    async markFailed(id, error, retryAt) {
      db.prepare("UPDATE deliveries SET status = ?, last_error = ?, due_at = ? WHERE delivery_id = ?").run(
        retryAt ? "pending" : "failed",
        storableText(error),
        (retryAt ?? clock()).toISOString(),
        storableText(id),
      );
    },
    async recoverAtStart() {
      return db.prepare("UPDATE deliveries SET due_at = ? WHERE status = 'pending' AND due_at > ?").run(clock().toISOString(), clock().toISOString()).changes;
    },
    async purgeFinishedBefore(before) {
      return db.prepare("DELETE FROM deliveries WHERE status <> 'pending' AND received_at < ?").run(before.toISOString()).changes;
    },
  };
}

export function sqliteOutbox(db: Database.Database, clock: Clock): Outbox {
  const decode = (row: Record<string, unknown> | undefined): OutboxEntry | undefined =>
    row ? ({ ...row, request: JSON.parse(row.request as string) } as OutboxEntry) : undefined;
  const setEffect = (id: string, outcome: EffectOutcome) =>
    db.prepare("UPDATE audit_records SET effect = ? WHERE id = (SELECT audit_id FROM outbox WHERE id = ?)").run(storableColumn(outcome, true), id);
  return {
    async recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision> {
      return db.transaction((): RecordedDecision => {
        const now = clock();
        const { id: auditId, params } = newRowParams(row, now);
        const inserted = db
          .prepare(`INSERT INTO audit_records (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (delivery_id) DO NOTHING`)
          .run(...params);
        if (inserted.changes !== 1) {
          const existing = db.prepare("SELECT id FROM audit_records WHERE delivery_id = ?").pluck().get(storableText(row.delivery_id)) as string;
          return { inserted: false, auditId: existing, effect: null };
        }
        const entry: OutboxEntry = {
          ...effect,
          id: randomUUID(),
          delivery_id: row.delivery_id,
          audit_id: auditId,
          status: "pending",
          attempts: claimForMs > 0 ? 1 : 0,
          next_attempt_at: claimForMs > 0 ? later(clock, claimForMs) : now.toISOString(),
          last_error: null,
          created_at: now.toISOString(),
        };
        db.prepare(
          `INSERT INTO outbox (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        ).run(entry.id, storableText(entry.delivery_id), auditId, entry.kind, entry.installation_id, storableColumn(entry.request, true), entry.attempts, entry.next_attempt_at, entry.created_at);
        return { inserted: true, auditId, effect: { ...entry, request: JSON.parse(storableColumn(entry.request, true) as string) } };
      }).immediate();
    },
    async get(id) {
      return decode(db.prepare("SELECT * FROM outbox WHERE id = ?").get(id) as Record<string, unknown> | undefined);
    },
    async claimDue(limit, leaseMs) {
      return db.transaction(() => {
        const rows = db
          .prepare("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?")
          .all(clock().toISOString(), limit) as Record<string, unknown>[];
        const claim = db.prepare("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?");
        const until = later(clock, leaseMs);
        return rows.map((row) => {
          claim.run(until, row.id);
          return { ...decode(row)!, attempts: (row.attempts as number) + 1, next_attempt_at: until };
        });
      }).immediate();
    },
    async complete(id, outcome) {
      db.transaction(() => {
        db.prepare("UPDATE outbox SET status = 'done', last_error = ? WHERE id = ?").run(outcome.ok ? null : storableText(outcome.error ?? null), id);
        setEffect(id, outcome);
      }).immediate();
    },
    async retryLater(id, outcome, retryAt) {
      db.transaction(() => {
        const { changes } = db
          .prepare("UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'")
          .run(storableText(outcome.error ?? "failed"), retryAt.toISOString(), id);
        if (changes === 1) setEffect(id, outcome);
      }).immediate();
    },
    async giveUp(id, outcome) {
      db.transaction(() => {
        db.prepare("UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ?").run(storableText(outcome.error ?? "gave up"), id);
        setEffect(id, outcome);
      }).immediate();
    },
    async recoverAtStart() {
      const now = clock().toISOString();
      return db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?").run(now, now).changes;
    },
    async counts() {
      const rows = db.prepare("SELECT status, count(*) AS n FROM outbox GROUP BY status").all() as { status: OutboxStatus; n: number }[];
      const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0 };
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
    async purgeFinishedBefore(before) {
      return db.prepare("DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?").run(before.toISOString()).changes;
    },
  };
}
