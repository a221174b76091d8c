// GitHub's answer as repol's Octokit reads it: the bytes already in memory, and `body` already decoded.
// @octokit/request parses every JSON answer with json-with-bigint, which on Node 20 runs a regular
// expression over the whole text and a reviver over every value so that integers beyond 2^53 become
// BigInts: on the facts query that cost more CPU than the rest of the request. Octokit is told not to
// parse successful answers (parseSuccessResponseBody: false, octokit-options.ts) and takes `body`
// instead, decoded here the way it would decode it: plain JSON.parse when no integer in the text can
// exceed 2^53 (no run of 16 digits anywhere), json-with-bigint's parse otherwise. Error answers are
// still decoded by Octokit itself, from text().
import { JSONParse } from "json-with-bigint";

type Fetch = typeof fetch;

// Fewer digits than Number.MAX_SAFE_INTEGER (9007199254740991, 16 digits) always fit a double exactly.
const MAYBE_BIG_INTEGER = /\d{16}/;

/** The answer, as much of a Response as Octokit uses, with the body decoded as Octokit decodes it. */
export class Answer {
  readonly ok: boolean;
  #body: unknown;
  #decoded = false;
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly url: string,
    readonly headers: Headers,
    private readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }
  /** What @octokit/request's getResponseData would make of the bytes, decoded once. */
  get body(): unknown {
    if (!this.#decoded) {
      this.#body = decodedBody(this.headers.get("content-type"), this.bytes);
      this.#decoded = true;
    }
    return this.#body;
  }
  async text(): Promise<string> {
    return this.bytes.toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString("utf8"));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return arrayBufferOf(this.bytes);
  }
}

/** `base` answering with Answers: another fetch's Response (a test's, say) is read into one. */
export function answering(base: Fetch): Fetch {
  return (async (input, init) => {
    const response = await base(input, init);
    if (response instanceof Answer) return response;
    const bytes = Buffer.from(await response.arrayBuffer());
    return new Answer(response.status, response.statusText, response.url, response.headers, bytes) as unknown as Response;
  }) as Fetch;
}

/**
 * @octokit/request's decoding by media type: JSON (left as text if it does not parse), text, or bytes.
 * No content type reads as text.
 */
export function decodedBody(contentType: string | null, bytes: Buffer): unknown {
  if (contentType === null) return bytes.toString("utf8");
  const [type = "", ...parameters] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (type === "application/json" || type === "application/scim+json") return jsonOrText(bytes.toString("utf8"));
  const charset = parameters
    .find((parameter) => parameter.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/^"|"$/g, "");
  if (type.startsWith("text/") || (charset === "utf-8" && type !== "application/octet-stream")) return bytes.toString("utf8");
  return arrayBufferOf(bytes);
}

function jsonOrText(text: string): unknown {
  try {
    return MAYBE_BIG_INTEGER.test(text) ? JSONParse(text) : JSON.parse(text);
  } catch {
    return text;
  }
}

function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
