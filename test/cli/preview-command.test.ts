// `repol preview` against a real repol audit API (express + SQLite store seeded with recorded
// deployments + the compiled policy), reading a checkout on disk.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/main.js";
import { type PreviewApi, servePreviewApi } from "../helpers/preview-api.js";
import { deployYaml, recordedDeployment } from "../org/preview-fixtures.js";

const TOKEN = "cli-preview-token-99";
let api: PreviewApi;
let url: string;
let dir: string;
let flipped: string;

beforeAll(async () => {
  api = await servePreviewApi(TOKEN);
  ({ url, dir } = api);
  flipped = (await api.store.insert(recordedDeployment({ approvers: ["alice"] }))).id;
  await api.store.insert(recordedDeployment({ repository: "acme/api", approvers: ["alice"] }));
});

afterAll(() => api.close());

function checkout(name: string, deployYamlText: string, remote = "git@github.com:acme/shop.git"): string {
  const root = join(dir, name);
  mkdirSync(join(root, ".repol"), { recursive: true });
  mkdirSync(join(root, ".git"), { recursive: true });
  writeFileSync(join(root, ".repol", "deploy.yaml"), deployYamlText);
  writeFileSync(join(root, ".git", "config"), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
  return root;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), cwd: dir, env: {} };
  const code = await runCli(["preview", ...args], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("repol preview", () => {
  it("prints the flips table for the checkout's repository, found from its origin remote, and exits 0", async () => {
    const root = checkout("stricter", deployYaml("approvals_required: 2"));
    const result = await run(["--audit-url", url, "--token", TOKEN, root]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toContain("1 would flip");
    expect(result.out).toContain(`\`${flipped}\` | acme/shop | → production | allow | deny |`);
    expect(result.out).not.toContain("acme/api");
  });

  it("prints each error at file:line:col and exits 1 when the files are invalid", async () => {
    const root = checkout("broken", deployYaml("approvals: 2"));
    const result = await run(["--audit-url", url, "--token", TOKEN, root]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^\.repol\/deploy\.yaml:5:\d+: unknown key `approvals`/);
  });

  it("exits 2 naming what is missing without an audit URL", async () => {
    const result = await run(["--token", TOKEN, checkout("no-url", deployYaml(""))]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--audit-url is required");
  });

  it("exits 2 with the server's message for a wrong token", async () => {
    const result = await run(["--audit-url", url, "--token", "wrong", checkout("wrong-token", deployYaml(""))]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("answered 401");
  });
});
