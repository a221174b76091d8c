// Reads a request body up to a byte cap, refusing larger ones before they are read whole: at once
// from Content-Length, or as soon as a streamed (chunked, or lying) body passes the cap.
import type { IncomingMessage } from "node:http";

export type CappedBody = { ok: true; body: Buffer } | { ok: false; reason: "too_large" | "aborted" };

export async function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<CappedBody> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, reason: "too_large" };
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: CappedBody) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop buffering; the caller answers 413 and closes the connection.
        req.pause();
        finish({ ok: false, reason: "too_large" });
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.once("error", () => finish({ ok: false, reason: "aborted" }));
    req.once("close", () => finish(req.readableEnded ? { ok: true, body: Buffer.concat(chunks, size) } : { ok: false, reason: "aborted" }));
  });
}
