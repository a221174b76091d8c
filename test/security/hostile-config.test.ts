// Hostile `.repol` files end to end: committed to the default branch of a GitHub faked on 127.0.0.1,
// read by repol over HTTP while it answers a real webhook. The deployment is rejected (the pull
// request check fails) with a message that names the file, line and column, and the server keeps
// serving. How each file is refused is tested in test/policy; this checks that the refusal reaches
// the person blocked by it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passingScenario, scenarioRoutes } from "../helpers/deployment-scenario.js";
import {
  checkRunsOf,
  CONFIG_PATH as PR_CONFIG,
  scenario as prScenario,
  scenarioRoutes as prScenarioRoutes,
  webhook,
  type PullRequestScenario,
} from "../helpers/pull-request-scenario.js";
import { ACCEPTED, eventually, settle, startRepol, type RepolUnderTest } from "./harness.js";

const DEPLOY_CONFIG = ".repol/deploy.yaml";
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/repol/invalid/${name}`, import.meta.url)));
const bytes = (...parts: (string | number[])[]) => new Uint8Array(Buffer.concat(parts.map((part) => Buffer.from(part as never))));
const valid = "policy:\n  version: 1\n  environments:\n    production:\n      rules:\n";

interface HostileFile {
  name: string;
  content: string | Uint8Array;
  /** "line:column: message" as shown to the user. */
  shown: RegExp;
}

const hostileDeployFiles: HostileFile[] = [
  {
    name: "a file over the size cap",
    content: `${valid}${"#".repeat(300 * 1024)}`,
    shown: /deploy\.yaml:1:1: file is 307,\d+ bytes; repol config files may be at most 256 KiB/,
  },
  { name: "a YAML alias bomb", content: fixture("deploy-alias-bomb.yaml"), shown: /deploy\.yaml:5:16: file expands to more than 5,000 values/ },
  {
    name: "an alias that contains itself",
    content: fixture("deploy-recursive-alias.yaml"),
    shown: /deploy\.yaml:5:14: alias `\*loop` refers to a node that contains it/,
  },
  { name: "duplicate keys", content: fixture("deploy-duplicate-keys.yaml"), shown: /deploy\.yaml:8:9: duplicate key `approvals_required`/ },
  {
    name: "__proto__ and constructor keys",
    content: fixture("deploy-prototype-keys.yaml"),
    shown: /deploy\.yaml:3:3: key `__proto__` is not allowed.*\n?.*deploy\.yaml:6:5: key `constructor` is not allowed/s,
  },
  {
    name: "values of the wrong type",
    content: fixture("deploy-wrong-value-types.yaml"),
    shown: /deploy\.yaml:5:16: `enabled` must be true or false, got "true"/,
  },
  {
    name: "a document nested thousands deep",
    content: `${valid}        allowed_branches: ${"[".repeat(5000)}`,
    shown: /deploy\.yaml:6:\d+: nesting is deeper than 32 levels/,
  },
  {
    name: "a JavaScript function tag",
    content: fixture("deploy-custom-tag-function.yaml"),
    shown: /deploy\.yaml:6:29: YAML tags like `!!js\/function` are not allowed/,
  },
  {
    name: "bytes that are not UTF-8",
    content: bytes(valid, "        approvals_required: 1 # caf", [0xe9], "\n"),
    shown: /deploy\.yaml:6:36: file is not valid UTF-8: byte 0xE9/,
  },
  {
    name: "a UTF-16 file",
    content: bytes([0xff, 0xfe], Buffer.from(valid, "utf16le") as never),
    shown: /deploy\.yaml:1:1: file is encoded as UTF-16; save it as UTF-8/,
  },
  {
    name: "an invalid branch pattern",
    content: fixture("deploy-bad-branch-patterns.yaml"),
    shown: /deploy\.yaml:7:13: `allowed_branches\[0\]`: branch pattern "release\/\[0-9" is invalid/,
  },
];

describe("a hostile .repol/deploy.yaml on the default branch", () => {
  let repol: RepolUnderTest;
  beforeAll(async () => {
    repol = await startRepol({ routes: scenarioRoutes(passingScenario()) });
  });
  afterAll(() => repol.close());

  it.each(hostileDeployFiles)("rejects the deployment over $name and tells the user where the problem is", async ({ name, content, shown }) => {
    repol.github.commit("main", DEPLOY_CONFIG, content);
    repol.github.requests.length = 0;

    const { id, status } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload());

    expect(ACCEPTED).toContain(status);
    const row = await repol.rowOf(id);
    expect(row.decision).toBe("deny");
    expect(row.violations.length).toBeGreaterThan(0);
    expect(row.violations.every((violation) => violation.code === "config.invalid")).toBe(true);
    expect(row.violations.map((violation) => violation.msg).join("\n")).toMatch(shown);
    const callbacks = await repol.callbacks(1);
    await settle(repol.github, 100);
    expect(repol.github.calls("callback")).toHaveLength(1);
    expect(callbacks[0]!.state).toBe("rejected");
    expect(callbacks[0]!.comment).toContain("config.invalid");
    expect(callbacks[0]!.comment).toContain(".repol/deploy.yaml:");
    // One facts query and the answer; no further page is asked once the rules cannot be read. Bytes
    // GitHub cannot give as text (binary, not UTF-8) cost one raw read of the blob, judged strictly.
    const asked = repol.github.requests.map((request) => request.route).filter((route) => route !== "installation-token");
    expect(asked.filter((route) => route !== "git-blob").sort()).toEqual(["callback", "graphql"]);
    expect(asked.filter((route) => route === "git-blob")).toHaveLength(/UTF/.test(name) ? 1 : 0);
    expect(await repol.serving()).toBe(true);
  });

  it("rejects the deployment when GitHub will not even inline the file (over 1 MB), saying so", async () => {
    repol.github.commit("main", DEPLOY_CONFIG, `${valid}${"#".repeat(1100 * 1024)}`);
    const { id } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload());
    const row = await repol.rowOf(id);
    expect(row.decision).toBe("error");
    expect(row.error).toContain(".repol/deploy.yaml on refs/heads/main of acme/widgets is too large to read");
    expect((await repol.callbacks(1)).at(-1)).toMatchObject({ state: "rejected" });
  });

  it.each([
    ["too many stars", "*a*a*a*a*a*a*a*a*a*a*a*a*b", "at most 8 are supported"],
    ["too many combinations", "{a,aa,aaa}{a,aa,aaa}{a,aa,aaa}{a,aa,aaa}b", "at most 32 are supported"],
  ])("rejects a branch pattern beyond what repol matches in bounded time (%s), saying why", async (_label, pattern, reason) => {
    repol.github.commit("main", DEPLOY_CONFIG, `${valid}        allowed_branches: ${JSON.stringify([pattern])}\n`);
    const { id } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload());
    const row = await repol.rowOf(id, 20_000);
    expect(row.decision).toBe("deny");
    expect(row.violations).toEqual([expect.objectContaining({ code: "config.invalid", msg: expect.stringContaining(reason) })]);
  });

  // As slow as the pattern language allows: at most 8 runs of `*` and 32 combinations of `{...}`.
  it.each([
    ["stars that backtrack", "*a*a*a*a*a*a*a*b"],
    ["double stars that backtrack", "**a**a**a**a**a**a**a**b"],
    ["nested alternatives", "{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}b"],
  ])("decides against branch patterns built to be slow (%s) instead of hanging", async (_label, pattern) => {
    const patterns = Array.from({ length: 100 }, (_, i) => `${pattern.slice(0, 250 - String(i).length)}${i}`);
    repol.github.commit("main", DEPLOY_CONFIG, `${valid}        allowed_branches: ${JSON.stringify(patterns)}\n`);
    const { id } = await repol.deliver(
      "deployment_protection_rule",
      repol.deploymentPayload((p) => {
        p.deployment.ref = `refs/heads/${"a".repeat(240)}`;
      }),
    );
    const row = await repol.rowOf(id, 20_000);
    expect(row.decision).toBe("deny");
    expect(row.violations.map((violation) => violation.code)).toContain("ref.denied");
  });

  it("approves again once a valid file is committed: nothing hostile stuck around", async () => {
    repol.github.commit("main", DEPLOY_CONFIG, `${valid}        approvals_required: 0\n`);
    const { id } = await repol.deliver("deployment_protection_rule", repol.deploymentPayload());
    expect((await repol.rowOf(id)).decision).toBe("allow");
  });
});

describe("a hostile .repol/pullrequest.yaml on the default branch", () => {
  let repol: RepolUnderTest;
  let s: PullRequestScenario;
  beforeAll(async () => {
    s = prScenario();
    repol = await startRepol({ routes: prScenarioRoutes(s) });
  });
  afterAll(() => repol.close());

  const prValid = "policy:\n  version: 1\n  rules:\n";
  it.each<HostileFile>([
    {
      name: "a YAML alias bomb",
      content: `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 6 }, (_, i) => `${"bcdefg"[i]}: &${"bcdefg"[i]} [${Array(10).fill(`*${"abcdefg"[i]}`).join(",")}]`).join("\n")}\n`,
      shown: /file expands to more than 5,000 values/,
    },
    { name: "a __proto__ key", content: `${prValid}    __proto__: {approvals_required: 0}\n`, shown: /key `__proto__` is not allowed/ },
    { name: "bytes that are not UTF-8", content: bytes(prValid, "    approvals_required: ", [0xc0, 0xaf], "\n"), shown: /file is not valid UTF-8: byte 0xC0/ },
    { name: "a file over the size cap", content: `${prValid}${" ".repeat(260 * 1024)}`, shown: /at most 256 KiB/ },
  ])("fails the check over $name, with an annotation on the file", async ({ content, shown }) => {
    repol.github.commit("main", PR_CONFIG, content);
    s.checkRuns.length = 0;

    const { id, status } = await repol.deliver("pull_request", webhook("pull_request.opened"));

    expect(ACCEPTED).toContain(status);
    expect((await repol.rowOf(id)).decision).toBe("deny");
    await eventually("the check run to complete", () => checkRunsOf(s)[0]?.status === "completed");
    const [run] = checkRunsOf(s);
    expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(run!.output.title).toMatch(/^Invalid \.repol\/pullrequest\.yaml: \d+ problems?$/);
    expect(run!.output.summary).toMatch(shown);
    expect(run!.annotations[0]).toMatchObject({ path: PR_CONFIG, annotation_level: "failure" });
    expect(await repol.serving()).toBe(true);
  });
});
