// The fetch under repol's Octokit. It abandons an attempt after a timeout and names why GitHub gave no
// answer: Octokit reports every failure without an answer as "status 500", which reads as if GitHub
// had answered, and makes a refused connection look like a server error worth retrying at once.

/** Why a request got no answer from GitHub; Octokit keeps it as the `cause` of its error. */
export class NoAnswerFromGitHub extends Error {
  constructor(
    message: string,
    /** "timeout": connected (or still trying) but no answer in time; "connect": no connection could be made. */
    readonly reason: "timeout" | "connect",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "NoAnswerFromGitHub";
  }
}

// Failures to open a connection at all: refused, no such host, no route, TLS refused. Asking again a
// second later meets the same wall; the outbox and the delivery retry come back on their schedule.
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** fetch with a per-call timeout (so a retry gets a fresh one), failing with a NoAnswerFromGitHub that says why. */
export function timedFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (error) {
      if (timeout.aborted && !init?.signal?.aborted) throw new NoAnswerFromGitHub(`GitHub did not answer within ${timeoutMs} ms`, "timeout", { cause: error });
      const cause = (error as { cause?: unknown } | null)?.cause;
      const code = (cause as { code?: unknown } | null)?.code;
      if (typeof code === "string" && CONNECT_CODES.has(code)) {
        throw new NoAnswerFromGitHub(`could not connect to GitHub (${connectFailureText(cause as Error, code)})`, "connect", { cause: error });
      }
      throw error;
    }
  };
}

function connectFailureText(cause: Error, code: string): string {
  // Node says "connect ECONNREFUSED 127.0.0.1:443"; "could not connect to GitHub (connect …)" repeats itself.
  const text = cause.message.replace(/^connect /, "");
  return text.includes(code) ? text : `${code} ${text}`.trim();
}
