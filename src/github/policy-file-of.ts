// The `.repol` file from the facts query's tree entry. GraphQL gives a blob's text as a string, which
// may not be its bytes: GitHub gives no text for files it deems binary, cuts long ones short, and
// replaces bytes that are not UTF-8. The config loader must judge the bytes themselves (invalid UTF-8
// is a positioned error, never silently repaired), so whenever the text cannot be the exact bytes the
// blob is read raw, by its SHA, in one REST request.
import type { PolicyFile } from "../core/facts.js";
import { MAX_CONFIG_BYTES } from "../policy/config-limits.js";
import type { BlobAnswer, TreeEntryAnswer } from "./facts-answer.js";
import { askGitHub, fullName, type GitHub, type RepoRef } from "./github-client.js";

// Git file modes: a symbolic link's "content" is the path it points to.
export const SYMLINK_MODE = 0o120000;

/** The blob's text when it is exactly its bytes (not binary, not cut short, valid UTF-8); else null. */
export function exactText(blob: Partial<BlobAnswer>): string | null {
  const { text, isBinary, isTruncated, byteSize } = blob;
  if (typeof text !== "string" || isBinary === true || isTruncated !== false) return null;
  return Buffer.byteLength(text, "utf8") === byteSize ? text : null;
}

export async function policyFileOf(
  github: GitHub,
  repo: RepoRef,
  path: string,
  branch: string,
  entry: TreeEntryAnswer | null | undefined,
): Promise<PolicyFile | null> {
  if (!entry) return null;
  const ref = `refs/heads/${branch}`;
  const where = `${path} on ${ref} of ${fullName(repo)}`;
  if (entry.type === "tree") throw new Error(`${where} is a directory; it must be a YAML file`);
  if (entry.type !== "blob" || entry.mode === SYMLINK_MODE || !entry.object) {
    throw new Error(`${where} is a ${entry.mode === SYMLINK_MODE ? "symlink" : entry.type}; it must be a regular YAML file`);
  }
  // A blob's object carries every BlobText field (facts-queries.ts).
  const blob = entry.object as BlobAnswer;
  const exact = exactText(blob);
  if (exact !== null) return { path, ref, text: exact, sha: blob.oid };
  // Beyond the cap the loader refuses the file whatever it holds: no need to download it.
  if (blob.byteSize > MAX_CONFIG_BYTES) {
    throw new Error(`${where} is too large to read (${blob.byteSize} bytes; repol config files may be at most ${MAX_CONFIG_BYTES / 1024} KiB)`);
  }
  return { path, ref, text: await readBlob(github, repo, blob.oid, where), sha: blob.oid };
}

async function readBlob(github: GitHub, repo: RepoRef, sha: string, where: string): Promise<Uint8Array> {
  const { data } = await askGitHub(`reading the bytes of ${where}`, () =>
    github.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { ...repo, file_sha: sha }),
  );
  if (data.encoding !== "base64" || typeof data.content !== "string")
    throw new Error(`GitHub gave ${where} in an encoding repol cannot read (${data.encoding})`);
  return new Uint8Array(Buffer.from(data.content, "base64"));
}
