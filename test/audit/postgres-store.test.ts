import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { POSTGRES_MIGRATIONS } from "../../src/audit/migrations/postgres.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { describeAuditStore } from "./store-contract.js";

if (postgresAvailable("postgres audit store")) {
  describeAuditStore("postgres", async (options) => {
    const schema = await freshSchema();
    return {
      store: openPostgresStore(schema.url, options),
      openAnother: (more) => openPostgresStore(schema.url, { ...options, ...more }),
      cleanup: () => schema.drop(),
    };
  });

  describe("postgres audit store specifics", () => {
    it("records each applied migration once and refuses a database migrated by a newer repol", async () => {
      const schema = await freshSchema();
      const store = openPostgresStore(schema.url);
      try {
        await store.migrate();
        await store.migrate();
        const { rows } = await schema.sql("SELECT version FROM schema_migrations ORDER BY version");
        expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
        await schema.sql("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
        await expect(store.migrate()).rejects.toThrow(new RegExp(`schema is at version 999 .* only knows up to ${POSTGRES_MIGRATIONS.at(-1)!.version}`));
      } finally {
        await store.close();
        await schema.drop();
      }
    });

    it("refuses a DATABASE_URL that is not a postgres:// URL", () => {
      expect(() => openPostgresStore("mysql://localhost/x")).toThrow(/DATABASE_URL must start with postgres:\/\//);
    });

    it("fails ping with an error instead of hanging when the server cannot be reached", async () => {
      const store = openPostgresStore("postgres://nobody:x@127.0.0.1:1/none");
      try {
        await expect(store.ping()).rejects.toThrow();
      } finally {
        await store.close();
      }
    });
  });
}
