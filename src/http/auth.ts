// Bearer-token protection for repol's HTTP API (AUDIT_API_TOKEN). No token configured means the API
// is switched off (503), never open.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { clientKeyOf, createFailedAttemptLimiter, refuseWhileThrottled, type FailedAttemptLimiter } from "./auth-rate-limit.js";

export type RejectionReason = "missing" | "wrong";

/**
 * Express middleware: 503 when `token` is null, 401 when the request's bearer token is missing or wrong,
 * 429 once a client has failed too often (pass one limiter to several routers to count across them).
 */
export function requireBearerToken(token: string | null, limiter: FailedAttemptLimiter = createFailedAttemptLimiter()): RequestHandler {
  if (!token) {
    return (_req, res) => {
      res.status(503).json({
        error: "api_disabled",
        message: "this API is disabled because AUDIT_API_TOKEN is not set; set it to enable bearer-token access",
      });
    };
  }
  const expected = tokenDigest(token);
  return (req, res, next) => {
    const client = clientKeyOf(req);
    if (refuseWhileThrottled(limiter, client, res)) return;
    const presented = bearerTokenOf(req.headers.authorization);
    if (presented !== null && tokenMatches(presented, expected)) {
      next();
      return;
    }
    limiter.recordFailure(client);
    rejectUnauthorized(req, res, presented === null ? "missing" : "wrong");
  };
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match ? match[1] : null;
}

/**
 * Compares sha256 digests in constant time: both sides always have the same length, so neither the
 * content nor the length of the configured token leaks through timing.
 */
export function tokenMatches(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(tokenDigest(presented), expectedDigest);
}

/** Every failed attempt ends here: the one place to count or throttle them. */
export function rejectUnauthorized(_req: Request, res: Response, reason: RejectionReason): void {
  res
    .status(401)
    .set("WWW-Authenticate", reason === "missing" ? 'Bearer realm="repol"' : 'Bearer realm="repol", error="invalid_token"')
    .json({
      error: "unauthorized",
      message: reason === "missing" ? "send Authorization: Bearer <AUDIT_API_TOKEN>" : "the bearer token is not valid",
    });
}

/** sha256 of a token: what tokenMatches compares against. */
export function tokenDigest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
