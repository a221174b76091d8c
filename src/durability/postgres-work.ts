// The delivery log and the effect outbox on the PostgreSQL pool of the audit store.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { insertChainedPostgres } from "../audit/postgres-chain.js";
import type { NewAuditRecord } from "../audit/record.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { storableColumn, storableText } from "../audit/storable-text.js";
import { inTransaction } from "../audit/postgres-transaction.js";
import { supersededOutcome } from "./effect-target.js";
import { DELIVERY_TABLE, OUTBOX_TABLE } from "./leased-tables.js";
import { postgresLeases } from "./postgres-leases.js";
import type { DeliveryLog, NewDelivery, NewEffect, Outbox, OutboxEntry, OutboxStatus, RecordedDecision, StoredDelivery } from "./work-store.js";

type Clock = () => Date;
type Row = Record<string, unknown>;

// Recording effects for one target is serialised across replicas on this advisory lock namespace.
const TARGET_LOCKS = 724_503;
const MARK_DONE = "UPDATE deliveries SET status = 'done', last_error = NULL WHERE delivery_id = $1 AND status <> 'done'";
const MARK_DONE_BY_EFFECT = MARK_DONE.replace("= $1", "= (SELECT delivery_id FROM outbox WHERE id = $1)");

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value === null ? null : String(value));
const later = (clock: Clock, ms: number) => new Date(clock().getTime() + ms);

function deliveryFrom(row: Row): StoredDelivery {
  return {
    id: row.delivery_id as string,
    event: row.event as string,
    action: row.action as string | null,
    body: row.body as string,
    received_at: iso(row.received_at)!,
    status: row.status as StoredDelivery["status"],
    attempts: Number(row.attempts),
    due_at: iso(row.due_at)!,
    last_error: row.last_error as string | null,
  };
}

function entryFrom(row: Row): OutboxEntry {
  return {
    id: row.id as string,
    delivery_id: row.delivery_id as string | null,
    audit_id: row.audit_id as string | null,
    kind: row.kind as OutboxEntry["kind"],
    installation_id: row.installation_id === null ? null : Number(row.installation_id),
    request: row.request,
    target: row.target as string | null,
    status: row.status as OutboxStatus,
    attempts: Number(row.attempts),
    next_attempt_at: iso(row.next_attempt_at)!,
    leased_until: iso(row.leased_until),
    last_error: row.last_error as string | null,
    created_at: iso(row.created_at)!,
  };
}

export function postgresDeliveryLog(pool: pg.Pool, clock: Clock): DeliveryLog {
  const leases = postgresLeases(pool, clock, DELIVERY_TABLE, deliveryFrom);
  return {
    ...leases,
    async add(delivery: NewDelivery, claimForMs: number) {
      const now = clock();
      const { rowCount } = await pool.query(
        `INSERT INTO deliveries (delivery_id, event, action, body, received_at, status, attempts, due_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
         ON CONFLICT (delivery_id) DO UPDATE SET status = 'pending', attempts = excluded.attempts, due_at = excluded.due_at, last_error = NULL
         WHERE deliveries.status = 'failed'`,
        [
          storableText(delivery.id),
          storableText(delivery.event),
          storableText(delivery.action),
          storableText(delivery.body),
          now,
          claimForMs > 0 ? 1 : 0,
          claimForMs > 0 ? later(clock, claimForMs) : now,
        ],
      );
      return rowCount === 1;
    },
    async get(id) {
      const { rows } = await pool.query("SELECT * FROM deliveries WHERE delivery_id = $1", [storableText(id)]);
      return rows[0] ? deliveryFrom(rows[0]) : undefined;
    },
    async known(ids) {
      if (ids.length === 0) return new Set();
      const { rows } = await pool.query<{ delivery_id: string }>("SELECT delivery_id FROM deliveries WHERE delivery_id = ANY($1::text[])", [
        ids.map(storableText),
      ]);
      const stored = new Set(rows.map((row) => row.delivery_id));
      return new Set(ids.filter((id) => stored.has(storableText(id))));
    },
    async markDone(id) {
      // Usually done already, by the transaction that settled its effect: then nothing is written.
      await pool.query(MARK_DONE, [storableText(id)]);
    },
    async markFailed(id, error, retryInMs) {
      await pool.query("UPDATE deliveries SET status = $1, last_error = $2, due_at = $3 WHERE delivery_id = $4", [
        retryInMs === null ? "failed" : "pending",
        storableText(error),
        later(clock, retryInMs ?? 0),
        storableText(id),
      ]);
    },
  };
}

export function postgresOutbox(pool: pg.Pool, clock: Clock): Outbox {
  const leases = postgresLeases(pool, clock, OUTBOX_TABLE, entryFrom);
  /** Settles an entry still pending; either way the attempt's lease is released. */
  const settle = (id: string, status: OutboxStatus, outcome: EffectOutcome, error: string | null, nextAttemptAt: Date | null = null) =>
    inTransaction(pool, async (client) => {
      const { rowCount } = await client.query(
        "UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = coalesce($3, next_attempt_at), leased_until = NULL WHERE id = $4 AND status = 'pending'",
        [status, storableText(error), nextAttemptAt, id],
      );
      if (rowCount === 1)
        await client.query("UPDATE audit_records SET effect = $1 WHERE id = (SELECT audit_id FROM outbox WHERE id = $2)", [storableColumn(outcome, true), id]);
      else await client.query("UPDATE outbox SET leased_until = NULL WHERE id = $1", [id]);
      // Once its effect's attempt is recorded the delivery is done (the outbox owns any retry): one commit for both.
      await client.query(MARK_DONE_BY_EFFECT, [id]);
    });
  return {
    ...leases,
    async recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision> {
      return inTransaction(pool, async (client) => {
        const now = clock();
        const target = effect.target ?? null;
        // Replicas recording for one target take turns, so each sees the effect it supersedes.
        if (target !== null) await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [TARGET_LOCKS, target]);
        const recorded = await insertChainedPostgres(client, row, now);
        if (!recorded.inserted) return { inserted: false, auditId: recorded.id, effect: null };
        const auditId = recorded.id;
        let busy = false;
        if (target !== null) {
          await supersedeOlder(client, target, auditId, effect.kind);
          busy = (await client.query("SELECT 1 FROM outbox WHERE target = $1 AND leased_until > $2", [target, now])).rows.length > 0;
        }
        const claimed = claimForMs > 0 && !busy;
        const { rows } = await client.query(
          `INSERT INTO outbox (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, leased_until, created_at, target)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $11) RETURNING *`,
          [
            randomUUID(),
            storableText(row.delivery_id),
            auditId,
            effect.kind,
            effect.installation_id,
            storableColumn(effect.request, true),
            claimed ? 1 : 0,
            claimed ? later(clock, claimForMs) : now,
            claimed ? later(clock, claimForMs) : null,
            now,
            target,
          ],
        );
        return { inserted: true, auditId, effect: entryFrom(rows[0]) };
      });
    },
    async get(id) {
      const { rows } = await pool.query("SELECT * FROM outbox WHERE id = $1", [id]);
      return rows[0] ? entryFrom(rows[0]) : undefined;
    },
    async complete(id, outcome) {
      await settle(id, "done", outcome, outcome.ok ? null : (outcome.error ?? null));
    },
    async retryLater(id, outcome, afterMs) {
      await settle(id, "pending", outcome, outcome.error ?? "failed", later(clock, afterMs));
    },
    async giveUp(id, outcome) {
      await settle(id, "dead", outcome, outcome.error ?? "gave up");
    },
    async counts() {
      const { rows } = await pool.query<{ status: OutboxStatus; n: string }>("SELECT status, count(*) AS n FROM outbox GROUP BY status");
      const counts: Record<OutboxStatus, number> = { pending: 0, done: 0, dead: 0, superseded: 0 };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },
    async forAudit(auditId) {
      const { rows } = await pool.query("SELECT * FROM outbox WHERE audit_id = $1 ORDER BY created_at, id", [storableText(auditId)]);
      return rows.map(entryFrom);
    },
  };
}

/** Drops the target's effects still pending: the decision just recorded replaces theirs on GitHub. */
async function supersedeOlder(client: pg.PoolClient, target: string, newerAuditId: string, kind: NewEffect["kind"]): Promise<void> {
  const { rows } = await client.query<{ audit_id: string | null }>(
    "UPDATE outbox SET status = 'superseded', last_error = $1 WHERE target = $2 AND status = 'pending' RETURNING audit_id",
    [`superseded by audit row ${newerAuditId}`, target],
  );
  const auditIds = rows.map((row) => row.audit_id).filter((id): id is string => id !== null);
  if (auditIds.length > 0)
    await client.query("UPDATE audit_records SET effect = $1 WHERE id = ANY($2::text[])", [
      storableColumn(supersededOutcome(kind, newerAuditId), true),
      auditIds,
    ]);
}
