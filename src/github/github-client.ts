// The one Octokit type repol's GitHub layer is written against, and how its failures are worded.
import type { ProbotOctokit } from "probot";

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export function fullName({ owner, repo }: RepoRef): string {
  return `${owner}/${repo}`;
}

/** The HTTP status of an Octokit RequestError, or undefined when GitHub never answered. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status > 0 ? status : undefined;
}

/**
 * Runs one GitHub call and rethrows its failure with what repol was doing, so the rejection comment
 * and the audit row say "GitHub answered 500 while reading reviews of o/r#12" rather than "Internal Server Error".
 */
export async function askGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw gitHubFailure(what, error);
  }
}

export function gitHubFailure(what: string, error: unknown): Error {
  return new Error(`${describeFailure(error)} while ${what}`, { cause: error });
}

export function describeFailure(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return status === undefined ? `GitHub could not be reached (${message})` : `GitHub answered ${status} (${firstLine(message)})`;
}

function firstLine(text: string): string {
  // Octokit appends GitHub's documentation_url to the message; it only lengthens a user-facing reason.
  const line = (text.split("\n")[0] ?? "").replace(/ - https:\/\/docs\.github\.com\S*$/, "");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
