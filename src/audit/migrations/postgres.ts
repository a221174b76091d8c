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
];
