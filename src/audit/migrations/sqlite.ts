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
];
