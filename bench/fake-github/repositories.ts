// The repositories the bench's fake GitHub serves, as plain data: one repository per installation
// (org-<i>/service-<i>, installation 10000 + i), each with rules that pass, so every decision the
// bench measures is a real allow with the facts read. A new fact (a route or a GraphQL field) reads
// what it needs from here.
import { createHash } from "node:crypto";

export interface FakeCommit {
  sha: string;
  message: string;
  email: string;
}

export interface FakeReview {
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";
  /** Minutes after the pull request's first review. */
  minute: number;
}

export interface FakePull {
  number: number;
  author: string;
  state: "open" | "closed";
  merged: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  reviews: FakeReview[];
  commits: FakeCommit[];
}

/** A check run or commit status other CI put on a commit. */
export interface FakeCheck {
  name: string;
  conclusion: "success" | "failure";
}

/** A check run created by the App (repol) through the API. */
export interface AppCheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
}

export interface FakeRepository {
  id: number;
  owner: string;
  name: string;
  installationId: number;
  defaultBranch: string;
  /** Files on the default branch, by path. */
  files: Record<string, string>;
  environments: string[];
  branches: string[];
  tags: string[];
  pulls: FakePull[];
  /** Check runs and commit statuses of other CI, by commit SHA. */
  checks: Record<string, { runs: FakeCheck[]; statuses: FakeCheck[] }>;
  /** Created by the App while the bench runs. */
  appCheckRuns: AppCheckRun[];
  /** The commit a deployment of `main` deploys: the merge commit of the merged pull request. */
  deployedSha: string;
  /** Head of the open pull request. */
  pullHeadSha: string;
}

export const FIRST_INSTALLATION_ID = 10_000;
export const MERGED_PULL = 1;
export const OPEN_PULL = 2;

// The shape of repol's own .repol files, with a daily limit no bench run reaches.
export const DEPLOY_YAML = `policy:
  version: 1
  environments:
    staging:
      rules:
        allowed_branches: null
        tests_passed: true
        required_checks: [test, typecheck]
    production:
      rules:
        approvals_required: 2
        allowed_branches: [main, release/*]
        tests_passed: true
        required_checks: [test, typecheck, build-image]
        signed_off: true
        max_deployments_per_day: 100000
`;

export const PULL_REQUEST_YAML = `policy:
  version: 1
  branch_rules:
    - source: "{feature,fix,chore,docs}/**"
      target: main
    - source: release/*
      target: main
  rules:
    allowed_target_branches: [main, release/*]
    approvals_required: 1
    signed_off: true
`;

const shaOf = (text: string) => createHash("sha1").update(text).digest("hex");

const signedOff = (sha: string, email: string, subject: string): FakeCommit => ({
  sha,
  email,
  message: `${subject}\n\nWhy it changes.\n\nSigned-off-by: ${email.split("@")[0]} <${email}>`,
});

/** Repository number `index` (0-based). */
export function benchRepository(index: number): FakeRepository {
  const deployedSha = shaOf(`deployed-${index}`);
  const pullHeadSha = shaOf(`pull-head-${index}`);
  const passing = {
    runs: ["test", "typecheck", "build-image"].map((name) => ({ name, conclusion: "success" as const })),
    statuses: [{ name: "ci/lint", conclusion: "success" as const }],
  };
  return {
    id: 800_000 + index,
    owner: `org-${index}`,
    name: `service-${index}`,
    installationId: FIRST_INSTALLATION_ID + index,
    defaultBranch: "main",
    files: { ".repol/deploy.yaml": DEPLOY_YAML, ".repol/pullrequest.yaml": PULL_REQUEST_YAML },
    environments: ["staging", "production"],
    branches: ["main", "release/1.4"],
    tags: ["v1.4.0"],
    pulls: [
      {
        number: MERGED_PULL,
        author: "alice",
        state: "closed",
        merged: true,
        headRef: "feature/login",
        headSha: shaOf(`merged-head-${index}`),
        baseRef: "main",
        reviews: [
          { login: "bob", state: "APPROVED", minute: 0 },
          { login: "carol", state: "COMMENTED", minute: 3 },
          { login: "carol", state: "APPROVED", minute: 9 },
        ],
        commits: [signedOff(shaOf(`c1-${index}`), "alice@example.com", "Add login form"), signedOff(shaOf(`c2-${index}`), "alice@example.com", "Fix typo")],
      },
      {
        number: OPEN_PULL,
        author: "dave",
        state: "open",
        merged: false,
        headRef: "feature/search",
        headSha: pullHeadSha,
        baseRef: "main",
        reviews: [{ login: "erin", state: "APPROVED", minute: 0 }],
        commits: [signedOff(shaOf(`c3-${index}`), "dave@example.com", "Add search"), signedOff(pullHeadSha, "dave@example.com", "Search by tag")],
      },
    ],
    checks: { [deployedSha]: passing, [pullHeadSha]: passing },
    appCheckRuns: [],
    deployedSha,
    pullHeadSha,
  };
}

/** The repository `owner/name` names, if it is one of the first `count`. */
export function repositoryIndex(owner: string, name: string, count: number): number | undefined {
  const match = /^org-(\d+)$/.exec(owner);
  if (!match || name !== `service-${match[1]}`) return undefined;
  const index = Number(match[1]);
  return index < count ? index : undefined;
}
