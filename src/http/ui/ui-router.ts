// /ui: the audit trail for people, server-rendered. Without AUDIT_API_TOKEN it is disabled, never open;
// every page but the sign-in form and the stylesheet needs a session.
import { Router, type ErrorRequestHandler } from "express";
import { isAuditId } from "../../audit/audit-id.js";
import type { AuditStore } from "../../audit/store.js";
import { createFailedAttemptLimiter, type FailedAttemptLimiter } from "../auth-rate-limit.js";
import { decisionBody } from "./decision-page.js";
import { decisionsBody } from "./decisions-page.js";
import { sendMessage, sendPage } from "./layout.js";
import { overviewBody } from "./overview-page.js";
import { uiSecurityHeaders } from "./security-headers.js";
import { signInRouter } from "./sign-in.js";
import { serveStylesheet } from "./stylesheet.js";
import { uiSessions, type UiSessionOptions } from "./ui-session.js";

export interface UiRouterParts {
  store: AuditStore;
  /** AUDIT_API_TOKEN; null disables /ui. */
  token: string | null;
  githubApiUrl: string;
  publicUrl: string | null;
  /** Shared with the API, so failed guesses count once per client whichever door they try. */
  limiter?: FailedAttemptLimiter;
  session?: UiSessionOptions;
  now?: () => Date;
  onError?: (error: Error) => void;
}

export function uiRouter({
  store,
  token,
  githubApiUrl,
  publicUrl,
  limiter = createFailedAttemptLimiter(),
  session,
  now = () => new Date(),
  onError,
}: UiRouterParts): Router {
  const router = Router();
  router.use(uiSecurityHeaders());
  router.get("/static/repol.css", serveStylesheet());
  if (!token) {
    router.use((_req, res) => {
      sendMessage(
        res,
        503,
        "Audit page disabled",
        "The audit API and this page are disabled because AUDIT_API_TOKEN is not set. Set it to sign in here.",
        false,
      );
    });
    return router;
  }
  const sessions = uiSessions(token, session);
  router.use(signInRouter({ token, sessions, limiter, publicUrl }));
  router.use((req, res, next) => {
    if (sessions.isSignedIn(req)) {
      next();
      return;
    }
    const back = req.method === "GET" ? `?${new URLSearchParams({ next: req.originalUrl })}` : "";
    res.redirect(303, `/ui/sign-in${back}`);
  });

  router.get("/", async (_req, res) => {
    sendPage(res, 200, { title: "Overview" }, await overviewBody(store, now()));
  });

  router.get("/decisions", async (req, res) => {
    const { status, body } = await decisionsBody(store, req.query as Record<string, unknown>);
    sendPage(res, status, { title: "Decisions" }, body);
  });

  // GitHub links here (check runs' details, deployment comments): they know the delivery, not the row id.
  router.get("/deliveries/:key", async (req, res) => {
    const record = await store.findByDelivery(req.params.key);
    if (!record) {
      sendMessage(res, 404, "Decision not found", "No decision is recorded for this delivery (yet): it may still be in progress.");
      return;
    }
    res.redirect(303, `/ui/decisions/${encodeURIComponent(record.id)}`);
  });

  router.get("/decisions/:id", async (req, res) => {
    const { id } = req.params;
    const record = isAuditId(id) ? await store.get(id) : undefined;
    if (!record) {
      sendMessage(res, 404, "Decision not found", isAuditId(id) ? `No decision is recorded with id ${id}.` : "Decision ids are 26-character ULIDs.");
      return;
    }
    const entries = store.outbox ? await store.outbox.forAudit(id) : null;
    sendPage(res, 200, { title: `Decision ${id}` }, decisionBody(record, entries, githubApiUrl));
  });

  router.use((_req, res) => {
    sendMessage(res, 404, "Not found", "There is no such page.");
  });
  router.use(((error, _req, res, _next) => {
    // A malformed or oversized form is the client's mistake (400, 413); anything else is repol's.
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) onError?.(error as Error);
    sendMessage(
      res,
      status,
      status === 500 ? "Something went wrong" : "Bad request",
      status === 500 ? "repol could not show this page; the error is in its log." : String(error.message),
      false,
    );
  }) as ErrorRequestHandler);
  return router;
}
