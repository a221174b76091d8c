// The store for several replicas behind a load balancer: PostgreSQL through a `pg` pool.
import pg from "pg";
import type { AuditPage, AuditQuery, AuditRecord, AuditSummary, NewAuditRecord } from "./record.js";
import type { AuditStore, AuditStoreOptions } from "./store.js";
import { encodeCursor, type CursorPosition } from "./cursor.js";
import { recordFrom } from "./audit-row.js";
import { insertChainedPostgres, postgresChainRows, postgresChainState, purgeChainPrefixPostgres } from "./postgres-chain.js";
import { verifyChain, type ChainVerdict } from "./verify-chain.js";
import {
  countWithEnvironment,
  cursorOf,
  NEWEST_FIRST,
  numberedPlaceholders,
  pageSize,
  toStoredTime,
  whereClause,
  type EnvironmentCount,
} from "./audit-filters.js";
import { pendingMigrations } from "./migrations/migration.js";
import { POSTGRES_MIGRATIONS } from "./migrations/postgres.js";
import { storableText } from "./storable-text.js";
import { inTransaction } from "./postgres-transaction.js";
import { summaryFromCounts } from "./summary.js";
import { postgresDeliveryLog, postgresOutbox } from "../durability/postgres-work.js";
import type { DeliveryLog, Outbox } from "../durability/work-store.js";
import type { PolicyBundleStore } from "./policy-bundles.js";
import { postgresCustomRuleModules } from "./postgres-custom-rule-modules.js";
import type { CompiledModuleStore } from "../policy/custom/compiled-modules.js";
import { postgresPolicyBundles } from "./postgres-policy-bundles.js";
import { postgresWaiting } from "../durability/postgres-waiting.js";
import type { WaitingStore } from "../durability/waiting-store.js";

export interface PostgresStoreOptions extends AuditStoreOptions {
  /** Called when an idle pooled connection fails (e.g. the server restarts); without it the process would crash. */
  onPoolError?: (error: Error) => void;
  poolSize?: number;
}

// Any fixed 64-bit number works; it only has to be the same in every replica.
const MIGRATION_LOCK = 7_245_031_982_114;
const PURGE_BATCH = 5_000;

export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): PostgresAuditStore {
  return new PostgresAuditStore(url, options);
}

export class PostgresAuditStore implements AuditStore {
  readonly kind = "postgres" as const;
  private readonly pool: pg.Pool;
  private readonly clock: () => Date;
  private readonly chunkSize: number;
  private closed = false;
  readonly deliveries: DeliveryLog;
  readonly outbox: Outbox;
  readonly policyBundles: PolicyBundleStore;
  readonly customRuleModules: CompiledModuleStore;
  readonly waiting: WaitingStore;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
    }
    this.clock = options.clock ?? (() => new Date());
    this.chunkSize = options.streamChunkSize ?? 500;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: "repol",
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    });
    const onPoolError = options.onPoolError ?? ((error: Error) => console.error(`repol audit store: idle PostgreSQL connection failed: ${error.message}`));
    this.pool.on("error", onPoolError);
    this.deliveries = postgresDeliveryLog(this.pool, this.clock);
    this.outbox = postgresOutbox(this.pool, this.clock);
    this.policyBundles = postgresPolicyBundles(this.pool, this.clock);
    this.customRuleModules = postgresCustomRuleModules(this.pool, this.clock);
    this.waiting = postgresWaiting(this.pool, this.clock);
  }

  async migrate(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Replicas starting together queue here; the first applies the migrations, the others find none left.
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
      );
      const { rows } = await client.query<{ v: number }>("SELECT coalesce(max(version), 0) AS v FROM schema_migrations");
      for (const migration of pendingMigrations(POSTGRES_MIGRATIONS, rows[0].v, "PostgreSQL")) {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
      }
    });
  }

  async insert(row: NewAuditRecord): Promise<{ inserted: boolean; id: string }> {
    return inTransaction(this.pool, (client) => insertChainedPostgres(client, row, this.clock()));
  }

  async get(id: string): Promise<AuditRecord | undefined> {
    return this.one("SELECT * FROM audit_records WHERE id = $1", id);
  }

  async findByDelivery(deliveryId: string): Promise<AuditRecord | undefined> {
    return this.one("SELECT * FROM audit_records WHERE delivery_id = $1", deliveryId);
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const limit = pageSize(q.limit);
    const rows = await this.page(q, cursorOf(q), limit + 1);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return { rows: page, next: more && last ? encodeCursor(last) : null };
  }

  async *stream(q: AuditQuery): AsyncIterable<AuditRecord> {
    // Keyset chunks (no server-side cursor package installed): memory stays at one chunk.
    let after: CursorPosition | undefined;
    for (;;) {
      const chunk = await this.page({ ...q, cursor: undefined }, after, this.chunkSize);
      yield* chunk;
      if (chunk.length < this.chunkSize) return;
      after = chunk.at(-1);
    }
  }

  async summary(window: { since?: string; until?: string }): Promise<AuditSummary> {
    const where = whereClause(window);
    // One statement with grouping sets, so every total describes the same snapshot.
    const { rows } = await this.pool.query<{ dim: string; key: string | null; n: string }>(
      `SELECT CASE WHEN grouping(decision) = 0 THEN 'decision'
                   WHEN grouping(policy) = 0 THEN 'policy'
                   WHEN grouping(environment) = 0 THEN 'environment'
                   WHEN grouping(repository) = 0 THEN 'repository'
                   ELSE 'total' END AS dim,
              coalesce(decision, policy, environment, repository) AS key,
              count(*) AS n
         FROM audit_records ${numberedPlaceholders(where.sql)}
        GROUP BY GROUPING SETS ((decision), (policy), (environment), (repository), ())`,
      where.params,
    );
    const of = (dim: string) => rows.filter((r) => r.dim === dim);
    return summaryFromCounts(window, {
      total: Number(of("total")[0]?.n ?? 0),
      decision: of("decision"),
      policy: of("policy"),
      environment: of("environment"),
      repository: of("repository"),
    });
  }

  async count(q: AuditQuery): Promise<number> {
    const { where, total } = countWithEnvironment(q);
    const sql = `SELECT environment, count(*) AS n FROM audit_records ${numberedPlaceholders(where.sql)} GROUP BY environment`;
    return total((await this.pool.query<EnvironmentCount>(sql, where.params)).rows);
  }

  async purgeOlderThan(before: string): Promise<number> {
    const cutoff = toStoredTime(before, "before");
    // Rows from before the chain (NULL chain_seq) go by age alone; chained ones as a prefix, with an anchor.
    // Batches keep each transaction (and its locks and WAL volume) small.
    const batches = [
      async () =>
        (
          await this.pool.query(
            `DELETE FROM audit_records WHERE id IN
             (SELECT id FROM audit_records WHERE chain_seq IS NULL AND created_at < $1 ORDER BY created_at LIMIT ${PURGE_BATCH})`,
            [cutoff],
          )
        ).rowCount ?? 0,
      () => inTransaction(this.pool, (client) => purgeChainPrefixPostgres(client, cutoff, PURGE_BATCH)),
    ];
    let removed = 0;
    for (const batch of batches) {
      for (;;) {
        const changes = await batch();
        removed += changes;
        if (changes < PURGE_BATCH) break;
      }
    }
    return removed;
  }

  async verifyChain(): Promise<ChainVerdict> {
    const state = await postgresChainState(this.pool);
    return verifyChain(state, postgresChainRows(this.pool, state, this.chunkSize));
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async page(q: AuditQuery, after: CursorPosition | undefined, limit: number): Promise<AuditRecord[]> {
    const where = whereClause(q, after);
    const { rows } = await this.pool.query(`SELECT * FROM audit_records ${numberedPlaceholders(where.sql)} ${NEWEST_FIRST} LIMIT $${where.params.length + 1}`, [
      ...where.params.map(storableText),
      limit,
    ]);
    return rows.map(recordFrom);
  }

  private async one(sql: string, value: string): Promise<AuditRecord | undefined> {
    const { rows } = await this.pool.query(sql, [storableText(value)]);
    return rows[0] ? recordFrom(rows[0]) : undefined;
  }
}
