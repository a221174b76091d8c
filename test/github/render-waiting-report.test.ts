import { describe, expect, it } from "vitest";
import { DEPLOYMENT_COMMENT_MAX_BYTES } from "../../src/github/render-deployment-comment.js";
import { renderWaitingReport } from "../../src/github/render-waiting-report.js";

const deadline = new Date("2026-03-02T11:00:00Z");

describe("renderWaitingReport", () => {
  it("says what the deployment waits for and until when", () => {
    const comment = renderWaitingReport({ environment: "production", report: "waiting for checks: e2e (in_progress); 1 more approval", deadline });
    expect(comment).toBe(
      "repol has not decided the deployment to production yet: waiting for checks: e2e (in_progress); 1 more approval. " +
        "It approves as soon as every rule passes and rejects at 2026-03-02T11:00:00.000Z at the latest.",
    );
  });

  it("fits GitHub's 1,024 characters with hundreds of checks, cutting the list and keeping when the wait ends", () => {
    const checks = Array.from({ length: 300 }, (_, i) => `integration-suite-${i} (in_progress) ✅`).join(", ");
    const comment = renderWaitingReport({ environment: "production", report: `waiting for checks: ${checks}`, deadline });
    expect(Buffer.byteLength(comment, "utf8")).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
    expect(comment).toContain("integration-suite-0 (in_progress)");
    expect(comment.endsWith("rejects at 2026-03-02T11:00:00.000Z at the latest.")).toBe(true);
  });

  it("fits even when the environment name alone is too long", () => {
    const comment = renderWaitingReport({ environment: "e".repeat(2_000), report: "waiting for 1 more approval", deadline });
    expect(Buffer.byteLength(comment, "utf8")).toBeLessThanOrEqual(DEPLOYMENT_COMMENT_MAX_BYTES);
  });
});
