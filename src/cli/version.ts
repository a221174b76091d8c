// `repol --version`: the version in repol's own package.json, found from this file's location
// (src/cli/ run from source, dist/src/cli/ once built), so any working directory works.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function repolVersion(from: string = import.meta.url): string {
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "repol" && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of repol above ${fileURLToPath(from)}`);
  }
}
