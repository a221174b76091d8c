// The audit store contract. Both adapters (sqlite-store.ts, postgres-store.ts) implement it and
// are exercised by one shared test suite.
import type { CompiledModuleStore } from "../policy/custom/compiled-modules.js";
import type { AuditPage, AuditQuery, AuditRecord, AuditSummary, NewAuditRecord } from "./record.js";
import type { ChainVerdict } from "./verify-chain.js";
import type { DeliveryLog, Outbox } from "../durability/work-store.js";
import type { PolicyBundleStore } from "./policy-bundles.js";
import type { WaitingStore } from "../durability/waiting-store.js";

export interface AuditStore {
  /** Which adapter this is, for /ready and logs. */
  readonly kind: "sqlite" | "postgres";
  /** Apply pending schema migrations (idempotent). */
  migrate(): Promise<void>;
  /**
   * Insert a row. A row whose delivery_id already exists is not inserted again:
   * `inserted` is false and `id` is the existing row's id.
   */
  insert(row: NewAuditRecord): Promise<{ inserted: boolean; id: string }>;
  get(id: string): Promise<AuditRecord | undefined>;
  findByDelivery(deliveryId: string): Promise<AuditRecord | undefined>;
  /** Newest first, filtered, cursor-paginated. */
  query(q: AuditQuery): Promise<AuditPage>;
  /** All rows matching the filters (limit/cursor ignored), newest first, without loading them all in memory. */
  stream(q: AuditQuery): AsyncIterable<AuditRecord>;
  summary(window: { since?: string; until?: string }): Promise<AuditSummary>;
  /** Rows matching the filters (limit/cursor ignored). Used e.g. for deployments_today. */
  count(q: AuditQuery): Promise<number>;
  /**
   * Delete rows created before `before` (ISO 8601), as a prefix of the chain: it stops at the first
   * chained row that is newer, and records the last removed row as the anchor. Returns how many were removed.
   */
  purgeOlderThan(before: string): Promise<number>;
  /**
   * Walks the hash chain (chain.ts) from its anchor to its head, one chunk of rows at a time, and
   * names the first row that breaks it.
   */
  verifyChain(): Promise<ChainVerdict>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Webhook deliveries kept until processed (both adapters; absent only in stand-ins such as a CLI replay). */
  readonly deliveries?: DeliveryLog;
  /** GitHub effects kept until made (both adapters; absent only in stand-ins). */
  readonly outbox?: Outbox;
  /** Deployments left waiting for evidence (both adapters; absent only in stand-ins: such a store never waits). */
  readonly waiting?: WaitingStore;
  /** Compiled policy bundles by digest, for replaying recorded decisions (both adapters; absent only in stand-ins). */
  readonly policyBundles?: PolicyBundleStore;
  /** Compiled custom rule modules by the digest of their sources (both adapters; absent only in stand-ins). */
  readonly customRuleModules?: CompiledModuleStore;
}

/** Construction options both adapters take. */
export interface AuditStoreOptions {
  /** Source of created_at; tests pin it to make equal timestamps and time windows. */
  clock?: () => Date;
  /** Rows fetched per round trip while streaming an export (default 500). */
  streamChunkSize?: number;
}
