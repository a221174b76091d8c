// Effects that overwrite the same thing on GitHub (one check run, one deployment's answer): a newer
// decision supersedes an older effect still queued, and never goes out while an older one is in flight.
// Part of the work store contract (work-store-contract.ts), run against each real database.
import { beforeEach, expect, it } from "vitest";
import type { AuditStore } from "../../src/audit/store.js";
import type { NewEffect, Outbox } from "../../src/durability/work-store.js";
import { auditRow, type TestClock } from "../audit/fixtures.js";

export interface WorkStoreUnderTest {
  store: AuditStore;
  outbox: Outbox;
  clock: TestClock;
  openAnother(): AuditStore;
}

const effect = (target: string | null, conclusion = "success"): NewEffect => ({
  kind: "check_run",
  installation_id: 41_234_567,
  request: { kind: "check_run", conclusion },
  target,
});
const failed = { kind: "check_run" as const, ok: false, status: 500, error: "will retry: GitHub answered 500" };
const TARGET = JSON.stringify(["check_run", "acme", "shop", "9fceb02d0ae598e95dc970b74767f19372d61af8", "repol (main)"]);

/** Registers the cases inside the contract's describe; `current` is what its beforeEach opened. */
export function outboxTargetCases(current: () => WorkStoreUnderTest): void {
  let store: AuditStore;
  let outbox: Outbox;
  let clock: TestClock;
  let openAnother: () => AuditStore;
  beforeEach(() => {
    ({ store, outbox, clock, openAnother } = current());
  });

  it("supersedes an older effect waiting to be retried, and says so in its audit row without touching the decision", async () => {
    const older = await outbox.recordWithEffect(auditRow({ delivery_id: "a", decision: "allow" }), effect(TARGET), 60_000);
    await outbox.retryLater(older.effect!.id, failed, 30_000);
    const newer = await outbox.recordWithEffect(auditRow({ delivery_id: "b", decision: "deny" }), effect(TARGET, "failure"), 60_000);

    expect(newer.effect).toMatchObject({ status: "pending", attempts: 1, target: TARGET });
    expect(await outbox.get(older.effect!.id)).toMatchObject({ status: "superseded", last_error: `superseded by audit row ${newer.auditId}` });
    expect(await store.get(older.auditId)).toMatchObject({
      decision: "allow",
      effect: { kind: "check_run", ok: false, superseded_by: newer.auditId, error: expect.stringMatching(/^superseded: a newer decision/) },
    });
    clock.advance(60 * 60_000);
    expect((await outbox.claimDue(10, 60_000)).map((e) => e.id)).toEqual([newer.effect!.id]);
    expect(await outbox.counts()).toEqual({ pending: 1, done: 0, dead: 0, superseded: 1 });
  });

  it("leaves effects for other targets, and effects without a target, alone", async () => {
    const waiting = await outbox.recordWithEffect(auditRow({ delivery_id: "t1" }), effect(TARGET), 0);
    await outbox.recordWithEffect(auditRow({ delivery_id: "t2" }), effect(TARGET.replace("main", "release")), 0);
    await outbox.recordWithEffect(auditRow({ delivery_id: "none-1" }), effect(null), 0);
    await outbox.recordWithEffect(auditRow({ delivery_id: "none-2" }), effect(null), 0);

    expect(await outbox.get(waiting.effect!.id)).toMatchObject({ status: "pending" });
    expect(await outbox.counts()).toEqual({ pending: 4, done: 0, dead: 0, superseded: 0 });
  });

  it("holds a newer effect back while an older one for its target is being sent, then hands it out", async () => {
    const inFlight = await outbox.recordWithEffect(auditRow({ delivery_id: "sending" }), effect(TARGET), 60_000);
    const newer = await outbox.recordWithEffect(auditRow({ delivery_id: "newer" }), effect(TARGET, "failure"), 60_000);

    expect(newer.effect).toMatchObject({ status: "pending", attempts: 0, leased_until: null });
    expect(await outbox.claimDue(10, 60_000)).toEqual([]);
    // The older attempt lands: its record stays superseded, and the newer effect goes out after it.
    await outbox.complete(inFlight.effect!.id, { kind: "check_run", ok: true, check_run_id: 7 });
    expect(await outbox.get(inFlight.effect!.id)).toMatchObject({ status: "superseded", leased_until: null });
    expect((await store.get(inFlight.auditId))!.effect).toMatchObject({ ok: false, superseded_by: newer.auditId });
    expect((await outbox.claimDue(10, 60_000)).map((e) => e.id)).toEqual([newer.effect!.id]);
  });

  it("renews an effect's claim only while its attempt holds it", async () => {
    const { effect: entry } = await outbox.recordWithEffect(auditRow({ delivery_id: "renewed" }), effect(TARGET), 60_000);
    clock.advance(50_000);
    expect(await outbox.renew(entry!.id, 1, 60_000)).toBe(true);
    clock.advance(50_000);
    expect(await outbox.claimDue(10, 60_000)).toEqual([]);
    await outbox.retryLater(entry!.id, failed, 1_000);
    expect(await outbox.renew(entry!.id, 1, 60_000)).toBe(false);
  });

  it("leaves one effect pending per target when two connections record for it at once", async () => {
    const other = openAnother();
    try {
      await Promise.all([
        outbox.recordWithEffect(auditRow({ delivery_id: "here" }), effect(TARGET), 0),
        other.outbox!.recordWithEffect(auditRow({ delivery_id: "there" }), effect(TARGET, "failure"), 0),
      ]);
      expect(await outbox.counts()).toEqual({ pending: 1, done: 0, dead: 0, superseded: 1 });
    } finally {
      await other.close();
    }
  });
}
