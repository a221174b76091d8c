// The two durable work tables that live beside the audit trail, in the same database: webhook
// deliveries stored before GitHub is answered, and the GitHub effects (callbacks, check runs) still to
// be made. Both share one lease mechanism (lease.ts): a row is "claimed" by pushing its due time
// forward by a lease, renewed while the work runs; a process that dies mid-work leaves the row to
// become due again, so nothing acknowledged is lost and nothing needs a lock held open. Times are
// measured on the store's clock: callers pass durations.
import type { NewAuditRecord } from "../audit/record.js";
import type { EffectOutcome } from "../domain/effect-outcome.js";

/** What the delivery log and the outbox share: claims with leases, recovery, and purging. */
export interface LeasedWork<T> {
  /** Claims up to `limit` rows that are due, oldest first; each counts one more attempt. */
  claimDue(limit: number, leaseMs: number): Promise<T[]>;
  /**
   * Extends a claim to `leaseMs` from now, only while the row is still held by the claim that counted
   * `attempts` (a claim taken over after its lease ended is someone else's). False when it is not.
   */
  renew(id: string, attempts: number, leaseMs: number): Promise<boolean>;
  /**
   * At start: makes rows claimed by a process that is gone due now. SQLite serves one process per
   * file, so every pending row is; PostgreSQL replicas share rows, so leases expire on their own there.
   */
  recoverAtStart(): Promise<number>;
  /** Deletes finished rows created before `before`. */
  purgeFinishedBefore(before: Date): Promise<number>;
}

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

export interface DeliveryLog extends LeasedWork<StoredDelivery> {
  /**
   * Stores a verified delivery as pending. With `claimForMs` > 0 the caller processes it now and the
   * row counts one attempt; otherwise a sweep will. False when the id is already stored (a redelivery),
   * unless that delivery had failed for good: a redelivery then makes it pending again.
   */
  add(delivery: NewDelivery, claimForMs: number): Promise<boolean>;
  get(id: string): Promise<StoredDelivery | undefined>;
  /** Which of these ids are stored, whatever their status. */
  known(ids: readonly string[]): Promise<Set<string>>;
  markDone(id: string): Promise<void>;
  /** Records a failed attempt: pending again in `retryInMs`, or failed for good when it is null. */
  markFailed(id: string, error: string, retryInMs: number | null): Promise<void>;
}

/** `superseded`: dropped unsent because a newer decision for the same target was recorded. */
export type OutboxStatus = "pending" | "done" | "dead" | "superseded";

export interface NewEffect {
  kind: "deployment_callback" | "deployment_status_report" | "check_run";
  installation_id: number | null;
  /** Everything needed to make the call again later, as plain JSON. */
  request: unknown;
  /** What the call overwrites on GitHub (effect-target.ts); a newer effect for it supersedes this one. */
  target?: string | null;
}

export interface OutboxEntry extends NewEffect {
  id: string;
  delivery_id: string | null;
  audit_id: string | null;
  target: string | null;
  status: OutboxStatus;
  /** Delivery attempts started so far. */
  attempts: number;
  next_attempt_at: string;
  /** Set while an attempt holds the entry: no other effect for its target is sent meanwhile. */
  leased_until: string | null;
  last_error: string | null;
  created_at: string;
}

export interface RecordedDecision {
  inserted: boolean;
  auditId: string;
  /**
   * The queued effect; null when the row existed. Claimed by the caller for `claimForMs` unless an
   * older effect for the same target is still being sent (`leased_until` null then: the worker sends it after).
   */
  effect: OutboxEntry | null;
}

export interface Outbox extends LeasedWork<OutboxEntry> {
  /**
   * Inserts the audit row and the effect that carries its decision in one transaction, superseding any
   * effect for the same target still pending. A row whose delivery_id already exists is a decision
   * already made: nothing is inserted, no effect queued.
   */
  recordWithEffect(row: NewAuditRecord, effect: NewEffect, claimForMs: number): Promise<RecordedDecision>;
  get(id: string): Promise<OutboxEntry | undefined>;
  /** Finished (delivered, or refused for good): the audit row's effect becomes `outcome`. */
  complete(id: string, outcome: EffectOutcome): Promise<void>;
  /** A failed attempt worth repeating in `afterMs`; the audit row's effect shows that attempt meanwhile. */
  retryLater(id: string, outcome: EffectOutcome, afterMs: number): Promise<void>;
  /** Given up after too many attempts: dead, and the audit row shows the last failure. */
  giveUp(id: string, outcome: EffectOutcome): Promise<void>;
  counts(): Promise<Record<OutboxStatus, number>>;
  /** Every effect queued for one audit row, oldest first: what the decision page lists as attempts to answer GitHub. */
  forAudit(auditId: string): Promise<OutboxEntry[]>;
}
