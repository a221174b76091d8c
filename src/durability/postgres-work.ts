// The delivery log and the effect outbox on the PostgreSQL pool of the audit store. Claims use
// FOR UPDATE SKIP LOCKED, so replicas sweeping together each take different rows.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AUDIT_COLUMNS, newRowParams } from "../audit/audit-row.js";
import type { EffectOutcome, NewAuditRecord } from "../audit/record.js";
import { storableColumn, storableText } from "../audit/storable-text.js";
import type { DeliveryLog, NewDelivery, NewEffect, Outbox, OutboxEntry, OutboxStatus, RecordedDecision, StoredDelivery } from "./work-store.js";

type Clock = () => Date;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
const later = (clock: Clock, ms: number) => new Date(clock().getTime() + ms);

function deliveryFrom(row: Record<string, unknown>): StoredDelivery {
  return {
    id: row.delivery_id as string,
    event: row.event as string,
    action: row.action as string | null,
    body: row.body as string,
    received_at: iso(row.received_at),
    status: row.status as StoredDelivery["status"],
    attempts: Number(row.attempts),
    due_at: iso(row.due_at),
    last_error: row.last_error as string | null,
  };
}

function entryFrom(row: Record<string, unknown>): OutboxEntry {
  return {
    id: row.id as string,
    delivery_id: row.delivery_id as string | null,
    audit_id: row.audit_id as string | null,
    kind: row.kind as OutboxEntry["kind"],
    installation_id: row.installation_id === null ? null : Number(row.installation_id),
    request: row.request,
    status: row.status as OutboxStatus,
    attempts: Number(row.attempts),
    next_attempt_at: iso(row.next_attempt_at),
    last_error: row.last_error as string | null,
    created_at: iso(row.created_at),
  };
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    failed = true;
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
  }
}

export function postgresDeliveryLog(pool: pg.Pool, clock: Clock): DeliveryLog {
  return {
    async add(delivery: NewDelivery, claimForMs: number) {
      const now = clock();
      const { rowCount } = await pool.query(
        `INSERT INTO deliveries (delivery_id, event, action, body, received_at, status, attempts, due_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
         ON CONFLICT (delivery_id) DO UPDATE SET status = 'pending', attempts = excluded.attempts, due_at = excluded.due_at, last_error = NULL
         WHERE deliveries.status = 'failed'`,
        [storableText(delivery.id), storableText(delivery.event), storableText(delivery.action), storableText(delivery.body), now, claimForMs > 0 ? 1 : 0, claimForMs > 0 ? later(clock, claimForMs) : now],
      );
      return rowCount === 1;
    },
    async get(id) {
      const { rows } = await pool.query("SELECT * FROM deliveries WHERE delivery_id = $1", [storableText(id)]);
      return rows[0] ? deliveryFrom(rows[0]) : undefined;
    },
    async known(ids) {
      if (ids.length === 0) return new Set();
      const { rows } = await pool.query<{ delivery_id: string }>("SELECT delivery_id FROM deliveries WHERE delivery_id = ANY($1::text[])", [ids.map(storableText)]);
      const stored = new Set(rows.map((row) => row.delivery_id));
      return new Set(ids.filter((id) => stored.has(storableText(id))));
    },
    async claimDue(limit, leaseMs) {
      const { rows } = await pool.query(
        `UPDATE deliveries SET attempts = attempts + 1, due_at = $3
          WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE status = 'pending' AND due_at <= $1
                                 ORDER BY received_at, delivery_id LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [clock(), limit, later(clock, leaseMs)],
      );
      return rows.map(deliveryFrom).sort((a, b) => a.received_at.localeCompare(b.received_at) || (a.id < b.id ? -1 : 1));
    },
    async markDone(id) {
      await pool.query("UPDATE deliveries SET status = 'done', last_error = NULL WHERE delivery_id = $1", [storableText(id)]);
    },
    async markFailed(id, error, retryAt) {
      await pool.query("UPDATE deliveries SET status = $1, last_error = $2, due_at = $3 WHERE delivery_id = $4", [
        retryAt ? "pending" : "failed",
        storableText(error),
        retryAt ?? clock(),
        storableText(id),
      ]);
    },
    async recoverAtStart() {
      return 0;
    },
    async purgeFinishedBefore(before) {
      const { rowCount } = await pool.query("DELETE FROM deliveries WHERE status <> 'pending' AND received_at < $1", [before]);
      return rowCount ?? 0;
    },
  };
}

export function postgresOutbox(pool: pg.Pool, clock: Clock): Outbox {
  const setEffect = (client: pg.PoolClient, id: string, outcome: EffectOutcome) =>
    client.query("UPDATE audit_records SET effect = $1 WHERE id = (SELECT audit_id FROM outbox WHERE id = $2)", [storableColumn(outcome, true), id]);
  return {
    async recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision> {
      return inTransaction(pool, async (client) => {
        const now = clock();
        const { params } = newRowParams(row, now);
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO audit_records (${AUDIT_COLUMNS.join(", ")}) VALUES (${AUDIT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
           ON CONFLICT (delivery_id) DO NOTHING RETURNING id`,
          params,
        );
        if (inserted.rows.length !== 1) {
          const existing = await client.query<{ id: string }>("SELECT id FROM audit_records WHERE delivery_id = $1", [storableText(row.delivery_id)]);
          return { inserted: false, auditId: existing.rows[0]!.id, effect: null };
        }
        const auditId = inserted.rows[0]!.id;
        const { rows } = await client.query(
          `INSERT INTO outbox (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9) RETURNING *`,
          [randomUUID(), storableText(row.delivery_id), auditId, effect.kind, effect.installation_id, storableColumn(effect.request, true), claimForMs > 0 ? 1 : 0, claimForMs > 0 ? later(clock, claimForMs) : now, now],
        );
        return { inserted: true, auditId, effect: entryFrom(rows[0]) };
      });
    },
    async get(id) {
      const { rows } = await pool.query("SELECT * FROM outbox WHERE id = $1", [id]);
      return rows[0] ? entryFrom(rows[0]) : undefined;
    },
    async claimDue(limit, leaseMs) {
      const { rows } = await pool.query(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $3
          WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
                        ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [clock(), limit, later(clock, leaseMs)],
      );
      return rows.map(entryFrom).sort((a, b) => a.created_at.localeCompare(b.created_at) || (a.id < b.id ? -1 : 1));
    },
    async complete(id, outcome) {
      await inTransaction(pool, async (client) => {
        await client.query("UPDATE outbox SET status = 'done', last_error = $1 WHERE id = $2", [outcome.ok ? null : storableText(outcome.error ?? null), id]);
        await setEffect(client, id, outcome);
      });
    },
    async retryLater(id, outcome, retryAt) {
      await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query("UPDATE outbox SET last_error = $1, next_attempt_at = $2 WHERE id = $3 AND status = 'pending'", [
          storableText(outcome.error ?? "failed"),
          retryAt,
          id,
        ]);
        if (rowCount === 1) await setEffect(client, id, outcome);
      });
    },
    async giveUp(id, outcome) {
      await inTransaction(pool, async (client) => {
        await client.query("UPDATE outbox SET status = 'dead', last_error = $1 WHERE id = $2", [storableText(outcome.error ?? "gave up"), id]);
        await setEffect(client, id, outcome);
      });
    },
    async recoverAtStart() {
      return 0;
    },
    async counts() {
      const { rows } = await pool.query<{ status: OutboxStatus; n: string }>("SELECT status, count(*) AS n FROM outbox GROUP BY status");
      const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0 };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },
    async purgeFinishedBefore(before) {
      const { rowCount } = await pool.query("DELETE FROM outbox WHERE status <> 'pending' AND created_at < $1", [before]);
      return rowCount ?? 0;
    },
  };
}
