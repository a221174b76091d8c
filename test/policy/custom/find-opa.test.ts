import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { findOpa, PINNED_OPA_VERSION } from "../../../src/policy/custom/find-opa.js";
// @ts-expect-error: a plain .mjs script without type declarations
import { OPA_VERSION } from "../../../scripts/ensure-opa.mjs";

const scratch = mkdtempSync(join(tmpdir(), "repol-find-opa-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in `opa` that reports `version`. */
function fakeOpa(version: string): string {
  const path = join(scratch, `opa-${version}`);
  writeFileSync(path, `#!/bin/sh\necho "Version: ${version}"\n`);
  chmodSync(path, 0o755);
  return path;
}

it("pins the version scripts/ensure-opa.mjs installs", () => {
  expect(PINNED_OPA_VERSION).toBe(OPA_VERSION);
});

it("finds the pinned OPA the project's scripts use", async () => {
  expect(await findOpa()).toMatchObject({ ok: true, version: PINNED_OPA_VERSION });
});

it("passes over an OPA of another version, and says which it saw and how to install the pinned one", async () => {
  const other = fakeOpa("0.70.0");
  const found = await findOpa([other, join(scratch, "missing")]);
  expect(found).toEqual({ ok: false, message: expect.stringContaining(`${other} is v0.70.0`) });
  expect(found.ok ? "" : found.message).toContain("node scripts/ensure-opa.mjs");
});

it("takes the first candidate of the pinned version", async () => {
  const pinned = fakeOpa(PINNED_OPA_VERSION);
  expect(await findOpa([fakeOpa("0.70.0"), pinned])).toEqual({ ok: true, binary: pinned, version: PINNED_OPA_VERSION });
});
