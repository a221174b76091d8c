// The policy bundle's digest goes into every audit row and /ready: the same sources must give the
// same bytes whatever folder the checkout sits in. Built here from copies of policies/ in two folders.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";

interface Manifest {
  digest: string;
  built_at: string;
  sources: string[];
}
type BuildPolicies = (options: { root: string; force?: boolean; log?: (line: string) => void }) => Promise<Manifest>;

const checkouts: string[] = [];
let buildPolicies: BuildPolicies;

/** A folder holding a copy of policies/, as a second checkout of the same commit would. */
function checkout(name: string): string {
  const root = mkdtempSync(join(tmpdir(), name));
  cpSync(join(repoRoot, "policies"), join(root, "policies"), { recursive: true });
  checkouts.push(root);
  return root;
}

beforeAll(async () => {
  ({ buildPolicies } = (await import(pathToFileURL(join(repoRoot, "scripts", "build-policies.mjs")).href)) as { buildPolicies: BuildPolicies });
});
afterAll(() => {
  for (const root of checkouts) rmSync(root, { recursive: true, force: true });
});

describe("build-policies", () => {
  it("gives the same bytes, and so the same digest, in two different folders", async () => {
    const [first, second] = [checkout("repol-a-"), checkout("repol-checkout-with-a-longer-name-")];
    const quiet = { log: () => undefined };

    const built = [await buildPolicies({ root: first, ...quiet }), await buildPolicies({ root: second, ...quiet })];

    const wasm = [first, second].map((root) => readFileSync(join(root, "build", "policies", "policy.wasm")));
    expect(built[0]!.digest).toBe(built[1]!.digest);
    expect(wasm[0]!.equals(wasm[1]!)).toBe(true);
    expect(wasm[0]!.includes(first)).toBe(false);
    expect(built[0]!.sources).toEqual(built[1]!.sources);
    expect(built[0]!.sources.every((source) => source.startsWith("policies/"))).toBe(true);
  });

  it("skips the build when the sources have not changed", async () => {
    const root = checkout("repol-rebuild-");
    const lines: string[] = [];
    const first = await buildPolicies({ root, log: (line) => lines.push(line) });

    const again = await buildPolicies({ root, log: (line) => lines.push(line) });

    expect(again).toEqual(first);
    expect(lines[1]).toMatch(/^build-policies: up to date/);
  });
});
