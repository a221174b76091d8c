// What the deployment and the pull request scenarios share, written once: the repository they live
// in, the route builder that lets a test make any named GitHub call fail, the installation token,
// and a pull request's commits as the REST API lists them.
import { failure, json, paged, type Route } from "./github-router.js";

export const OWNER = "acme";
export const REPO = "widgets";
export const repoPath = `^/repos/${OWNER}/${REPO}`;

export type Payload = Record<string, any>;

export interface CommitSpec {
  message: string;
  email: string | null;
}

export const signedOff = (email: string, subject = "Change things"): CommitSpec => ({
  message: `${subject}\n\nWhy it changes.\n\nSigned-off-by: ${email.split("@")[0]} <${email}>`,
  email,
});

/**
 * Builds named routes that answer with the status the scenario's `fail` map gives their name, read at
 * request time so a test can break a call after the routes exist.
 */
export function scenarioRoute<Name extends string>(failures: () => Partial<Record<Name, number>>) {
  return (name: Name, method: string, path: string, reply: Route["reply"]): Route => ({
    name,
    method,
    path: new RegExp(path),
    reply: (request, match) => (failures()[name] ? failure(failures()[name]!) : reply(request, match)),
  });
}

export function installationToken(permissions: Record<string, string>): Route["reply"] {
  return () => json(201, { token: "ghs_testinstallationtoken", expires_at: "2099-01-01T00:00:00Z", permissions, repository_selection: "all" });
}

/** GET /pulls/{n}/commits, from each pull request's commit specs. */
export function pullCommits(commitsOf: (number: number) => CommitSpec[] | undefined, toJson: (spec: CommitSpec, i: number) => unknown): Route["reply"] {
  // GitHub stops listing a pull request's commits at 250.
  return (request, [, number]) => paged(request, (commitsOf(Number(number)) ?? []).slice(0, 250).map(toJson));
}

/** A commit as GitHub's REST API shows it (unsigned, authored by `spec.email`). */
export function commitJson(spec: CommitSpec, i: number, { sha, date }: { sha: string; date: string }) {
  return {
    sha,
    node_id: `C_kwDO${i}`,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/commits/${sha}`,
    commit: {
      author: { name: spec.email?.split("@")[0] ?? "unknown", email: spec.email, date },
      committer: { name: "GitHub", email: "noreply@github.com", date },
      message: spec.message,
      comment_count: 0,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: null,
    committer: null,
    parents: [],
  };
}
