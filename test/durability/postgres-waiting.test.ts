import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { describeWaitingStore } from "./waiting-store-contract.js";

if (postgresAvailable("postgres waiting deployments")) {
  describeWaitingStore("postgres", async (options) => {
    const schema = await freshSchema();
    return {
      store: openPostgresStore(schema.url, options),
      openAnother: () => openPostgresStore(schema.url, options),
      cleanup: () => schema.drop(),
    };
  });
}
