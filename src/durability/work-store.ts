// The durable work queues that live beside the audit trail, in the same database: webhook deliveries
// stored before GitHub is answered, and the GitHub effects (callbacks, check runs) still to be made.
// A row is "claimed" by pushing its due time forward by a lease: a process that dies mid-work leaves
// the row to become due again, so nothing acknowledged is lost and nothing needs a lock held open.
import type { EffectOutcome, NewAuditRecord } from "../audit/record.js";

export type DeliveryStatus = "pending" | "done" | "failed";

export interface NewDelivery {
  /** X-GitHub-Delivery: the same for every redelivery of one event. */
  id: string;
  event: string;
  action: string | null;
  /** The raw JSON body, exactly as signed. */
  body: string;
}

export interface StoredDelivery extends NewDelivery {
  received_at: string;
  status: DeliveryStatus;
  /** Processing attempts started so far. */
  attempts: number;
  due_at: string;
  last_error: string | null;
}

export interface DeliveryLog {
  /**
   * Stores a verified delivery as pending. With `claimForMs` > 0 the caller processes it now and the
   * row counts one attempt; otherwise a sweep will. False when the id is already stored (a redelivery),
   * unless that delivery had failed for good: a redelivery then makes it pending again.
   */
  add(delivery: NewDelivery, claimForMs: number): Promise<boolean>;
  get(id: string): Promise<StoredDelivery | undefined>;
  /** Which of these ids are stored, whatever their status. */
  known(ids: readonly string[]): Promise<Set<string>>;
  /** Claims up to `limit` pending deliveries that are due, oldest first; each counts one more attempt. */
  claimDue(limit: number, leaseMs: number): Promise<StoredDelivery[]>;
  markDone(id: string): Promise<void>;
  /** Records a failed attempt: pending again at `retryAt`, or failed for good when `retryAt` is null. */
  markFailed(id: string, error: string, retryAt: Date | null): Promise<void>;
  /**
   * At start: makes rows claimed by a process that is gone due now. SQLite serves one process per
   * file, so every pending row is; PostgreSQL replicas share rows, so leases expire on their own there.
   */
  recoverAtStart(): Promise<number>;
  /** Deletes finished (done or failed) deliveries received before `before`. */
  purgeFinishedBefore(before: Date): Promise<number>;
}

export type OutboxStatus = "pending" | "done" | "dead";

export interface NewEffect {
  kind: "deployment_callback" | "check_run";
  installation_id: number | null;
  /** Everything needed to make the call again later, as plain JSON. */
  request: unknown;
}

export interface OutboxEntry extends NewEffect {
  id: string;
  delivery_id: string | null;
  audit_id: string | null;
  status: OutboxStatus;
  /** Delivery attempts started so far. */
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
}

export interface RecordedDecision {
  inserted: boolean;
  auditId: string;
  /** The queued effect, already claimed by the caller for `claimForMs`; null when the row existed. */
  effect: OutboxEntry | null;
}

export interface Outbox {
  /**
   * Inserts the audit row and the effect that carries its decision in one transaction. A row whose
   * delivery_id already exists is a decision already made: nothing is inserted, no effect queued.
   */
  recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision>;
  get(id: string): Promise<OutboxEntry | undefined>;
  claimDue(limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Finished (delivered, or refused for good): the audit row's effect becomes `outcome`. */
  complete(id: string, outcome: EffectOutcome): Promise<void>;
  /** A failed attempt worth repeating at `retryAt`; the audit row's effect shows that attempt meanwhile. */
  retryLater(id: string, outcome: EffectOutcome, retryAt: Date): Promise<void>;
  /** Given up after too many attempts: dead, and the audit row shows the last failure. */
  giveUp(id: string, outcome: EffectOutcome): Promise<void>;
  /** See DeliveryLog.recoverAtStart. */
  recoverAtStart(): Promise<number>;
  counts(): Promise<Record<OutboxStatus, number>>;
  purgeFinishedBefore(before: Date): Promise<number>;
}
