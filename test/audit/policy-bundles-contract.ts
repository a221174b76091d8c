// What every store's policy_bundles table must do; policy-bundles.test.ts runs it on SQLite and PostgreSQL.
import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PolicyBundle } from "../../src/audit/policy-bundles.js";
import type { AuditStore, AuditStoreOptions } from "../../src/audit/store.js";
import { auditRow, TestClock } from "./fixtures.js";

export interface BundleStoreFixture {
  store: AuditStore;
  cleanup(): Promise<void>;
}

/** A bundle of arbitrary bytes: the store keeps whatever it is given under the bytes' digest. */
export function bundleOf(wasm: Uint8Array, kind: PolicyBundle["kind"] = "builtin"): PolicyBundle {
  return { digest: createHash("sha256").update(wasm).digest("hex"), kind, wasm };
}

export function describePolicyBundles(name: string, factory: (options: AuditStoreOptions) => Promise<BundleStoreFixture>): void {
  describe(`${name} policy bundles`, () => {
    let fixture: BundleStoreFixture;
    let clock: TestClock;
    const bundles = () => fixture.store.policyBundles!;

    beforeEach(async () => {
      clock = new TestClock("2025-03-01T12:00:00.000Z");
      fixture = await factory({ clock: clock.now });
      await fixture.store.migrate();
    });
    afterEach(async () => {
      await fixture.store.close();
      await fixture.cleanup();
    });

    it("gives back the exact bytes and kind of a kept bundle, by its digest", async () => {
      // Every byte value, NUL included, and more than a page: a text column would mangle or cut it.
      const wasm = new Uint8Array(Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(300_000)]));
      const bundle = bundleOf(wasm, "custom");
      expect(await bundles().keep(bundle)).toEqual({ inserted: true });

      const stored = await bundles().load(bundle.digest);
      expect(stored).toMatchObject({ digest: bundle.digest, kind: "custom", created_at: "2025-03-01T12:00:00.000Z" });
      expect(Buffer.from(stored!.wasm).equals(Buffer.from(wasm))).toBe(true);
    });

    it("keeps the first copy when the same bundle is kept again (every start keeps its bundle)", async () => {
      const bundle = bundleOf(randomBytes(64));
      await bundles().keep(bundle);
      clock.advance(86_400_000);
      expect(await bundles().keep(bundle)).toEqual({ inserted: false });
      expect((await bundles().load(bundle.digest))!.created_at).toBe("2025-03-01T12:00:00.000Z");
    });

    it("finds nothing for a digest it never kept", async () => {
      expect(await bundles().load("0".repeat(64))).toBeUndefined();
    });

    it("refuses a bundle whose digest is not that of its bytes", async () => {
      const bundle = { ...bundleOf(randomBytes(64)), digest: bundleOf(randomBytes(64)).digest };
      await expect(bundles().keep(bundle)).rejects.toThrow(/labelled sha256 [0-9a-f]{64} has sha256 [0-9a-f]{64}; it was not stored/);
      expect(await bundles().load(bundle.digest)).toBeUndefined();
    });

    it("keeps a bundle when retention removes every row that referenced it", async () => {
      const bundle = bundleOf(randomBytes(64));
      await bundles().keep(bundle);
      await fixture.store.insert(auditRow({ bundle_digest: bundle.digest }));
      clock.advance(1000);
      expect(await fixture.store.purgeOlderThan(clock.iso())).toBe(1);
      expect((await bundles().load(bundle.digest))?.digest).toBe(bundle.digest);
    });
  });
}
