// Sessions of the audit page. The cookie never holds the token: it holds a random id and an expiry,
// signed with a key derived from AUDIT_API_TOKEN, so every replica accepts it without shared state and
// changing the token ends every session. Sign-out forgets the id in this process only; on another
// replica a copied cookie stays valid until it expires (8 h by default).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";

export const SESSION_COOKIE = "repol_ui_session";
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface UiSessions {
  /** Sets a fresh session cookie on the response. */
  start(req: Request, res: Response): void;
  /** True when the request carries a session this process signed, not expired nor signed out. */
  isSignedIn(req: Request): boolean;
  /** Forgets the request's session and clears its cookie. */
  end(req: Request, res: Response): void;
}

export interface UiSessionOptions {
  ttlMs?: number;
  now?: () => number;
}

export function uiSessions(token: string, { ttlMs = DEFAULT_SESSION_TTL_MS, now = Date.now }: UiSessionOptions = {}): UiSessions {
  const key = createHmac("sha256", token).update("repol /ui session key v1").digest();
  const signedOut = new Map<string, number>();
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");

  const verify = (value: string | undefined): { id: string; expiresAt: number } | null => {
    const match = /^([A-Za-z0-9_-]{22})\.(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(value ?? "");
    if (!match) return null;
    const [, id, expiry, mac] = match as unknown as [string, string, string, string];
    const expected = Buffer.from(sign(`${id}.${expiry}`));
    if (!timingSafeEqual(Buffer.from(mac), expected)) return null;
    const expiresAt = Number(expiry);
    if (expiresAt <= now() || signedOut.has(id)) return null;
    return { id, expiresAt };
  };

  const forgetExpired = () => {
    for (const [id, expiresAt] of signedOut) if (expiresAt <= now()) signedOut.delete(id);
  };

  return {
    start(req, res) {
      const id = randomBytes(16).toString("base64url");
      const expiry = String(now() + ttlMs).padStart(13, "0");
      res.cookie(SESSION_COOKIE, `${id}.${expiry}.${sign(`${id}.${expiry}`)}`, { ...cookieFlags(req), maxAge: ttlMs });
    },
    isSignedIn: (req) => verify(cookieOf(req, SESSION_COOKIE)) !== null,
    end(req, res) {
      const session = verify(cookieOf(req, SESSION_COOKIE));
      if (session) {
        forgetExpired();
        signedOut.set(session.id, session.expiresAt);
      }
      res.clearCookie(SESSION_COOKIE, cookieFlags(req));
    },
  };
}

// Secure only over HTTPS (req.secure honours TRUST_PROXY): a browser drops a Secure cookie set over
// plain HTTP, which would make signing in on a local http:// address impossible.
function cookieFlags(req: Request) {
  return { httpOnly: true, sameSite: "strict" as const, secure: req.secure, path: "/ui" };
}

/** One cookie's value from the Cookie header; undefined when absent or given twice. */
export function cookieOf(req: Pick<Request, "headers">, name: string): string | undefined {
  const values = (req.headers.cookie ?? "")
    .split(";")
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return values.length === 1 ? values[0] : undefined;
}
