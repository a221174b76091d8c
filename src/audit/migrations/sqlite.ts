// SQLite schema history. Append new migrations at the end; never edit one that has shipped.
import type { Migration } from "./migration.js";

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "audit_records",
    sql: `
      CREATE TABLE audit_records (
        id              TEXT    NOT NULL PRIMARY KEY,
        created_at      TEXT    NOT NULL,
        delivery_id     TEXT    UNIQUE,
        event           TEXT    NOT NULL,
        action          TEXT,
        policy          TEXT    NOT NULL,
        decision        TEXT    NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
        repository      TEXT,
        installation_id INTEGER,
        environment     TEXT,
        ref             TEXT,
        sha             TEXT,
        pr_number       INTEGER,
        actor           TEXT,
        violations      TEXT    NOT NULL,
        input           TEXT    NOT NULL,
        bundle_digest   TEXT,
        config_sha      TEXT,
        duration_ms     REAL    NOT NULL,
        effect          TEXT    NOT NULL,
        error           TEXT
      ) STRICT;
      CREATE INDEX audit_by_time        ON audit_records (created_at, id);
      CREATE INDEX audit_by_policy      ON audit_records (policy, created_at, id);
      CREATE INDEX audit_by_decision    ON audit_records (decision, created_at, id);
      CREATE INDEX audit_by_repository  ON audit_records (repository, created_at, id);
      CREATE INDEX audit_by_repo_verdict ON audit_records (repository, decision, created_at, id);
      CREATE INDEX audit_by_environment ON audit_records (environment, created_at, id);
      CREATE INDEX audit_by_actor       ON audit_records (actor, created_at, id);
      CREATE INDEX audit_by_pr          ON audit_records (pr_number, created_at, id);
      CREATE INDEX audit_by_sha         ON audit_records (sha, created_at, id);
    `,
  },
  {
    version: 2,
    name: "deliveries_and_outbox",
    // Times are ISO 8601 UTC text of one fixed width, so text order is time order.
    sql: `
      CREATE TABLE deliveries (
        delivery_id TEXT    NOT NULL PRIMARY KEY,
        event       TEXT    NOT NULL,
        action      TEXT,
        body        TEXT    NOT NULL,
        received_at TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        due_at      TEXT    NOT NULL,
        last_error  TEXT
      ) STRICT;
      CREATE INDEX deliveries_due     ON deliveries (status, due_at);
      CREATE INDEX deliveries_by_time ON deliveries (received_at);
      CREATE TABLE outbox (
        id              TEXT    NOT NULL PRIMARY KEY,
        delivery_id     TEXT,
        audit_id        TEXT,
        kind            TEXT    NOT NULL,
        installation_id INTEGER,
        request         TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT    NOT NULL,
        last_error      TEXT,
        created_at      TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due     ON outbox (status, next_attempt_at);
      CREATE INDEX outbox_by_time ON outbox (created_at);
    `,
  },
  {
    version: 3,
    name: "outbox_targets_and_leases",
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with the new status
    // `superseded`, the target an effect overwrites on GitHub, and the lease of an attempt in progress.
    sql: `
      CREATE TABLE outbox_v3 (
        id              TEXT    NOT NULL PRIMARY KEY,
        delivery_id     TEXT,
        audit_id        TEXT,
        kind            TEXT    NOT NULL,
        installation_id INTEGER,
        request         TEXT    NOT NULL,
        status          TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'dead', 'superseded')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT    NOT NULL,
        last_error      TEXT,
        created_at      TEXT    NOT NULL,
        target          TEXT,
        leased_until    TEXT
      ) STRICT;
      INSERT INTO outbox_v3 (id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, last_error, created_at)
        SELECT id, delivery_id, audit_id, kind, installation_id, request, status, attempts, next_attempt_at, last_error, created_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v3 RENAME TO outbox;
      CREATE INDEX outbox_due       ON outbox (status, next_attempt_at);
      CREATE INDEX outbox_by_time   ON outbox (created_at);
      CREATE INDEX outbox_by_target ON outbox (target, status);
    `,
  },
  {
    version: 4,
    name: "environment_index_without_case",
    // Environment filters compare lower(environment) (GitHub's names ignore case); the index follows,
    // so such a filter still walks an index newest first.
    sql: `
      DROP INDEX audit_by_environment;
      CREATE INDEX audit_by_environment ON audit_records (lower(environment), created_at, id);
    `,
  },
  {
    version: 5,
    name: "audit_hash_chain",
    // The chain (src/audit/chain.ts) starts after the rows already stored: they keep a NULL chain_seq
    // and are not covered. audit_chain is its one row: the head every insert moves (and locks), and
    // the anchor retention moves when it purges a prefix.
    sql: `
      ALTER TABLE audit_records ADD COLUMN chain_seq INTEGER;
      ALTER TABLE audit_records ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_records ADD COLUMN row_hash  TEXT;
      CREATE UNIQUE INDEX audit_by_chain_seq ON audit_records (chain_seq);
      CREATE TABLE audit_chain (
        singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
        head_seq    INTEGER NOT NULL,
        head_hash   TEXT    NOT NULL,
        anchor_seq  INTEGER NOT NULL,
        anchor_hash TEXT    NOT NULL
      ) STRICT;
      INSERT INTO audit_chain VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, '0000000000000000000000000000000000000000000000000000000000000000');
    `,
  },
  {
    version: 6,
    name: "policy_bundles",
    // Compiled policy bundles by sha256, so a row's bundle_digest can be loaded again to replay it.
    // No foreign key from audit_records: rows recorded before this table have digests it lacks.
    sql: `
      CREATE TABLE policy_bundles (
        digest     TEXT NOT NULL PRIMARY KEY,
        kind       TEXT NOT NULL CHECK (kind IN ('builtin', 'custom')),
        wasm       BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: "audit_warnings",
    // Failed rules set to `warn`, kept apart from the violations that blocked. Older rows read as none.
    sql: `
      ALTER TABLE audit_records ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 8,
    name: "custom_rule_modules",
    // Compiled custom Rego rules by the sha256 of their sources (not of the WASM), so a restart or
    // another replica finds a repository's module without compiling it again.
    sql: `
      CREATE TABLE custom_rule_modules (
        digest     TEXT NOT NULL PRIMARY KEY,
        policy     TEXT NOT NULL CHECK (policy IN ('deploy', 'pullrequest')),
        wasm       BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: "waiting_deployments",
    // A deployment left waiting for evidence is recorded with decision `pending`. SQLite cannot change
    // a CHECK constraint in place, so audit_records is rebuilt: every column as of version 8, rows copied
    // unchanged (their hashes still verify). A migration that adds an audit_records column before this
    // one must add it here too. waiting_deployments holds each deployment repol still owes an answer.
    sql: `
      CREATE TABLE audit_records_v9 (
        id              TEXT    NOT NULL PRIMARY KEY,
        created_at      TEXT    NOT NULL,
        delivery_id     TEXT    UNIQUE,
        event           TEXT    NOT NULL,
        action          TEXT,
        policy          TEXT    NOT NULL,
        decision        TEXT    NOT NULL CHECK (decision IN ('allow', 'deny', 'error', 'pending')),
        repository      TEXT,
        installation_id INTEGER,
        environment     TEXT,
        ref             TEXT,
        sha             TEXT,
        pr_number       INTEGER,
        actor           TEXT,
        violations      TEXT    NOT NULL,
        input           TEXT    NOT NULL,
        bundle_digest   TEXT,
        config_sha      TEXT,
        duration_ms     REAL    NOT NULL,
        effect          TEXT    NOT NULL,
        error           TEXT,
        chain_seq       INTEGER,
        prev_hash       TEXT,
        row_hash        TEXT,
        warnings        TEXT    NOT NULL DEFAULT '[]'
      ) STRICT;
      INSERT INTO audit_records_v9 SELECT id, created_at, delivery_id, event, action, policy, decision, repository,
        installation_id, environment, ref, sha, pr_number, actor, violations, input, bundle_digest, config_sha,
        duration_ms, effect, error, chain_seq, prev_hash, row_hash, warnings FROM audit_records;
      DROP TABLE audit_records;
      ALTER TABLE audit_records_v9 RENAME TO audit_records;
      CREATE INDEX audit_by_time         ON audit_records (created_at, id);
      CREATE INDEX audit_by_policy       ON audit_records (policy, created_at, id);
      CREATE INDEX audit_by_decision     ON audit_records (decision, created_at, id);
      CREATE INDEX audit_by_repository   ON audit_records (repository, created_at, id);
      CREATE INDEX audit_by_repo_verdict ON audit_records (repository, decision, created_at, id);
      CREATE INDEX audit_by_environment  ON audit_records (lower(environment), created_at, id);
      CREATE INDEX audit_by_actor        ON audit_records (actor, created_at, id);
      CREATE INDEX audit_by_pr           ON audit_records (pr_number, created_at, id);
      CREATE INDEX audit_by_sha          ON audit_records (sha, created_at, id);
      CREATE UNIQUE INDEX audit_by_chain_seq ON audit_records (chain_seq);
      CREATE TABLE waiting_deployments (
        id              TEXT    NOT NULL PRIMARY KEY,
        repository      TEXT    NOT NULL,
        installation_id INTEGER NOT NULL,
        run_id          INTEGER NOT NULL,
        environment     TEXT    NOT NULL,
        sha             TEXT    NOT NULL,
        ref             TEXT    NOT NULL,
        pull_numbers    TEXT    NOT NULL,
        callback_url    TEXT    NOT NULL,
        request         TEXT    NOT NULL,
        requested_at    TEXT    NOT NULL,
        deadline        TEXT    NOT NULL,
        reports_posted  INTEGER NOT NULL DEFAULT 0,
        last_report     TEXT,
        status          TEXT    NOT NULL CHECK (status IN ('waiting', 'answered', 'ended')),
        end_reason      TEXT,
        leased_until    TEXT,
        updated_at      TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX waiting_by_sha      ON waiting_deployments (status, repository, sha);
      CREATE INDEX waiting_by_deadline ON waiting_deployments (status, deadline);
    `,
  },
  {
    version: 10,
    name: "audit_exemptions",
    // The organisation exemptions a decision used (JSON), NULL when it used none, so rows recorded
    // before stay as they were and their chain hashes still verify. The partial index serves
    // GET /audit?exempted=true newest first without touching the rows that used none.
    sql: `
      ALTER TABLE audit_records ADD COLUMN exemptions TEXT;
      CREATE INDEX audit_exempted ON audit_records (created_at, id) WHERE exemptions IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: "audit_custom_rules",
    // The custom Rego rule sets a decision judged (JSON: origin, repository, digest, file blob SHAs),
    // NULL when there were none, so rows recorded before, and rows without rules, hash as they did.
    // A plain ADD COLUMN: migration 9 already rebuilt audit_records, nothing here needs a rebuild.
    sql: `
      ALTER TABLE audit_records ADD COLUMN custom_rules TEXT;
    `,
  },
];
