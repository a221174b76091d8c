// One GraphQL request, worded like askGitHub's failures. An answer carrying `errors` is a failure
// even when it also carries `data`: a partial answer would leave some fact silently missing, and a
// missing fact must fail its rule, never pass it. The one exception is named by the caller: a field
// GitHub answers NOT_FOUND (a repository that is absent, or that the installation may not read) is
// then read as null, and every other error still fails the request. A caller may also name fields it
// can do without (the preview's head files): an error inside one leaves that field out of the answer,
// so whoever needs it fails, while the facts a decision rests on are still read whole.
import { pageQuery, type PageKind } from "./facts-queries.js";
import { gitHubFailure, type GitHub } from "./github-client.js";

export interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}

export interface AskOptions {
  /** Top-level fields (aliases) whose NOT_FOUND error means "absent": their value is null. */
  absentWhenNotFound?: readonly string[];
  /** Aliases, at any depth, whose errors leave them out of the answer (undefined) instead of failing it. */
  optional?: readonly string[];
}

export async function askGraphQL<T>(
  github: GitHub,
  what: string,
  query: string,
  variables: Record<string, unknown>,
  { absentWhenNotFound = [], optional = [] }: AskOptions = {},
): Promise<T> {
  let data: unknown;
  try {
    // github.graphql rather than a plain POST to /graphql: it knows GitHub Enterprise Server serves GraphQL at /api/graphql.
    data = await github.graphql<T>(query, variables);
  } catch (error) {
    const errors = (error as { name?: unknown; errors?: unknown }).errors;
    if ((error as { name?: unknown }).name === "GraphqlResponseError" && Array.isArray(errors)) {
      const partial = (error as { data?: unknown }).data;
      const failing = errors.filter((entry) => optionalIn(entry, optional) === -1);
      if (failing.every((entry) => isAbsence(entry, absentWhenNotFound)) && partial !== null && typeof partial === "object") {
        for (const entry of errors) leaveOut(partial, entry, optional);
        return { ...partial, ...Object.fromEntries(absentWhenNotFound.map((field) => [field, null])) } as T;
      }
      const messages = failing.slice(0, 3).map((entry) => String((entry as { message?: unknown }).message ?? "unknown error"));
      throw new Error(`GitHub's GraphQL API answered with errors (${messages.join("; ")}) while ${what}`, { cause: error });
    }
    throw gitHubFailure(what, error);
  }
  if (data === null || typeof data !== "object") throw new Error(`GitHub's GraphQL API answered without data while ${what}`);
  return data as T;
}

function isAbsence(entry: unknown, fields: readonly string[]): boolean {
  const { type, path } = (entry ?? {}) as { type?: unknown; path?: unknown };
  return type === "NOT_FOUND" && Array.isArray(path) && path.length === 1 && fields.includes(String(path[0]));
}

/** Where along the error's path an optional field sits; -1 when none does. */
function optionalIn(entry: unknown, fields: readonly string[]): number {
  const { path } = (entry ?? {}) as { path?: unknown };
  return Array.isArray(path) ? path.findIndex((key) => fields.includes(String(key))) : -1;
}

function leaveOut(data: object, entry: unknown, fields: readonly string[]): void {
  const at = optionalIn(entry, fields);
  if (at === -1) return;
  const path = (entry as { path: (string | number)[] }).path;
  let holder: unknown = data;
  for (const key of path.slice(0, at)) holder = (holder as Record<string | number, unknown> | null)?.[key];
  if (holder !== null && typeof holder === "object") delete (holder as Record<string | number, unknown>)[path[at]!];
}

/** Every node of a connection: the first page as given, the rest asked for one request per page. */
export async function allNodes<T>(github: GitHub, what: string, kind: PageKind, holderId: string, first: Connection<T>): Promise<T[]> {
  return (await nodesUpTo(github, what, kind, holderId, first, Number.POSITIVE_INFINITY)).nodes;
}

/** Nodes of a connection until at least `limit` are read; `more` says whether GitHub holds further ones. */
export async function nodesUpTo<T>(
  github: GitHub,
  what: string,
  kind: PageKind,
  holderId: string,
  first: Connection<T>,
  limit: number,
): Promise<{ nodes: T[]; more: boolean }> {
  const nodes = [...nodesOf(first, what)];
  let page = first;
  while (page.pageInfo.hasNextPage && nodes.length < limit) {
    if (!page.pageInfo.endCursor) throw new Error(`GitHub said more ${kind} follow but gave no cursor while ${what}`);
    const answer = await askGraphQL<{ node: { page?: Connection<T> } | null }>(github, `${what} (next page of ${kind})`, pageQuery(kind), {
      id: holderId,
      after: page.pageInfo.endCursor,
    });
    if (!answer.node?.page) throw new Error(`GitHub gave no next page of ${kind} while ${what}`);
    page = answer.node.page;
    nodes.push(...nodesOf(page, what));
  }
  return { nodes, more: page.pageInfo.hasNextPage };
}

function nodesOf<T>(connection: Connection<T>, what: string): T[] {
  // GitHub answers null for a node it could not resolve: a fact repol cannot see is not skipped.
  if (!connection.nodes || connection.nodes.some((node) => node === null)) throw new Error(`GitHub left out some entries while ${what}`);
  return connection.nodes as T[];
}
