// The layering the code is read by (see README "How it is built"), checked on the import statements.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src/", import.meta.url));
const FRAMEWORKS = /^(probot|@octokit\/|express|better-sqlite3|pg)(\/|$)/;

function filesUnder(folder: string): string[] {
  return readdirSync(join(src, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gms)].map((match) => match[1]!);
}

/** The file and every source file it reaches through relative imports. */
function reachable(start: string, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const specifier of importsOf(start).filter((s) => s.startsWith("."))) {
    reachable(resolve(dirname(start), specifier.replace(/\.js$/, ".ts")), seen);
  }
  return seen;
}

describe("layering", () => {
  it("keeps the decision core, the organisation rules and the domain types free of Probot, Octokit, express and database drivers, however indirectly", () => {
    const offenders = [...filesUnder("core"), ...filesUnder("domain"), ...filesUnder("org")]
      .flatMap((file) => [...reachable(file)])
      .flatMap((file) =>
        importsOf(file)
          .filter((s) => FRAMEWORKS.test(s))
          .map((s) => `${relative(src, file)} → ${s}`),
      );
    expect([...new Set(offenders)]).toEqual([]);
  });

  it.each(["github", "policy", "core", "domain", "org"])("lets %s/ import nothing from audit/, handlers/ or http/", (folder) => {
    const offenders = filesUnder(folder).flatMap((file) =>
      importsOf(file)
        .filter((s) => s.startsWith(".") && /^(audit|handlers|http)\//.test(relative(src, resolve(dirname(file), s))))
        .map((s) => `${relative(src, file)} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
