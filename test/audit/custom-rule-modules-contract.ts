// What every store's custom_rule_modules table must do; custom-rule-modules.test.ts runs it on SQLite and PostgreSQL.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditStoreOptions } from "../../src/audit/store.js";
import type { BundleStoreFixture } from "./policy-bundles-contract.js";
import { TestClock } from "./fixtures.js";

export function describeCustomRuleModules(name: string, factory: (options: AuditStoreOptions) => Promise<BundleStoreFixture>): void {
  describe(`${name} custom rule modules`, () => {
    let fixture: BundleStoreFixture;
    const modules = () => fixture.store.customRuleModules!;

    beforeEach(async () => {
      fixture = await factory({ clock: new TestClock().now });
      await fixture.store.migrate();
    });
    afterEach(async () => {
      await fixture.store.close();
      await fixture.cleanup();
    });

    it("gives back the exact bytes and policy of a kept module, by the digest of its sources", async () => {
      // Every byte value, NUL included: a text column would mangle or cut it.
      const wasm = new Uint8Array(Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]));
      const digest = "a".repeat(64);
      expect(await modules().keep({ digest, policy: "pullrequest", wasm })).toEqual({ inserted: true });

      const stored = await modules().load(digest);
      expect(stored).toMatchObject({ digest, policy: "pullrequest" });
      expect(Buffer.from(stored!.wasm).equals(Buffer.from(wasm))).toBe(true);
    });

    it("keeps the first module when replicas store the same digest again", async () => {
      const digest = "b".repeat(64);
      const first = new Uint8Array(randomBytes(32));
      await modules().keep({ digest, policy: "deploy", wasm: first });

      expect(await modules().keep({ digest, policy: "deploy", wasm: new Uint8Array(randomBytes(32)) })).toEqual({ inserted: false });
      expect(Buffer.from((await modules().load(digest))!.wasm).equals(Buffer.from(first))).toBe(true);
    });

    it("finds nothing for a digest it never kept", async () => {
      expect(await modules().load("0".repeat(64))).toBeUndefined();
    });
  });
}
