// A deployment to production under a `.repol/deploy.yaml` that lets it wait for checks and approvals,
// with GitHub faked on 127.0.0.1 and time moved by hand.
import { readFileSync } from "node:fs";
import { createProbot } from "probot";
import { callbackBodies, deploymentPayload, passingScenario, RUN_ID, scenarioRoutes, type Scenario } from "./deployment-scenario.js";
import { fakeGitHub, type FakeGitHub } from "./fake-github.js";
import { json, type GitHubRequest, type Route } from "./github-router.js";
import { ManualClock } from "./manual-clock.js";
import { TEST_APP_ID, TEST_WEBHOOK_SECRET, testAppPrivateKey, TestOctokit } from "./test-probot.js";

export const WAITING_DEPLOY_YAML = `policy:
  version: 1
  environments:
    production:
      rules:
        approvals_required: 2
        allowed_branches: ["main"]
        tests_passed: true
      wait:
        for: [tests_passed, approvals_required]
        max: 1h
`;

export interface WaitingWorld {
  scenario: Scenario;
  github: FakeGitHub;
  clock: ManualClock;
  /** Whether GitHub still lists the run as waiting for production (false: cancelled). */
  runWaits: { value: boolean };
}

/** e2e still running, both approvals given: only the check keeps the deployment waiting. */
export async function waitingWorld(change: Partial<Scenario> = {}): Promise<WaitingWorld> {
  const scenario = passingScenario({
    config: WAITING_DEPLOY_YAML,
    checkRuns: [
      { name: "build", conclusion: "success" },
      { name: "e2e", status: "in_progress", conclusion: null },
      { name: "deploy-production", status: "waiting", conclusion: null, runId: RUN_ID },
    ],
    ...change,
  });
  const runWaits = { value: true };
  const pending: Route = {
    name: "pending-deployments",
    method: "GET",
    path: /\/actions\/runs\/(\d+)\/pending_deployments$/,
    reply: () => json(200, runWaits.value ? [pendingDeployment("production")] : []),
  };
  const github = await fakeGitHub([...scenarioRoutes(scenario), pending]);
  return { scenario, github, clock: new ManualClock("2025-11-21T10:00:00.000Z"), runWaits };
}

export function setCheck(scenario: Scenario, name: string, conclusion: "success" | "failure"): void {
  scenario.checkRuns = scenario.checkRuns.map((run) => (run.name === name ? { ...run, status: "completed", conclusion } : run));
}

export function waitingDeploymentPayload(github: FakeGitHub, runId = RUN_ID) {
  return deploymentPayload((p) => {
    p.deployment_callback_url = `${github.apiUrl}/repos/acme/widgets/actions/runs/${runId}/deployment_protection_rule`;
  });
}

const webhook = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;

export function checkRunCompleted(name: string, conclusion: string) {
  const payload = webhook("check_run.completed");
  Object.assign(payload.check_run as object, { name, conclusion });
  return payload;
}

/** A check_suite.completed for the same commit, shaped from a check run's payload. */
export function checkSuiteFor(checkRunPayload: Record<string, unknown>) {
  const run = checkRunPayload.check_run as { check_suite: Record<string, unknown>; head_sha: string };
  return {
    ...checkRunPayload,
    action: "completed",
    check_run: undefined,
    check_suite: { ...run.check_suite, head_sha: run.head_sha, status: "completed", conclusion: "success" },
  };
}

export const reviewSubmitted = () => webhook("pull_request_review.submitted.approved");
export const reviewDismissed = () => webhook("pull_request_review.dismissed");

/** The callbacks that decided (with a state) and the status reports (comment only). */
export function answersAndReports(requests: readonly GitHubRequest[]) {
  const bodies = callbackBodies(requests);
  return { answers: bodies.filter((body) => body.state !== undefined), reports: bodies.filter((body) => body.state === undefined) };
}

/** A second Probot on the same fake GitHub: another process or replica of repol. */
export function probotFor(github: FakeGitHub) {
  return createProbot({
    env: {
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testAppPrivateKey(),
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      LOG_LEVEL: "fatal",
    },
    overrides: { Octokit: TestOctokit },
  });
}

function pendingDeployment(name: string) {
  return {
    environment: { id: 161088068, node_id: "EN_kwDOKbH3QM4JmY0", name, url: `https://api.github.com/repos/acme/widgets/environments/${name}`, html_url: "" },
    wait_timer: 0,
    wait_timer_started_at: null,
    current_user_can_approve: false,
    reviewers: [],
  };
}
