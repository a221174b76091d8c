// One behavioural contract for the waiting deployments, run against SQLite and PostgreSQL alike.
import { afterEach, describe, expect, it } from "vitest";
import type { AuditStore, AuditStoreOptions } from "../../src/audit/store.js";
import type { NewWaitingDeployment } from "../../src/durability/waiting-store.js";

export interface WaitingStoreUnderTest {
  store: AuditStore;
  /** A second connection to the same database: another replica. */
  openAnother(): AuditStore;
  cleanup(): Promise<void>;
}

export const waitingDeployment = (over: Partial<NewWaitingDeployment> = {}): NewWaitingDeployment => ({
  id: "delivery-1",
  repository: "octo/app",
  installationId: 7,
  runId: 501,
  environment: "production",
  sha: "a".repeat(40),
  ref: "main",
  pullNumbers: [12, 13],
  callbackUrl: "https://api.github.com/repos/octo/app/actions/runs/501/deployment_protection_rule",
  request: { repository: "octo/app", sha: "a".repeat(40) },
  requestedAt: "2026-03-02T10:00:00.000Z",
  deadline: "2026-03-02T11:00:00.000Z",
  reportsPosted: 1,
  lastReport: "waiting for checks: e2e (in_progress)",
  ...over,
});

export function describeWaitingStore(name: string, open: (options: AuditStoreOptions) => Promise<WaitingStoreUnderTest>): void {
  describe(`${name} waiting deployments`, () => {
    let now = new Date("2026-03-02T10:00:00Z");
    const clock = () => now;
    const opened: WaitingStoreUnderTest[] = [];
    const others: AuditStore[] = [];
    const start = async () => {
      const subject = await open({ clock });
      opened.push(subject);
      await subject.store.migrate();
      return subject;
    };
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      for (const subject of opened.splice(0)) {
        await subject.store.close();
        await subject.cleanup();
      }
      now = new Date("2026-03-02T10:00:00Z");
    });

    it("stores a waiting deployment once and reads it back as it was", async () => {
      const { store } = await start();
      expect(await store.waiting!.add(waitingDeployment())).toBe(true);
      expect(await store.waiting!.add(waitingDeployment())).toBe(false);
      expect(await store.waiting!.get("delivery-1")).toEqual({ ...waitingDeployment(), status: "waiting", endReason: null });
    });

    it("finds waiting deployments by commit or by a pull request behind them, repository without case", async () => {
      const { store } = await start();
      await store.waiting!.add(waitingDeployment());
      await store.waiting!.add(waitingDeployment({ id: "delivery-2", sha: "b".repeat(40), pullNumbers: [] }));
      const ids = (list: { id: string }[]) => list.map((w) => w.id);
      expect(ids(await store.waiting!.waitingIn("Octo/App", { sha: "a".repeat(40) }))).toEqual(["delivery-1"]);
      expect(ids(await store.waiting!.waitingIn("octo/app", { pull: 13 }))).toEqual(["delivery-1"]);
      expect(ids(await store.waiting!.waitingIn("octo/other", { pull: 13 }))).toEqual([]);
      expect(ids(await store.waiting!.allWaiting())).toEqual(["delivery-1", "delivery-2"]);
    });

    it("lets exactly one of two replicas claim a deployment until its lease runs out", async () => {
      const subject = await start();
      const other = subject.openAnother();
      others.push(other);
      await subject.store.waiting!.add(waitingDeployment());
      const claims = await Promise.all([subject.store.waiting!.claim("delivery-1", 60_000), other.waiting!.claim("delivery-1", 60_000)]);
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
      now = new Date("2026-03-02T10:01:00Z");
      expect(await other.waiting!.claim("delivery-1", 60_000)).not.toBeNull();
    });

    it("keeps the last report and lets go of the claim while still waiting", async () => {
      const { store } = await start();
      await store.waiting!.add(waitingDeployment());
      await store.waiting!.claim("delivery-1", 60_000);
      await store.waiting!.keepWaiting("delivery-1", { text: "waiting for 1 more approval", count: 2 });
      expect(await store.waiting!.get("delivery-1")).toMatchObject({ reportsPosted: 2, lastReport: "waiting for 1 more approval" });
      expect(await store.waiting!.claim("delivery-1", 60_000)).not.toBeNull();
    });

    it("no longer lists or hands out a deployment whose wait ended, and keeps why", async () => {
      const { store } = await start();
      await store.waiting!.add(waitingDeployment());
      await store.waiting!.end("delivery-1", "ended", "the workflow run is no longer waiting at GitHub");
      expect(await store.waiting!.allWaiting()).toEqual([]);
      expect(await store.waiting!.claim("delivery-1", 60_000)).toBeNull();
      expect(await store.waiting!.get("delivery-1")).toMatchObject({ status: "ended", endReason: "the workflow run is no longer waiting at GitHub" });
    });
  });
}
