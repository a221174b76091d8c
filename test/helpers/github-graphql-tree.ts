// Tree entries and blobs of the GraphQL fake, answered from the REST contents route: a file becomes a
// Blob with GitHub's text rules, a directory listing a Tree whose entries are read only when the
// query asks for them (as deep as it asks). Blob bytes are kept so the raw blob route can serve them.
import { createHash } from "node:crypto";

type Obj = Record<string, unknown>;
/** REST `GET contents/{path}` on the branch: a file, a directory listing, or null when absent. */
export type ReadContents = (path: string) => unknown;

const MODES = { file: 33188, dir: 16384, symlink: 40960, submodule: 57344 } as const;

export function treeEntry(read: ReadContents, path: string, blobs: Map<string, Buffer>): Obj | null {
  const file = read(path) as any;
  if (file === null) return null;
  if (Array.isArray(file)) return { type: "tree", mode: MODES.dir, object: treeOf(read, file, blobs) };
  if (file.type !== "file")
    return { type: file.type === "symlink" ? "blob" : "commit", mode: file.type === "symlink" ? MODES.symlink : MODES.submodule, object: null };
  return { type: "blob", mode: MODES.file, object: blobOf(file, blobs) };
}

function treeOf(read: ReadContents, listing: any[], blobs: Map<string, Buffer>): Obj {
  return {
    __typename: "Tree",
    entries: () =>
      listing.map((item) => {
        const kind = item.type as keyof typeof MODES;
        const type = kind === "dir" ? "tree" : kind === "submodule" ? "commit" : "blob";
        // A symlink's object would be the path it points to; repol must not read it as a file.
        const object = () => (kind === "symlink" || kind === "submodule" ? null : (treeEntry(read, item.path, blobs)?.object ?? null));
        return { name: item.name, path: item.path, type, mode: MODES[kind] ?? MODES.file, object };
      }),
  };
}

function blobOf(file: any, blobs: Map<string, Buffer>): Obj {
  const bytes = Buffer.from(file.content ?? "", "base64");
  const size = file.size ?? bytes.length;
  const oid = file.sha ?? createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  blobs.set(oid, bytes);
  // GitHub gives no text for binary files, and cuts long ones short; invalid UTF-8 comes back replaced.
  const binary = bytes.includes(0);
  const truncated = file.encoding !== "base64" || size > 512 * 1024;
  const text = binary || truncated ? null : new TextDecoder().decode(bytes);
  return { __typename: "Blob", oid, byteSize: size, isBinary: binary, isTruncated: truncated, text };
}
