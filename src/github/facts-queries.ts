// The GraphQL documents repol sends. One query gathers every fact a decision may need; the page
// queries fetch what did not fit (one request per extra page). test/github/facts-queries.test.ts
// validates each of them against GitHub's published schema.
import { CONFIG_PATHS } from "../policy/load-repo-config.js";

/** Page sizes of the first answer; beyond them each connection costs one request per extra page. */
export const PAGE = { pulls: 10, reviews: 100, commits: 100, environments: 100, suites: 50, runs: 100, files: 100, labels: 100, topics: 20 } as const;

/** Where rule files live on a default branch, and where the owner's `.github` repository keeps its policies. */
export const RULES_PATH = ".repol/policies";
export const ORG_REPOSITORY = ".github";
export const ORG_CONFIG_PATHS = { ...CONFIG_PATHS, org: ".repol/org.yaml" } as const;

/**
 * Aliases under which the facts query's commit (a pull request's head) carries its `.repol` YAML
 * files when `$proposed` is set: what `repol policy preview` validates, never the rules in force.
 */
export const PROPOSED_FILES = { deploy: "proposedDeploy", pullrequest: "proposedPullrequest", org: "proposedOrg" } as const;

/**
 * Directories below RULES_PATH the query reads into; GraphQL has no recursion, so each level is spelt
 * out. A directory deeper than this is reported, never skipped (see rule-files-of.ts).
 */
export const RULE_TREE_DEPTH = 4;

function ruleEntries(depth: number): string {
  const deeper = depth > 0 ? ` ... on Tree { ${ruleEntries(depth - 1)} }` : "";
  return `entries { name path type mode object { ...BlobText${deeper} } }`;
}

const PAGE_INFO = "pageInfo { hasNextPage endCursor }";

const FRAGMENTS = {
  BlobText: "fragment BlobText on Blob { oid byteSize isBinary isTruncated text }",
  PolicyEntry: "fragment PolicyEntry on TreeEntry { type mode object { ...BlobText } }",
  RuleTree: `fragment RuleTree on TreeEntry { type mode object { ... on Tree { ${ruleEntries(RULE_TREE_DEPTH)} } } }`,
  FilePage: `fragment FilePage on PullRequestChangedFileConnection { ${PAGE_INFO} nodes { path changeType additions deletions } }`,
  ReviewPage: `fragment ReviewPage on PullRequestReviewConnection { ${PAGE_INFO} nodes { fullDatabaseId state submittedAt author { login } } }`,
  CommitPage: `fragment CommitPage on PullRequestCommitConnection { totalCount ${PAGE_INFO} nodes { commit { oid message author { email } } } }`,
  PullFacts: `fragment PullFacts on PullRequest {
    id number state merged author { login } baseRepository { nameWithOwner }
    title body isDraft baseRefName headRefName headRefOid additions deletions changedFiles
    labels(first: ${PAGE.labels}) { pageInfo { hasNextPage } nodes { name } }
    files(first: ${PAGE.files}) { ...FilePage }
    reviews(first: ${PAGE.reviews}) { ...ReviewPage }
    commits(first: ${PAGE.commits}) { ...CommitPage }
  }`,
  PullPage: `fragment PullPage on PullRequestConnection { ${PAGE_INFO} nodes { ...PullFacts } }`,
  RunPage: `fragment RunPage on CheckRunConnection { ${PAGE_INFO} nodes { name status conclusion detailsUrl } }`,
  SuitePage: `fragment SuitePage on CheckSuiteConnection {
    ${PAGE_INFO} nodes { id app { databaseId } checkRuns(first: ${PAGE.runs}, filterBy: { checkType: LATEST }) { ...RunPage } }
  }`,
  EnvironmentPage: `fragment EnvironmentPage on EnvironmentConnection { ${PAGE_INFO} nodes { name } }`,
} as const;

type FragmentName = keyof typeof FRAGMENTS;
const USES: Record<FragmentName, FragmentName[]> = {
  BlobText: [],
  PolicyEntry: ["BlobText"],
  RuleTree: ["BlobText"],
  FilePage: [],
  ReviewPage: [],
  CommitPage: [],
  PullFacts: ["ReviewPage", "CommitPage", "FilePage"],
  PullPage: ["PullFacts"],
  RunPage: [],
  SuitePage: ["RunPage"],
  EnvironmentPage: [],
};

/** The fragment definitions a document spreads, each once (GraphQL refuses unused or repeated ones). */
function withFragments(operation: string, spread: FragmentName[]): string {
  const needed = new Set<FragmentName>();
  const add = (name: FragmentName) => {
    if (needed.has(name)) return;
    needed.add(name);
    USES[name].forEach(add);
  };
  spread.forEach(add);
  return [operation, ...[...needed].map((name) => FRAGMENTS[name])].join("\n");
}

/**
 * Every fact of one decision. `$pull` (the pull request being judged) and `pulls` (those a
 * deployment webhook named) are by number; without them a deployment asks the commit for its pull
 * requests. `$checkName`/`$appId` find repol's own check run on the SHA, so a verdict needs no lookup.
 * `$proposed` reads the head's `.repol` files for the policy preview, so the preview costs no request.
 */
export function factsQuery(pullNumbers: readonly number[]): string {
  // Aliases with literal numbers: the count varies per webhook, and a number cannot inject anything.
  const proposed = (Object.keys(PROPOSED_FILES) as (keyof typeof PROPOSED_FILES)[])
    .map((key) => `${PROPOSED_FILES[key]}: file(path: "${ORG_CONFIG_PATHS[key]}") @include(if: $proposed) { ...PolicyEntry }`)
    .join("\n          ");
  const named = pullNumbers.map((number, i) => `pull${i}: pullRequest(number: ${Math.trunc(number)}) { ...PullFacts }`).join("\n      ");
  const operation = `query RepolFacts(
    $owner: String!, $name: String!, $configPath: String!, $sha: GitObjectID!,
    $deployment: Boolean!, $classify: Boolean!, $branchRef: String!, $tagRef: String!,
    $askCommitPulls: Boolean!, $ownRun: Boolean!, $checkName: String!, $appId: Int!, $rulesPath: String!,
    $proposed: Boolean!
  ) {
    # A missing or unreadable .github repository is answered NOT_FOUND with the rest of the data (ask-graphql.ts).
    org: repository(owner: $owner, name: "${ORG_REPOSITORY}") {
      nameWithOwner
      defaultBranchRef {
        name
        target {
          ... on Commit {
            deploy: file(path: "${ORG_CONFIG_PATHS.deploy}") { ...PolicyEntry }
            pullrequest: file(path: "${ORG_CONFIG_PATHS.pullrequest}") { ...PolicyEntry }
            org: file(path: "${ORG_CONFIG_PATHS.org}") { ...PolicyEntry }
            rules: file(path: $rulesPath) { ...RuleTree }
          }
        }
      }
    }
    repository(owner: $owner, name: $name) {
      id nameWithOwner name isPrivate owner { login }
      repositoryTopics(first: ${PAGE.topics}) { pageInfo { hasNextPage } nodes { topic { name } } }
      defaultBranchRef {
        name
        target { ... on Commit { file(path: $configPath) { ...PolicyEntry } rules: file(path: $rulesPath) { ...RuleTree } } }
      }
      environments(first: ${PAGE.environments}) @include(if: $deployment) { ...EnvironmentPage }
      branch: ref(qualifiedName: $branchRef) @include(if: $classify) { name }
      tag: ref(qualifiedName: $tagRef) @include(if: $classify) { name }
      ${named}
      commit: object(oid: $sha) {
        ... on Commit {
          id oid message author { email }
          ${proposed}
          associatedPullRequests(first: ${PAGE.pulls}) @include(if: $askCommitPulls) { ...PullPage }
          checkSuites(first: ${PAGE.suites}) @include(if: $deployment) { ...SuitePage }
          status @include(if: $deployment) { contexts { context state } }
          ownSuites: checkSuites(first: 10, filterBy: { appId: $appId }) @include(if: $ownRun) {
            nodes { checkRuns(first: 10, filterBy: { checkName: $checkName, checkType: ALL }) { nodes { resourcePath } } }
          }
        }
      }
    }
  }`;
  const spread: FragmentName[] = ["PullPage", "SuitePage", "EnvironmentPage", "PolicyEntry", "RuleTree"];
  return withFragments(operation, spread);
}

/** A further page of one connection, read through the node that holds it. */
export type PageKind = "reviews" | "commits" | "files" | "pulls" | "suites" | "runs" | "environments";

const PAGE_SHAPES: Record<PageKind, { on: string; field: string; fragment: FragmentName }> = {
  reviews: { on: "PullRequest", field: `reviews(first: ${PAGE.reviews}, after: $after)`, fragment: "ReviewPage" },
  commits: { on: "PullRequest", field: `commits(first: ${PAGE.commits}, after: $after)`, fragment: "CommitPage" },
  files: { on: "PullRequest", field: `files(first: ${PAGE.files}, after: $after)`, fragment: "FilePage" },
  pulls: { on: "Commit", field: `associatedPullRequests(first: ${PAGE.pulls}, after: $after)`, fragment: "PullPage" },
  suites: { on: "Commit", field: `checkSuites(first: ${PAGE.suites}, after: $after)`, fragment: "SuitePage" },
  runs: { on: "CheckSuite", field: `checkRuns(first: ${PAGE.runs}, after: $after, filterBy: { checkType: LATEST })`, fragment: "RunPage" },
  environments: { on: "Repository", field: `environments(first: ${PAGE.environments}, after: $after)`, fragment: "EnvironmentPage" },
};

export const PAGE_KINDS = Object.keys(PAGE_SHAPES) as PageKind[];

export function pageQuery(kind: PageKind): string {
  const { on, field, fragment } = PAGE_SHAPES[kind];
  const name = `Repol${kind[0]!.toUpperCase()}${kind.slice(1)}Page`;
  return withFragments(`query ${name}($id: ID!, $after: String) { node(id: $id) { ... on ${on} { page: ${field} { ...${fragment} } } } }`, [fragment]);
}
