// How a failed GitHub call is worded for the rejection comment and the audit row: an answer GitHub
// sent is quoted with its status; a request GitHub never answered is never called "GitHub answered 500".
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { askGitHub, isGitHubFailure, statusOf, type GitHub } from "../../src/github/github-client.js";
import { TestOctokit } from "../helpers/test-probot.js";

const github = () => new TestOctokit({ auth: "token" }) as unknown as GitHub;
const readRepo = () => askGitHub("reading repository acme/widgets", () => github().request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" }));

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("askGitHub", () => {
  it("quotes the status GitHub answered with", async () => {
    nock("https://api.github.com").get("/repos/acme/widgets").reply(502, { message: "Bad Gateway" });
    const error = await readRepo().catch((failure: Error) => failure);
    expect((error as Error).message).toBe("GitHub answered 502 (Bad Gateway) while reading repository acme/widgets");
    expect(statusOf((error as Error).cause)).toBe(502);
  });

  it("says GitHub could not be reached when the connection broke without an answer, with no status", async () => {
    nock("https://api.github.com").get("/repos/acme/widgets").replyWithError("socket hang up");
    const error = await readRepo().catch((failure: Error) => failure);
    expect((error as Error).message).toBe("GitHub could not be reached (socket hang up) while reading repository acme/widgets");
    expect(statusOf((error as Error).cause)).toBeUndefined();
  });
});

describe("isGitHubFailure", () => {
  it("tells a failed GitHub request, however wrapped, from a bug", async () => {
    nock("https://api.github.com").get("/repos/acme/widgets").replyWithError("socket hang up");
    expect(isGitHubFailure(await readRepo().catch((failure: unknown) => failure))).toBe(true);
    expect(isGitHubFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
  });
});
