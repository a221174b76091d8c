import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { auditRow } from "../audit/fixtures.js";
import { describeWorkStore } from "./work-store-contract.js";

if (postgresAvailable("postgres delivery log and outbox")) {
  describeWorkStore("postgres", async (options) => {
    const schema = await freshSchema();
    return {
      store: openPostgresStore(schema.url, options),
      openAnother: (more) => openPostgresStore(schema.url, { ...options, ...more }),
      cleanup: () => schema.drop(),
    };
  });

  describe("postgres work recovery at start", () => {
    it("leaves claims to their leases, since another replica may be working on them", async () => {
      const schema = await freshSchema();
      const store = openPostgresStore(schema.url);
      try {
        await store.migrate();
        await store.deliveries.add({ id: "elsewhere", event: "pull_request", action: "opened", body: "{}" }, 300_000);
        await store.outbox.recordWithEffect(auditRow({ delivery_id: "elsewhere" }), { kind: "check_run", installation_id: 1, request: {} }, 120_000);
        expect(await store.deliveries.recoverAtStart()).toBe(0);
        expect(await store.outbox.recoverAtStart()).toBe(0);
        expect(await store.deliveries.claimDue(10, 1_000)).toEqual([]);
        expect(await store.outbox.claimDue(10, 1_000)).toEqual([]);
      } finally {
        await store.close();
        await schema.drop();
      }
    });
  });
}
