// What the server loads before it listens: every static import reachable from src/main.ts. A package
// only some deployments use is imported where it is used, so the others do not carry it in memory.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

// `import x from "y"`, `import { x } from "y"`, `export { x } from "y"`, `import "y"`; not `import type`
// nor `export type`, which TypeScript erases.
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\s)(?:[^;]*?\s+from\s+)?"([^"]+)";/gms;

/** Packages (by name) and repol modules (by path under src/) that loading `entry` evaluates. */
function staticImportsOf(entry: string): { packages: Set<string>; modules: Set<string> } {
  const packages = new Set<string>();
  const modules = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = readFileSync(join(SRC, file), "utf8");
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith(".")) visit(resolve(SRC, dirname(file), specifier!.replace(/\.js$/, ".ts")).slice(SRC.length));
      else if (!specifier!.startsWith("node:"))
        packages.add(specifier!.startsWith("@") ? specifier!.split("/").slice(0, 2).join("/") : specifier!.split("/")[0]!);
    }
  };
  visit(entry);
  return { packages, modules };
}

it("starts without loading pg or smee-client, which only PostgreSQL and the smee relay need", () => {
  const { packages, modules } = staticImportsOf("main.ts");

  // The walk itself reaches what the server does load.
  expect(packages).toContain("probot");
  expect(packages).toContain("better-sqlite3");
  expect(modules).toContain("webhook-relay.ts");
  expect(modules).toContain("setup-mode.ts");
  expect(packages).not.toContain("pg");
  expect(packages).not.toContain("smee-client");
});
