// /ui in a real headless Chromium against repol's real server: sign-in, the overview chart, filtering,
// a decision page, and a hostile branch name that must stay text. Screenshots go to build/screenshots/.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteAuditStore } from "../../../src/audit/sqlite-store.js";
import { buildRegistry } from "../../../src/handlers/registry.js";
import { UI_CONTENT_SECURITY_POLICY } from "../../../src/http/ui/security-headers.js";
import { loadPolicyEngine } from "../../../src/policy/engine.js";
import { loadSettings } from "../../../src/settings.js";
import { TestClock } from "../../audit/fixtures.js";
import { closedPort } from "../../helpers/closed-port.js";
import { serveRepol, type ServedRepol } from "../../helpers/repol-over-http.js";
import { policyWasmPath } from "../../helpers/policy-bundle.js";
import { testProbot } from "../../helpers/test-probot.js";
import { launchChromium, SCREENSHOT_DIR, screenshot, type Chromium } from "./chromium.js";
import { HOSTILE_BRANCH, RUN_ID, seedDecisions, UI_TOKEN, type SeededDecisions } from "./ui-fixture.js";

const TIMEOUT = 60_000;
let dir: string;
let store: SqliteAuditStore;
let seeded: SeededDecisions;
let repol: ServedRepol;
let chromium: Chromium;
let page: Page;
const dialogs: string[] = [];
const consoleErrors: string[] = [];
const requested: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "repol-ui-browser-"));
  // Rows are dated from the real time, as the overview counts the 30 days up to now.
  const clock = new TestClock(new Date().toISOString());
  store = openSqliteStore(join(dir, "audit.db"), { clock: clock.now });
  await store.migrate();
  const engine = await loadPolicyEngine(policyWasmPath());
  // GitHub is a closed port on 127.0.0.1 and the outbox is swept only when ticked: the seeded answer
  // still waiting to reach GitHub stays exactly as seeded.
  const probot = testProbot({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
  repol = await serveRepol({
    probot,
    registry: buildRegistry([]),
    deps: { engine, store, settings: loadSettings({ AUDIT_API_TOKEN: UI_TOKEN }) },
    timing: { outboxIntervalMs: 0, deliverySweepMs: 0 },
  });
  await repol.work.outbox!.tick();
  seeded = await seedDecisions(store, clock);
  chromium = await launchChromium();
  page = await chromium.browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // A CSP violation (an inline style or script that slipped in) shows up as a console error.
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("request", (request) => requested.push(request.url()));
}, TIMEOUT);

afterAll(async () => {
  await chromium?.close();
  await repol?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function submit(selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

describe("/ui in Chromium", () => {
  it("refuses a wrong token and keeps the visitor on the sign-in form", { timeout: TIMEOUT }, async () => {
    const response = await page.goto(`${repol.url}/ui`);
    expect(response!.headers()["content-security-policy"]).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(new URL(page.url()).pathname).toBe("/ui/sign-in");
    await page.type("input[name=token]", "not-the-token");
    await submit("button[type=submit]");
    expect(await page.$eval("[role=alert]", (element) => element.textContent)).toContain("not the audit token");
    expect(await page.cookies()).toEqual([]);
    await screenshot(page, "ui-sign-in-refused");
  });

  it("signs in with the audit token and lands on the overview with its chart drawn", { timeout: TIMEOUT }, async () => {
    await page.type("input[name=token]", UI_TOKEN);
    await submit("button[type=submit]");
    expect(new URL(page.url()).pathname).toBe("/ui");
    expect(await page.$eval("h1", (element) => element.textContent)).toBe("Overview");
    const bars = await page.$$eval("svg.chart rect.bar", (rects) => rects.map((rect) => rect.getBoundingClientRect().height));
    expect(bars.length).toBe(seeded.total - 1);
    expect(bars.every((height) => height > 0)).toBe(true);
    // The stylesheet came from repol and applied: the bars are coloured by outcome.
    expect(await page.$eval("svg.chart rect.bar.allow", (rect) => rect.ownerDocument.defaultView!.getComputedStyle(rect).fill)).toBe("rgb(45, 164, 78)");
    const [session] = await page.cookies();
    expect(session).toMatchObject({ name: "repol_ui_session", httpOnly: true, sameSite: "Strict", path: "/ui" });
    await screenshot(page, "ui-overview");
  });

  it("filters the decisions list with the form", { timeout: TIMEOUT }, async () => {
    await page.goto(`${repol.url}/ui/decisions`);
    expect(await page.$$eval("table.decisions tbody tr", (rows) => rows.length)).toBe(seeded.total);
    await page.select("select[name=decision]", "deny");
    await page.type("input[name=actor]", "carol");
    await submit("form.filters button[type=submit]");
    expect(new URL(page.url()).searchParams.get("decision")).toBe("deny");
    const rows = await page.$$eval("table.decisions tbody tr", (found) => found.map((row) => row.textContent ?? ""));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("carol");
    await screenshot(page, "ui-decisions-filtered");
  });

  it("shows a hostile branch name as text: no element made, no script run", { timeout: TIMEOUT }, async () => {
    await page.goto(`${repol.url}/ui/decisions?actor=mallory`);
    expect(await page.$eval("table.decisions td.ref", (cell) => cell.textContent)).toBe(`refs/heads/${HOSTILE_BRANCH}`);
    await submit("table.decisions tbody tr a");
    expect(new URL(page.url()).pathname).toBe(`/ui/decisions/${seeded.hostile}`);
    const ref = await page.$$eval("dl.facts dt", (terms) => terms.find((term) => term.textContent === "Ref")?.nextElementSibling?.textContent);
    expect(ref).toBe(`refs/heads/${HOSTILE_BRANCH}`);
    expect(await page.$eval("table.violations", (table) => table.textContent)).toContain(`branch ${HOSTILE_BRANCH} is not allowed`);
    expect(await page.$$eval("img", (images) => images.length)).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, "ui-decision-hostile-branch");
  });

  it("shows the decision's attempts to answer GitHub and links to the workflow run", { timeout: TIMEOUT }, async () => {
    const attempts = await page.$$eval("table.attempts tbody tr td", (cells) => cells.map((cell) => cell.textContent));
    expect(attempts.slice(0, 4)).toEqual(["deployment_callback", "pending", "1", "GitHub answered 502 Bad Gateway"]);
    const links = await page.$$eval("p.links a", (anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
    expect(links).toContain(`https://github.com/acme/shop/actions/runs/${RUN_ID}`);
    expect(JSON.parse((await page.$eval("pre.input", (pre) => pre.textContent))!)).toEqual({ ref: `refs/heads/${HOSTILE_BRANCH}`, approvals: [] });
  });

  it("loaded nothing from another host and broke no CSP rule", () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${repol.url}/`))).toEqual([]);
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
  });

  it("signs out and is sent back to the sign-in form", { timeout: TIMEOUT }, async () => {
    await submit("form.sign-out button");
    expect(new URL(page.url()).pathname).toBe("/ui/sign-in");
    await page.goto(`${repol.url}/ui/decisions`);
    expect(new URL(page.url()).pathname).toBe("/ui/sign-in");
    await screenshot(page, "ui-signed-out");
    expect(existsSync(join(SCREENSHOT_DIR, "ui-overview.png"))).toBe(true);
  });
});
