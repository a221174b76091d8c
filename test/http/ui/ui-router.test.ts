// /ui over plain HTTP: headers, sign-in and its cookie, redirects, escaping, filters and the decision page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../../src/audit/sqlite-store.js";
import { createFailedAttemptLimiter } from "../../../src/http/auth-rate-limit.js";
import { UI_CONTENT_SECURITY_POLICY } from "../../../src/http/ui/security-headers.js";
import { TestClock } from "../../audit/fixtures.js";
import { HOSTILE_BRANCH, RUN_ID, seedDecisions, serveUi, signIn, UI_TOKEN, type SeededDecisions, type ServedUi } from "./ui-fixture.js";

const clock = new TestClock("2025-03-20T12:00:00.000Z");
let store: SqliteAuditStore;
let seeded: SeededDecisions;
let ui: ServedUi;
let cookie: string;

beforeAll(async () => {
  store = openSqliteStore(":memory:", { clock: clock.now });
  await store.migrate();
  seeded = await seedDecisions(store, clock);
  ui = await serveUi({
    store,
    token: UI_TOKEN,
    githubApiUrl: "https://ghe.example.com/api/v3",
    publicUrl: null,
    now: clock.now,
    session: { now: () => clock.now().getTime() },
  });
  cookie = (await signIn(ui.url)).cookie!;
});
afterAll(async () => {
  await ui.close();
  await store.close();
});

const get = (path: string, session: string | null = cookie) => fetch(`${ui.url}${path}`, { redirect: "manual", headers: session ? { cookie: session } : {} });

describe("/ui headers", () => {
  it.each(["/ui", "/ui/sign-in", "/ui/decisions", "/ui/static/repol.css", "/ui/no-such-page"])(
    "%s carries the strict CSP, nosniff and no-referrer",
    async (path) => {
      for (const session of [null, cookie]) {
        const response = await get(path, session);
        expect(response.headers.get("content-security-policy")).toBe(UI_CONTENT_SECURITY_POLICY);
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      }
    },
  );
});

describe("/ui sign-in", () => {
  it("sends a visitor without a session to the sign-in form, remembering where they were going", async () => {
    const response = await get("/ui/decisions?decision=deny", null);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/ui/sign-in?next=${encodeURIComponent("/ui/decisions?decision=deny")}`);
  });

  it("refuses a wrong token without setting a cookie", async () => {
    const { response, cookie: set } = await signIn(ui.url, "not-the-token");
    expect(response.status).toBe(401);
    expect(set).toBeNull();
    expect(await response.text()).toContain("That token is not the audit token");
  });

  it("sets an HttpOnly, SameSite=Strict, 8-hour session cookie that is not the token", async () => {
    const { response } = await signIn(ui.url);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/ui");
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^repol_ui_session=[^;]+; Max-Age=28800; Path=\/ui; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(UI_TOKEN);
    expect((await get("/ui", setCookie.split(";")[0]!)).status).toBe(200);
  });

  it("marks the cookie Secure when the request came over HTTPS through a trusted proxy", async () => {
    const proxied = await serveUi({ store, token: UI_TOKEN, githubApiUrl: "https://api.github.com", publicUrl: null }, "loopback");
    try {
      const { response } = await signIn(proxied.url, UI_TOKEN, { "x-forwarded-proto": "https" });
      expect(response.headers.get("set-cookie")).toMatch(/; Secure; SameSite=Strict$/);
    } finally {
      await proxied.close();
    }
  });

  it("never redirects off the site after signing in", async () => {
    for (const next of ["//evil.example/ui", "https://evil.example/", "/ui\\@evil.example", "/uiX"]) {
      const response = await fetch(`${ui.url}/ui/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: UI_TOKEN, next }),
      });
      expect(response.headers.get("location")).toBe("/ui");
    }
  });

  it("ends a session after its expiry", async () => {
    const expiring = await serveUi({
      store,
      token: UI_TOKEN,
      githubApiUrl: "https://api.github.com",
      publicUrl: null,
      session: { ttlMs: 60_000, now: () => clock.now().getTime() },
    });
    try {
      const { cookie: session } = await signIn(expiring.url);
      expect((await fetch(`${expiring.url}/ui`, { redirect: "manual", headers: { cookie: session! } })).status).toBe(200);
      clock.advance(60_000);
      expect((await fetch(`${expiring.url}/ui`, { redirect: "manual", headers: { cookie: session! } })).status).toBe(303);
    } finally {
      clock.set("2025-03-20T12:00:00.000Z");
      await expiring.close();
    }
  });

  it("signs out only on a form posted from this site, and the old cookie stops working", async () => {
    const { cookie: session } = await signIn(ui.url);
    const signOut = (headers: Record<string, string>) =>
      fetch(`${ui.url}/ui/sign-out`, { method: "POST", redirect: "manual", headers: { cookie: session!, ...headers } });
    for (const crossSite of <Record<string, string>[]>[
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site", origin: ui.url },
      { "sec-fetch-site": "same-site" },
    ]) {
      expect((await signOut(crossSite)).status).toBe(403);
    }
    expect((await get("/ui", session)).status).toBe(200);
    // Under Referrer-Policy: no-referrer a browser's form sends Origin: null, and says same-origin here.
    const response = await signOut({ "sec-fetch-site": "same-origin", origin: "null" });
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toMatch(/^repol_ui_session=; Path=\/ui; Expires=Thu, 01 Jan 1970/);
    expect((await get("/ui", session)).status).toBe(303);
  });

  it("counts failed sign-ins in the limiter the API shares, and refuses even the right token once throttled", async () => {
    const limiter = createFailedAttemptLimiter({ maxFailures: 2, now: () => clock.now().getTime() });
    const limited = await serveUi({ store, token: UI_TOKEN, githubApiUrl: "https://api.github.com", publicUrl: null, limiter });
    try {
      expect((await signIn(limited.url, "guess-1")).response.status).toBe(401);
      expect((await signIn(limited.url, "guess-2")).response.status).toBe(401);
      const { response, cookie: set } = await signIn(limited.url);
      expect(response.status).toBe(429);
      expect(set).toBeNull();
      expect(limiter.retryAfterSeconds("127.0.0.1")).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it("says the page is disabled, never open, when AUDIT_API_TOKEN is not set", async () => {
    const disabled = await serveUi({ store, token: null, githubApiUrl: "https://api.github.com", publicUrl: null });
    try {
      for (const [method, path] of [
        ["GET", "/ui"],
        ["GET", "/ui/decisions"],
        ["GET", "/ui/sign-in"],
        ["POST", "/ui/sign-in"],
      ] as const) {
        const response = await fetch(`${disabled.url}${path}`, { method, redirect: "manual" });
        expect(response.status).toBe(503);
        expect(await response.text()).toContain("disabled because AUDIT_API_TOKEN is not set");
      }
    } finally {
      await disabled.close();
    }
  });
});

describe("/ui pages", () => {
  it("shows a hostile branch name as text on the list and the decision page", async () => {
    for (const path of ["/ui/decisions", `/ui/decisions/${seeded.hostile}`]) {
      const body = await (await get(path)).text();
      expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(body).not.toContain(HOSTILE_BRANCH);
      expect(body).not.toMatch(/<img/i);
    }
  });

  it("filters the list as GET /audit does, ignoring empty fields", async () => {
    const body = await (await get("/ui/decisions?decision=deny&repository=&actor=carol")).text();
    expect(body.match(/<tr>\s*<td><a href="\/ui\/decisions\//g)).toHaveLength(1);
    expect(body).toContain(`/ui/decisions/${seeded.pullRequest}`);
  });

  it("refuses a malformed filter with the parameter's message", async () => {
    const response = await get("/ui/decisions?pr=abc");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("pr must be a pull request number");
  });

  it("pages with the cursor, keeping the filters", async () => {
    const first = await (await get("/ui/decisions?limit=5&actor=alice")).text();
    const next = /<a rel="next" href="([^"]+)"/.exec(first)![1]!.replace(/&amp;/g, "&");
    expect(next).toMatch(/^\/ui\/decisions\?limit=5&actor=alice&cursor=/);
    const second = await (await get(next)).text();
    const ids = (text: string) => [...text.matchAll(/<td><a href="\/ui\/decisions\/(\w+)">/g)].map((match) => match[1]);
    expect(ids(first)).toHaveLength(5);
    expect(ids(second)).toHaveLength(1);
    expect(ids(second)).not.toContain(ids(first)[0]);
  });

  it("shows a decision's violations, policy digests, attempts and GitHub links", async () => {
    const body = await (await get(`/ui/decisions/${seeded.hostile}`)).text();
    expect(body).toContain("needs 2 approvals, has 0");
    expect(body).toContain("sha256:4b1e9f0c3c2d");
    expect(body).toContain("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
    expect(body).toMatch(/<td>deployment_callback<\/td><td>pending<\/td><td class="num">1<\/td><td class="mono">GitHub answered 502 Bad Gateway<\/td>/);
    expect(body).toContain(`href="https://ghe.example.com/acme/shop/actions/runs/${RUN_ID}"`);
    const pr = await (await get(`/ui/decisions/${seeded.pullRequest}`)).text();
    expect(pr).toContain('href="https://ghe.example.com/acme/shop/pull/42"');
    expect(pr).toContain('href="https://ghe.example.com/acme/shop/runs/5555"');
  });

  it("shows a decision's warnings under their own heading, after the violations", async () => {
    const pr = await (await get(`/ui/decisions/${seeded.pullRequest}`)).text();
    expect(pr).toMatch(
      /<h2>Violations<\/h2>\s*<table class="violations">.*needs the label reviewed.*<\/table>\s*<h2>Warnings<\/h2>\s*<table class="violations">.*2 commits lack a Signed-off-by trailer/s,
    );
    const hostile = await (await get(`/ui/decisions/${seeded.hostile}`)).text();
    expect(hostile).toMatch(/<h2>Warnings<\/h2>\s*<p class="muted">No rule set to warn failed.<\/p>/);
  });

  it("answers 404 for an unknown or malformed decision id", async () => {
    expect((await get("/ui/decisions/01JAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    expect((await get("/ui/decisions/nope")).status).toBe(404);
  });

  it("draws the overview from the last 30 days", async () => {
    const body = await (await get("/ui")).text();
    expect(body.match(/<rect class="bar /g)).toHaveLength(seeded.total - 1);
    expect(body).toMatch(/<td><code>approvals<\/code><\/td><td class="num">5<\/td>/);
    expect(body).toMatch(/<div class="value">1<\/div><div class="label">answers waiting to reach GitHub/);
  });
});
