// The .repol file cache against a GitHub faked at HTTP that, like GitHub, sends an ETag and
// Cache-Control with a file and answers 304 to a matching If-None-Match.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createConfigCache, FRESH_MS, type ConfigCacheOptions } from "../../src/github/config-cache.js";
import type { ConfigFile } from "../../src/github/read-config-file.js";
import { MAX_CONFIG_BYTES } from "../../src/policy/config-limits.js";
import { failure, json, type GitHubReply, type GitHubRequest } from "../helpers/github-router.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { TestOctokit } from "../helpers/test-probot.js";

const PATH = ".repol/deploy.yaml";
const acme = { owner: "acme", repo: "widgets" };

interface FakeRepo {
  /** "<branch>:<path>" → content */
  files: Map<string, string>;
  etags: boolean;
  cacheControl: string;
  /** When set, the contents route answers with this status instead. */
  failWith?: number;
}

function contentsGitHub(repo: Partial<FakeRepo> = {}) {
  const state: FakeRepo = { files: new Map([[`main:${PATH}`, "policy: {version: 1}\n"]]), etags: true, cacheControl: "private, max-age=60, s-maxage=60", ...repo };
  const api = nockGitHub([
    {
      name: "config-file",
      method: "GET",
      path: /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      reply: (request: GitHubRequest, [, , , path]): GitHubReply => {
        if (state.failWith) return failure(state.failWith);
        const text = state.files.get(`${request.query.get("ref")!.replace(/^refs\/heads\//, "")}:${path}`);
        if (text === undefined) return failure(404);
        const sha = createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
        const etag = `W/"${sha}"`;
        if (state.etags && request.headers["if-none-match"] === etag) return { status: 304 };
        return json(200, { type: "file", encoding: "base64", path, sha, size: Buffer.byteLength(text), content: Buffer.from(text).toString("base64") }, {
          ...(state.etags ? { etag } : {}),
          "cache-control": state.cacheControl,
        });
      },
    },
  ]);
  return { api, state, reads: () => api.calls("config-file") };
}

function clock() {
  let t = 1_700_000_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const github = () => new TestOctokit({ auth: "ghs_test" });
const textOf = (file: ConfigFile | null) => (file === null ? null : new TextDecoder().decode(file.text as Uint8Array));

function setup(options: Partial<FakeRepo> = {}, cacheOptions: ConfigCacheOptions = {}) {
  const time = clock();
  const fake = contentsGitHub(options);
  const cache = createConfigCache({ now: time.now, ...cacheOptions });
  return { ...fake, time, cache, read: (branch = "main", path = PATH, repo = acme) => cache.read(github(), repo, path, branch) };
}

afterEach(resetNock);

describe("the .repol file cache", () => {
  it("asks GitHub once for events repeated within the freshness window", async () => {
    const { read, reads, time } = setup();
    const first = await read();
    time.advance(FRESH_MS - 1);
    const again = await read();

    expect(reads()).toHaveLength(1);
    expect(textOf(again)).toBe(textOf(first));
    expect(again).toMatchObject({ path: PATH, ref: "refs/heads/main", sha: first!.sha });
  });

  it("revalidates with If-None-Match after the window and keeps the copy on 304", async () => {
    const { read, reads, time } = setup();
    const first = await read();
    time.advance(FRESH_MS);
    const again = await read();

    expect(reads().map((r) => [r.status, r.headers["if-none-match"] ?? null])).toEqual([
      [200, null],
      [304, `W/"${first!.sha}"`],
    ]);
    expect(textOf(again)).toBe("policy: {version: 1}\n");
    time.advance(FRESH_MS - 1);
    await read();
    expect(reads()).toHaveLength(2);
  });

  it("picks up a file changed on the default branch once the window has passed", async () => {
    const { read, state, time } = setup();
    await read();
    state.files.set(`main:${PATH}`, "policy: {version: 2}\n");
    time.advance(FRESH_MS);
    expect(textOf(await read())).toBe("policy: {version: 2}\n");
  });

  it("lets GitHub's shorter max-age shorten the window", async () => {
    const { read, reads, time } = setup({ cacheControl: "private, max-age=2" });
    await read();
    time.advance(2_000);
    await read();
    expect(reads().map((r) => r.status)).toEqual([200, 304]);
  });

  it.each([
    ["a file GitHub sent without an ETag", { etags: false }],
    ["a file GitHub marked no-cache", { cacheControl: "no-cache" }],
  ])("asks GitHub fully every time for %s", async (_label, options) => {
    const { read, reads } = setup(options);
    await read();
    await read();
    expect(reads().map((r) => [r.status, r.headers["if-none-match"] ?? null])).toEqual(
      (options as Partial<FakeRepo>).etags === false ? [[200, null], [200, null]] : [[200, null], [304, expect.any(String)]],
    );
  });

  it("never keeps a missing file: the file committed a moment later is read at once", async () => {
    const { read, state } = setup({ files: new Map() });
    expect(await read()).toBeNull();
    state.files.set(`main:${PATH}`, "policy: {}\n");
    expect(textOf(await read())).toBe("policy: {}\n");
  });

  it("never keeps a failure, and forgets its copy when GitHub fails", async () => {
    const { read, state, time } = setup();
    await read();
    time.advance(FRESH_MS);
    state.failWith = 500;
    await expect(read()).rejects.toThrow("GitHub answered 500");
    await expect(read()).rejects.toThrow("GitHub answered 500");
    state.failWith = undefined;
    expect(textOf(await read())).toBe("policy: {version: 1}\n");
  });

  it("forgets its copy when the file is deleted", async () => {
    const { read, state, time } = setup();
    await read();
    state.files.clear();
    time.advance(FRESH_MS);
    expect(await read()).toBeNull();
  });

  it("shares one request between events that arrive together", async () => {
    const { read, reads } = setup();
    const files = await Promise.all(Array.from({ length: 20 }, () => read()));
    expect(reads()).toHaveLength(1);
    expect(new Set(files.map(textOf))).toEqual(new Set(["policy: {version: 1}\n"]));
    // Each caller gets its own object: one handler changing it cannot change what another sees.
    expect(new Set(files).size).toBe(20);
  });

  it("keys on repository (case-insensitively), branch and path", async () => {
    const { read, reads, state } = setup();
    state.files.set(`release:${PATH}`, "release\n");
    state.files.set("main:.repol/pullrequest.yaml", "pr\n");
    await read();
    await read("main", PATH, { owner: "ACME", repo: "Widgets" });
    expect(textOf(await read("release"))).toBe("release\n");
    expect(textOf(await read("main", ".repol/pullrequest.yaml"))).toBe("pr\n");
    await read("main", PATH, { owner: "acme", repo: "gadgets" });
    expect(reads()).toHaveLength(4);
  });

  it("does not keep a file above the config size cap", async () => {
    const { read, reads, state } = setup();
    state.files.set(`main:${PATH}`, "x".repeat(MAX_CONFIG_BYTES + 1));
    await read();
    await read();
    expect(reads()).toHaveLength(2);
  });

  it("holds at most maxEntries files, dropping the least recently used", async () => {
    const { read, reads, state, cache } = setup({}, { maxEntries: 2 });
    for (const branch of ["a", "b", "c"]) state.files.set(`${branch}:${PATH}`, `${branch}\n`);
    await read("a");
    await read("b");
    await read("a");
    await read("c");
    expect(cache.size).toBe(2);
    await read("a");
    expect(reads()).toHaveLength(3);
    await read("b");
    expect(reads()).toHaveLength(4);
  });

  it("holds at most maxBytes of file content", async () => {
    const { read, state, cache } = setup({}, { maxBytes: 250 });
    for (const branch of ["a", "b", "c"]) state.files.set(`${branch}:${PATH}`, branch.repeat(100));
    for (const branch of ["a", "b", "c"]) await read(branch);
    expect(cache.size).toBe(2);
  });
});
