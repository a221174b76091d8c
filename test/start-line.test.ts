import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLine } from "../src/start-line.js";
import { repoRoot } from "./helpers/policy-bundle.js";

const base = { port: 3000, webhookPath: "/api/github/webhooks", relayTarget: null, auditApiEnabled: true };

describe("startLine", () => {
  it("on every interface, says GitHub must reach the public host's webhook path", () => {
    expect(startLine({ ...base, address: "0.0.0.0" })).toBe(
      "repol listening on http://0.0.0.0:3000; GitHub must send webhooks to https://<this server's public host>/api/github/webhooks " +
        "(the App's Webhook URL; this port: 3000); audit API on (/audit, /evaluate with AUDIT_API_TOKEN)",
    );
  });

  it("with a relay, says deliveries come through the smee channel and where they are posted", () => {
    expect(startLine({ ...base, address: "::", relayTarget: "http://127.0.0.1:3000/api/github/webhooks", auditApiEnabled: false })).toBe(
      "repol listening on http://[::]:3000; webhooks arrive through the smee channel in WEBHOOK_PROXY_URL, relayed to " +
        "http://127.0.0.1:3000/api/github/webhooks; audit API off (set AUDIT_API_TOKEN to enable /audit and /evaluate)",
    );
  });

  it("on one address, gives the full webhook URL", () => {
    expect(startLine({ ...base, address: "127.0.0.1", port: 8080 })).toMatch(/GitHub must send webhooks to http:\/\/127\.0\.0\.1:8080\/api\/github\/webhooks /);
  });
});

describe("docs/local-development.md", () => {
  it("shows the start line repol really logs with a relay", () => {
    const guide = readFileSync(join(repoRoot, "docs", "local-development.md"), "utf8");
    const line = startLine({ ...base, address: "0.0.0.0", relayTarget: "http://127.0.0.1:3000/api/github/webhooks", auditApiEnabled: false });
    expect(guide).toContain(`INFO (probot): ${line}\n`);
  });
});
