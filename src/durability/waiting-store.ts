// Deployments repol still owes an answer: each waits in the store until its gate is decided, so a
// restart or another replica picks it up. Which guard prevents which duplicate answer:
// - the claim (a lease on the row, taken by a conditional update) keeps two replicas from judging one
//   deployment at the same time, so two status reports with the same text cannot both be posted;
// - the final answer is recorded under the delivery key `<request delivery>/answer`, unique in the
//   audit trail (as every decision's delivery id is): a second replica that judged the same deployment
//   records nothing and sends nothing (recordWithEffect, see docs/durability.md);
// - each status report is recorded under `<request delivery>/report-<n>`, so one report number is
//   posted once.

export type WaitStatus = "waiting" | "answered" | "ended";

export interface NewWaitingDeployment {
  /** The delivery id of the deployment_protection_rule webhook that asked. */
  id: string;
  repository: string;
  installationId: number;
  runId: number;
  environment: string;
  sha: string;
  ref: string;
  pullNumbers: number[];
  callbackUrl: string;
  /** The request as read from the webhook (a DeploymentRequest), to judge it again. */
  request: unknown;
  requestedAt: string;
  deadline: string;
  reportsPosted: number;
  /** The text of the last status report, to post another only when it changes. */
  lastReport: string | null;
}

export interface WaitingDeployment extends NewWaitingDeployment {
  status: WaitStatus;
  endReason: string | null;
}

/** Which waiting deployments an event is evidence for: its commit, or a pull request behind it. */
export type WaitingMatch = { sha: string } | { pull: number };

export interface WaitingStore {
  /** False when the deployment is already stored (a redelivery). */
  add(waiting: NewWaitingDeployment): Promise<boolean>;
  get(id: string): Promise<WaitingDeployment | undefined>;
  /** Deployments still waiting in a repository (name without case) that match. */
  waitingIn(repository: string, match: WaitingMatch): Promise<WaitingDeployment[]>;
  /** Every deployment still waiting, oldest first: the sweep's and the restart's work list. */
  allWaiting(): Promise<WaitingDeployment[]>;
  /** Takes the row for `leaseMs` when it is still waiting and nobody holds it; null otherwise. */
  claim(id: string, leaseMs: number): Promise<WaitingDeployment | null>;
  /** Still waiting: the report posted now (if any) is kept and the claim let go. */
  keepWaiting(id: string, report: { text: string; count: number } | null): Promise<void>;
  /** No longer waiting, with why (answered, cancelled, decided elsewhere); the claim goes with it. */
  end(id: string, status: Exclude<WaitStatus, "waiting">, reason: string): Promise<void>;
}
