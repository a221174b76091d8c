// The embedded default store: one SQLite file in WAL mode. Every write goes through the group commit,
// which acknowledges it only once it is on disk (FULL's guarantee) while the event loop never waits for
// the disk: see sqlite-group-commit.ts, durability/wal-file.ts and durability/wal-checkpoints.ts.
import type Database from "better-sqlite3";
import type { AuditPage, AuditQuery, AuditRecord, AuditSummary, NewAuditRecord } from "./record.js";
import type { AuditStore, AuditStoreOptions } from "./store.js";
import { encodeCursor, type CursorPosition } from "./cursor.js";
import { recordFromText } from "./chain.js";
import { insertChainedSqlite, purgeChainPrefixSqlite, sqliteChainRows, sqliteChainState } from "./sqlite-chain.js";
import { verifyChain, type ChainVerdict } from "./verify-chain.js";
import { countWithEnvironment, cursorOf, NEWEST_FIRST, pageSize, toStoredTime, whereClause, type EnvironmentCount } from "./audit-filters.js";
import { openSqliteConnection, sqliteSettings } from "./sqlite-connection.js";
import { pendingMigrations } from "./migrations/migration.js";
import { SQLITE_MIGRATIONS } from "./migrations/sqlite.js";
import { summaryFromCounts, type SummaryDimension } from "./summary.js";
import { sqliteDeliveryLog, sqliteOutbox } from "../durability/sqlite-work.js";
import type { DeliveryLog, Outbox } from "../durability/work-store.js";
import type { PolicyBundleStore } from "./policy-bundles.js";
import { sqliteCustomRuleModules } from "./sqlite-custom-rule-modules.js";
import type { CompiledModuleStore } from "../policy/custom/compiled-modules.js";
import { sqlitePolicyBundles } from "./sqlite-policy-bundles.js";
import { sqliteWaiting } from "../durability/sqlite-waiting.js";
import type { WaitingStore } from "../durability/waiting-store.js";
import { sqliteGroupCommit, type GroupCommit, type GroupCommitOptions } from "../durability/sqlite-group-commit.js";
import type { WalFile } from "../durability/wal-file.js";
import { startWalCheckpoints, type WalCheckpoints } from "../durability/wal-checkpoints.js";

const PURGE_BATCH = 5_000;

export type SqliteStoreOptions = AuditStoreOptions & GroupCommitOptions & { checkpointIntervalMs?: number };

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteAuditStore {
  return new SqliteAuditStore(path, options);
}

export class SqliteAuditStore implements AuditStore {
  readonly kind = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly chunkSize: number;
  private readonly statements = new Map<string, Database.Statement>();
  readonly deliveries: DeliveryLog;
  readonly outbox: Outbox;
  readonly policyBundles: PolicyBundleStore;
  readonly customRuleModules: CompiledModuleStore;
  readonly waiting: WaitingStore;
  /** The work tables' writes, batched into shared transactions (sqlite-group-commit.ts). */
  readonly groupCommit: GroupCommit;
  /** Undefined for ":memory:", which has no -wal file. */
  readonly checkpoints: WalCheckpoints | undefined;
  private readonly wal: WalFile | undefined;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.chunkSize = options.streamChunkSize ?? 500;
    const connection = openSqliteConnection(path);
    this.db = connection.db;
    this.wal = connection.wal;
    this.checkpoints = this.wal ? startWalCheckpoints(this.db.name, options.checkpointIntervalMs) : undefined;
    this.groupCommit = sqliteGroupCommit(this.db, { ...options, sync: options.sync ?? this.wal?.sync });
    this.deliveries = sqliteDeliveryLog(this.db, this.clock, this.groupCommit);
    this.outbox = sqliteOutbox(this.db, this.clock, this.groupCommit);
    this.policyBundles = sqlitePolicyBundles(this.db, this.clock, this.groupCommit);
    this.customRuleModules = sqliteCustomRuleModules(this.db, this.clock, this.groupCommit);
    this.waiting = sqliteWaiting(this.db, this.clock, this.groupCommit);
  }

  async migrate(): Promise<void> {
    // The group commit's transaction is IMMEDIATE: it takes the write lock first, so two processes
    // opening the same file cannot both migrate.
    await this.groupCommit.write(() => {
      this.db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      const applied = this.db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations").pluck().get() as number;
      for (const migration of pendingMigrations(SQLITE_MIGRATIONS, applied, this.db.name)) {
        this.db.exec(migration.sql);
        this.db
          .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
          .run(migration.version, migration.name, new Date().toISOString());
      }
    });
    // Refresh planner statistics so each filter picks its own index; analysis_limit keeps this quick
    // on a large file (it samples instead of reading every row).
    this.db.pragma("analysis_limit = 1000");
    this.db.pragma("optimize = 0x10002");
  }

  async insert(row: NewAuditRecord): Promise<{ inserted: boolean; id: string }> {
    // The batch is IMMEDIATE: the head is read under the write lock, so no other process links to the same one.
    return this.groupCommit.write(() => insertChainedSqlite(this.db, row, this.clock()));
  }

  // Reads answer once what they read is on disk (GroupCommit.read): the audit API never shows a row
  // that a power cut could still undo.
  async get(id: string): Promise<AuditRecord | undefined> {
    return this.groupCommit.read(() => this.one("SELECT * FROM audit_records WHERE id = ?", id));
  }

  async findByDelivery(deliveryId: string): Promise<AuditRecord | undefined> {
    return this.groupCommit.read(() => this.one("SELECT * FROM audit_records WHERE delivery_id = ?", deliveryId));
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const limit = pageSize(q.limit);
    const rows = await this.groupCommit.read(() => this.page(q, cursorOf(q), limit + 1));
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return { rows: page, next: more && last ? encodeCursor(last) : null };
  }

  async *stream(q: AuditQuery): AsyncIterable<AuditRecord> {
    // Chunks via keyset rather than one open iterator: between chunks the connection is free for
    // webhook inserts, and no read transaction pins the WAL for the whole export.
    let after: CursorPosition | undefined;
    for (;;) {
      const chunk = await this.groupCommit.read(() => this.page({ ...q, cursor: undefined }, after, this.chunkSize));
      yield* chunk;
      if (chunk.length < this.chunkSize) return;
      after = chunk.at(-1);
    }
  }

  async summary(window: { since?: string; until?: string }): Promise<AuditSummary> {
    const where = whereClause(window);
    const countBy = (dimension: SummaryDimension) =>
      this.db.prepare(`SELECT ${dimension} AS key, count(*) AS n FROM audit_records ${where.sql} GROUP BY ${dimension}`).all(...where.params) as {
        key: string | null;
        n: number;
      }[];
    // One read transaction so the totals all describe the same moment.
    return this.groupCommit.read(
      this.db.transaction(() =>
        summaryFromCounts(window, {
          total: this.db
            .prepare(`SELECT count(*) FROM audit_records ${where.sql}`)
            .pluck()
            .get(...where.params) as number,
          decision: countBy("decision"),
          policy: countBy("policy"),
          environment: countBy("environment"),
          repository: countBy("repository"),
        }),
      ),
    );
  }

  async count(q: AuditQuery): Promise<number> {
    const { where, total } = countWithEnvironment(q);
    const counts = await this.groupCommit.read(
      () => this.statement(`SELECT environment, count(*) AS n FROM audit_records ${where.sql} GROUP BY environment`).all(...where.params) as EnvironmentCount[],
    );
    return total(counts);
  }

  async purgeOlderThan(before: string): Promise<number> {
    const cutoff = toStoredTime(before, "before");
    // Rows from before the chain (NULL chain_seq) go by age alone; chained ones as a prefix, with an anchor.
    const unchained = this.statement(
      `DELETE FROM audit_records WHERE id IN
         (SELECT id FROM audit_records WHERE chain_seq IS NULL AND created_at < ? ORDER BY created_at LIMIT ${PURGE_BATCH})`,
    );
    const batches = [() => unchained.run(cutoff).changes, () => purgeChainPrefixSqlite(this.db, cutoff, PURGE_BATCH)];
    let removed = 0;
    for (const batch of batches) {
      for (;;) {
        const changes = await this.groupCommit.write(batch);
        removed += changes;
        if (changes < PURGE_BATCH) break;
        // Small batches, yielding in between, so a large purge never blocks webhook inserts for long.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return removed;
  }

  async verifyChain(): Promise<ChainVerdict> {
    const state = sqliteChainState(this.db);
    return verifyChain(state, sqliteChainRows(this.db, state, this.chunkSize));
  }

  /** The connection's durability settings, for start-up logs and tests. */
  sqliteSettings(): ReturnType<typeof sqliteSettings> {
    return sqliteSettings({ db: this.db, wal: this.wal });
  }

  async ping(): Promise<void> {
    const failure = this.groupCommit.failure;
    if (failure !== undefined) throw new Error(`the SQLite store could not put a write on disk and accepts no more; restart repol`, { cause: failure });
    const checkpoints = this.checkpoints?.failure;
    if (checkpoints !== undefined) throw new Error(`${checkpoints.message}: the -wal file is no longer checkpointed; restart repol`, { cause: checkpoints });
    this.statement("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.groupCommit.flush();
    // Writes already committed still hear back once their sync ends, which needs the -wal file open.
    await this.groupCommit.synced().catch(() => undefined);
    if (!this.db.open) return;
    await this.checkpoints?.close();
    this.wal?.close();
    this.db.pragma("optimize");
    this.db.close();
  }

  private page(q: AuditQuery, after: CursorPosition | undefined, limit: number): AuditRecord[] {
    const where = whereClause(q, after);
    return (this.statement(`SELECT * FROM audit_records ${where.sql} ${NEWEST_FIRST} LIMIT ?`).all(...where.params, limit) as Record<string, unknown>[]).map(
      recordFromText,
    );
  }

  private one(sql: string, value: string): AuditRecord | undefined {
    const row = this.statement(sql).get(value) as Record<string, unknown> | undefined;
    return row ? recordFromText(row) : undefined;
  }

  private statement(sql: string): Database.Statement {
    // better-sqlite3 compiles on prepare; caching keeps a hot query path free of re-parsing.
    let cached = this.statements.get(sql);
    if (!cached) {
      cached = this.db.prepare(sql);
      this.statements.set(sql, cached);
    }
    return cached;
  }
}
