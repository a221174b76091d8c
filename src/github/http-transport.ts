// The fetch under repol's Octokit: node:http(s) with keep-alive connections, answering with the few
// Response fields @octokit/request reads (answer.ts). Node's own
// fetch (undici) wraps every request and answer in web streams, which cost more CPU than the rest of
// Octokit's request on the facts query and the callback. It fails as undici does, so timed-fetch.ts
// tells a refused connection from a timeout the same way: a TypeError "fetch failed" whose cause is
// the socket's error, or the abort signal's reason.
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";
import { Answer } from "./answer.js";

type Fetch = typeof fetch;
type RequestInit = NonNullable<Parameters<Fetch>[1]>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

interface Sent {
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** A fetch over node:http(s) keeping connections open between requests (one pool per transport). */
export function httpTransport(): Fetch {
  const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
  const send = (
    url: URL,
    sent: Sent,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; statusText: string; headers: http.IncomingHttpHeaders; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      const agent = agents[url.protocol as keyof typeof agents];
      if (!agent) return reject(new TypeError("fetch failed", { cause: new Error(`unsupported protocol ${url.protocol}`) }));
      const client = url.protocol === "https:" ? https : http;
      // A length, as fetch sends it, rather than node's chunked encoding.
      const length = sent.body === undefined ? {} : { "content-length": String(Buffer.byteLength(sent.body)) };
      const headers = { "accept-encoding": "gzip, deflate, br", ...sent.headers, ...length };
      const request = client.request(url, { method: sent.method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
        response.on("end", () => {
          try {
            const bytes = decoded(Buffer.concat(chunks), response.headers["content-encoding"]);
            resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "", headers: response.headers, bytes });
          } catch (error) {
            reject(new TypeError("fetch failed", { cause: error }));
          }
        });
      });
      const abort = () => {
        request.destroy();
        reject(signal!.reason);
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      request.on("close", () => signal?.removeEventListener("abort", abort));
      request.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
      request.end(sent.body);
    });

  return (async (input, init) => {
    let url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    let sent: Sent = { method: (init?.method ?? "GET").toUpperCase(), headers: headersOf(init?.headers), body: bodyOf(init?.body) };
    for (let hop = 0; ; hop++) {
      const answer = await send(url, sent, init?.signal ?? undefined);
      const location = answer.headers.location;
      if (!REDIRECTS.has(answer.status) || location === undefined || init?.redirect === "manual" || hop === MAX_REDIRECTS) {
        return new Answer(answer.status, answer.statusText, url.href, headersFrom(answer.headers), answer.bytes) as unknown as Response;
      }
      if (init?.redirect === "error") throw new TypeError("fetch failed", { cause: new Error(`redirected to ${location}`) });
      const next = new URL(location, url);
      sent = redirected(sent, answer.status, url.origin !== next.origin);
      url = next;
    }
  }) as Fetch;
}

/** What a followed redirect sends, as fetch does: GET without a body after 303 (and 301/302 of a POST), no credentials to another origin. */
function redirected(sent: Sent, status: number, crossOrigin: boolean): Sent {
  const toGet = status === 303 ? sent.method !== "HEAD" : (status === 301 || status === 302) && sent.method === "POST";
  const headers = { ...sent.headers };
  if (crossOrigin) delete headers.authorization;
  if (toGet) for (const name of ["content-type", "content-length"]) delete headers[name];
  return { method: toGet ? "GET" : sent.method, headers, body: toGet ? undefined : sent.body };
}

function headersOf(given: RequestInit["headers"]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(given)) headers[name] = value;
  return headers;
}

function bodyOf(body: RequestInit["body"]): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("repol's GitHub transport sends strings and bytes only");
}

function headersFrom(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function decoded(bytes: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(bytes);
    case "deflate":
      return zlib.inflateSync(bytes);
    case "br":
      return zlib.brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}
