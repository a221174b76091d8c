// The delivery log and the outbox every adapter must provide. sqlite-work.test.ts and
// postgres-work.test.ts run this same suite against a real database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditStore } from "../../src/audit/store.js";
import type { DeliveryLog, Outbox } from "../../src/durability/work-store.js";
import { auditRow, TestClock } from "../audit/fixtures.js";
import type { StoreFactory } from "../audit/store-contract.js";
import { outboxTargetCases } from "./outbox-targets-contract.js";

const delivery = (id: string, event = "deployment_protection_rule") => ({
  id,
  event,
  action: "requested",
  body: JSON.stringify({ action: "requested", n: id }),
});
const callback = {
  kind: "deployment_callback" as const,
  installation_id: 41_234_567,
  request: { kind: "deployment_callback", review: { owner: "acme", repo: "shop", runId: 7, environment: "production", state: "approved", comment: "ok" } },
};

export function describeWorkStore(name: string, factory: StoreFactory): void {
  describe(`${name} delivery log and outbox`, () => {
    let store: AuditStore;
    let deliveries: DeliveryLog;
    let outbox: Outbox;
    let clock: TestClock;
    let cleanup: () => Promise<void>;
    let openAnother: () => AuditStore;

    beforeEach(async () => {
      clock = new TestClock();
      const fixture = await factory({ clock: clock.now });
      store = fixture.store;
      cleanup = fixture.cleanup;
      openAnother = () => fixture.openAnother({ clock: clock.now });
      await store.migrate();
      deliveries = store.deliveries!;
      outbox = store.outbox!;
    });

    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    describe("deliveries", () => {
      it("stores a delivery once and says so when the same id comes again", async () => {
        expect(await deliveries.add(delivery("d-1"), 60_000)).toBe(true);
        expect(await deliveries.add({ ...delivery("d-1"), body: "{}" }, 60_000)).toBe(false);
        expect(await deliveries.get("d-1")).toEqual({
          ...delivery("d-1"),
          received_at: clock.iso(),
          status: "pending",
          attempts: 1,
          due_at: new Date(clock.now().getTime() + 60_000).toISOString(),
          last_error: null,
        });
      });

      it("keeps a claimed delivery from sweeps until its lease ends", async () => {
        await deliveries.add(delivery("claimed"), 60_000);
        await deliveries.add(delivery("unclaimed"), 0);
        expect((await deliveries.claimDue(10, 60_000)).map((d) => d.id)).toEqual(["unclaimed"]);
        expect(await deliveries.claimDue(10, 60_000)).toEqual([]);
        clock.advance(60_000);
        const due = await deliveries.claimDue(10, 60_000);
        expect(due.map((d) => [d.id, d.attempts])).toEqual([
          ["claimed", 2],
          ["unclaimed", 2],
        ]);
      });

      it("hands each due delivery to one claimant only, even from two connections", async () => {
        for (let i = 0; i < 20; i++) await deliveries.add(delivery(`many-${String(i).padStart(2, "0")}`), 0);
        const other = openAnother();
        try {
          const [a, b] = await Promise.all([deliveries.claimDue(12, 60_000), other.deliveries!.claimDue(12, 60_000)]);
          const ids = [...a, ...b].map((d) => d.id);
          expect(ids).toHaveLength(20);
          expect(new Set(ids).size).toBe(20);
        } finally {
          await other.close();
        }
      });

      it("marks a delivery done, or failed to be retried later, or failed for good", async () => {
        for (const id of ["ok", "again", "never"]) await deliveries.add(delivery(id), 60_000);
        await deliveries.markDone("ok");
        await deliveries.markFailed("again", "GitHub answered 502", 5_000);
        await deliveries.markFailed("never", "bad payload", null);
        expect(await deliveries.get("ok")).toMatchObject({ status: "done", last_error: null });
        expect(await deliveries.get("again")).toMatchObject({ status: "pending", last_error: "GitHub answered 502" });
        expect(await deliveries.get("never")).toMatchObject({ status: "failed", last_error: "bad payload" });
        clock.advance(5_000);
        expect((await deliveries.claimDue(10, 1_000)).map((d) => d.id)).toEqual(["again"]);
      });

      it("takes a redelivery of a delivery that failed for good as a new attempt", async () => {
        await deliveries.add(delivery("revived"), 60_000);
        await deliveries.markFailed("revived", "boom", null);
        expect(await deliveries.add(delivery("revived"), 60_000)).toBe(true);
        expect(await deliveries.get("revived")).toMatchObject({ status: "pending", last_error: null, attempts: 1 });
      });

      it("says which delivery ids it has", async () => {
        await deliveries.add(delivery("have-1"), 0);
        await deliveries.add(delivery("have-2"), 0);
        expect(await deliveries.known(["have-1", "missing", "have-2"])).toEqual(new Set(["have-1", "have-2"]));
        expect(await deliveries.known([])).toEqual(new Set());
      });

      it("renews a claim only while the attempt that took it still holds it", async () => {
        await deliveries.add(delivery("held"), 60_000);
        clock.advance(50_000);
        expect(await deliveries.renew("held", 1, 60_000)).toBe(true);
        clock.advance(50_000);
        expect(await deliveries.claimDue(10, 60_000)).toEqual([]);
        clock.advance(20_000);
        expect((await deliveries.claimDue(10, 60_000)).map((d) => [d.id, d.attempts])).toEqual([["held", 2]]);
        expect(await deliveries.renew("held", 1, 60_000)).toBe(false);
        await deliveries.markDone("held");
        expect(await deliveries.renew("held", 2, 60_000)).toBe(false);
      });

      it("purges finished deliveries before a time and keeps pending ones", async () => {
        for (const id of ["old-done", "old-pending"]) await deliveries.add(delivery(id), 0);
        await deliveries.markDone("old-done");
        clock.advance(10_000);
        await deliveries.add(delivery("new-done"), 0);
        await deliveries.markDone("new-done");
        expect(await deliveries.purgeFinishedBefore(new Date(clock.now().getTime() - 5_000))).toBe(1);
        expect(await deliveries.known(["old-done", "old-pending", "new-done"])).toEqual(new Set(["old-pending", "new-done"]));
      });
    });

    describe("outbox", () => {
      it("marks the delivery done with the first settled attempt of its effect, a retry included", async () => {
        for (const id of ["sent", "retried"]) await deliveries.add(delivery(id), 60_000);
        const sent = await outbox.recordWithEffect(auditRow({ delivery_id: "sent" }), callback, 60_000);
        const retried = await outbox.recordWithEffect(auditRow({ delivery_id: "retried" }), callback, 60_000);
        expect((await deliveries.get("sent"))!.status).toBe("pending");
        await outbox.complete(sent.effect!.id, { kind: "deployment_callback", ok: true });
        await outbox.retryLater(retried.effect!.id, { kind: "deployment_callback", ok: false, error: "502" }, 5_000);
        expect(await deliveries.get("sent")).toMatchObject({ status: "done", last_error: null });
        expect(await deliveries.get("retried")).toMatchObject({ status: "done", last_error: null });
        expect(await outbox.get(retried.effect!.id)).toMatchObject({ status: "pending" });
      });

      it("records the decision and its effect together, the effect claimed by the caller", async () => {
        const row = auditRow({ delivery_id: "o-1", effect: { kind: "deployment_callback", ok: false, error: "queued" } });
        const recorded = await outbox.recordWithEffect(row, callback, 60_000);
        expect(recorded.inserted).toBe(true);
        expect(recorded.effect).toMatchObject({ ...callback, delivery_id: "o-1", audit_id: recorded.auditId, status: "pending", attempts: 1 });
        expect(await outbox.get(recorded.effect!.id)).toEqual(recorded.effect);
        expect(await store.findByDelivery("o-1")).toMatchObject({ id: recorded.auditId, effect: { ok: false, error: "queued" } });
        expect(await outbox.claimDue(10, 60_000)).toEqual([]);
      });

      it("queues no second effect for a delivery already recorded", async () => {
        const first = await outbox.recordWithEffect(auditRow({ delivery_id: "twice" }), callback, 60_000);
        const second = await outbox.recordWithEffect(auditRow({ delivery_id: "twice" }), callback, 60_000);
        expect(second).toEqual({ inserted: false, auditId: first.auditId, effect: null });
        expect(await outbox.counts()).toEqual({ pending: 1, done: 0, dead: 0, superseded: 0 });
      });

      it("writes the delivered outcome into the audit row", async () => {
        const { effect, auditId } = await outbox.recordWithEffect(auditRow({ delivery_id: "o-2" }), callback, 60_000);
        await outbox.complete(effect!.id, { kind: "deployment_callback", ok: true, status: 204 });
        expect((await store.get(auditId))!.effect).toEqual({ kind: "deployment_callback", ok: true, status: 204 });
        expect(await outbox.get(effect!.id)).toMatchObject({ status: "done", last_error: null });
      });

      it("shows a failed attempt while it waits to be retried, then hands it out again when due", async () => {
        const { effect, auditId } = await outbox.recordWithEffect(auditRow({ delivery_id: "o-3" }), callback, 60_000);
        const failed = { kind: "deployment_callback" as const, ok: false, status: 502, error: "will retry: GitHub answered 502" };
        await outbox.retryLater(effect!.id, failed, 30_000);
        expect((await store.get(auditId))!.effect).toEqual(failed);
        expect(await outbox.claimDue(10, 60_000)).toEqual([]);
        clock.advance(30_000);
        const [again] = await outbox.claimDue(10, 60_000);
        expect(again).toMatchObject({ id: effect!.id, attempts: 2, last_error: "will retry: GitHub answered 502", request: callback.request });
      });

      it("gives an effect up as dead with the last failure in the audit row", async () => {
        const { effect, auditId } = await outbox.recordWithEffect(auditRow({ delivery_id: "o-4" }), callback, 60_000);
        const outcome = { kind: "deployment_callback" as const, ok: false, error: "gave up after 12 attempts: no answer" };
        await outbox.giveUp(effect!.id, outcome);
        expect((await store.get(auditId))!.effect).toEqual(outcome);
        expect(await outbox.counts()).toEqual({ pending: 0, done: 0, dead: 1, superseded: 0 });
      });

      it("hands each due effect to one claimant only, even from two connections", async () => {
        for (let i = 0; i < 16; i++) await outbox.recordWithEffect(auditRow({ delivery_id: `race-${i}` }), callback, 0);
        const other = openAnother();
        try {
          const [a, b] = await Promise.all([outbox.claimDue(10, 60_000), other.outbox!.claimDue(10, 60_000)]);
          const ids = [...a, ...b].map((e) => e.id);
          expect(ids).toHaveLength(16);
          expect(new Set(ids).size).toBe(16);
        } finally {
          await other.close();
        }
      });

      it("purges finished effects before a time and keeps pending ones", async () => {
        const done = await outbox.recordWithEffect(auditRow({ delivery_id: "p-done" }), callback, 0);
        await outbox.recordWithEffect(auditRow({ delivery_id: "p-pending" }), callback, 0);
        await outbox.complete(done.effect!.id, { kind: "deployment_callback", ok: true, status: 204 });
        clock.advance(10_000);
        expect(await outbox.purgeFinishedBefore(clock.now())).toBe(1);
        expect(await outbox.counts()).toEqual({ pending: 1, done: 0, dead: 0, superseded: 0 });
      });
    });

    describe("outbox targets", () => outboxTargetCases(() => ({ store, outbox, clock, openAnother })));
  });
}
