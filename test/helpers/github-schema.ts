// GitHub's published GraphQL schema (@octokit/graphql-schema), built once per test process: the fake
// GitHub executes repol's queries against it, and a test validates every query repol can send.
import { schema as published } from "@octokit/graphql-schema";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

let schema: GraphQLSchema | undefined;

/** Built from the introspection JSON: the published SDL repeats a field, which buildSchema refuses. */
export function githubSchema(): GraphQLSchema {
  const json = published.json as unknown as IntrospectionQuery | { data: IntrospectionQuery };
  schema ??= buildClientSchema("data" in json ? json.data : json);
  return schema;
}
