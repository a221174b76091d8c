// GitHub's GraphQL endpoint (`/api/graphql` on GitHub Enterprise Server) for the fake GitHub. repol
// asks it nothing yet; a change that gathers facts with a query adds an entry to GRAPHQL_QUERIES that
// answers it from the repositories' data, and the bench counts it like any other call.
import { json, type GitHubReply } from "../../test/helpers/github-router.js";
import type { FakeRepository } from "./repositories.js";

export interface GraphqlQuery {
  /** Recognises the query text (an operation name is the simplest thing to look for). */
  matches(query: string): boolean;
  /** The `data` GitHub would answer with; `repository` finds a bench repository by owner and name. */
  answer(variables: Record<string, unknown>, repository: (owner: string, name: string) => FakeRepository | undefined, appId: number): unknown;
}

export const GRAPHQL_QUERIES: GraphqlQuery[] = [];

export function answerGraphql(body: unknown, repository: (owner: string, name: string) => FakeRepository | undefined, appId: number): GitHubReply {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== "string") return json(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" });
  const known = GRAPHQL_QUERIES.find((entry) => entry.matches(query));
  // GitHub answers a query it cannot run with 200 and an `errors` list.
  if (!known) {
    return json(200, {
      data: null,
      errors: [
        {
          type: "UNSUPPORTED_BY_BENCH",
          message: "the bench's fake GitHub has no answer for this query: add one to GRAPHQL_QUERIES in bench/fake-github/graphql.ts",
        },
      ],
    });
  }
  return json(200, { data: known.answer(variables ?? {}, repository, appId) });
}

/** The operation name a request is counted under, e.g. "query RepoFacts". */
export function operationOf(body: unknown): string {
  const query = (body as { query?: unknown } | undefined)?.query;
  const match = typeof query === "string" ? /^\s*(query|mutation)\s+(\w+)/.exec(query) : null;
  return match ? `${match[1]} ${match[2]}` : "anonymous";
}
