import { fullName, gitHubFailure, statusOf, type GitHub, type RepoRef } from "./github-client.js";

export interface ConfigFile {
  path: string;
  /** The fully qualified ref the file was read at, e.g. `refs/heads/main`. */
  ref: string;
  /** Raw bytes from GitHub (the config loader decodes them strictly), or text from a recording. */
  text: string | Uint8Array;
  /** Git blob SHA of the file, recorded with every decision. */
  sha: string;
}

/**
 * Reads one file on a branch. Missing file → null; anything else unexpected throws with context.
 * The branch is passed fully qualified: a bare "main" would let a tag named "main" (which git
 * prefers over the branch) stand in for the default branch and loosen the rules.
 */
export async function readConfigFile(github: GitHub, repo: RepoRef, path: string, branch: string): Promise<ConfigFile | null> {
  const read = await readConfigFileIfChanged(github, repo, path, branch);
  return read.kind === "found" ? read.file : null;
}

/** What GitHub said about a file: it, its absence, or (for a conditional request) that it is unchanged. */
export type ConfigFileRead =
  | { kind: "found"; file: ConfigFile; etag: string | null; maxAgeSeconds: number | null }
  | { kind: "missing" }
  | { kind: "unchanged" };

/**
 * readConfigFile with HTTP validators: given the ETag of an earlier read, GitHub answers 304 when the
 * file is unchanged, and a 304 does not count against the installation's rate limit.
 */
export async function readConfigFileIfChanged(
  github: GitHub,
  repo: RepoRef,
  path: string,
  branch: string,
  etag?: string,
): Promise<ConfigFileRead> {
  const ref = `refs/heads/${branch}`;
  const what = `reading ${path} at ${ref} of ${fullName(repo)}`;
  let data: unknown;
  let headers: Record<string, unknown>;
  try {
    ({ data, headers } = await github.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path,
      ref,
      ...(etag ? { headers: { "if-none-match": etag } } : {}),
    }));
  } catch (error) {
    if (statusOf(error) === 304 && etag) return { kind: "unchanged" };
    if (statusOf(error) === 404) return { kind: "missing" };
    throw gitHubFailure(what, error);
  }
  if (Array.isArray(data)) throw new Error(`${path} on ${ref} of ${fullName(repo)} is a directory; it must be a YAML file`);
  const file = data as { type?: string; encoding?: string; content?: string; sha?: string; size?: number };
  if (file.type !== "file") {
    throw new Error(`${path} on ${ref} of ${fullName(repo)} is a ${file.type ?? "non-file"}; it must be a regular YAML file`);
  }
  if (file.encoding !== "base64" || typeof file.content !== "string" || typeof file.sha !== "string") {
    // GitHub leaves `content` empty for files over 1 MB, far above the config size cap anyway.
    throw new Error(`${path} on ${ref} of ${fullName(repo)} is too large to read (${file.size ?? "?"} bytes)`);
  }
  return {
    kind: "found",
    file: { path, ref, text: new Uint8Array(Buffer.from(file.content, "base64")), sha: file.sha },
    etag: typeof headers.etag === "string" && headers.etag !== "" ? headers.etag : null,
    maxAgeSeconds: maxAgeOf(headers["cache-control"]),
  };
}

function maxAgeOf(cacheControl: unknown): number | null {
  if (typeof cacheControl !== "string" || /\bno-(?:cache|store)\b/i.test(cacheControl)) return null;
  const match = /(?:^|[\s,])max-age=(\d+)/i.exec(cacheControl);
  return match ? Number(match[1]) : null;
}
