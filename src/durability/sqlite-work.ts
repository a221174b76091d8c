// The delivery log and the effect outbox on the SQLite connection of the audit store.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { preparedStatement as statement } from "../audit/prepared-statement.js";
import { insertChainedSqlite } from "../audit/sqlite-chain.js";
import type { NewAuditRecord } from "../audit/record.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { storableColumn, storableText } from "../audit/storable-text.js";
import { DELIVERY_TABLE, OUTBOX_TABLE } from "./leased-tables.js";
import { sqliteLeases } from "./sqlite-leases.js";
import { supersededOutcome } from "./effect-target.js";
import type { GroupCommit } from "./sqlite-group-commit.js";
import type { DeliveryLog, NewDelivery, NewEffect, Outbox, OutboxEntry, OutboxStatus, RecordedDecision, StoredDelivery } from "./work-store.js";

type Clock = () => Date;
type Row = Record<string, unknown>;

const later = (clock: Clock, ms: number) => new Date(clock().getTime() + ms).toISOString();
const MARK_DONE = "UPDATE deliveries SET status = 'done', last_error = NULL WHERE delivery_id = ? AND status <> 'done'";
const MARK_DONE_BY_EFFECT = MARK_DONE.replace("= ?", "= (SELECT delivery_id FROM outbox WHERE id = ?)");

export function sqliteDeliveryLog(db: Database.Database, clock: Clock, group: GroupCommit): DeliveryLog {
  const decode = (row: Row): StoredDelivery => ({
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
  const leases = sqliteLeases(db, clock, DELIVERY_TABLE, decode, group);
  return {
    ...leases,
    add: (delivery: NewDelivery, claimForMs: number) =>
      group.write(() => {
        const now = clock().toISOString();
        const result = statement(
          db,
          `INSERT INTO deliveries (delivery_id, event, action, body, received_at, status, attempts, due_at)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
           ON CONFLICT (delivery_id) DO UPDATE SET status = 'pending', attempts = excluded.attempts, due_at = excluded.due_at, last_error = NULL
           WHERE deliveries.status = 'failed'`,
        ).run(
          storableText(delivery.id),
          delivery.event,
          delivery.action,
          storableText(delivery.body),
          now,
          claimForMs > 0 ? 1 : 0,
          claimForMs > 0 ? later(clock, claimForMs) : now,
        );
        return result.changes === 1;
      }),
    get: (id) =>
      group.read(() => {
        const row = statement(db, "SELECT * FROM deliveries WHERE delivery_id = ?").get(storableText(id)) as Row | undefined;
        return row ? decode(row) : undefined;
      }),
    known: (ids) =>
      group.read(() => {
        const found = new Set<string>();
        const one = statement(db, "SELECT 1 FROM deliveries WHERE delivery_id = ?").pluck();
        for (const id of ids) if (one.get(storableText(id))) found.add(id);
        return found;
      }),
    async markDone(id) {
      // Usually done already, by the transaction that settled its effect (on disk before its handler went
      // on): then there is nothing to write and no sync to wait for.
      if (statement(db, "SELECT status = 'done' FROM deliveries WHERE delivery_id = ?").pluck().get(storableText(id)) === 1) return;
      await group.write(() => statement(db, MARK_DONE).run(storableText(id)));
    },
    async markFailed(id, error, retryInMs) {
      await group.write(() =>
        statement(db, "UPDATE deliveries SET status = ?, last_error = ?, due_at = ? WHERE delivery_id = ?").run(
          retryInMs === null ? "failed" : "pending",
          storableText(error),
          later(clock, retryInMs ?? 0),
          storableText(id),
        ),
      );
    },
  };
}

export function sqliteOutbox(db: Database.Database, clock: Clock, group: GroupCommit): Outbox {
  const decode = (row: Row): OutboxEntry => ({ ...row, request: JSON.parse(row.request as string) }) as OutboxEntry;
  const leases = sqliteLeases(db, clock, OUTBOX_TABLE, decode, group);
  const setEffect = (id: string, outcome: EffectOutcome) =>
    statement(db, "UPDATE audit_records SET effect = ? WHERE id = (SELECT audit_id FROM outbox WHERE id = ?)").run(storableColumn(outcome, true), id);
  /** Settles an entry still pending; either way the attempt's lease is released. */
  const settle = (id: string, status: OutboxStatus, outcome: EffectOutcome, error: string | null, nextAttemptAt?: string) =>
    group.write(() => {
      const { changes } = statement(
        db,
        "UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at), leased_until = NULL WHERE id = ? AND status = 'pending'",
      ).run(status, storableText(error), nextAttemptAt ?? null, id);
      if (changes === 1) setEffect(id, outcome);
      else statement(db, "UPDATE outbox SET leased_until = NULL WHERE id = ?").run(id);
      // Once its effect's attempt is recorded the delivery is done (the outbox owns any retry): one commit for both.
      statement(db, MARK_DONE_BY_EFFECT).run(id);
    });
  return {
    ...leases,
    recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision> {
      return group.write((): RecordedDecision => {
        const now = clock();
        const recorded = insertChainedSqlite(db, row, now);
        if (!recorded.inserted) return { inserted: false, auditId: recorded.id, effect: null };
        const auditId = recorded.id;
        const target = effect.target ?? null;
        if (target !== null) supersedeOlder(db, target, auditId, effect.kind);
        const busy =
          target !== null && statement(db, "SELECT 1 FROM outbox WHERE target = ? AND leased_until > ?").get(target, now.toISOString()) !== undefined;
        const claimed = claimForMs > 0 && !busy;
        const entry: OutboxEntry = {
          ...effect,
          id: randomUUID(),
          delivery_id: row.delivery_id,
          audit_id: auditId,
          target,
          status: "pending",
          attempts: claimed ? 1 : 0,
          next_attempt_at: claimed ? later(clock, claimForMs) : now.toISOString(),
          leased_until: claimed ? later(clock, claimForMs) : null,
          last_error: null,
          created_at: now.toISOString(),
        };
        statement(
          db,
          `INSERT INTO outbox (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, leased_until, created_at, target)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
        ).run(
          entry.id,
          storableText(entry.delivery_id),
          auditId,
          entry.kind,
          entry.installation_id,
          storableColumn(entry.request, true),
          entry.attempts,
          entry.next_attempt_at,
          entry.leased_until,
          entry.created_at,
          target,
        );
        return { inserted: true, auditId, effect: { ...entry, request: JSON.parse(storableColumn(entry.request, true) as string) } };
      });
    },
    get: (id) =>
      group.read(() => {
        const row = statement(db, "SELECT * FROM outbox WHERE id = ?").get(id) as Row | undefined;
        return row ? decode(row) : undefined;
      }),
    async complete(id, outcome) {
      await settle(id, "done", outcome, outcome.ok ? null : (outcome.error ?? null));
    },
    async retryLater(id, outcome, afterMs) {
      await settle(id, "pending", outcome, outcome.error ?? "failed", later(clock, afterMs));
    },
    async giveUp(id, outcome) {
      await settle(id, "dead", outcome, outcome.error ?? "gave up");
    },
    counts: () =>
      group.read(() => {
        const rows = statement(db, "SELECT status, count(*) AS n FROM outbox GROUP BY status").all() as { status: OutboxStatus; n: number }[];
        const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0, superseded: 0 };
        for (const row of rows) counts[row.status] = row.n;
        return counts;
      }),
    forAudit: (auditId) =>
      group.read(() => (statement(db, "SELECT * FROM outbox WHERE audit_id = ? ORDER BY created_at, id").all(storableText(auditId)) as Row[]).map(decode)),
  };
}

/** Drops the target's effects still pending: the decision just recorded replaces theirs on GitHub. */
function supersedeOlder(db: Database.Database, target: string, newerAuditId: string, kind: NewEffect["kind"]): void {
  const older = statement(db, "SELECT id, audit_id FROM outbox WHERE target = ? AND status = 'pending'").all(target) as {
    id: string;
    audit_id: string | null;
  }[];
  const outcome = storableColumn(supersededOutcome(kind, newerAuditId), true);
  for (const entry of older) {
    statement(db, "UPDATE outbox SET status = 'superseded', last_error = ? WHERE id = ?").run(`superseded by audit row ${newerAuditId}`, entry.id);
    if (entry.audit_id !== null) statement(db, "UPDATE audit_records SET effect = ? WHERE id = ?").run(outcome, entry.audit_id);
  }
}
