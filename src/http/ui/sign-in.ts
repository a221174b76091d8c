// Signing in to /ui with AUDIT_API_TOKEN: the same constant-time comparison and the same failed-token
// limiter as the bearer-token API, so the form is no easier to guess through than the API.
import { Router, urlencoded, type Request, type Response } from "express";
import { tokenDigest, tokenMatches } from "../auth.js";
import { clientKeyOf, type FailedAttemptLimiter } from "../auth-rate-limit.js";
import { html } from "./html.js";
import { sendMessage, sendPage } from "./layout.js";
import type { UiSessions } from "./ui-session.js";

export interface SignInParts {
  token: string;
  sessions: UiSessions;
  limiter: FailedAttemptLimiter;
  /** PUBLIC_URL, whose origin forms may also come from (behind a proxy that rewrites Host). */
  publicUrl: string | null;
}

export function signInRouter({ token, sessions, limiter, publicUrl }: SignInParts): Router {
  const router = Router();
  const expected = tokenDigest(token);
  const form = urlencoded({ extended: false, limit: "8kb", parameterLimit: 4 });

  router.get("/sign-in", (req, res) => {
    if (sessions.isSignedIn(req)) {
      res.redirect(303, "/ui");
      return;
    }
    signInForm(res, 200, nextPathOf(req.query.next));
  });

  router.post("/sign-in", form, (req, res) => {
    if (!fromThisSite(req, publicUrl)) return refuseCrossSite(res);
    const body = formOf(req);
    const next = nextPathOf(body.next);
    const client = clientKeyOf(req);
    const wait = limiter.retryAfterSeconds(client);
    if (wait > 0) {
      res.set("Retry-After", String(wait));
      signInForm(res, 429, next, `Too many failed attempts from this address; try again in ${wait} s.`);
      return;
    }
    const presented = typeof body.token === "string" ? body.token : "";
    if (presented === "" || !tokenMatches(presented, expected)) {
      limiter.recordFailure(client);
      signInForm(res, 401, next, "That token is not the audit token (AUDIT_API_TOKEN).");
      return;
    }
    sessions.start(req, res);
    res.redirect(303, next);
  });

  router.post("/sign-out", form, (req, res) => {
    if (!fromThisSite(req, publicUrl)) return refuseCrossSite(res);
    sessions.end(req, res);
    res.redirect(303, "/ui/sign-in");
  });

  return router;
}

function formOf(req: Request): Record<string, unknown> {
  return typeof req.body === "object" && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function signInForm(res: Response, status: number, next: string, problem?: string): void {
  sendPage(
    res,
    status,
    { title: "Sign in", signedIn: false },
    html`${problem && html`<p class="message problem" role="alert">${problem}</p>`}
<form class="sign-in" method="post" action="/ui/sign-in">
<label>Audit token (AUDIT_API_TOKEN)<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<input type="hidden" name="next" value="${next}">
<button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

/** Where to go after signing in: a /ui path of this site only, so the form cannot redirect elsewhere. */
export function nextPathOf(value: unknown): string {
  return typeof value === "string" && /^\/ui(?:[/?][^\\\s]*)?$/.test(value) && !value.startsWith("/ui//") ? value : "/ui";
}

/**
 * A form posted from another site is refused (the SameSite=Strict cookie already stays behind; this
 * refuses the request itself). Browsers say where a request comes from in Sec-Fetch-Site; Origin is the
 * fallback for older ones, and is "null" under our no-referrer policy, so it cannot be the only check.
 */
export function fromThisSite(req: Request, publicUrl: string | null): boolean {
  const site = req.get("sec-fetch-site");
  if (site !== undefined) return site === "same-origin";
  const origin = req.get("origin");
  if (origin === undefined) return true;
  const own = [`${req.protocol}://${req.get("host")}`, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  return own.includes(origin);
}

function refuseCrossSite(res: Response): void {
  sendMessage(res, 403, "Refused", "This form was sent from another site. Open repol's audit page and try again.", false);
}
