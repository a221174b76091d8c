// app.yml must ask GitHub for exactly what repol uses: every event the registry handles, no event it
// does not, and the permissions those events and repol's API calls need, each with a reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, parseDocument, type Pair, type Scalar } from "yaml";
import { describe, expect, it } from "vitest";
import { registry } from "../../src/handlers/index.js";
import { repoRoot } from "../helpers/policy-bundle.js";

const text = readFileSync(join(repoRoot, "app.yml"), "utf8");
const document = parseDocument(text);
const manifest = document.toJS() as {
  name: string;
  url: string;
  public: boolean;
  default_permissions: Record<string, string>;
  default_events: string[];
};

/**
 * Events the manifest may subscribe to before their handler lands, with the reason. Once the registry
 * handles one, the last test asks for its removal here, so this list cannot go stale. Empty while
 * every subscribed event has its handler.
 */
const AWAITING_HANDLER: Record<string, string> = {};

/** Which permission GitHub requires before an App may subscribe to each event. */
const PERMISSION_FOR_EVENT: Record<string, [permission: string, level: "read" | "write"]> = {
  deployment_protection_rule: ["deployments", "read"],
  pull_request: ["pull_requests", "read"],
  pull_request_review: ["pull_requests", "read"],
  check_run: ["checks", "read"],
  check_suite: ["checks", "read"],
  status: ["statuses", "read"],
};

const handledEvents = [...new Set([...registry.keys()].map((key) => key.split(".")[0]!))].sort();

describe("app.yml", () => {
  it("asks for exactly the permissions repol needs", () => {
    expect(manifest.default_permissions).toEqual({
      deployments: "write",
      checks: "write",
      pull_requests: "read",
      contents: "read",
      actions: "read",
      environments: "read",
      statuses: "read",
      metadata: "read",
    });
  });

  it("subscribes to exactly the six events repol is built to answer", () => {
    expect([...manifest.default_events].sort()).toEqual(
      ["check_run", "check_suite", "deployment_protection_rule", "pull_request", "pull_request_review", "status"].sort(),
    );
  });

  it("subscribes to every event the handler registry answers", () => {
    expect(handledEvents.length).toBeGreaterThan(0);
    for (const event of handledEvents) expect(manifest.default_events).toContain(event);
  });

  it("subscribes to no event that is neither handled nor awaiting its handler", () => {
    const unexplained = manifest.default_events.filter((event) => !handledEvents.includes(event) && !(event in AWAITING_HANDLER));
    expect(unexplained).toEqual([]);
  });

  it("grants, for every subscribed event, the permission GitHub requires for it", () => {
    const levels = ["read", "write"];
    for (const event of manifest.default_events) {
      const required = PERMISSION_FOR_EVENT[event];
      expect(required, `no known permission for ${event}`).toBeDefined();
      const [permission, level] = required!;
      const granted = manifest.default_permissions[permission];
      expect(granted, `${event} needs ${permission}`).toBeDefined();
      expect(levels.indexOf(granted!)).toBeGreaterThanOrEqual(levels.indexOf(level));
    }
  });

  it("says why each permission and each event is needed", () => {
    const permissions = document.get("default_permissions");
    const events = document.get("default_events");
    if (!isMap(permissions) || !isSeq(events)) throw new Error("default_permissions must be a map and default_events a list");
    // The yaml library hangs the comment above a collection's first entry on the collection itself.
    const commentOf = (node: { commentBefore?: string | null }, index: number, parent: { commentBefore?: string | null }) =>
      (node.commentBefore ?? (index === 0 ? parent.commentBefore : null) ?? "").trim();
    const undocumented = [
      ...(permissions.items as Pair<Scalar>[]).filter((pair, i) => !commentOf(pair.key, i, permissions)).map((pair) => String(pair.key.value)),
      ...(events.items as Scalar[]).filter((item, i) => !commentOf(item, i, events)).map((item) => String(item.value)),
    ];
    expect(undocumented).toEqual([]);
  });

  it("leaves the webhook and redirect URLs to Probot's setup flow", () => {
    // Probot spreads app.yml over the manifest it generates; a value here would point GitHub at the wrong host.
    expect(manifest).not.toHaveProperty("hook_attributes");
    expect(manifest).not.toHaveProperty("redirect_url");
    expect(manifest.url).toMatch(/^https:\/\//);
    expect(manifest.name).toBe("repol");
    expect(manifest.public).toBe(false);
  });

  it("lists no event as awaiting a handler once the registry handles it", () => {
    const handledNow = Object.keys(AWAITING_HANDLER).filter((event) => handledEvents.includes(event));
    expect(handledNow, "these events are handled now: remove them from AWAITING_HANDLER in test/setup/app-manifest.test.ts").toEqual([]);
  });
});
