// The bench repositories' data in the JSON shapes GitHub's REST API answers with (the fields repol
// reads and the usual neighbours, so parsing costs what it costs against GitHub).
import type { AppCheckRun, FakeCheck, FakeCommit, FakePull, FakeRepository } from "./repositories.js";

const WEB = "https://github.com";
const API = "https://api.github.com";

export function userJson(login: string) {
  const id = 20_000 + [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0);
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
    url: `${API}/users/${login}`,
    html_url: `${WEB}/${login}`,
    type: "User",
    site_admin: false,
  };
}

export function repositoryJson(repo: FakeRepository) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    private: true,
    owner: userJson(repo.owner),
    html_url: `${WEB}/${fullName}`,
    url: `${API}/repos/${fullName}`,
    fork: false,
    default_branch: repo.defaultBranch,
    visibility: "private",
  };
}

export function pullJson(repo: FakeRepository, pull: FakePull) {
  const fullName = `${repo.owner}/${repo.name}`;
  const base = { id: repo.id, name: repo.name, full_name: fullName };
  return {
    url: `${API}/repos/${fullName}/pulls/${pull.number}`,
    id: repo.id * 1000 + pull.number,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: `Pull request ${pull.number}`,
    user: userJson(pull.author),
    body: "",
    draft: false,
    merged: pull.merged,
    merged_at: pull.merged ? "2026-11-20T09:58:00Z" : null,
    merge_commit_sha: pull.merged ? repo.deployedSha : null,
    head: { label: `${repo.owner}:${pull.headRef}`, ref: pull.headRef, sha: pull.headSha, repo: base },
    base: { label: `${repo.owner}:${pull.baseRef}`, ref: pull.baseRef, sha: "89e6c98d92887913cadf06b2adb97f26cde4849b", repo: base },
    commits: pull.commits.length,
    additions: 40,
    deletions: 6,
    changed_files: 3,
    author_association: "MEMBER",
    created_at: "2026-11-19T08:00:00Z",
    updated_at: "2026-11-20T09:58:00Z",
  };
}

export function reviewJson(repo: FakeRepository, pull: FakePull, i: number) {
  const review = pull.reviews[i]!;
  const id = repo.id * 100 + i;
  return {
    id,
    node_id: `PRR_${id}`,
    user: userJson(review.login),
    body: "",
    state: review.state,
    commit_id: pull.headSha,
    html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${id}`,
    submitted_at: new Date(Date.UTC(2026, 10, 20, 9, review.minute)).toISOString().replace(".000", ""),
    author_association: "MEMBER",
  };
}

export function commitJson(repo: FakeRepository, commit: FakeCommit) {
  const author = { name: commit.email.split("@")[0], email: commit.email, date: "2026-11-19T11:00:00Z" };
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha.slice(0, 8)}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/commits/${commit.sha}`,
    commit: {
      author,
      committer: { name: "GitHub", email: "noreply@github.com", date: author.date },
      message: commit.message,
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: [],
  };
}

export function ciCheckRunJson(repo: FakeRepository, sha: string, check: FakeCheck, i: number) {
  const id = repo.id * 100 + i;
  const url = `${WEB}/${repo.owner}/${repo.name}/actions/runs/${7_000_000 + id}/job/${id}`;
  return {
    id,
    head_sha: sha,
    node_id: `CR_${id}`,
    external_id: "",
    status: "completed",
    conclusion: check.conclusion,
    name: check.name,
    html_url: url,
    details_url: url,
    started_at: "2026-11-20T10:00:00Z",
    completed_at: "2026-11-20T10:05:00Z",
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    check_suite: { id: 18_000_000 + id },
    app: { id: 15368, slug: "github-actions", name: "GitHub Actions" },
    pull_requests: [],
  };
}

export function appCheckRunJson(repo: FakeRepository, run: AppCheckRun, appId: number) {
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: `CR_${run.id}`,
    external_id: "",
    status: run.status,
    conclusion: run.conclusion,
    name: run.name,
    html_url: `${WEB}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: `${WEB}/${repo.owner}/${repo.name}/runs/${run.id}`,
    started_at: "2026-11-20T10:11:20Z",
    completed_at: null,
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    check_suite: { id: 555_001 },
    app: { id: appId, slug: "repol", name: "repol" },
    pull_requests: [],
  };
}

export function statusJson(repo: FakeRepository, sha: string, check: FakeCheck, i: number) {
  const id = repo.id * 10 + i;
  return {
    url: `${API}/repos/${repo.owner}/${repo.name}/statuses/${sha}`,
    id,
    node_id: `SC_${id}`,
    state: check.conclusion,
    description: `Build ${check.conclusion}`,
    target_url: `https://ci.example.com/job/${id}`,
    context: check.name,
    created_at: "2026-11-20T10:06:00Z",
    updated_at: "2026-11-20T10:06:00Z",
    creator: userJson("ci-bot"),
  };
}

export function environmentJson(repo: FakeRepository, name: string, i: number) {
  return {
    id: repo.id * 10 + i,
    node_id: `EN_${repo.id}_${i}`,
    name,
    url: `${API}/repos/${repo.owner}/${repo.name}/environments/${name}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/deployments/activity_log?environments_filter=${name}`,
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-06-01T10:00:00Z",
    protection_rules: [],
    deployment_branch_policy: null,
  };
}

export function gitRefJson(repo: FakeRepository, ref: string, sha: string) {
  return { ref, node_id: `REF_${repo.id}`, url: `${API}/repos/${repo.owner}/${repo.name}/git/${ref}`, object: { sha, type: "commit", url: "" } };
}

export function contentJson(repo: FakeRepository, path: string, text: string, blobSha: string) {
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(text),
    name: path.split("/").at(-1),
    path,
    sha: blobSha,
    content: Buffer.from(text)
      .toString("base64")
      .replace(/(.{60})/g, "$1\n"),
    url: `${API}/repos/${repo.owner}/${repo.name}/contents/${path}?ref=${repo.defaultBranch}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/blob/${repo.defaultBranch}/${path}`,
  };
}
