import type { RepoFacts } from "../github/repo-facts.js";

/**
 * The policy wants "refs/heads/<branch>" for branches. GitHub often sends a bare name, which may be a
 * branch or a tag, so git is asked. Whenever it is not clearly a branch, the ref is left in a form
 * the policy does not read as a branch (fail closed): a name that is both a branch and a tag counts
 * as the tag (git itself prefers the tag), an unknown name and a bare SHA stay as they are.
 */
export async function qualifyDeploymentRef(ref: string, facts: Pick<RepoFacts, "refKind">): Promise<string> {
  if (ref.startsWith("refs/")) return ref;
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(ref)) return ref;
  const kind = await facts.refKind(ref);
  if (kind === "branch") return `refs/heads/${ref}`;
  if (kind === "tag" || kind === "both") return `refs/tags/${ref}`;
  return ref;
}

/** Midnight UTC of the day `now` falls in, as ISO 8601. */
export function startOfUtcDay(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}
