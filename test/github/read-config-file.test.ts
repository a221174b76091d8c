import { afterEach, describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/github/read-config-file.js";
import { refKind } from "../../src/github/ref-kind.js";
import { json } from "../helpers/github-router.js";
import { nockGitHub, resetNock } from "../helpers/nock-github.js";
import { DEPLOY_YAML, passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import { TestOctokit } from "../helpers/test-probot.js";

const repo = { owner: "acme", repo: "widgets" };
const github = () => new TestOctokit({ auth: "token" });

describe("readConfigFile", () => {
  afterEach(resetNock);

  it("reads the file at the fully qualified default branch and returns its bytes and blob SHA", async () => {
    const api = nockGitHub(scenarioRoutes(passingScenario()));
    const file = await readConfigFile(github(), repo, ".repol/deploy.yaml", "main");
    expect(file).toMatchObject({ path: ".repol/deploy.yaml", ref: "refs/heads/main", sha: "9c1f3a7e2b4d6f8a0c2e4a6b8d0f2a4c6e8b0d2f" });
    expect(new TextDecoder().decode(file!.text as Uint8Array)).toBe(DEPLOY_YAML);
    // "main" alone could resolve to a tag named main; the branch must be named unambiguously.
    expect(api.calls("config-file")[0]!.query.get("ref")).toBe("refs/heads/main");
  });

  it("returns null when the file does not exist", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ config: null })));
    expect(await readConfigFile(github(), repo, ".repol/deploy.yaml", "main")).toBeNull();
  });

  it("throws with context on any other GitHub error", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ fail: { "config-file": 500 } })));
    await expect(readConfigFile(github(), repo, ".repol/deploy.yaml", "main")).rejects.toThrow(
      "GitHub answered 500 (Server Error) while reading .repol/deploy.yaml at refs/heads/main of acme/widgets",
    );
  });

  it("refuses a directory where the file should be", async () => {
    const api = nockGitHub(scenarioRoutes(passingScenario()));
    api.use({ name: "config-file", method: "GET", path: /\/contents\//, reply: () => json(200, [{ type: "file", name: "a.yaml" }]) });
    await expect(readConfigFile(github(), repo, ".repol/deploy.yaml", "main")).rejects.toThrow("is a directory");
  });

  it("refuses a file GitHub will not inline because it is over 1 MB", async () => {
    const api = nockGitHub(scenarioRoutes(passingScenario()));
    api.use({ name: "config-file", method: "GET", path: /\/contents\//, reply: () => json(200, { type: "file", encoding: "none", content: "", size: 2_000_000, sha: "abc" }) });
    await expect(readConfigFile(github(), repo, ".repol/deploy.yaml", "main")).rejects.toThrow("too large to read (2000000 bytes)");
  });
});

describe("refKind", () => {
  afterEach(resetNock);

  it.each([
    { name: "main", kind: "branch", branches: ["main"], tags: [] },
    { name: "release/1.2", kind: "branch", branches: ["release/1.2"], tags: [] },
    { name: "v1.0.0", kind: "tag", branches: [], tags: ["v1.0.0"] },
    { name: "v2", kind: "both", branches: ["v2"], tags: ["v2"] },
    { name: "gone", kind: "neither", branches: [], tags: [] },
  ])("says $name is $kind", async ({ name, kind, branches, tags }) => {
    nockGitHub(scenarioRoutes(passingScenario({ branches, tags })));
    expect(await refKind(github(), repo, name)).toBe(kind);
  });

  it("throws with context when GitHub fails instead of guessing", async () => {
    nockGitHub(scenarioRoutes(passingScenario({ fail: { "git-ref": 500 } })));
    await expect(refKind(github(), repo, "main")).rejects.toThrow("while looking up refs/");
  });
});
