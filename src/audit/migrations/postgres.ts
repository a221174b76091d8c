// PostgreSQL schema history. Append new migrations at the end; never edit one that has shipped.
import type { Migration } from "./migration.js";

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "audit_records",
    // id and sha use the "C" collation: keyset pagination and SHA-prefix ranges compare bytes,
    // whatever locale the database was created with.
    sql: `
      CREATE TABLE audit_records (
        id              text COLLATE "C" NOT NULL PRIMARY KEY,
        created_at      timestamptz      NOT NULL,
        delivery_id     text             UNIQUE,
        event           text             NOT NULL,
        action          text,
        policy          text             NOT NULL,
        decision        text             NOT NULL CHECK (decision IN ('allow', 'deny', 'error')),
        repository      text,
        installation_id bigint,
        environment     text,
        ref             text,
        sha             text COLLATE "C",
        pr_number       integer,
        actor           text,
        violations      jsonb            NOT NULL,
        input           jsonb            NOT NULL,
        bundle_digest   text,
        config_sha      text,
        duration_ms     double precision NOT NULL,
        effect          jsonb            NOT NULL,
        error           text
      );
      CREATE INDEX audit_by_time         ON audit_records (created_at, id);
      CREATE INDEX audit_by_policy       ON audit_records (policy, created_at, id);
      CREATE INDEX audit_by_decision     ON audit_records (decision, created_at, id);
      CREATE INDEX audit_by_repository   ON audit_records (repository, created_at, id);
      CREATE INDEX audit_by_repo_verdict ON audit_records (repository, decision, created_at, id);
      CREATE INDEX audit_by_environment  ON audit_records (environment, created_at, id);
      CREATE INDEX audit_by_actor        ON audit_records (actor, created_at, id);
      CREATE INDEX audit_by_pr           ON audit_records (pr_number, created_at, id);
      CREATE INDEX audit_by_sha          ON audit_records (sha, created_at, id);
    `,
  },
  {
    version: 2,
    name: "deliveries_and_outbox",
    sql: `
      CREATE TABLE deliveries (
        delivery_id text COLLATE "C" NOT NULL PRIMARY KEY,
        event       text        NOT NULL,
        action      text,
        body        text        NOT NULL,
        received_at timestamptz NOT NULL,
        status      text        NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
        attempts    integer     NOT NULL DEFAULT 0,
        due_at      timestamptz NOT NULL,
        last_error  text
      );
      CREATE INDEX deliveries_due     ON deliveries (status, due_at);
      CREATE INDEX deliveries_by_time ON deliveries (received_at);
      CREATE TABLE outbox (
        id              text COLLATE "C" NOT NULL PRIMARY KEY,
        delivery_id     text,
        audit_id        text,
        kind            text        NOT NULL,
        installation_id bigint,
        request         jsonb       NOT NULL,
        status          text        NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error      text,
        created_at      timestamptz NOT NULL
      );
      CREATE INDEX outbox_due     ON outbox (status, next_attempt_at);
      CREATE INDEX outbox_by_time ON outbox (created_at);
    `,
  },
  {
    version: 3,
    name: "outbox_targets_and_leases",
    // The target an effect overwrites on GitHub, the lease of an attempt in progress, and the status
    // `superseded` for an effect dropped because a newer decision for its target was recorded.
    sql: `
      ALTER TABLE outbox ADD COLUMN target text, ADD COLUMN leased_until timestamptz;
      ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
      ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'done', 'dead', 'superseded'));
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
      ALTER TABLE audit_records ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash text, ADD COLUMN row_hash text;
      CREATE UNIQUE INDEX audit_by_chain_seq ON audit_records (chain_seq);
      CREATE TABLE audit_chain (
        singleton   bigint NOT NULL PRIMARY KEY CHECK (singleton = 1),
        head_seq    bigint NOT NULL,
        head_hash   text    NOT NULL,
        anchor_seq  bigint NOT NULL,
        anchor_hash text    NOT NULL
      );
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
        digest     text COLLATE "C" NOT NULL PRIMARY KEY,
        kind       text        NOT NULL CHECK (kind IN ('builtin', 'custom')),
        wasm       bytea       NOT NULL,
        created_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: "audit_warnings",
    // Failed rules set to `warn`, kept apart from the violations that blocked. Older rows read as none.
    sql: `
      ALTER TABLE audit_records ADD COLUMN warnings jsonb NOT NULL DEFAULT '[]'::jsonb;
    `,
  },
  {
    version: 8,
    name: "custom_rule_modules",
    // Compiled custom Rego rules by the sha256 of their sources (not of the WASM), so a restart or
    // another replica finds a repository's module without compiling it again.
    sql: `
      CREATE TABLE custom_rule_modules (
        digest     text COLLATE "C" NOT NULL PRIMARY KEY,
        policy     text        NOT NULL CHECK (policy IN ('deploy', 'pullrequest')),
        wasm       bytea       NOT NULL,
        created_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: "waiting_deployments",
    // A deployment left waiting for evidence is recorded with decision `pending`; waiting_deployments
    // holds each deployment repol still owes an answer (see src/durability/waiting-store.ts).
    sql: `
      ALTER TABLE audit_records DROP CONSTRAINT audit_records_decision_check;
      ALTER TABLE audit_records ADD CONSTRAINT audit_records_decision_check CHECK (decision IN ('allow', 'deny', 'error', 'pending'));
      CREATE TABLE waiting_deployments (
        id              text COLLATE "C" NOT NULL PRIMARY KEY,
        repository      text        NOT NULL,
        installation_id bigint      NOT NULL,
        run_id          bigint      NOT NULL,
        environment     text        NOT NULL,
        sha             text        NOT NULL,
        ref             text        NOT NULL,
        pull_numbers    jsonb       NOT NULL,
        callback_url    text        NOT NULL,
        request         jsonb       NOT NULL,
        requested_at    timestamptz NOT NULL,
        deadline        timestamptz NOT NULL,
        reports_posted  integer     NOT NULL DEFAULT 0,
        last_report     text,
        status          text        NOT NULL CHECK (status IN ('waiting', 'answered', 'ended')),
        end_reason      text,
        leased_until    timestamptz,
        updated_at      timestamptz NOT NULL
      );
      CREATE INDEX waiting_by_sha      ON waiting_deployments (status, repository, sha);
      CREATE INDEX waiting_by_deadline ON waiting_deployments (status, deadline);
    `,
  },
  {
    version: 10,
    name: "audit_exemptions",
    // See the SQLite migration: NULL when a decision used no exemption; a partial index for the filter.
    sql: `
      ALTER TABLE audit_records ADD COLUMN exemptions jsonb;
      CREATE INDEX audit_exempted ON audit_records (created_at, id) WHERE exemptions IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: "audit_custom_rules",
    // See the SQLite migration: the custom rule sets judged, NULL when there were none.
    sql: `
      ALTER TABLE audit_records ADD COLUMN custom_rules jsonb;
    `,
  },
];
