// The one Octokit type repol's GitHub layer is written against, and how its failures are worded.
import type { ProbotOctokit } from "probot";
import { NoAnswerFromGitHub } from "./timed-fetch.js";

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}

export function fullName({ owner, repo }: RepoRef): string {
  return `${owner}/${repo}`;
}

/**
 * The HTTP status GitHub answered with, or undefined when it never answered. Octokit gives a request
 * that got no answer status 500 too; only an error that carries GitHub's response was answered.
 */
export function statusOf(error: unknown): number | undefined {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  return typeof status === "number" && status > 0 && response ? status : undefined;
}

/** Why GitHub gave no answer (timeout, connection), when that is what happened. */
export function noAnswerOf(error: unknown): NoAnswerFromGitHub | undefined {
  return causesOf(error).find((cause) => cause instanceof NoAnswerFromGitHub) as NoAnswerFromGitHub | undefined;
}

/** A GitHub request that failed (answered or not), as opposed to a bug in repol: worth a warning, not a stack trace. */
export function isGitHubFailure(error: unknown): boolean {
  return causesOf(error).some((cause) => cause instanceof NoAnswerFromGitHub || (typeof cause.status === "number" && typeof cause.request === "object"));
}

function causesOf(error: unknown): { status?: unknown; request?: unknown }[] {
  const chain: { status?: unknown; request?: unknown }[] = [];
  for (let current = error; typeof current === "object" && current !== null && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current as { status?: unknown; request?: unknown });
  }
  return chain;
}

/**
 * Runs one GitHub call and rethrows its failure with what repol was doing, so the rejection comment
 * and the audit row say "GitHub answered 500 while reading reviews of o/r#12" rather than "Internal Server Error",
 * and "could not connect to GitHub (ECONNREFUSED …)" rather than a 500 GitHub never sent.
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
  if (status !== undefined) return `GitHub answered ${status} (${firstLine(error instanceof Error ? error.message : String(error))})`;
  // "could not connect to GitHub (ECONNREFUSED …)" and "GitHub did not answer within 8000 ms" say it already.
  const noAnswer = noAnswerOf(error);
  if (noAnswer) return noAnswer.message;
  return `GitHub could not be reached (${error instanceof Error ? error.message : String(error)})`;
}

function firstLine(text: string): string {
  // Octokit appends GitHub's documentation_url to the message; it only lengthens a user-facing reason.
  const line = (text.split("\n")[0] ?? "").replace(/ - https:\/\/docs\.github\.com\S*$/, "");
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
