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
  const ref = `refs/heads/${branch}`;
  const what = `reading ${path} at ${ref} of ${fullName(repo)}`;
  let data: unknown;
  try {
    ({ data } = await github.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path, ref }));
  } catch (error) {
    if (statusOf(error) === 404) return null;
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
  return { path, ref, text: new Uint8Array(Buffer.from(file.content, "base64")), sha: file.sha };
}
