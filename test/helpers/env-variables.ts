// Which environment variables repol's source reads, found in the text: env.X, process.env.X, env["X"],
// intFrom(env, "X") and positiveIntFrom(env, "X").
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./policy-bundle.js";

/** Every .ts file under `dir`, relative to the repository. */
export function sourceFiles(dir = "src"): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(`${dir}/${entry.name}`) : entry.name.endsWith(".ts") ? [`${dir}/${entry.name}`] : [],
  );
}

export function variablesReadBy(file: string): string[] {
  const source = readFileSync(join(repoRoot, file), "utf8");
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\["([A-Z][A-Z0-9_]*)"\])/g)) names.add((match[1] ?? match[2])!);
  for (const match of source.matchAll(/intFrom\(env, "([A-Z][A-Z0-9_]*)"/g)) names.add(match[1]!);
  return [...names].sort();
}
