// The `repol policy preview` check run over HTTP: a pull request changing `.repol/deploy.yaml` gets
// its proposed file read at the head, validated, and recent recorded decisions replayed under it.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.js";
import { graphqlOperations } from "../helpers/github-graphql.js";
import { json, paged, type Route } from "../helpers/github-router.js";
import { startOrganisation, type OrganisationScenario } from "../helpers/organisation-scenario.js";
import { FORK_SHA, HEAD_SHA, checkRunsOf, scenario } from "../helpers/pull-request-scenario.js";
import { deployYaml, recordedDeployment } from "../org/preview-fixtures.js";

let running: OrganisationScenario | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(routes: Route[] = []): Promise<OrganisationScenario> {
  running = await startOrganisation(scenario(), {}, routes);
  return running;
}

describe("the policy preview check", () => {
  /** A pull request whose head changes `.repol/deploy.yaml` to `text`. */
  const proposing = (text: string): Route[] => [
    {
      name: "pull-files",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/pulls\/42\/files$/,
      reply: (request) => paged(request, [{ filename: ".repol/deploy.yaml", status: "modified", additions: 1, deletions: 1 }]),
    },
    {
      name: "head-file",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/contents\/\.repol\/deploy\.yaml$/,
      reply: (request) => (request.query.get("ref") === HEAD_SHA ? json(200, contentFile(".repol/deploy.yaml", text)) : json(404, { message: "Not Found" })),
    },
  ];

  it("lists the recorded deployments a .repol/deploy.yaml change would flip, beside the verdict check", async () => {
    const r = await start(proposing(deployYaml("approvals_required: 2")));
    const store = r.repol.gate.store;
    const { id: flipped } = await store.insert(recordedDeployment({ repository: "acme/widgets", approvers: ["alice"] }));
    await store.insert(recordedDeployment({ repository: "acme/widgets", approvers: ["alice", "bob"] }));

    await r.judge();
    await eventually("the preview check run", () => checkRunsOf(r.s).find((run) => run.name === "repol policy preview"));

    const preview = checkRunsOf(r.s).find((run) => run.name === "repol policy preview")!;
    expect(preview).toMatchObject({ conclusion: "neutral" });
    expect(preview.output.title).toBe("1 of 2 recorded decisions would change");
    expect(preview.output.summary).toContain(`\`${flipped}\``);
    expect(preview.output.summary).toContain("approvals.insufficient");
    expect(
      checkRunsOf(r.s)
        .map((run) => run.name)
        .sort(),
    ).toEqual(["repol (main)", "repol policy preview"]);
    expect(graphqlOperations(r.github.requests)).toEqual(["RepolFacts"]);
    expect(headFilesAsked(r)).toEqual([true]);
  });

  it("fails with an annotation at the line when the proposed file is invalid", async () => {
    const r = await start(proposing("policy:\n  version: 1\n  environments:\n    production:\n      rules: {aprovals_required: 2}\n"));

    await r.judge();
    await eventually("the preview check run", () => checkRunsOf(r.s).find((run) => run.name === "repol policy preview"));

    const preview = checkRunsOf(r.s).find((run) => run.name === "repol policy preview")!;
    expect(preview).toMatchObject({ conclusion: "failure" });
    expect(preview.annotations).toEqual([expect.objectContaining({ path: ".repol/deploy.yaml", start_line: 5, annotation_level: "failure" })]);
  });

  it("is not posted for a pull request from a fork, whose head repol does not read", async () => {
    const forkFiles: Route = {
      name: "fork-pull-files",
      method: "GET",
      path: /^\/repos\/acme\/widgets\/pulls\/44\/files$/,
      reply: (request) => paged(request, [{ filename: ".repol/deploy.yaml", status: "modified", additions: 1, deletions: 1 }]),
    };
    const r = await start([forkFiles]);

    await r.judge("pull_request.opened.fork");

    expect(checkRunsOf(r.s, FORK_SHA).map((run) => run.name)).toEqual(["repol (main)"]);
    expect(graphqlOperations(r.github.requests)).toEqual(["RepolFacts"]);
    expect(headFilesAsked(r)).toEqual([false]);
  });

  it("is not posted for a pull request that changes no .repol file", async () => {
    const r = await start();

    await r.judge();

    expect(checkRunsOf(r.s).map((run) => run.name)).toEqual(["repol (main)"]);
    expect(graphqlOperations(r.github.requests)).toEqual(["RepolFacts"]);
  });
});

/** Whether each GraphQL request asked for the head's `.repol` files (the facts query's `$proposed`). */
function headFilesAsked(r: OrganisationScenario): unknown[] {
  return r.github.requests
    .filter((request) => request.route === "graphql")
    .map((request) => (request.body as { variables?: { proposed?: unknown } }).variables?.proposed);
}

function contentFile(path: string, text: string) {
  const bytes = Buffer.from(text);
  const sha = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  return { type: "file", encoding: "base64", size: bytes.length, name: path.split("/").at(-1), path, sha, content: bytes.toString("base64") };
}
