// A GraphQL answer is all or nothing: errors beside data, a node GitHub could not resolve, or a page
// that says more follow without saying where, all fail; only a complete answer is read.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { allNodes, askGraphQL, type Connection } from "../../src/github/ask-graphql.js";
import { TestOctokit } from "../helpers/test-probot.js";

const API = "https://api.github.com";
const github = () => new TestOctokit({ auth: "token" });
const page = (nodes: (string | null)[], hasNextPage: boolean, endCursor: string | null = "c1"): Connection<string> => ({
  nodes,
  pageInfo: { hasNextPage, endCursor },
});

afterEach(() => nock.cleanAll());

describe("askGraphQL", () => {
  it("fails, naming GitHub's errors, when an answer carries errors beside its data", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: { id: "R_1" } }, errors: [{ message: "Something went wrong while executing your query." }] });
    await expect(askGraphQL(github(), "reading the facts of acme/widgets", "query { viewer { login } }", {})).rejects.toThrow(
      "GitHub's GraphQL API answered with errors (Something went wrong while executing your query.) while reading the facts of acme/widgets",
    );
  });

  it("reads a field the caller names as absent when GitHub answers NOT_FOUND for it beside the rest", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { org: null, repository: { id: "R_1" } },
        errors: [{ type: "NOT_FOUND", path: ["org"], message: "Could not resolve to a Repository" }],
      });
    expect(await askGraphQL(github(), "reading", "query { viewer { login } }", {}, { absentWhenNotFound: ["org"] })).toEqual({
      org: null,
      repository: { id: "R_1" },
    });
  });

  it("leaves out a field the caller can do without when GitHub fails inside it, and reads the rest", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: { id: "R_1", commit: { oid: "abc", proposedDeploy: null } } },
        errors: [{ type: "FAKE", path: ["repository", "commit", "proposedDeploy", "object"], message: "timeout" }],
      });
    const answer = await askGraphQL(github(), "reading", "query { viewer { login } }", {}, { optional: ["proposedDeploy"] });
    expect(answer).toEqual({ repository: { id: "R_1", commit: { oid: "abc" } } });
  });

  it("still fails, naming only the other errors, when GitHub fails outside the fields the caller can do without", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: null },
        errors: [
          { path: ["repository", "commit", "proposedDeploy"], message: "timeout" },
          { path: ["repository", "defaultBranchRef"], message: "broken" },
        ],
      });
    await expect(askGraphQL(github(), "reading", "query { viewer { login } }", {}, { optional: ["proposedDeploy"] })).rejects.toThrow(
      "GitHub's GraphQL API answered with errors (broken) while reading",
    );
  });

  it.each([
    ["a NOT_FOUND for a field the caller did not name", [{ type: "NOT_FOUND", path: ["repository"], message: "Could not resolve to a Repository" }]],
    [
      "another error beside the named field's NOT_FOUND",
      [
        { type: "NOT_FOUND", path: ["org"], message: "gone" },
        { type: "FORBIDDEN", path: ["org"], message: "no" },
      ],
    ],
    ["a NOT_FOUND deeper inside the named field", [{ type: "NOT_FOUND", path: ["org", "defaultBranchRef"], message: "gone" }]],
  ])("still fails on %s", async (_case, errors) => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { org: null, repository: null }, errors });
    await expect(askGraphQL(github(), "reading", "query { viewer { login } }", {}, { absentWhenNotFound: ["org"] })).rejects.toThrow(/answered with errors/);
  });

  it("rewords an HTTP failure like every other GitHub failure", async () => {
    nock(API).post("/graphql").reply(502, { message: "Bad Gateway" });
    await expect(askGraphQL(github(), "reading the facts of acme/widgets", "query { viewer { login } }", {})).rejects.toThrow(
      /^GitHub answered 502 .* while reading the facts of acme\/widgets$/,
    );
  });

  it("posts to /api/graphql on GitHub Enterprise Server, whose REST API is under /api/v3", async () => {
    const ghe = new TestOctokit({ auth: "token", baseUrl: "https://ghe.example/api/v3" });
    nock("https://ghe.example")
      .post("/api/graphql")
      .reply(200, { data: { viewer: { login: "repol[bot]" } } });
    expect(await askGraphQL(ghe, "asking", "query { viewer { login } }", {})).toEqual({ viewer: { login: "repol[bot]" } });
  });
});

describe("allNodes", () => {
  it("asks for each further page, one request per page, until GitHub says there are no more", async () => {
    const afters: unknown[] = [];
    nock(API)
      .post("/graphql", (body) => (afters.push(body.variables.after), true))
      .reply(200, { data: { node: { page: page(["b"], true, "c2") } } })
      .post("/graphql", (body) => (afters.push(body.variables.after), true))
      .reply(200, { data: { node: { page: page(["c"], false, "c3") } } });
    expect(await allNodes(github(), "reading reviews of acme/widgets#42", "reviews", "PR_1", page(["a"], true))).toEqual(["a", "b", "c"]);
    expect(afters).toEqual(["c1", "c2"]);
  });

  it("fails when a page holds a node GitHub could not resolve", async () => {
    await expect(allNodes(github(), "reading reviews of acme/widgets#42", "reviews", "PR_1", page(["a", null], false))).rejects.toThrow(
      "GitHub left out some entries while reading reviews of acme/widgets#42",
    );
  });

  it("fails when GitHub says more follow but gives no cursor to ask for them", async () => {
    await expect(allNodes(github(), "reading reviews of acme/widgets#42", "reviews", "PR_1", page(["a"], true, null))).rejects.toThrow("gave no cursor");
  });

  it("fails when the next page does not come back", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { node: null } });
    await expect(allNodes(github(), "reading reviews of acme/widgets#42", "reviews", "PR_1", page(["a"], true))).rejects.toThrow(
      "GitHub gave no next page of reviews",
    );
  });
});
