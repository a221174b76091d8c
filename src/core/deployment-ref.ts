import type { RefKind } from "./facts.js";

/** A ref that names its kind itself (`refs/…`) or is a commit SHA needs no lookup; a bare name does. */
export function refToClassify(ref: string): string | null {
  if (ref.startsWith("refs/")) return null;
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(ref)) return null;
  return ref;
}

/**
 * The policy wants "refs/heads/<branch>" for branches. GitHub often sends a bare name, which may be a
 * branch or a tag, so git is asked (`kind`). Whenever it is not clearly a branch, the ref is left in
 * a form the policy does not read as a branch (fail closed): a name that is both a branch and a tag
 * counts as the tag (git itself prefers the tag), an unknown name and a bare SHA stay as they are.
 */
export function qualifyDeploymentRef(ref: string, kind: RefKind | null): string {
  if (refToClassify(ref) === null) return ref;
  if (kind === "branch") return `refs/heads/${ref}`;
  if (kind === "tag" || kind === "both") return `refs/tags/${ref}`;
  return ref;
}

/** Midnight UTC of the day `now` falls in, as ISO 8601. */
export function startOfUtcDay(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
}
