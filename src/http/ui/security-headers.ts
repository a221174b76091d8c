// Headers every /ui response carries. Pages are rendered on the server and need no script, so the
// policy allows none: an injected <script> or onerror attribute would not run even if escaping failed.
import type { RequestHandler } from "express";

export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function uiSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({
      "Content-Security-Policy": UI_CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "X-Frame-Options": "DENY",
      // Pages show audit rows, which carry repository content; no shared cache may keep them.
      "Cache-Control": "no-store",
    });
    next();
  };
}
