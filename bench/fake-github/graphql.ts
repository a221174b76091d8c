// GitHub's GraphQL endpoint (`/api/graphql` on GitHub Enterprise Server) for the fake GitHub. The test
// suite's fake executes repol's queries against GitHub's published schema and resolves every field
// from REST requests; here those requests are answered by the bench's own REST routes, uncounted (they
// never crossed HTTP), so one description of a repository answers both APIs and the GraphQL request
// itself is the one call counted.
import { graphqlRoutes, type RestAnswer } from "../../test/helpers/github-graphql.js";
import type { GitHubReply, GitHubRequest } from "../../test/helpers/github-router.js";

export type GraphqlAnswer = (request: GitHubRequest) => GitHubReply;

/** Answers a POST to /api/graphql; `rest` answers a REST request below the API root. */
export function graphqlEndpoint(rest: RestAnswer): GraphqlAnswer {
  const route = graphqlRoutes(rest).find((candidate) => candidate.name === "graphql")!;
  return (request) => route.reply(request, route.path.exec(request.path) ?? ([] as unknown as RegExpExecArray));
}

/** The operation name a request is counted under, e.g. "query RepolFacts". */
export function operationOf(body: unknown): string {
  const query = (body as { query?: unknown } | undefined)?.query;
  const match = typeof query === "string" ? /^\s*(query|mutation)\s+(\w+)/.exec(query) : null;
  return match ? `${match[1]} ${match[2]}` : "anonymous";
}
