import { openPostgresStore } from "../../src/audit/postgres-store.js";
import { freshSchema, postgresAvailable } from "../helpers/postgres.js";
import { describeHashChain } from "./chain-contract.js";

if (postgresAvailable("postgres audit hash chain")) {
  describeHashChain("postgres", async (options) => {
    const schema = await freshSchema();
    return {
      store: openPostgresStore(schema.url, options),
      // Its own pool, as a second replica behind the load balancer would have.
      openAnother: (more) => openPostgresStore(schema.url, { ...options, ...more }),
      async sql(text, params = []) {
        let n = 0;
        await schema.sql(
          text.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      cleanup: () => schema.drop(),
    };
  });
}
