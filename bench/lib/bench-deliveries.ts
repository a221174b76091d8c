// The webhooks the bench sends: GitHub's recorded payloads (test/fixtures/webhooks) pointed at a bench
// repository of the fake GitHub, so repol reads real facts and reaches real verdicts.
import { readFileSync } from "node:fs";
import { benchRepository, OPEN_PULL, type FakeRepository } from "../fake-github/repositories.js";
import { signedDelivery, type Delivery } from "./webhook-sender.js";

type Payload = Record<string, any>;

const fixture = (name: string): Payload => JSON.parse(readFileSync(new URL(`../../test/fixtures/webhooks/${name}.json`, import.meta.url), "utf8")) as Payload;
const fixtures = {
  deployment: fixture("deployment_protection_rule.requested"),
  opened: fixture("pull_request.opened"),
  review: fixture("pull_request_review.submitted.approved"),
  edited: fixture("pull_request.edited.title"),
};

function pointAt(payload: Payload, repo: FakeRepository): Payload {
  const copy = structuredClone(payload);
  Object.assign(copy.repository, { id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, default_branch: repo.defaultBranch });
  copy.repository.owner.login = repo.owner;
  copy.installation.id = repo.installationId;
  return copy;
}

function aboutOpenPull(payload: Payload, repo: FakeRepository): Payload {
  const copy = pointAt(payload, repo);
  const pull = repo.pulls.find((p) => p.number === OPEN_PULL)!;
  const repository = { id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}` };
  Object.assign(copy.pull_request, { number: pull.number, state: pull.state, draft: false });
  copy.pull_request.user.login = pull.author;
  Object.assign(copy.pull_request.head, { ref: pull.headRef, sha: pull.headSha, repo: { ...copy.pull_request.head.repo, ...repository } });
  Object.assign(copy.pull_request.base, { ref: pull.baseRef, repo: { ...copy.pull_request.base.repo, ...repository } });
  return copy;
}

/** A deployment of `main` to production in installation `index`, waiting in workflow run `runId`. */
export function deploymentDelivery(index: number, runId: number, apiUrl: string, secret: string): Delivery {
  const repo = benchRepository(index);
  const payload = pointAt(fixtures.deployment, repo);
  Object.assign(payload, {
    environment: "production",
    deployment_callback_url: `${apiUrl}/repos/${repo.owner}/${repo.name}/actions/runs/${runId}/deployment_protection_rule`,
  });
  Object.assign(payload.deployment, { sha: repo.deployedSha, ref: "main", environment: "production" });
  return signedDelivery("deployment_protection_rule", payload, secret);
}

/** `pull_request.opened`, `pull_request_review.submitted` (an approval) or a title-only `pull_request.edited` for the open pull request. */
export function pullRequestDelivery(kind: "opened" | "review" | "edited", index: number, secret: string): Delivery {
  return signedDelivery(kind === "review" ? "pull_request_review" : "pull_request", aboutOpenPull(fixtures[kind], benchRepository(index)), secret);
}

/** The key the fake GitHub reports the pull request check's answer under. */
export function checkRunKey(index: number): string {
  const repo = benchRepository(index);
  return `${repo.owner}/${repo.name}@${repo.pullHeadSha}`;
}
