// A deployment protection rule request as plain data: what the decision core judges, read from a
// webhook (src/webhooks/) by the App and by `repol replay` alike.

/** Where a verdict is answered: a workflow run of the repository. */
export interface CallbackTarget {
  owner: string;
  repo: string;
  runId: number;
}

export type CallbackTargetResult = ({ ok: true } & CallbackTarget) | { ok: false; reason: string };

/** Where the deployed commit was read: the top-level `sha`/`ref`, or `deployment.sha`/`deployment.ref`. */
export type CommitSource = "top_level" | "deployment";

/** A pull request named as behind a commit, with its author when known. */
export interface PullRef {
  number: number;
  author: string | null;
}

/** The webhook's deployment object, as rules may read it. */
export interface DeploymentObject {
  id: number;
  environment: string;
  ref: string;
  sha: string;
  /** Login of who created the deployment; null when GitHub names no one. */
  creator: string | null;
  /** The event that started the workflow run (`push`, `workflow_dispatch`…); null when GitHub did not say. */
  event: string | null;
}

export interface DeploymentRequest {
  owner: string;
  repo: string;
  /** "owner/name" */
  repository: string;
  repositoryId: number | null;
  defaultBranch: string | null;
  environment: string | null;
  sha: string | null;
  /** The deployment's ref as GitHub sent it: a bare branch or tag name, a full ref, or a SHA. */
  ref: string | null;
  /** Which pair of fields `sha` and `ref` came from; null when neither pair is complete. */
  commitSource: CommitSource | null;
  /** Pull requests GitHub attached to the webhook (may be empty). */
  pulls: PullRef[];
  callbackUrl: string | null;
  /** Whether the callback URL may be answered, checked before any GitHub question is asked. */
  callback: CallbackTargetResult;
  actor: string | null;
  installationId: number | null;
  /** null when a job uses an environment without creating a deployment; absent in requests recorded before it was read. */
  deployment?: DeploymentObject | null;
}
