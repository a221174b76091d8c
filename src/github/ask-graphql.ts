// One GraphQL request, worded like askGitHub's failures. An answer carrying `errors` is a failure
// even when it also carries `data`: a partial answer would leave some fact silently missing, and a
// missing fact must fail its rule, never pass it.
import { pageQuery, type PageKind } from "./facts-queries.js";
import { gitHubFailure, type GitHub } from "./github-client.js";

export interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}

export async function askGraphQL<T>(github: GitHub, what: string, query: string, variables: Record<string, unknown>): Promise<T> {
  let data: unknown;
  try {
    // github.graphql rather than a plain POST to /graphql: it knows GitHub Enterprise Server serves GraphQL at /api/graphql.
    data = await github.graphql<T>(query, variables);
  } catch (error) {
    const errors = (error as { name?: unknown; errors?: unknown }).errors;
    if ((error as { name?: unknown }).name === "GraphqlResponseError" && Array.isArray(errors)) {
      const messages = errors.slice(0, 3).map((entry) => String((entry as { message?: unknown }).message ?? "unknown error"));
      throw new Error(`GitHub's GraphQL API answered with errors (${messages.join("; ")}) while ${what}`, { cause: error });
    }
    throw gitHubFailure(what, error);
  }
  if (data === null || typeof data !== "object") throw new Error(`GitHub's GraphQL API answered without data while ${what}`);
  return data as T;
}

/** Every node of a connection: the first page as given, the rest asked for one request per page. */
export async function allNodes<T>(github: GitHub, what: string, kind: PageKind, holderId: string, first: Connection<T>): Promise<T[]> {
  const nodes = [...nodesOf(first, what)];
  let page = first;
  while (page.pageInfo.hasNextPage) {
    if (!page.pageInfo.endCursor) throw new Error(`GitHub said more ${kind} follow but gave no cursor while ${what}`);
    const answer = await askGraphQL<{ node: { page?: Connection<T> } | null }>(github, `${what} (next page of ${kind})`, pageQuery(kind), {
      id: holderId,
      after: page.pageInfo.endCursor,
    });
    if (!answer.node?.page) throw new Error(`GitHub gave no next page of ${kind} while ${what}`);
    page = answer.node.page;
    nodes.push(...nodesOf(page, what));
  }
  return nodes;
}

function nodesOf<T>(connection: Connection<T>, what: string): T[] {
  // GitHub answers null for a node it could not resolve: a fact repol cannot see is not skipped.
  if (!connection.nodes || connection.nodes.some((node) => node === null)) throw new Error(`GitHub left out some entries while ${what}`);
  return connection.nodes as T[];
}
