// `opa build -t wasm` writes a gzipped tar bundle; repol keeps only its /policy.wasm.
import { gunzipSync } from "node:zlib";

const BLOCK = 512;

/** The bytes of /policy.wasm in the bundle, or undefined when the bundle has none. */
export function wasmFromBundle(bundle: Uint8Array): Uint8Array | undefined {
  const tar = gunzipSync(bundle);
  for (let offset = 0; offset + BLOCK <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const text = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("latin1")
        .replace(/\0.*$/s, "");
    const size = Number.parseInt(text(124, 12).trim() || "0", 8);
    const name = text(0, 100).replace(/^(\.?\/)+/, "");
    if (name === "policy.wasm" && (text(156, 1) || "0") === "0") return new Uint8Array(tar.subarray(offset + BLOCK, offset + BLOCK + size));
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}
