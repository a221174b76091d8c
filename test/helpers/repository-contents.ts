// A repository's files served as GitHub's REST contents API serves them on its default branch: a file
// with its base64 content, a directory as the listing of its entries. The GraphQL fake reads trees and
// blobs from here, so a test describes rule files once, as paths and texts.
import { createHash } from "node:crypto";
import { failure, json, type Route } from "./github-router.js";

/** `repo` is "owner/name"; `files` maps a path to its content; `name` is the route's name in the request log. */
export function contentsRoute(repo: string, files: Record<string, string | Uint8Array>, name = "contents"): Route {
  const base = `/repos/${repo}/contents/`;
  return {
    name,
    method: "GET",
    path: new RegExp(`^${base.replace(/[.]/g, "\\.")}(.+)$`),
    reply(_request, [, path]) {
      const content = files[path!];
      if (content !== undefined) return json(200, fileJson(path!, content));
      const below = Object.keys(files).filter((file) => file.startsWith(`${path}/`));
      if (below.length === 0) return failure(404);
      const names = [...new Set(below.map((file) => file.slice(path!.length + 1).split("/")[0]!))].sort();
      return json(
        200,
        names.map((entry) => {
          const child = `${path}/${entry}`;
          return files[child] !== undefined
            ? { ...fileJson(child, files[child]!), content: undefined, encoding: undefined }
            : { type: "dir", name: entry, path: child, sha: sha1(child), size: 0 };
        }),
      );
    },
  };
}

function fileJson(path: string, content: string | Uint8Array) {
  const bytes = Buffer.from(content);
  return { type: "file", encoding: "base64", size: bytes.length, name: path.split("/").at(-1), path, sha: blobSha(bytes), content: bytes.toString("base64") };
}

function blobSha(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
